package org.msa4james.autoconfig;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import javax.annotation.PreDestroy;
import javax.inject.Inject;
import javax.inject.Singleton;
import javax.net.ssl.KeyManagerFactory;

import org.apache.commons.configuration2.ex.ConfigurationException;
import org.apache.james.filesystem.api.FileSystem;
import org.apache.james.lifecycle.api.Startable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import io.netty.util.concurrent.DefaultEventExecutorGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.EventExecutorGroup;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.GlobalEventExecutor;

/**
 * The public HTTP listener that publishes the mail settings (see {@link AutoconfigResponder}), on plain HTTP and on
 * HTTPS with the server's own certificate (TLS 1.2 and 1.3 only, as the mail listeners), separate from webadmin.
 *
 * <p>Because it faces the Internet it is bounded everywhere: request line 4 KiB, header fields 8 KiB, body 64 KiB
 * ({@link BoundedRequestAggregator}); a complete request within the timeout ({@link RequestDeadline}); open
 * connections in all and per client address ({@link ConnectionLimiter}). The requests are answered on two threads of
 * their own, off the IO threads.</p>
 *
 * <p>Started by James's initialisation after the SMTP and IMAP listeners (their ports are published), stopped with
 * James ({@link PreDestroy}).</p>
 */
@Singleton
public class AutoconfigServer implements Startable {
    private static final Logger LOGGER = LoggerFactory.getLogger(AutoconfigServer.class);
    private static final int MAX_INITIAL_LINE = 4096;
    private static final int MAX_HEADER_SIZE = 8192;
    private static final int MAX_CHUNK_SIZE = 8192;
    private static final int BACKLOG = 200;
    private static final String[] TLS_PROTOCOLS = {"TLSv1.3", "TLSv1.2"};
    private static final long QUIET_PERIOD_MILLIS = 100;
    private static final long SHUTDOWN_TIMEOUT_MILLIS = 2000;

    private final AutoconfigConfiguration configuration;
    private final AutoconfigResponder responder;
    private final FileSystem fileSystem;
    private final List<Channel> channels = new ArrayList<>();
    private final ChannelGroup connections = new DefaultChannelGroup("msa-autoconfig", GlobalEventExecutor.INSTANCE);
    private EventLoopGroup acceptors;
    private EventLoopGroup workers;
    private EventExecutorGroup responders;
    private Optional<Integer> httpPort = Optional.empty();
    private Optional<Integer> httpsPort = Optional.empty();

    @Inject
    public AutoconfigServer(AutoconfigConfiguration configuration, AutoconfigResponder responder, FileSystem fileSystem) {
        this.configuration = configuration;
        this.responder = responder;
        this.fileSystem = fileSystem;
    }

    public synchronized void start() throws Exception {
        Optional<AutoconfigConfiguration.Listening> listening = configuration.listening()
            .filter(AutoconfigConfiguration.Listening::enabled);
        if (listening.isEmpty()) {
            LOGGER.info("Self-configuration listener (autoconfig, Autodiscover) off: {}", configuration.listening().isEmpty()
                ? "no " + AutoconfigConfiguration.FILE : "http.port and https.port are 0");
            return;
        }
        AutoconfigConfiguration.Listening settings = listening.get();
        Optional<SslContext> tls = settings.tls().isPresent() ? Optional.of(sslContext(settings.tls().get())) : Optional.empty();
        acceptors = new NioEventLoopGroup(1, new DefaultThreadFactory("msa-autoconfig-accept", true));
        workers = new NioEventLoopGroup(2, new DefaultThreadFactory("msa-autoconfig-io", true));
        responders = new DefaultEventExecutorGroup(2, new DefaultThreadFactory("msa-autoconfig", true));
        ConnectionLimiter limiter = new ConnectionLimiter(settings.connectionLimit(), settings.connectionLimitPerIp());
        AutoconfigHttpHandler handler = new AutoconfigHttpHandler(responder);
        InetAddress bind = InetAddress.getByName(settings.bind());
        if (settings.httpPort() != 0) {
            httpPort = Optional.of(bindOrStop(bind, "http.port", settings.httpPort(), Optional.empty(), limiter, handler, settings));
        }
        if (tls.isPresent()) {
            httpsPort = Optional.of(bindOrStop(bind, "https.port", settings.httpsPort(), tls, limiter, handler, settings));
        }
        LOGGER.info("Self-configuration listener (autoconfig, Autodiscover) for {}: {}{}", settings.hostName(),
            httpPort.map(port -> "http://" + settings.bind() + ":" + port + " ").orElse(""),
            httpsPort.map(port -> "https://" + settings.bind() + ":" + port).orElse(""));
    }

