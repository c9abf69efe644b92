package org.msa4james.it;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Properties;

import javax.mail.Folder;
import javax.mail.Message;
import javax.mail.MessagingException;
import javax.mail.Session;
import javax.mail.Store;

import org.awaitility.Awaitility;

import com.google.common.collect.ImmutableList;
import com.sun.mail.imap.IMAPMessage;

/**
 * Reads a mailbox over a real IMAP connection (JavaMail's IMAP store) with STARTTLS required,
 * trusting the self-signed test certificate.
 */
public final class ImapTestClient implements AutoCloseable {

    private static final Duration DELIVERY_TIMEOUT = Duration.ofSeconds(20);
    private static final String TIMEOUT_MILLIS = "30000";

    private final Store store;

    private ImapTestClient(Store store) {
        this.store = store;
    }

    /** Connects in clear text, upgrades with STARTTLS (refusing to continue without it) and logs in. */
    public static ImapTestClient loginWithStartTls(String host, int port, String user, String password) throws MessagingException {
        Properties properties = new Properties();
        properties.setProperty("mail.imap.starttls.enable", "true");
        properties.setProperty("mail.imap.starttls.required", "true");
        properties.setProperty("mail.imap.ssl.trust", "*");
        properties.setProperty("mail.imap.ssl.checkserveridentity", "false");
        properties.setProperty("mail.imap.connectiontimeout", TIMEOUT_MILLIS);
        properties.setProperty("mail.imap.timeout", TIMEOUT_MILLIS);
        Store store = Session.getInstance(properties).getStore("imap");
        store.connect(host, port, user, password);
        return new ImapTestClient(store);
    }

    /** Connects with implicit TLS (imaps) and logs in. */
    public static ImapTestClient loginWithImplicitTls(String host, int port, String user, String password) throws MessagingException {
        Properties properties = new Properties();
        properties.setProperty("mail.imaps.ssl.trust", "*");
        properties.setProperty("mail.imaps.ssl.checkserveridentity", "false");
        properties.setProperty("mail.imaps.connectiontimeout", TIMEOUT_MILLIS);
        properties.setProperty("mail.imaps.timeout", TIMEOUT_MILLIS);
        Store store = Session.getInstance(properties).getStore("imaps");
        store.connect(host, port, user, password);
        return new ImapTestClient(store);
    }

    /** The INBOX message whose Subject is exactly the given one, if present now. */
    public Optional<ReceivedMessage> findBySubject(String subject) throws MessagingException, IOException {
        Folder inbox = store.getFolder("INBOX");
        if (!inbox.exists()) {
            return Optional.empty();
        }
        inbox.open(Folder.READ_ONLY);
        try {
            for (Message message : inbox.getMessages()) {
                if (subject.equals(message.getSubject())) {
                    return Optional.of(ReceivedMessage.of((IMAPMessage) message));
                }
            }
            return Optional.empty();
        } finally {
            inbox.close(false);
        }
    }

    /** The Subject of every INBOX message, in order (none when there is no INBOX yet). */
    public List<String> subjects() throws MessagingException {
        Folder inbox = store.getFolder("INBOX");
        if (!inbox.exists()) {
            return List.of();
        }
        inbox.open(Folder.READ_ONLY);
        try {
            List<String> subjects = new ArrayList<>();
            for (Message message : inbox.getMessages()) {
                subjects.add(message.getSubject());
            }
            return subjects;
        } finally {
            inbox.close(false);
        }
    }

    public int inboxSize() throws MessagingException {
        Folder inbox = store.getFolder("INBOX");
        if (!inbox.exists()) {
            return 0;
        }
        inbox.open(Folder.READ_ONLY);
        try {
            return inbox.getMessageCount();
        } finally {
            inbox.close(false);
        }
    }

    /**
     * Polls the INBOX (bounded) until a message with that Subject arrives. A poll that races with a delivery (James
     * answers "BAD FETCH failed. Invalid messageset." when a message arrives between the listing and the fetch) is
     * polled again.
     */
    public ReceivedMessage awaitMessage(String subject) {
        return Awaitility.await("message '" + subject + "' in the INBOX")
            .atMost(DELIVERY_TIMEOUT)
            .pollInterval(Duration.ofMillis(100))
            .ignoreExceptionsInstanceOf(MessagingException.class)
            .until(() -> findBySubject(subject), Optional::isPresent)
            .orElseThrow();
    }

    /**
     * Polls the INBOX (bounded) until a message with that Subject arrives, and returns it whole as the server sends
     * it (IMAP BODY[]): trace fields, header with its folding, and body, unparsed.
     */
    public byte[] awaitRawMessage(String subject) {
        return awaitRawMessage(subject, DELIVERY_TIMEOUT);
    }

    /** As {@link #awaitRawMessage(String)}, waiting at most {@code timeout}; a poll racing with a delivery is polled again. */
    public byte[] awaitRawMessage(String subject, Duration timeout) {
        return Awaitility.await("message '" + subject + "' in the INBOX")
            .atMost(timeout)
            .pollInterval(Duration.ofMillis(100))
            .ignoreExceptionsInstanceOf(MessagingException.class)
            .until(() -> findRawBySubject(subject), Optional::isPresent)
            .orElseThrow();
    }

    /** The INBOX message whose Subject is exactly the given one, whole as the server sends it, if present now. */
    public Optional<byte[]> findRawBySubject(String subject) throws MessagingException, IOException {
        Folder inbox = store.getFolder("INBOX");
        if (!inbox.exists()) {
            return Optional.empty();
        }
        inbox.open(Folder.READ_ONLY);
        try {
            for (Message message : inbox.getMessages()) {
                if (subject.equals(message.getSubject())) {
                    ByteArrayOutputStream raw = new ByteArrayOutputStream();
                    message.writeTo(raw);
                    return Optional.of(raw.toByteArray());
                }
            }
            return Optional.empty();
        } finally {
            inbox.close(false);
        }
    }

    @Override
    public void close() throws MessagingException {
        store.close();
    }

    /** What the IMAP server returned for one message. */
    public static final class ReceivedMessage {
        private final String subject;
        private final byte[] rawBody;
        private final ImmutableList<String> from;

        private ReceivedMessage(String subject, byte[] rawBody, ImmutableList<String> from) {
            this.subject = subject;
            this.rawBody = rawBody;
            this.from = from;
        }

        static ReceivedMessage of(IMAPMessage message) throws MessagingException, IOException {
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            try (InputStream raw = message.getRawInputStream()) {
                raw.transferTo(body);
            }
            String[] fromHeaders = message.getHeader("From");
            return new ReceivedMessage(message.getSubject(), body.toByteArray(),
                fromHeaders == null ? ImmutableList.of() : ImmutableList.copyOf(Arrays.asList(fromHeaders)));
        }

        public String subject() {
            return subject;
        }

        /** The body exactly as the server sent it (IMAP BODY[TEXT]), without any decoding. */
        public byte[] rawBody() {
            return rawBody.clone();
        }

        public ImmutableList<String> fromHeaders() {
            return from;
        }
    }
}
