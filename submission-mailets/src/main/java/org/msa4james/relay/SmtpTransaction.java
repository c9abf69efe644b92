package org.msa4james.relay;

import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import javax.mail.MessagingException;
import javax.mail.internet.MimeMessage;

import org.apache.mailet.DsnParameters.XText;

import com.google.common.collect.ImmutableList;
import com.sun.mail.smtp.SMTPSendFailedException;

/**
 * One mail transaction (MAIL, RCPT for each recipient, DATA) with a next hop JavaMail has connected to, recipient by
 * recipient. When the next hop offers DSN (RFC 3461) the sender's DSN parameters go with it: RET and ENVID on MAIL as
 * they were received, NOTIFY and ORCPT (xtext-encoded) on each RCPT. Without DSN the commands carry none.
 *
 * <p>Each recipient ends delivered (250 to the end of DATA), refused for now or refused for good, with the reply that
 * decided it. A refused MAIL, DATA or end of DATA decides for every recipient still open. With {@code sendPartial}
 * the message goes to the recipients the next hop took even when it refused others; without it, it goes to none of
 * them then, and they are refused for now. An I/O failure is thrown: the caller tries another host or later.</p>
 */
public final class SmtpTransaction {
    private static final String[] NOT_SENT = {"Bcc", "Content-Length"};
    private static final int OK = 250;
    private static final int FORWARDED = 251;

    private SmtpTransaction() {
    }

    /** The envelope of one delivery: sender ("" for the null sender), DSN parameters of MAIL, recipients. */
    public static final class Envelope {
        private final String sender;
        private final Optional<String> ret;
        private final Optional<String> envId;
        private final ImmutableList<Recipient> recipients;

        /**
         * @param ret FULL or HDRS
         * @param envId the ENVID as received, in xtext
         */
        public Envelope(String sender, Optional<String> ret, Optional<String> envId, List<Recipient> recipients) {
            this.sender = Objects.requireNonNull(sender);
            this.ret = ret;
            this.envId = envId;
            this.recipients = ImmutableList.copyOf(recipients);
        }

        public ImmutableList<Recipient> recipients() {
            return recipients;
        }

        /** The MAIL command, with RET and ENVID when the next hop offers DSN. */
        public String mailCommand(boolean dsn) {
            StringBuilder command = new StringBuilder("MAIL FROM:<").append(sender).append('>');
            if (dsn) {
                ret.ifPresent(value -> command.append(" RET=").append(value));
                envId.ifPresent(value -> command.append(" ENVID=").append(value));
            }
            return command.toString();
        }
    }

    /** A recipient and its DSN parameters: NOTIFY as a comma-separated list, ORCPT as an address (decoded). */
    public static final class Recipient {
        private final String address;
        private final Optional<String> notify;
        private final Optional<String> originalRecipient;

        public Recipient(String address, Optional<String> notify, Optional<String> originalRecipient) {
            this.address = Objects.requireNonNull(address);
            this.notify = notify;
            this.originalRecipient = originalRecipient;
        }

        public String address() {
            return address;
        }

        /** The RCPT command, with NOTIFY and ORCPT when the next hop offers DSN. */
        public String rcptCommand(boolean dsn) {
            StringBuilder command = new StringBuilder("RCPT TO:<").append(address).append('>');
            if (dsn) {
                notify.ifPresent(value -> command.append(" NOTIFY=").append(value));
                originalRecipient.ifPresent(value -> command.append(" ORCPT=rfc822;").append(XText.encode(value)));
            }
            return command.toString();
        }
    }

    /**
     * @param remoteMta the name of the next hop, for the results
     * @throws MessagingException an I/O failure (the connection broke)
     * @throws IOException writing the message failed
     */
    public static List<RecipientResult> send(NextHopTransport transport, String remoteMta, Envelope envelope, MimeMessage message,
                                             boolean sendPartial) throws MessagingException, IOException {
        boolean dsn = transport.supportsExtension("DSN");
        List<RecipientResult> results = new ArrayList<>();
        if (transport.simpleCommand(envelope.mailCommand(dsn)) != OK) {
            String reply = reply(transport);
            envelope.recipients().forEach(recipient -> results.add(RecipientResult.refused(recipient.address(), remoteMta, reply)));
            return results;
        }
        List<Recipient> accepted = new ArrayList<>();
        for (Recipient recipient : envelope.recipients()) {
            int code = transport.simpleCommand(recipient.rcptCommand(dsn));
            if (code == OK || code == FORWARDED) {
                accepted.add(recipient);
            } else {
                results.add(RecipientResult.refused(recipient.address(), remoteMta, reply(transport)));
            }
        }
        if (accepted.isEmpty() || (!sendPartial && !results.isEmpty())) {
            transport.simpleCommand("RSET");
            accepted.forEach(recipient -> results.add(RecipientResult.failed(recipient.address(), false, "4.0.0",
                Optional.of(remoteMta), Optional.empty())));
            return results;
        }
        try {
            OutputStream data = transport.beginData();
            message.writeTo(data, NOT_SENT);
            transport.endData();
        } catch (SMTPSendFailedException e) {
            String reply = reply(transport);
            accepted.forEach(recipient -> results.add(RecipientResult.refused(recipient.address(), remoteMta, reply)));
            return results;
        }
        String reply = reply(transport);
        accepted.forEach(recipient -> results.add(RecipientResult.delivered(recipient.address(), remoteMta, reply, dsn)));
        return results;
    }

    private static String reply(NextHopTransport transport) {
        return Optional.ofNullable(transport.getLastServerResponse()).map(String::trim).orElse("");
    }
}
