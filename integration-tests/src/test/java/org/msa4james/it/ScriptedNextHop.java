package org.msa4james.it;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.awaitility.Awaitility;

import com.google.common.collect.ImmutableList;

/**
 * A small real SMTP server on 127.0.0.1 and a free port, to play the next hop behind the relay gateway, with the
 * behaviour a test chooses: it offers DSN (RFC 3461) in its EHLO reply or not, refuses chosen recipients with a chosen
 * reply (e.g. {@code 550 5.1.1}), and answers every RCPT of the next transactions with a temporary refusal (e.g.
 * {@code 451 4.3.0}). It records every MAIL and RCPT command line exactly as received, and every message with its
 * envelope. Thread-safe; one thread per connection.
 */
public final class ScriptedNextHop implements AutoCloseable {
    public static final String HOST_NAME = "next-hop.example.com";
    private static final String CRLF = "\r\n";

    private final ServerSocket serverSocket;
    private final ExecutorService connections = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "scripted-next-hop");
        thread.setDaemon(true);
        return thread;
    });
    private final AtomicBoolean offersDsn = new AtomicBoolean(true);
    private final Map<String, String> refusals = new ConcurrentHashMap<>();
    private final AtomicInteger temporaryRefusals = new AtomicInteger();
    private volatile String temporaryRefusal = "451 4.3.0 Try again later";
    private final List<String> commands = new ArrayList<>();
    private final List<Delivery> deliveries = new ArrayList<>();
    private final AtomicInteger transactions = new AtomicInteger();

    /** A message as the next hop received it. */
    public static final class Delivery {
        private final String mailCommand;
        private final List<String> rcptCommands;
        private final List<String> recipients;
        private final String data;

        Delivery(String mailCommand, List<String> rcptCommands, List<String> recipients, String data) {
            this.mailCommand = mailCommand;
            this.rcptCommands = ImmutableList.copyOf(rcptCommands);
            this.recipients = ImmutableList.copyOf(recipients);
            this.data = data;
        }

        /** The MAIL command line exactly as received. */
        public String mailCommand() {
            return mailCommand;
        }

        /** The RCPT command lines of the recipients it accepted, exactly as received. */
        public List<String> rcptCommands() {
            return rcptCommands;
        }

        public List<String> recipients() {
            return recipients;
        }

        /** The message, CRLF line ends, dot-stuffing undone. */
        public String data() {
            return data;
        }
    }

    private ScriptedNextHop(ServerSocket serverSocket) {
        this.serverSocket = serverSocket;
    }

    /** Starts a server on 127.0.0.1 and the given port (0: a free port), offering DSN. */
    public static ScriptedNextHop start(int port) {
        try {
            ServerSocket socket = new ServerSocket(port, 50, InetAddress.getByName(MsaJamesServer.LOOPBACK));
            socket.setReuseAddress(true);
            ScriptedNextHop nextHop = new ScriptedNextHop(socket);
            nextHop.connections.execute(nextHop::accept);
            return nextHop;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public int port() {
        return serverSocket.getLocalPort();
    }

    /** Whether the EHLO reply lists DSN (true at start). */
    public ScriptedNextHop offeringDsn(boolean offers) {
        offersDsn.set(offers);
        return this;
    }

    /** RCPT TO this address (case-insensitive) is answered with {@code reply}, e.g. "550 5.1.1 No such user". */
    public ScriptedNextHop refusing(String recipient, String reply) {
        refusals.put(recipient.toLowerCase(Locale.ROOT), reply);
        return this;
    }

    /** Every RCPT of the next {@code count} transactions is answered with {@code reply}, e.g. "451 4.3.0 Try again later". */
    public ScriptedNextHop refusingForNow(int count, String reply) {
        temporaryRefusal = reply;
        temporaryRefusals.set(count);
        return this;
    }

    /** Forgets the refusals, what was received, and offers DSN again. */
    public void reset() {
        refusals.clear();
        temporaryRefusals.set(0);
        offersDsn.set(true);
        transactions.set(0);
        synchronized (this) {
            commands.clear();
            deliveries.clear();
        }
    }

    /** MAIL commands received (one per transaction). */
    public int transactions() {
        return transactions.get();
    }

    /** Every MAIL and RCPT command line, in the order received. */
    public synchronized List<String> commands() {
        return ImmutableList.copyOf(commands);
    }

    public synchronized List<Delivery> deliveries() {
        return ImmutableList.copyOf(deliveries);
    }

    /** The message whose data contains {@code text} (e.g. a unique Subject), waiting for it at most {@code timeout}. */
    public Delivery awaitDelivery(String text, Duration timeout) {
        return Awaitility.await("a message containing '" + text + "' at the next hop")
            .atMost(timeout)
            .pollInterval(Duration.ofMillis(50))
            .until(() -> deliveryContaining(text), Optional::isPresent)
            .orElseThrow();
    }

    public synchronized Optional<Delivery> deliveryContaining(String text) {
        return deliveries.stream().filter(delivery -> delivery.data().contains(text)).findFirst();
    }

    public synchronized List<Delivery> deliveriesContaining(String text) {
        return deliveries.stream().filter(delivery -> delivery.data().contains(text)).collect(ImmutableList.toImmutableList());
    }

    @Override
    public void close() {
        try {
            serverSocket.close();
        } catch (IOException e) {
            // closing is all that matters
        }
        connections.shutdownNow();
        try {
            connections.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void accept() {
        while (!serverSocket.isClosed()) {
            try {
                Socket socket = serverSocket.accept();
                connections.execute(() -> serve(socket));
            } catch (SocketException closed) {
                return;
            } catch (IOException e) {
                if (serverSocket.isClosed()) {
                    return;
                }
            }
        }
    }

    private void serve(Socket socket) {
        try (socket) {
            socket.setSoTimeout(60_000);
            InputStream in = new BufferedInputStream(socket.getInputStream());
            OutputStream out = socket.getOutputStream();
            reply(out, "220 " + HOST_NAME + " ESMTP ready");
            Transaction transaction = null;
            String line;
            while ((line = readLine(in)) != null) {
                String verb = line.length() >= 4 ? line.substring(0, 4).toUpperCase(Locale.ROOT) : line.toUpperCase(Locale.ROOT);
                switch (verb) {
                    case "EHLO":
                        reply(out, "250-" + HOST_NAME + " hello" + CRLF + (offersDsn.get() ? "250-DSN" + CRLF : "")
                            + "250-8BITMIME" + CRLF + "250 PIPELINING");
                        break;
                    case "HELO":
                    case "NOOP":
                        reply(out, "250 2.0.0 Ok");
                        break;
                    case "MAIL":
                        record(line);
                        transactions.incrementAndGet();
                        transaction = new Transaction(line, temporaryRefusals.getAndUpdate(count -> Math.max(0, count - 1)) > 0);
                        reply(out, "250 2.1.0 Ok");
                        break;
                    case "RCPT":
                        record(line);
                        reply(out, rcpt(transaction, line));
                        break;
                    case "DATA":
                        if (transaction == null || transaction.recipients.isEmpty()) {
                            reply(out, "554 5.5.1 No valid recipients");
                            break;
                        }
                        reply(out, "354 End data with <CR><LF>.<CR><LF>");
                        String data = readData(in);
                        synchronized (this) {
                            deliveries.add(new Delivery(transaction.mailCommand, transaction.rcptCommands, transaction.recipients, data));
                        }
                        reply(out, "250 2.0.0 Ok: queued as " + deliveries().size());
                        transaction = null;
                        break;
                    case "RSET":
                        transaction = null;
                        reply(out, "250 2.0.0 Ok");
                        break;
                    case "QUIT":
                        reply(out, "221 2.0.0 Bye");
                        return;
                    default:
                        reply(out, "502 5.5.2 Command not recognized");
                }
            }
        } catch (IOException e) {
            // the client went away
        }
    }

    private String rcpt(Transaction transaction, String line) {
        if (transaction == null) {
            return "503 5.5.1 Need MAIL first";
        }
        int open = line.indexOf('<');
        int close = line.indexOf('>', open);
        if (open < 0 || close < 0) {
            return "501 5.1.3 Bad recipient address syntax";
        }
        String address = line.substring(open + 1, close);
        if (transaction.refusedForNow) {
            return temporaryRefusal;
        }
        String refusal = refusals.get(address.toLowerCase(Locale.ROOT));
        if (refusal != null) {
            return refusal;
        }
        transaction.recipients.add(address);
        transaction.rcptCommands.add(line);
        return "250 2.1.5 Ok";
    }

    private synchronized void record(String line) {
        commands.add(line);
    }

    private static void reply(OutputStream out, String reply) throws IOException {
        out.write((reply + CRLF).getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != -1) {
            if (b == '\n') {
                byte[] bytes = line.toByteArray();
                int length = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                return new String(bytes, 0, length, StandardCharsets.ISO_8859_1);
            }
            line.write(b);
        }
        return null;
    }

    private static String readData(InputStream in) throws IOException {
        StringBuilder data = new StringBuilder();
        String line;
        while ((line = readLine(in)) != null && !line.equals(".")) {
            data.append(line.startsWith(".") ? line.substring(1) : line).append(CRLF);
        }
        return data.toString();
    }

    private static final class Transaction {
        private final String mailCommand;
        private final boolean refusedForNow;
        private final List<String> recipients = new ArrayList<>();
        private final List<String> rcptCommands = new ArrayList<>();

        Transaction(String mailCommand, boolean refusedForNow) {
            this.mailCommand = mailCommand;
            this.refusedForNow = refusedForNow;
        }
    }
}
