package org.msa4james.mailet;

import java.io.IOException;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;

import javax.mail.MessagingException;
import javax.mail.Session;

import org.apache.james.core.MailAddress;
import org.apache.james.dnsservice.api.DNSService;
import org.apache.james.dnsservice.api.TemporaryResolutionException;
import org.apache.james.transport.mailets.remote.delivery.DnsHelper;
import org.apache.james.transport.mailets.remote.delivery.RemoteDeliveryConfiguration;
import org.apache.mailet.DsnParameters;
import org.apache.mailet.DsnParameters.RecipientDsnParameters;
import org.apache.mailet.HostAddress;
import org.apache.mailet.Mail;
import org.apache.mailet.MailetContext;
import org.apache.mailet.base.Converter7Bit;
import org.msa4james.relay.NextHopTransport;
import org.msa4james.relay.RecipientResult;
import org.msa4james.relay.SmtpTransaction;
import org.msa4james.report.StatusCodes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.google.common.base.Joiner;
import com.google.common.collect.ImmutableList;

/**
 * Delivers a mail to the next hop of its recipients (all in one domain, or all through the gateway) as James's
 * RemoteDelivery finds it (James's {@link DnsHelper}: the configured gateways, else the domain's MX hosts), and says
 * what became of each recipient. The hosts are tried in turn while they cannot be reached or break the connection;
 * the first one that answers the transaction decides (RFC 5321 section 5.1). The connection is JavaMail's, as
 * RemoteDelivery configures it (TLS, AUTH to the gateway, time-outs, EHLO name); the message is converted to 7 bits
 * for a next hop without 8BITMIME, as RemoteDelivery does.
 */
final class NextHops {
    private static final Logger LOGGER = LoggerFactory.getLogger(NextHops.class);
    private static final String SMTPS = "smtps";
    /** RFC 3463: no answer from host; directory server failure; unable to route. */
    private static final String NO_ANSWER = "4.4.1";
    private static final String LOOKUP_FAILED = "4.4.3";
    private static final String NO_ROUTE_FOR_NOW = "4.4.4";
    private static final String NO_ROUTE = "5.4.4";

    private final RemoteDeliveryConfiguration configuration;
    private final DnsHelper dnsHelper;
    private final Converter7Bit converter7Bit;
    private final Session smtp;
    private final Session smtps;

    NextHops(RemoteDeliveryConfiguration configuration, DNSService dns, MailetContext mailetContext) {
        this.configuration = configuration;
        this.dnsHelper = new DnsHelper(dns, configuration);
        this.converter7Bit = new Converter7Bit(mailetContext);
        this.smtp = Session.getInstance(configuration.createFinalJavaxProperties());
        this.smtps = Session.getInstance(configuration.createFinalJavaxPropertiesWithSSL());
    }