    /** The bound plain HTTP port, when it listens. */
    public synchronized Optional<Integer> httpPort() {
        return httpPort;
    }

    /** The bound HTTPS port, when it listens. */
    public synchronized Optional<Integer> httpsPort() {
        return httpsPort;
    }

    /**
     * Closes the listening sockets and every open connection, then stops the threads: all groups at once, each waiting
     * until the others have handed it nothing for {@value #QUIET_PERIOD_MILLIS} ms, because closing a connection
     * passes work between the IO threads and the responders' threads.
     */
    @PreDestroy
    public synchronized void stop() {
        channels.forEach(channel -> channel.close().awaitUninterruptibly());
        channels.clear();
        connections.close().awaitUninterruptibly();
        List<Future<?>> terminations = new ArrayList<>();
        for (EventExecutorGroup group : new EventExecutorGroup[] {acceptors, workers, responders}) {
            if (group != null) {
                terminations.add(group.shutdownGracefully(QUIET_PERIOD_MILLIS, SHUTDOWN_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS));
            }
        }
        terminations.forEach(Future::awaitUninterruptibly);
        if (acceptors != null) {
            LOGGER.info("Self-configuration listener stopped");
        }
        acceptors = null;
        workers = null;
        responders = null;
        httpPort = Optional.empty();
        httpsPort = Optional.empty();
    }

    private int bindOrStop(InetAddress address, String key, int port, Optional<SslContext> tls, ConnectionLimiter limiter,
                           AutoconfigHttpHandler handler, AutoconfigConfiguration.Listening settings) throws ConfigurationException {
        try {
            return bind(address, port, tls, limiter, handler, settings);
        } catch (Exception e) {
            stop();
            throw new ConfigurationException(AutoconfigConfiguration.FILE + ": cannot listen on " + settings.bind() + " " + key
                + " " + port + ": " + e.getMessage(), e);
        }
    }

    private int bind(InetAddress address, int port, Optional<SslContext> tls, ConnectionLimiter limiter,
                     AutoconfigHttpHandler handler, AutoconfigConfiguration.Listening settings) throws InterruptedException {
        long timeoutMillis = TimeUnit.SECONDS.toMillis(settings.timeoutSeconds());
        ServerBootstrap bootstrap = new ServerBootstrap()
            .group(acceptors, workers)
            .channel(NioServerSocketChannel.class)
            .option(ChannelOption.SO_BACKLOG, BACKLOG)
            .childHandler(new ChannelInitializer<SocketChannel>() {
                @Override
                protected void initChannel(SocketChannel channel) {
                    InetAddress client = channel.remoteAddress().getAddress();
                    if (!limiter.tryAcquire(client)) {
                        LOGGER.debug("Refusing a connection from {}: connection limit reached", client.getHostAddress());
                        channel.close();
                        return;
                    }
                    channel.closeFuture().addListener(closed -> limiter.release(client));
                    connections.add(channel);
                    ChannelPipeline pipeline = channel.pipeline();
                    tls.ifPresent(context -> {
                        SslHandler ssl = context.newHandler(channel.alloc());
                        ssl.setHandshakeTimeoutMillis(timeoutMillis);
                        pipeline.addLast("tls", ssl);
                    });
                    pipeline.addLast("http", new HttpServerCodec(MAX_INITIAL_LINE, MAX_HEADER_SIZE, MAX_CHUNK_SIZE));
                    pipeline.addLast("deadline", new RequestDeadline(timeoutMillis));
                    pipeline.addLast("aggregator", new BoundedRequestAggregator());
                    pipeline.addLast(responders, "responder", handler);
                }
            });
        Channel channel = bootstrap.bind(new InetSocketAddress(address, port)).sync().channel();
        channels.add(channel);
        return ((InetSocketAddress) channel.localAddress()).getPort();
    }

    private SslContext sslContext(AutoconfigConfiguration.Tls tls) throws ConfigurationException {
        char[] secret = tls.secret();
        try (InputStream in = fileSystem.getResource(tls.keystore())) {
            KeyStore keyStore = KeyStore.getInstance(tls.keystoreType());
            keyStore.load(in, secret);
            KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keyManagers.init(keyStore, secret);
            return SslContextBuilder.forServer(keyManagers)
                .sslProvider(SslProvider.JDK)
                .protocols(TLS_PROTOCOLS)
                .build();
        } catch (IOException | GeneralSecurityException e) {
            throw new ConfigurationException(AutoconfigConfiguration.FILE + ": cannot read the keystore https.keystore="
                + tls.keystore() + " (" + tls.keystoreType() + "): " + e.getMessage(), e);
        } finally {
            Arrays.fill(secret, '\0');
        }
    }
}
