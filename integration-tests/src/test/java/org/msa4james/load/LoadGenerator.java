package org.msa4james.load;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLSocket;

import org.msa4james.it.TrustAllTls;

/**
 * Drives an SMTP submission server with concurrent authenticated connections and measures it.
 *
 * <p>{@link #run} first generates every message in memory (complete RFC 5322 messages of exactly
 * {@link LoadSpec#messageSize()} bytes, each with its own Message-ID), then starts
 * {@link LoadSpec#connections()} worker threads at once. Each worker connects (plain + EHLO +
 * STARTTLS + EHLO, or implicit TLS + EHLO; any certificate is trusted), authenticates with AUTH PLAIN
 * and sends its share of the messages: MAIL FROM, RCPT TO, DATA, the message, ".", then RSET before
 * the next message on the same connection, or QUIT and a new connection for each message when
 * {@link LoadSpec#connectionPerMessage()} is set.
 *
 * <p>What is measured:
 * <ul>
 * <li><b>accepted</b>: messages whose end of DATA got a 250 reply; only these count as success.
 * Any other reply (at any step from the greeting to the end of DATA) counts the message as
 * <b>refused</b>, an IO error or timeout as an <b>error</b>; the first few such replies are kept.
 * After a failure the worker goes on, on a new connection when the old one is no longer usable.</li>
 * <li><b>latency</b> of an accepted message: from writing MAIL FROM to reading the end-of-DATA
 * reply (so connection set-up, TLS and AUTH are not in it, RSET and QUIT neither); p50, p95, p99
 * (nearest rank) and max. Also, for accepted messages, the time from writing MAIL FROM to its reply
 * and from writing RCPT TO to its reply (p50, p99): what a check at MAIL or RCPT adds.</li>
 * <li><b>elapsed</b>: from the first connect to the last reply of a message transaction;
 * <b>messages per second</b> = accepted / elapsed, so connection set-up, TLS handshakes and AUTH do
 * count in the throughput (they dominate it with one connection per message).</li>
 * <li><b>arrived / missing / duplicates</b>: after the run, a bounded wait (120 s) until a message
 * with each accepted Message-ID has reached the {@link NextHopServer}; the ones that did not are
 * missing, and messages the next hop received twice during the run are duplicates.</li>
 * </ul>
 *
 * <p>Everything is bounded: connect timeout 10 s, read timeout 60 s, no new message starts after
 * {@link LoadSpec#timeLimit()} (those are counted as unsent), and workers still busy long after
 * the limit have their sockets closed.
 */
public final class LoadGenerator {

    static final int CONNECT_TIMEOUT_MILLIS = 10_000;
    static final int SOCKET_TIMEOUT_MILLIS = 60_000;
    static final Duration ARRIVAL_TIMEOUT = Duration.ofSeconds(120);
    static final int MAX_SAMPLE_FAILURES = 10;
    private static final int MAX_REPLY_LINES = 100;
    private static final int MAX_REPLY_LINE_LENGTH = 4_096;
    private static final int REPLY_LINES_KEPT = 3;
    private static final int BODY_LINE_LENGTH = 76;
    private static final String CLIENT_NAME = "load-generator.example.test";
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss Z", Locale.ROOT);
    private static final byte[] END_OF_DATA = ".\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final char[] FILLER = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789".toCharArray();

    private LoadGenerator() {
    }

