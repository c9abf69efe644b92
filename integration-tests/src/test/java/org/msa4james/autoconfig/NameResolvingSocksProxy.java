package org.msa4james.autoconfig;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The DNS of the tests, as a SOCKS5 proxy (RFC 1928, CONNECT with a domain name, no authentication): mail clients
 * given its address send it the host name they were told to use, and it connects that one name to 127.0.0.1 and
 * refuses every other name (and every address), recording what it was asked. So a client that logs in through it
 * provably used the published host name, and checked the server's certificate against that name, without the test
 * machine resolving it.
 */
final class NameResolvingSocksProxy implements AutoCloseable {
    private static final int VERSION = 5;
    private static final int CONNECT = 1;
    private static final int DOMAIN_NAME = 3;
    private static final int SUCCEEDED = 0;
    private static final int HOST_UNREACHABLE = 4;
    private static final int COMMAND_NOT_SUPPORTED = 7;

    private final String name;
    private final InetAddress target;
    private final ServerSocket server;
    private final ExecutorService threads = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "test-socks-proxy");
        thread.setDaemon(true);
        return thread;
    });
    private final List<String> connected = new CopyOnWriteArrayList<>();
    private final List<String> refused = new CopyOnWriteArrayList<>();

    /** A proxy on a free port of 127.0.0.1 that connects {@code name} to 127.0.0.1. */
    NameResolvingSocksProxy(String name) throws IOException {
        this.name = name.toLowerCase(Locale.ROOT);
        this.target = InetAddress.getByName("127.0.0.1");
        this.server = new ServerSocket(0, 50, target);
        threads.execute(this::accept);
    }

    int port() {
        return server.getLocalPort();
    }

    /** {@code host:port} of every connection made, in order. */
    List<String> connected() {
        return List.copyOf(connected);
    }

    /** What was asked for and refused: another name, or an address. */
    List<String> refused() {
        return List.copyOf(refused);
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                threads.execute(() -> serve(client));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket client) {
        try (client) {
            DataInputStream in = new DataInputStream(client.getInputStream());
            OutputStream out = client.getOutputStream();
            if (in.readUnsignedByte() != VERSION) {
                return;
            }
            in.readNBytes(in.readUnsignedByte());
            out.write(new byte[] {VERSION, 0});
            out.flush();

            int version = in.readUnsignedByte();
            int command = in.readUnsignedByte();
            in.readUnsignedByte();
            int addressType = in.readUnsignedByte();
            String host;
            if (addressType == DOMAIN_NAME) {
                host = new String(in.readNBytes(in.readUnsignedByte()), StandardCharsets.US_ASCII);
            } else {
                host = "address of type " + addressType;
                in.readNBytes(addressType == 1 ? 4 : 16);
            }
            int port = in.readUnsignedShort();
            if (version != VERSION || command != CONNECT) {
                reply(out, COMMAND_NOT_SUPPORTED);
                return;
            }
            if (!host.toLowerCase(Locale.ROOT).equals(name)) {
                refused.add(host + ":" + port);
                reply(out, HOST_UNREACHABLE);
                return;
            }
            try (Socket upstream = new Socket()) {
                upstream.connect(new InetSocketAddress(target, port), 10_000);
                connected.add(host + ":" + port);
                reply(out, SUCCEEDED);
                threads.execute(() -> relay(in, upstreamOutput(upstream), upstream));
                relay(upstream.getInputStream(), out, client);
            }
        } catch (IOException e) {
            // the client or the server closed the connection: nothing more to relay
        }
    }

    private static OutputStream upstreamOutput(Socket upstream) {
        try {
            return upstream.getOutputStream();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void relay(InputStream from, OutputStream to, Socket closeAtEnd) {
        try {
            from.transferTo(to);
        } catch (IOException e) {
            // one side closed: the other is closed below
        } finally {
            try {
                closeAtEnd.close();
            } catch (IOException ignored) {
                // already closed
            }
        }
    }

    private static void reply(OutputStream out, int status) throws IOException {
        out.write(new byte[] {VERSION, (byte) status, 0, 1, 127, 0, 0, 1, 0, 0});
        out.flush();
    }

    @Override
    public void close() throws IOException {
        server.close();
        threads.shutdownNow();
    }
}
