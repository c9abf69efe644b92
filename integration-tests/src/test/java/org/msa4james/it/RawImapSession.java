package org.msa4james.it;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.Writer;
import java.io.OutputStreamWriter;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import javax.net.ssl.SSLSocket;

import com.google.common.collect.ImmutableList;

/**
 * A line-level IMAP session over a real socket, for asserting exact server responses
 * (capabilities, the refusal of LOGIN before TLS). Tags are a1, a2, ...
 */
public final class RawImapSession implements AutoCloseable {

    private final Socket socket;
    private final BufferedReader in;
    private final Writer out;
    private final String greeting;
    private int tagCounter;

    private RawImapSession(Socket socket) throws IOException {
        this.socket = socket;
        socket.setSoTimeout(30_000);
        this.in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
        OutputStream output = socket.getOutputStream();
        this.out = new OutputStreamWriter(output, StandardCharsets.UTF_8);
        this.greeting = readLine();
    }

    public static RawImapSession connect(String host, int port) throws IOException {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress(host, port), 10_000);
        return new RawImapSession(socket);
    }

    public static RawImapSession connectImplicitTls(String host, int port) throws IOException {
        Socket plain = new Socket();
        plain.connect(new InetSocketAddress(host, port), 10_000);
        SSLSocket tls = (SSLSocket) TrustAllTls.socketFactory().createSocket(plain, host, port, true);
        tls.startHandshake();
        return new RawImapSession(tls);
    }

    public String greeting() {
        return greeting;
    }

    /** Sends "tag command" and returns every line up to and including the tagged completion. */
    public List<String> command(String command) throws IOException {
        String tag = "a" + (++tagCounter);
        out.write(tag + " " + command + "\r\n");
        out.flush();
        List<String> lines = new ArrayList<>();
        String line;
        do {
            line = readLine();
            lines.add(line);
        } while (!line.startsWith(tag + " "));
        return ImmutableList.copyOf(lines);
    }

    /** The tag of the last command sent, to build expected completion lines. */
    public String lastTag() {
        return "a" + tagCounter;
    }

    public boolean isTls() {
        return socket instanceof SSLSocket;
    }

    private String readLine() throws IOException {
        String line = in.readLine();
        if (line == null) {
            throw new IOException("IMAP connection closed by the server");
        }
        return line;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