    /**
     * Runs the load described by {@code spec} and checks that the accepted messages arrived at
     * {@code nextHop} (the server the submission server relays to).
     */
    public static LoadResult run(LoadSpec spec, NextHopServer nextHop) {
        if (spec == null || nextHop == null) {
            throw new IllegalArgumentException("spec and nextHop must be given");
        }
        String runId = Long.toString(System.currentTimeMillis(), 36) + "." + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x1000000));
        String date = DATE.format(ZonedDateTime.now(ZoneOffset.UTC));
        byte[][] messages = new byte[spec.totalMessages()][];
        String[] messageIds = new String[spec.totalMessages()];
        for (int i = 0; i < messages.length; i++) {
            messageIds[i] = messageId(spec, runId, i);
            messages[i] = message(spec, messageIds[i], i, date);
        }

        int duplicatesBefore = nextHop.duplicates();
        FailureLog failures = new FailureLog();
        long deadline = System.nanoTime() + spec.timeLimit().toNanos();
        CountDownLatch startGate = new CountDownLatch(1);
        Worker[] workers = new Worker[spec.connections()];
        Thread[] threads = new Thread[workers.length];
        for (int w = 0; w < workers.length; w++) {
            workers[w] = new Worker(spec, w, messages, messageIds, deadline, startGate, failures);
            threads[w] = new Thread(workers[w], "load-generator-" + w);
            threads[w].setDaemon(true);
            threads[w].start();
        }
        startGate.countDown();
        joinBounded(threads, workers, deadline);

        int accepted = 0;
        int refused = 0;
        int errors = 0;
        int unsent = 0;
        long firstConnect = Long.MAX_VALUE;
        long lastReply = Long.MIN_VALUE;
        List<String> acceptedIds = new ArrayList<>();
        long[] latencies = new long[spec.totalMessages()];
        long[] mailLatencies = new long[spec.totalMessages()];
        long[] rcptLatencies = new long[spec.totalMessages()];
        for (Worker worker : workers) {
            synchronized (worker) {
                System.arraycopy(worker.latencies, 0, latencies, accepted, worker.accepted);
                System.arraycopy(worker.mailLatencies, 0, mailLatencies, accepted, worker.accepted);
                System.arraycopy(worker.rcptLatencies, 0, rcptLatencies, accepted, worker.accepted);
                accepted += worker.accepted;
                refused += worker.refused;
                errors += worker.errors;
                unsent += worker.unsent;
                acceptedIds.addAll(worker.acceptedIds);
                if (worker.started) {
                    firstConnect = Math.min(firstConnect, worker.firstConnect);
                    lastReply = Math.max(lastReply, worker.lastReply);
                }
            }
        }
        Duration elapsed = firstConnect == Long.MAX_VALUE || lastReply < firstConnect
            ? Duration.ZERO : Duration.ofNanos(lastReply - firstConnect);

        nextHop.awaitArrival(acceptedIds, ARRIVAL_TIMEOUT);
        Set<String> missing = nextHop.missing(acceptedIds);
        int duplicates = nextHop.duplicates() - duplicatesBefore;
        return new LoadResult(spec, accepted, refused, errors, unsent, accepted - missing.size(), missing, duplicates,
            elapsed, Arrays.copyOf(latencies, accepted), failures.samples(),
            new LoadResult.CommandLatencies(Arrays.copyOf(mailLatencies, accepted), Arrays.copyOf(rcptLatencies, accepted)));
    }

    /** Waits for the workers until well past the deadline, then closes the sockets of those still running. */
    private static void joinBounded(Thread[] threads, Worker[] workers, long deadline) {
        long hardStop = deadline + TimeUnit.MILLISECONDS.toNanos(2L * SOCKET_TIMEOUT_MILLIS + CONNECT_TIMEOUT_MILLIS);
        boolean interrupted = false;
        for (int w = 0; w < threads.length; w++) {
            long left = hardStop - System.nanoTime();
            try {
                if (left > 0) {
                    threads[w].join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
                }
            } catch (InterruptedException e) {
                interrupted = true;
                break;
            }
        }
        for (int w = 0; w < threads.length; w++) {
            if (threads[w].isAlive()) {
                workers[w].abort();
                threads[w].interrupt();
            }
        }
        for (Thread thread : threads) {
            try {
                thread.join(10_000);
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    static String messageId(LoadSpec spec, String runId, int index) {
        String sender = spec.sender();
        return "<load." + runId + "." + index + "@" + sender.substring(sender.lastIndexOf('@') + 1) + ">";
    }

    /**
     * A complete RFC 5322 message of exactly {@code spec.messageSize()} bytes: From, To, Subject, Date,
     * Message-ID, MIME-Version, a text/plain 7bit body of 76-character lines (the last one shorter).
     */
    static byte[] message(LoadSpec spec, String messageId, int index, String date) {
        String subject = "Load test message " + (index + 1) + " of " + spec.totalMessages();
        String header = header(spec, messageId, subject, date);
        int bodySize = spec.messageSize() - header.length();
        if (bodySize == 1) {
            header = header(spec, messageId, subject + ".", date);
            bodySize = 0;
        }
        if (bodySize < 0) {
            throw new IllegalArgumentException("messageSize " + spec.messageSize() + " is smaller than the generated header ("
                + header.length() + " bytes)");
        }
        byte[] message = new byte[spec.messageSize()];
        byte[] headerBytes = header.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(headerBytes, 0, message, 0, headerBytes.length);
        int position = headerBytes.length;
        int[] lineLengths = bodyLineLengths(bodySize);
        for (int line = 0; line < lineLengths.length; line++) {
            String prefix = String.format(Locale.ROOT, "line %07d: ", line + 1);
            for (int c = 0; c < lineLengths[line]; c++) {
                message[position++] = (byte) (c < prefix.length() ? prefix.charAt(c) : FILLER[(c + line) % FILLER.length]);
            }
            message[position++] = '\r';
            message[position++] = '\n';
        }
        if (position != message.length) {
            throw new IllegalStateException("generated " + position + " bytes instead of " + message.length);
        }
        return message;
    }

    private static String header(LoadSpec spec, String messageId, String subject, String date) {
        return "From: <" + spec.sender() + ">\r\n"
            + "To: <" + spec.recipient() + ">\r\n"
            + "Subject: " + subject + "\r\n"
            + "Date: " + date + "\r\n"
            + "Message-ID: " + messageId + "\r\n"
            + "MIME-Version: 1.0\r\n"
            + "Content-Type: text/plain; charset=us-ascii\r\n"
            + "Content-Transfer-Encoding: 7bit\r\n"
            + "\r\n";
    }

    /** Characters (CRLF excluded) of each body line so that the lines with their CRLFs make exactly {@code bodySize} bytes. */
    static int[] bodyLineLengths(int bodySize) {
        if (bodySize == 0) {
            return new int[0];
        }
        if (bodySize == 1) {
            throw new IllegalArgumentException("a body of 1 byte cannot end with CRLF");
        }
        int fullLine = BODY_LINE_LENGTH + 2;
        int lines = (bodySize + fullLine - 1) / fullLine;
        int[] lengths = new int[lines];
        Arrays.fill(lengths, BODY_LINE_LENGTH);
        int rest = bodySize - fullLine * (lines - 1);
        if (rest == 1) {
            lengths[lines - 2] = BODY_LINE_LENGTH - 1;
            lengths[lines - 1] = 0;
        } else {
            lengths[lines - 1] = rest - 2;
        }
        return lengths;
    }

    /** The first few failures of a run, as text for the report. */
    private static final class FailureLog {
        private final List<String> samples = new ArrayList<>();

        synchronized void add(String failure) {
            if (samples.size() < MAX_SAMPLE_FAILURES) {
                samples.add(failure);
            }
        }

        synchronized List<String> samples() {
            return new ArrayList<>(samples);
        }
    }

    /** A reply other than the expected one, at a named step. */
    private static final class Refusal extends Exception {
        private static final long serialVersionUID = 1L;
        private final Reply reply;

        Refusal(String step, Reply reply) {
            super(step + ": " + reply.summary(), null, false, false);
            this.reply = reply;
        }
    }

    private static final class Reply {
        private final int code;
        private final List<String> lines;

        Reply(int code, List<String> lines) {
            this.code = code;
            this.lines = lines;
        }

        String summary() {
            return String.join(" | ", lines.subList(0, Math.min(lines.size(), REPLY_LINES_KEPT)))
                + (lines.size() > REPLY_LINES_KEPT ? " | ..." : "");
        }
    }

    /** One worker: one connection at a time, its share of the messages in order. */
    private static final class Worker implements Runnable {
        private final LoadSpec spec;
        private final int index;
        private final byte[][] messages;
        private final String[] messageIds;
        private final long deadline;
        private final CountDownLatch startGate;
        private final FailureLog failures;
        private final String authPlain;
        private volatile Connection current;

        // guarded by this
        private final long[] latencies;
        private final long[] mailLatencies;
        private final long[] rcptLatencies;
        private final List<String> acceptedIds = new ArrayList<>();
        private int accepted;
        private int refused;
        private int errors;
        private int unsent;
        private boolean started;
        private long firstConnect;
        private long lastReply;

        Worker(LoadSpec spec, int index, byte[][] messages, String[] messageIds, long deadline, CountDownLatch startGate,
               FailureLog failures) {
            this.spec = spec;
            this.index = index;
            this.messages = messages;
            this.messageIds = messageIds;
            this.deadline = deadline;
            this.startGate = startGate;
            this.failures = failures;
            this.latencies = new long[spec.messagesOfWorker(index)];
            this.mailLatencies = new long[latencies.length];
            this.rcptLatencies = new long[latencies.length];
            this.authPlain = Base64.getEncoder().encodeToString(
                ("\0" + spec.user() + "\0" + spec.password()).getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public void run() {
            try {
                if (!startGate.await(60, TimeUnit.SECONDS)) {
                    return;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            int count = spec.messagesOfWorker(index);
            try {
                for (int k = 0; k < count; k++) {
                    if (System.nanoTime() - deadline >= 0 || Thread.currentThread().isInterrupted()) {
                        synchronized (this) {
                            unsent = count - k;
                        }
                        return;
                    }
                    int message = index + k * spec.connections();
                    boolean last = k == count - 1;
                    send(message, last);
                }
            } finally {
                closeQuietly();
            }
        }

        /** Sends one message, on the current connection or a new one; counts the outcome. */
        private void send(int message, boolean last) {
            try {
                if (current == null) {
                    synchronized (this) {
                        if (!started) {
                            started = true;
                            firstConnect = System.nanoTime();
                        }
                    }
                    current = open();
                }
                Connection connection = current;
                long start = System.nanoTime();
                connection.expect("MAIL", "MAIL FROM:<" + spec.sender() + ">", 250);
                long mailAnswered = System.nanoTime();
                connection.expect("RCPT", "RCPT TO:<" + spec.recipient() + ">", 250);
                long rcptAnswered = System.nanoTime();
                connection.expect("DATA", "DATA", 354);
                connection.writeMessage(messages[message]);
                Reply reply = connection.readReply();
                long end = System.nanoTime();
                if (reply.code != 250) {
                    throw new Refusal("end of DATA", reply);
                }
                synchronized (this) {
                    mailLatencies[accepted] = mailAnswered - start;
                    rcptLatencies[accepted] = rcptAnswered - mailAnswered;
                    latencies[accepted++] = end - start;
                    acceptedIds.add(messageIds[message]);
                    lastReply = end;
                }
            } catch (Refusal refusal) {
                synchronized (this) {
                    refused++;
                    lastReply = System.nanoTime();
                }
                failures.add(refusal.getMessage());
                resetOrClose(refusal.reply);
                return;
            } catch (IOException | RuntimeException e) {
                synchronized (this) {
                    errors++;
                    lastReply = System.nanoTime();
                }
                failures.add("IO: " + e);
                closeQuietly();
                return;
            }
            finishTransaction(last);
        }

        /** After an accepted message: RSET for the next one, or QUIT and close. */
        private void finishTransaction(boolean last) {
            if (last || spec.connectionPerMessage()) {
                quitQuietly();
                return;
            }
            try {
                current.expect("RSET", "RSET", 250);
            } catch (Refusal | IOException e) {
                failures.add("after an accepted message: " + (e instanceof Refusal ? e.getMessage() : "RSET: " + e));
                closeQuietly();
            }
        }

        /** After a refusal: a connection still usable is reset (kept if RSET gets 250), otherwise closed. */
        private void resetOrClose(Reply reply) {
            if (current == null || reply.code == 421 || spec.connectionPerMessage() || !current.authenticated) {
                closeQuietly();
                return;
            }
            try {
                current.expect("RSET", "RSET", 250);
            } catch (Refusal | IOException e) {
                closeQuietly();
            }
        }

        private Connection open() throws IOException, Refusal {
            Connection connection = Connection.connect(spec);
            current = connection;
            connection.expectReply("greeting", 220);
            connection.expect("EHLO", "EHLO " + CLIENT_NAME, 250);
            if (spec.tls() == TlsMode.STARTTLS) {
                connection.expect("STARTTLS", "STARTTLS", 220);
                connection.startTls(spec);
                connection.expect("EHLO after STARTTLS", "EHLO " + CLIENT_NAME, 250);
            }
            connection.expect("AUTH", "AUTH PLAIN " + authPlain, 235);
            connection.authenticated = true;
            return connection;
        }

        private void quitQuietly() {
            Connection connection = current;
            if (connection != null) {
                try {
                    connection.command("QUIT");
                } catch (IOException | RuntimeException e) {
                    // the message was accepted already; the server may close first
                }
            }
            closeQuietly();
        }

        private void closeQuietly() {
            Connection connection = current;
            current = null;
            if (connection != null) {
                connection.close();
            }
        }

        /** Closes the socket from another thread, which makes a blocked read or write fail. */
        void abort() {
            Connection connection = current;
            if (connection != null) {
                connection.close();
            }
        }
    }

    /** One SMTP connection: plain, upgraded with STARTTLS, or TLS from the start. */
    private static final class Connection {
        private Socket socket;
        private InputStream in;
        private OutputStream out;
        private boolean authenticated;

        private Connection(Socket socket) throws IOException {
            use(socket);
        }

        static Connection connect(LoadSpec spec) throws IOException {
            Socket plain = new Socket();
            try {
                plain.setTcpNoDelay(true);
                plain.connect(new InetSocketAddress(spec.host(), spec.port()), CONNECT_TIMEOUT_MILLIS);
                plain.setSoTimeout(SOCKET_TIMEOUT_MILLIS);
                if (spec.tls() == TlsMode.IMPLICIT) {
                    SSLSocket tls = (SSLSocket) TrustAllTls.socketFactory().createSocket(plain, spec.host(), spec.port(), true);
                    tls.setSoTimeout(SOCKET_TIMEOUT_MILLIS);
                    tls.startHandshake();
                    return new Connection(tls);
                }
                return new Connection(plain);
            } catch (IOException | RuntimeException e) {
                plain.close();
                throw e;
            }
        }

        void startTls(LoadSpec spec) throws IOException {
            SSLSocket tls = (SSLSocket) TrustAllTls.socketFactory().createSocket(socket, spec.host(), spec.port(), true);
            tls.setSoTimeout(SOCKET_TIMEOUT_MILLIS);
            tls.startHandshake();
            use(tls);
        }

        private void use(Socket socket) throws IOException {
            this.socket = socket;
            this.in = new BufferedInputStream(socket.getInputStream(), 16 * 1024);
            this.out = new BufferedOutputStream(socket.getOutputStream(), 64 * 1024);
        }

        void expect(String step, String command, int code) throws IOException, Refusal {
            Reply reply = command(command);
            if (reply.code != code) {
                throw new Refusal(step, reply);
            }
        }

        void expectReply(String step, int code) throws IOException, Refusal {
            Reply reply = readReply();
            if (reply.code != code) {
                throw new Refusal(step, reply);
            }
        }

        Reply command(String line) throws IOException {
            out.write((line + "\r\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
            return readReply();
        }

        /** Writes the message (its lines never start with a dot) and the end-of-data line. */
        void writeMessage(byte[] message) throws IOException {
            out.write(message);
            out.write(END_OF_DATA);
            out.flush();
        }

        Reply readReply() throws IOException {
            List<String> lines = new ArrayList<>(2);
            for (int i = 0; i < MAX_REPLY_LINES; i++) {
                String line = readLine();
                if (line.length() < 3 || !Character.isDigit(line.charAt(0)) || !Character.isDigit(line.charAt(1))
                    || !Character.isDigit(line.charAt(2)) || (line.length() > 3 && line.charAt(3) != ' ' && line.charAt(3) != '-')) {
                    throw new IOException("not an SMTP reply line: " + line);
                }
                lines.add(line);
                if (line.length() == 3 || line.charAt(3) == ' ') {
                    return new Reply(Integer.parseInt(line.substring(0, 3)), lines);
                }
            }
            throw new IOException("reply longer than " + MAX_REPLY_LINES + " lines");
        }

        private String readLine() throws IOException {
            StringBuilder line = new StringBuilder(64);
            while (line.length() <= MAX_REPLY_LINE_LENGTH) {
                int b = in.read();
                if (b < 0) {
                    throw new IOException("connection closed by the server" + (line.length() > 0 ? " after \"" + line + "\"" : ""));
                }
                if (b == '\n') {
                    int length = line.length();
                    if (length > 0 && line.charAt(length - 1) == '\r') {
                        line.setLength(length - 1);
                    }
                    return line.toString();
                }
                line.append((char) b);
            }
            throw new IOException("reply line longer than " + MAX_REPLY_LINE_LENGTH + " characters");
        }

        void close() {
            try {
                socket.close();
            } catch (IOException e) {
                // nothing more to do with this connection
            }
        }
    }
}
