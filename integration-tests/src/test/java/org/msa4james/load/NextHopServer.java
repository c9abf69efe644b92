package org.msa4james.load;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.subethamail.smtp.MessageContext;
import org.subethamail.smtp.MessageHandler;
import org.subethamail.smtp.server.SMTPServer;

/**
 * A fake next-hop SMTP server on 127.0.0.1 and a free port: it accepts every message, keeps no
 * body, and records the Message-ID of each message it received (counting a Message-ID seen again
 * as a duplicate) and how many came with a DKIM-Signature field. The load generator uses it to check that every accepted submission was relayed
 * exactly once. Thread-safe.
 */
public final class NextHopServer implements AutoCloseable {

    private static final String LOOPBACK = "127.0.0.1";
    /** Header bytes read to find the Message-ID; the rest of the message is read and dropped. */
    private static final int MAX_HEADER_BYTES = 256 * 1024;
    private static final int SOCKET_TIMEOUT_MILLIS = 60_000;

    private final Object lock = new Object();
    private final Map<String, Integer> timesSeen = new HashMap<>();
    private int received;
    private int duplicates;
    private int withoutMessageId;
    private int signed;
    private final SMTPServer server;
    private volatile int port;

    private NextHopServer() {
        server = new SMTPServer(this::newHandler) {
            @Override
            protected ServerSocket createServerSocket() throws IOException {
                ServerSocket socket = super.createServerSocket();
                port = socket.getLocalPort();
                return socket;
            }
        };
    }

    /** Starts a server bound to 127.0.0.1 on a port the system chooses. */
    public static NextHopServer start() {
        NextHopServer nextHop = new NextHopServer();
        try {
            nextHop.server.setBindAddress(InetAddress.getByName(LOOPBACK));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        nextHop.server.setPort(0);
        nextHop.server.setHostName("next-hop.example.com");
        nextHop.server.setHideTLS(true);
        nextHop.server.setDisableReceivedHeaders(true);
        nextHop.server.setConnectionTimeout(SOCKET_TIMEOUT_MILLIS);
        nextHop.server.start();
        return nextHop;
    }

    public int port() {
        return port;
    }

    /** Messages received since the start or the last {@link #reset()}. */
    public int received() {
        synchronized (lock) {
            return received;
        }
    }

    /** Messages received whose Message-ID had already been received (since the start or the last reset). */
    public int duplicates() {
        synchronized (lock) {
            return duplicates;
        }
    }

    /** Messages received without a Message-ID field. */
    public int withoutMessageId() {
        synchronized (lock) {
            return withoutMessageId;
        }
    }

    /** Messages received with a DKIM-Signature field in their header (since the start or the last reset). */
    public int signed() {
        synchronized (lock) {
            return signed;
        }
    }

    /** How many times a message with this Message-ID (angle brackets included) was received. */
    public int timesReceived(String messageId) {
        synchronized (lock) {
            return timesSeen.getOrDefault(messageId, 0);
        }
    }

    /**
     * Waits until a message with each of these Message-IDs has arrived, at most {@code timeout}.
     *
     * @return whether all arrived (false also when the waiting thread is interrupted; its flag is set again)
     */
    public boolean awaitArrival(Collection<String> messageIds, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (lock) {
            while (!timesSeen.keySet().containsAll(messageIds)) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                long millis = Math.max(1, Math.min(left / 1_000_000, 1_000));
                try {
                    lock.wait(millis);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
            return true;
        }
    }

    /** Those of these Message-IDs that did not arrive, in their order. */
    public Set<String> missing(Collection<String> messageIds) {
        Set<String> missing = new LinkedHashSet<>();
        synchronized (lock) {
            for (String id : messageIds) {
                if (!timesSeen.containsKey(id)) {
                    missing.add(id);
                }
            }
        }
        return missing;
    }

    /** Forgets every message received so far. */
    public void reset() {
        synchronized (lock) {
            timesSeen.clear();
            received = 0;
            duplicates = 0;
            withoutMessageId = 0;
            signed = 0;
        }
    }

    @Override
    public void close() {
        server.stop();
    }

    private void record(Optional<String> messageId, boolean dkimSigned) {
        synchronized (lock) {
            received++;
            if (dkimSigned) {
                signed++;
            }
            if (messageId.isEmpty()) {
                withoutMessageId++;
            } else {
                int before = timesSeen.merge(messageId.get(), 1, Integer::sum) - 1;
                if (before > 0) {
                    duplicates++;
                }
            }
            lock.notifyAll();
        }
    }

    private MessageHandler newHandler(MessageContext context) {
        return new MessageHandler() {
            @Override
            public void from(String from) {
            }

            @Override
            public void recipient(String recipient) {
            }

            @Override
            public void data(InputStream raw) throws IOException {
                InputStream data = new BufferedInputStream(raw, 64 * 1024);
                String header = readHeader(data);
                drain(data);
                record(messageIdOf(header), hasField(header, "DKIM-Signature"));
            }

            @Override
            public void done() {
            }
        };
    }

    /** The header section (up to the blank line, or {@link #MAX_HEADER_BYTES}) as ISO-8859-1 text. */
    private static String readHeader(InputStream data) throws IOException {
        ByteArrayOutputStream header = new ByteArrayOutputStream(2048);
        int previous = -1;
        int beforePrevious = -1;
        int third = -1;
        while (header.size() < MAX_HEADER_BYTES) {
            int b = data.read();
            if (b < 0) {
                break;
            }
            header.write(b);
            boolean blankLineCrLf = third == '\r' && beforePrevious == '\n' && previous == '\r' && b == '\n';
            boolean blankLineLf = previous == '\n' && b == '\n';
            if (blankLineCrLf || blankLineLf) {
                break;
            }
            third = beforePrevious;
            beforePrevious = previous;
            previous = b;
        }
        return header.toString(StandardCharsets.ISO_8859_1);
    }

    /** The value of the first Message-ID field, unfolded and trimmed. */
    static Optional<String> messageIdOf(String header) {
        String[] lines = header.split("\r?\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().toLowerCase(Locale.ROOT).equals("message-id")) {
                StringBuilder value = new StringBuilder(line.substring(colon + 1));
                for (int j = i + 1; j < lines.length && !lines[j].isEmpty()
                    && (lines[j].charAt(0) == ' ' || lines[j].charAt(0) == '\t'); j++) {
                    value.append(lines[j]);
                }
                String id = value.toString().trim();
                return id.isEmpty() ? Optional.empty() : Optional.of(id);
            }
        }
        return Optional.empty();
    }

    /** Whether the header section has a field of this name (case-insensitive). */
    static boolean hasField(String header, String name) {
        for (String line : header.split("\r?\n", -1)) {
            int colon = line.indexOf(':');
            if (colon > 0 && !Character.isWhitespace(line.charAt(0)) && line.substring(0, colon).trim().equalsIgnoreCase(name)) {
                return true;
            }
        }
        return false;
    }

    private static void drain(InputStream data) throws IOException {
        byte[] buffer = new byte[64 * 1024];
        while (data.read(buffer) >= 0) {
            // dropped: only the header matters
        }
    }
}
