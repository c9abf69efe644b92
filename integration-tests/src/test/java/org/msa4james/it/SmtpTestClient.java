package org.msa4james.it;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

import javax.net.ssl.SSLSocket;

/**
 * A deliberately small SMTP client over a real socket, for asserting exact reply lines.
 * Plain TCP, STARTTLS (the socket is layered with TLS in place) or implicit TLS; trusts any certificate.
 * Every method that sends a command returns the complete (multi-line aware) reply.
 */
public final class SmtpTestClient implements AutoCloseable {

    private static final int CONNECT_TIMEOUT_MILLIS = 10_000;
    private static final int READ_TIMEOUT_MILLIS = 30_000;
    private static final String CLIENT_NAME = "mua.example.test";

    private final String host;
    private final int port;
    private Socket socket;
    private InputStream in;
    private OutputStream out;
    private final SmtpReply greeting;

    private SmtpTestClient(String host, int port, Socket socket) throws IOException {
        this.host = host;
        this.port = port;
        use(socket);
        this.greeting = readReply();
    }

    /** Connects in clear text and reads the greeting. */
    public static SmtpTestClient connect(String host, int port) throws IOException {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress(host, port), CONNECT_TIMEOUT_MILLIS);
        return new SmtpTestClient(host, port, socket);
    }

    /** Connects in clear text from the given local address (any 127/8 address on Linux loopback) and reads the greeting. */
    public static SmtpTestClient connectFrom(String localAddress, String host, int port) throws IOException {
        Socket socket = new Socket();
        socket.bind(new InetSocketAddress(localAddress, 0));
        socket.connect(new InetSocketAddress(host, port), CONNECT_TIMEOUT_MILLIS);
        return new SmtpTestClient(host, port, socket);
    }

    /** Connects with TLS from the first byte from the given local address and reads the greeting. */
    public static SmtpTestClient connectImplicitTlsFrom(String localAddress, String host, int port) throws IOException {
        Socket plain = new Socket();
        plain.bind(new InetSocketAddress(localAddress, 0));
        plain.connect(new InetSocketAddress(host, port), CONNECT_TIMEOUT_MILLIS);
        SSLSocket tls = (SSLSocket) TrustAllTls.socketFactory().createSocket(plain, host, port, true);
        tls.setSoTimeout(READ_TIMEOUT_MILLIS);
        tls.startHandshake();
        return new SmtpTestClient(host, port, tls);
    }

    /** Connects with TLS from the first byte (RFC 8314) and reads the greeting. */
    public static SmtpTestClient connectImplicitTls(String host, int port) throws IOException {
        Socket plain = new Socket();
        plain.connect(new InetSocketAddress(host, port), CONNECT_TIMEOUT_MILLIS);
        SSLSocket tls = (SSLSocket) TrustAllTls.socketFactory().createSocket(plain, host, port, true);
        tls.setSoTimeout(READ_TIMEOUT_MILLIS);
        tls.startHandshake();
        return new SmtpTestClient(host, port, tls);
    }

    public SmtpReply greeting() {
        return greeting;
    }

    /** Sends one command line (CRLF is added) and reads its reply. */
    public SmtpReply command(String line) throws IOException {
        writeLine(line);
        return readReply();
    }

    public SmtpReply ehlo() throws IOException {
        return command("EHLO " + CLIENT_NAME);
    }

    /** Sends STARTTLS; on 220 negotiates TLS on the same connection. */
    public SmtpReply startTls() throws IOException {
        SmtpReply reply = command("STARTTLS");
        if (reply.code() == 220) {
            SSLSocket tls = (SSLSocket) TrustAllTls.socketFactory().createSocket(socket, host, port, true);
            tls.setUseClientMode(true);
            tls.startHandshake();
            use(tls);
        }
        return reply;
    }

    /** EHLO, and on a clear-text connection STARTTLS and EHLO again: returns the EHLO reply given under TLS. */
    public SmtpReply ehloUnderTls() throws IOException {
        SmtpReply ehlo = ehlo();
        expect(ehlo, 250, "EHLO");
        if (isTls()) {
            return ehlo;
        }
        expect(startTls(), 220, "STARTTLS");
        SmtpReply secured = ehlo();
        expect(secured, 250, "EHLO after STARTTLS");
        return secured;
    }

    /** AUTH PLAIN with an initial response (RFC 4954 / RFC 4616). */
    public SmtpReply authPlain(String user, String password) throws IOException {
        return command("AUTH PLAIN " + plainCredentials(user, password));
    }

    /** The base64 credentials of AUTH PLAIN (RFC 4616): no authorization identity, user, password. */
    public static String plainCredentials(String user, String password) {
        return Base64.getEncoder().encodeToString(("\0" + user + "\0" + password).getBytes(StandardCharsets.UTF_8));
    }

    /** AUTH LOGIN, answering the challenges; returns the first reply that is not a 334 challenge. */
    public SmtpReply authLogin(String user, String password) throws IOException {
        SmtpReply reply = command("AUTH LOGIN");
        if (reply.code() != 334) {
            return reply;
        }
        reply = command(Base64.getEncoder().encodeToString(user.getBytes(StandardCharsets.UTF_8)));
        if (reply.code() != 334) {
            return reply;
        }
        return command(Base64.getEncoder().encodeToString(password.getBytes(StandardCharsets.UTF_8)));
    }

    /** EHLO (+ STARTTLS where needed) then AUTH PLAIN, failing unless the server answers 235. */
    public SmtpTestClient authenticated(String user, String password) throws IOException {
        ehloUnderTls();
        expect(authPlain(user, password), 235, "AUTH PLAIN");
        return this;
    }

    public SmtpReply mailFrom(String reversePath) throws IOException {
        return command("MAIL FROM:<" + reversePath + ">");
    }

    public SmtpReply rcptTo(String forwardPath) throws IOException {
        return command("RCPT TO:<" + forwardPath + ">");
    }

    /**
     * DATA, then (on 354) the message with CRLF line ends and dot-stuffing, then the final dot.
     * Returns the reply to the end of data, or the reply to DATA when it is not 354.
     */
    public SmtpReply data(String message) throws IOException {
        SmtpReply dataReply = command("DATA");
        if (dataReply.code() != 354) {
            return dataReply;
        }
        StringBuilder content = new StringBuilder();
        for (String line : message.split("\r?\n", -1)) {
            content.append(line.startsWith(".") ? "." + line : line).append("\r\n");
        }
        if (message.endsWith("\n")) {
            content.setLength(content.length() - 2);
        }
        content.append(".\r\n");
        out.write(content.toString().getBytes(StandardCharsets.UTF_8));
        out.flush();
        return readReply();
    }

    public boolean isTls() {
        return socket instanceof SSLSocket;
    }

    /** The negotiated TLS protocol, e.g. "TLSv1.3", when the connection is under TLS. */
    public Optional<String> tlsProtocol() {
        if (socket instanceof SSLSocket) {
            return Optional.of(((SSLSocket) socket).getSession().getProtocol());
        }
        return Optional.empty();
    }

    /** The algorithm of the key the server signed the TLS handshake with ("EC", "RSA"), when under TLS. */
    public Optional<String> serverKeyAlgorithm() throws IOException {
        if (socket instanceof SSLSocket) {
            return Optional.of(((SSLSocket) socket).getSession().getPeerCertificates()[0].getPublicKey().getAlgorithm());
        }
        return Optional.empty();
    }

    /** Writes the lines in one go, without waiting for any reply (a client that pipelines, or one that will wait). */
    public void send(String... lines) throws IOException {
        StringBuilder bytes = new StringBuilder();
        for (String line : lines) {
            bytes.append(line).append("\r\n");
        }
        out.write(bytes.toString().getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    /** Reads the next reply (after {@link #send}). */
    public SmtpReply nextReply() throws IOException {
        return readReply();
    }

    /** Sends QUIT (best effort) and closes the socket. */
    @Override
    public void close() throws IOException {
        try {
            if (!socket.isClosed()) {
                writeLine("QUIT");
                readReply();
            }
        } catch (IOException ignored) {
            // the server may already have closed the connection: closing is all that matters here
        } finally {
            socket.close();
        }
    }

    private static void expect(SmtpReply reply, int code, String step) {
        if (reply.code() != code) {
            throw new IllegalStateException(step + " expected " + code + " but the server answered: " + reply);
        }
    }

    private void use(Socket newSocket) throws IOException {
        newSocket.setSoTimeout(READ_TIMEOUT_MILLIS);
        this.socket = newSocket;
        this.in = new BufferedInputStream(newSocket.getInputStream());
        this.out = newSocket.getOutputStream();
    }

    private void writeLine(String line) throws IOException {
        out.write((line + "\r\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private SmtpReply readReply() throws IOException {
        List<String> lines = new ArrayList<>();
        String line;
        do {
            line = readLine();
            lines.add(line);
        } while (line.length() >= 4 && line.charAt(3) == '-');
        return new SmtpReply(lines);
    }

    private String readLine() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != -1) {
            if (b == '\n') {
                byte[] raw = bytes.toByteArray();
                int length = raw.length > 0 && raw[raw.length - 1] == '\r' ? raw.length - 1 : raw.length;
                return new String(raw, 0, length, StandardCharsets.UTF_8);
            }
            bytes.write(b);
        }
        throw new EOFException("connection closed by the server" + (bytes.size() > 0 ? " after '" + bytes + "'" : ""));
    }
}