    /**
     * @param retriesSoFar the retries already made, for James's maxDnsProblemRetries: a domain without mail server is
     * refused for good once that many retries found none
     */
    List<RecipientResult> deliver(Mail mail, int retriesSoFar) throws MessagingException {
        Collection<MailAddress> recipients = mail.getRecipients();
        SmtpTransaction.Envelope envelope = envelope(mail);
        String domain = recipients.iterator().next().getDomain().asString();
        Iterator<HostAddress> hosts;
        try {
            hosts = dnsHelper.retrieveHostAddressIterator(domain, configuration.isSSLEnable());
        } catch (TemporaryResolutionException e) {
            LOGGER.info("Mail {}: looking up the mail servers of {} failed for now", mail.getName(), domain);
            return failed(recipients, false, LOOKUP_FAILED, Optional.empty(), Optional.empty());
        }
        if (!hosts.hasNext()) {
            boolean permanent = retriesSoFar >= configuration.getDnsProblemRetry();
            LOGGER.info("Mail {}: no mail server found for {}", mail.getName(), domain);
            return failed(recipients, permanent, permanent ? NO_ROUTE : NO_ROUTE_FOR_NOW, Optional.empty(), Optional.empty());
        }
        Optional<String> lastHost = Optional.empty();
        Optional<String> lastReply = Optional.empty();
        while (hosts.hasNext()) {
            HostAddress host = hosts.next();
            String name = hostName(host);
            boolean ssl = host.getProtocol().equalsIgnoreCase(SMTPS);
            NextHopTransport transport = new NextHopTransport(ssl ? smtps : smtp, host, ssl);
            try {
                transport.setLocalHost(configuration.getHeloNameProvider().getHeloName());
                connect(transport, name);
                if (!transport.supportsExtension("8BITMIME")) {
                    converter7Bit.convertTo7Bit(mail.getMessage());
                }
                List<RecipientResult> results = SmtpTransaction.send(transport, name, envelope, mail.getMessage(),
                    configuration.isSendPartial());
                LOGGER.info("Mail {} to {} at {}: {}", mail.getName(), name, host.getHost(), results);
                return results;
            } catch (MessagingException | IOException e) {
                LOGGER.info("Mail {}: delivery to {} at {} failed: {}", mail.getName(), name, host.getHost(), e.getMessage());
                lastHost = Optional.of(name);
                lastReply = Optional.ofNullable(transport.getLastServerResponse()).map(String::trim)
                    .filter(reply -> StatusCodes.ofReply(reply).isPresent());
            } finally {
                close(transport, mail, name);
            }
        }
        String status = lastReply.flatMap(StatusCodes::ofReply).filter(code -> code.startsWith("4")).orElse(NO_ANSWER);
        return failed(recipients, false, status, lastHost, lastReply);
    }

    /** The mail's envelope, with its DSN parameters: RET and ENVID as received, NOTIFY and ORCPT per recipient. */
    static SmtpTransaction.Envelope envelope(Mail mail) {
        Optional<DsnParameters> dsn = mail.dsnParameters();
        ImmutableList<SmtpTransaction.Recipient> recipients = mail.getRecipients().stream()
            .map(recipient -> {
                Optional<RecipientDsnParameters> parameters = dsn.map(value -> value.getRcptParameters().get(recipient));
                return new SmtpTransaction.Recipient(recipient.asString(),
                    parameters.flatMap(RecipientDsnParameters::getNotifyParameter).map(notify -> Joiner.on(',').join(notify)),
                    parameters.flatMap(RecipientDsnParameters::getOrcptParameter).map(MailAddress::asString));
            })
            .collect(ImmutableList.toImmutableList());
        return new SmtpTransaction.Envelope(mail.getMaybeSender().asString(""),
            dsn.flatMap(DsnParameters::getRetParameter).map(DsnParameters.Ret::name),
            dsn.flatMap(DsnParameters::getEnvIdParameter).map(DsnParameters.EnvId::asString),
            recipients);
    }

    private void connect(NextHopTransport transport, String hostName) throws MessagingException {
        if (configuration.getAuthUser() != null) {
            transport.connect(hostName, configuration.getAuthUser(), configuration.getAuthPass());
        } else if (configuration.isConnectByHostname()) {
            transport.connect(hostName, null, null);
        } else {
            transport.connect();
        }
    }

    /** QUIT; a failure there is after the transaction and changes nothing (as in RemoteDelivery). */
    private static void close(NextHopTransport transport, Mail mail, String hostName) {
        try {
            transport.close();
        } catch (MessagingException e) {
            LOGGER.debug("Mail {}: closing the connection to {} failed: {}", mail.getName(), hostName, e.getMessage());
        }
    }

    private static String hostName(HostAddress host) {
        String name = host.getHostName();
        return name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
    }

    private static List<RecipientResult> failed(Collection<MailAddress> recipients, boolean permanent, String status,
                                                Optional<String> remoteMta, Optional<String> reply) {
        return recipients.stream()
            .map(recipient -> RecipientResult.failed(recipient.asString(), permanent, status, remoteMta, reply))
            .collect(ImmutableList.toImmutableList());
    }
}
