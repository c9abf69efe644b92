package org.msa4james.load;

import java.time.Duration;
import java.util.Objects;

/**
 * What one load run does: where it connects, how it encrypts and authenticates, who sends to whom,
 * how many concurrent connections, how many messages in all, how big each message is, whether a
 * connection is reused for many messages (RSET between them) or opened for each one, and the time
 * after which no new message is started. Built with {@link #builder()}; {@link Builder#build()}
 * checks every field and names the one that is wrong.
 */
public final class LoadSpec {

    /** Smallest message: room for the generated header fields and some body. */
    public static final int MIN_MESSAGE_SIZE = 512;
    /** Largest message: 64 MiB (every message is generated in memory before the run). */
    public static final int MAX_MESSAGE_SIZE = 64 * 1024 * 1024;
    public static final int MAX_CONNECTIONS = 1_000;
    public static final int MAX_MESSAGES = 1_000_000;
    /** All generated messages together stay below this (they are held in memory during the run). */
    public static final long MAX_TOTAL_BYTES = 2L * 1024 * 1024 * 1024;
    public static final Duration DEFAULT_TIME_LIMIT = Duration.ofMinutes(10);
    public static final Duration MAX_TIME_LIMIT = Duration.ofHours(24);

    private final String host;
    private final int port;
    private final TlsMode tls;
    private final String user;
    private final String password;
    private final String sender;
    private final String recipient;
    private final int connections;
    private final int totalMessages;
    private final int messageSize;
    private final boolean connectionPerMessage;
    private final Duration timeLimit;

    private LoadSpec(Builder builder) {
        this.host = builder.host;
        this.port = builder.port;
        this.tls = builder.tls;
        this.user = builder.user;
        this.password = builder.password;
        this.sender = builder.sender;
        this.recipient = builder.recipient;
        this.connections = builder.connections;
        this.totalMessages = builder.totalMessages;
        this.messageSize = builder.messageSize;
        this.connectionPerMessage = builder.connectionPerMessage;
        this.timeLimit = builder.timeLimit;
    }

    public static Builder builder() {
        return new Builder();
    }

    public String host() {
        return host;
    }

    public int port() {
        return port;
    }

    public TlsMode tls() {
        return tls;
    }

    public String user() {
        return user;
    }

    public String password() {
        return password;
    }

    public String sender() {
        return sender;
    }

    public String recipient() {
        return recipient;
    }

    public int connections() {
        return connections;
    }

    public int totalMessages() {
        return totalMessages;
    }

    /** Size in bytes of each whole message (header, blank line and body, CRLF line ends). */
    public int messageSize() {
        return messageSize;
    }

    public boolean connectionPerMessage() {
        return connectionPerMessage;
    }

    public Duration timeLimit() {
        return timeLimit;
    }

    /** {@code host:port}. */
    public String target() {
        return host + ":" + port;
    }

    /** The messages worker {@code worker} (0-based) sends: the total split as evenly as possible. */
    int messagesOfWorker(int worker) {
        return totalMessages / connections + (worker < totalMessages % connections ? 1 : 0);
    }

    /**
     * A short human description, e.g. "4 connections x 250 messages of 1 KiB, reused" or
     * "4 connections x 50 messages of 1 KiB, one connection per message"; when the total does not
     * divide evenly, "3 connections sharing 10 messages of ...".
     */
    public String describe() {
        String split = totalMessages % connections == 0
            ? connections + (connections == 1 ? " connection x " : " connections x ") + (totalMessages / connections)
                + (totalMessages / connections == 1 ? " message" : " messages")
            : connections + " connections sharing " + totalMessages + " messages";
        return split + " of " + formatSize(messageSize) + (connectionPerMessage ? ", one connection per message" : ", reused");
    }

    static String formatSize(int bytes) {
        int mebi = 1024 * 1024;
        if (bytes % mebi == 0) {
            return bytes / mebi + " MiB";
        }
        if (bytes % 1024 == 0) {
            return bytes / 1024 + " KiB";
        }
        return bytes + " B";
    }

    @Override
    public String toString() {
        return "LoadSpec[" + target() + " " + tls + ", " + describe() + ", time limit " + timeLimit + "]";
    }

    /** Every field must be set except {@code connectionPerMessage} (false) and {@code timeLimit} (10 minutes). */
    public static final class Builder {
        private String host;
        private int port;
        private TlsMode tls;
        private String user;
        private String password;
        private String sender;
        private String recipient;
        private int connections;
        private int totalMessages;
        private int messageSize;
        private boolean connectionPerMessage;
        private Duration timeLimit = DEFAULT_TIME_LIMIT;

        private Builder() {
        }

        public Builder host(String host) {
            this.host = host;
            return this;
        }

        public Builder port(int port) {
            this.port = port;
            return this;
        }

        public Builder tls(TlsMode tls) {
            this.tls = tls;
            return this;
        }

        public Builder credentials(String user, String password) {
            this.user = user;
            this.password = password;
            return this;
        }

        public Builder sender(String sender) {
            this.sender = sender;
            return this;
        }

        public Builder recipient(String recipient) {
            this.recipient = recipient;
            return this;
        }

        public Builder connections(int connections) {
            this.connections = connections;
            return this;
        }

        public Builder totalMessages(int totalMessages) {
            this.totalMessages = totalMessages;
            return this;
        }

        /** Size in bytes of each whole message. */
        public Builder messageSize(int bytes) {
            this.messageSize = bytes;
            return this;
        }

        public Builder connectionPerMessage(boolean connectionPerMessage) {
            this.connectionPerMessage = connectionPerMessage;
            return this;
        }

        public Builder timeLimit(Duration timeLimit) {
            this.timeLimit = timeLimit;
            return this;
        }

        /** @throws IllegalArgumentException naming the first field that is missing or out of range */
        public LoadSpec build() {
            requireText("host", host);
            check(port >= 1 && port <= 65_535, "port must be between 1 and 65535, was " + port);
            check(tls != null, "tls must be set");
            requireText("user", user);
            check(password != null && !password.isEmpty(), "password must be set");
            check(password.indexOf('\0') < 0, "password must not contain NUL");
            check(user.indexOf('\0') < 0, "user must not contain NUL");
            requireAddress("sender", sender);
            requireAddress("recipient", recipient);
            check(connections >= 1 && connections <= MAX_CONNECTIONS,
                "connections must be between 1 and " + MAX_CONNECTIONS + ", was " + connections);
            check(totalMessages >= 1 && totalMessages <= MAX_MESSAGES,
                "totalMessages must be between 1 and " + MAX_MESSAGES + ", was " + totalMessages);
            check(totalMessages >= connections,
                "totalMessages (" + totalMessages + ") must be at least connections (" + connections + ")");
            check(messageSize >= MIN_MESSAGE_SIZE && messageSize <= MAX_MESSAGE_SIZE,
                "messageSize must be between " + MIN_MESSAGE_SIZE + " and " + MAX_MESSAGE_SIZE + " bytes, was " + messageSize);
            check((long) messageSize * totalMessages <= MAX_TOTAL_BYTES,
                "messageSize x totalMessages must not exceed " + MAX_TOTAL_BYTES + " bytes, was "
                    + (long) messageSize * totalMessages);
            check(timeLimit != null, "timeLimit must be set");
            check(!timeLimit.isNegative() && !timeLimit.isZero() && timeLimit.compareTo(MAX_TIME_LIMIT) <= 0,
                "timeLimit must be positive and at most " + MAX_TIME_LIMIT + ", was " + timeLimit);
            return new LoadSpec(this);
        }

        private static void requireText(String field, String value) {
            check(value != null && !value.isBlank(), field + " must be set");
            check(value.chars().noneMatch(c -> c < 0x21 || c > 0x7e),
                field + " must be printable ASCII without spaces, was \"" + value + "\"");
        }

        private static void requireAddress(String field, String value) {
            requireText(field, value);
            int at = value.lastIndexOf('@');
            check(at > 0 && at < value.length() - 1 && value.indexOf('<') < 0 && value.indexOf('>') < 0,
                field + " must be an address local@domain, was \"" + value + "\"");
        }

        private static void check(boolean condition, String message) {
            if (!condition) {
                throw new IllegalArgumentException(message);
            }
        }
    }
}
