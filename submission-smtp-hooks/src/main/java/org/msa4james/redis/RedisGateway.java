package org.msa4james.redis;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.LongSupplier;

import javax.annotation.PreDestroy;
import javax.inject.Inject;
import javax.inject.Singleton;

import org.apache.james.metrics.api.Metric;
import org.apache.james.metrics.api.MetricFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.ClientOptions.DisconnectedBehavior;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.metrics.CommandLatencyRecorder;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.lettuce.core.resource.Delay;
import io.netty.util.concurrent.DefaultThreadFactory;

/**
 * The one connection of a node to the shared Redis, and what happens when Redis fails: {@link #call} runs a command
 * and answers its result, or answers empty, and the caller counts on this node alone, when Redis fails, does not answer
 * within the timeout, or failed a moment ago ({@link FallbackPolicy}). Each empty answer increments the James metric
 * {@value #FALLBACK_METRIC}; a WARN says so at the start of an outage and then at most once a minute, an INFO when
 * Redis answers again. Nothing of Redis ever reaches an SMTP client.
 *
 * <p>Lettuce (the Redis client) reconnects by itself after a lost connection, every 100 ms to 2 s; while it is
 * disconnected, commands fail at once instead of waiting in a queue. When Redis cannot be reached at start, James
 * starts anyway and the first probe after the back-off connects. Calls block the calling thread (James's IO thread for
 * SMTP hooks) for one round trip, at most the timeout. The connection is closed when James stops.</p>
 */
@Singleton
public class RedisGateway {
    public static final String FALLBACK_METRIC = "msa4james.redis.fallbacks";
    private static final Logger LOGGER = LoggerFactory.getLogger(RedisGateway.class);
    private static final int REQUEST_QUEUE_SIZE = 10_000;
    private static final Duration MIN_RECONNECT_DELAY = Duration.ofMillis(100);
    private static final Duration MAX_RECONNECT_DELAY = Duration.ofSeconds(2);
    private static final Duration SHUTDOWN_TIMEOUT = Duration.ofSeconds(2);
    private static final Duration START_TIMEOUT = Duration.ofSeconds(10);
    /** The client's threads (daemons) are named msa4james-redis-lettuce-...: to tell them in a thread dump. */
    static final String THREAD_NAME_PREFIX = "msa4james-redis-";

    private final RedisSettings settings;
    private final Metric fallbacks;
    private final FallbackPolicy policy;
    private final ClientResources resources;
    private final RedisClient client;
    private final Object connecting = new Object();
    private volatile StatefulRedisConnection<String, String> connection;

    @Inject
    public RedisGateway(RedisSettings settings, MetricFactory metricFactory) {
        this(settings, metricFactory, System::nanoTime);
    }

    RedisGateway(RedisSettings settings, MetricFactory metricFactory, LongSupplier nanoTime) {
        this.settings = settings;
        this.fallbacks = metricFactory.generate(FALLBACK_METRIC);
        this.policy = new FallbackPolicy(nanoTime);
        this.resources = DefaultClientResources.builder()
            .ioThreadPoolSize(DefaultClientResources.MIN_IO_THREADS)
            .computationThreadPoolSize(DefaultClientResources.MIN_COMPUTATION_THREADS)
            .commandLatencyRecorder(CommandLatencyRecorder.disabled())
            .reconnectDelay(Delay.exponential(MIN_RECONNECT_DELAY, MAX_RECONNECT_DELAY, 2, TimeUnit.MILLISECONDS))
            .threadFactoryProvider(pool -> new DefaultThreadFactory(THREAD_NAME_PREFIX + pool, true))
            .build();
        this.client = RedisClient.create(resources, settings.uri());
        client.setOptions(ClientOptions.builder()
            .autoReconnect(true)
            .disconnectedBehavior(DisconnectedBehavior.REJECT_COMMANDS)
            .requestQueueSize(REQUEST_QUEUE_SIZE)
            .socketOptions(SocketOptions.builder().connectTimeout(settings.timeout()).keepAlive(true).build())
            .timeoutOptions(TimeoutOptions.enabled(settings.timeout()))
            .build());
        client.setDefaultTimeout(settings.timeout());
        LOGGER.info("Sharing the abuse counters and client diagnostics of this node through Redis at {}", settings);
        try {
            connectAtStart();
        } catch (RuntimeException e) {
            policy.failed();
            LOGGER.warn("Redis at {} cannot be reached ({}): this node counts failed AUTH, sending limits and client "
                + "diagnostics alone until Redis answers", settings.description(), summary(e));
        }
    }

    /**
     * Runs {@code command} on Redis, unless Redis failed a moment ago.
     *
     * @return its result (which must not be null), or empty when Redis failed, timed out or is skipped: then count on
     *     this node alone
     */
    public <T> Optional<T> call(Function<RedisCommands<String, String>, T> command) {
        FallbackPolicy.Decision decision = policy.decide();
        if (decision == FallbackPolicy.Decision.SKIP) {
            return fallBack();
        }
        T result;
        try {
            result = command.apply(connection().sync());
        } catch (RuntimeException e) {
            warnIfDue(e);
            return fallBack();
        }
        succeeded(decision);
        return Optional.of(result);
    }

    private void warnIfDue(Throwable failure) {
        policy.failed().ifPresent(fellBack -> LOGGER.warn("Redis at {} failed ({}): this node counts failed AUTH, "
            + "sending limits and client diagnostics alone until Redis answers again ({} check(s) counted alone since "
            + "the last warning; metric {})", settings.description(), summary(failure), fellBack, FALLBACK_METRIC));
    }

    private void succeeded(FallbackPolicy.Decision decision) {
        policy.succeeded(decision).ifPresent(fellBack -> LOGGER.info("Redis at {} answers again: failed AUTH, sending "
            + "limits and client diagnostics are counted in Redis again ({} check(s) were counted on this node alone meanwhile)",
            settings.description(), fellBack));
    }

    /**
     * Sends {@code command} to Redis without waiting for it, unless Redis failed a moment ago: {@code fallback} runs
     * instead, at once, or when the command fails or times out (on the client's thread). Commands of this node reach
     * Redis in the order they are sent, synchronous ones included.
     */
    public void send(Function<RedisAsyncCommands<String, String>, CompletionStage<?>> command, Runnable fallback) {
        FallbackPolicy.Decision decision = policy.decide();
        if (decision == FallbackPolicy.Decision.SKIP) {
            fallBack();
            fallback.run();
            return;
        }
        CompletionStage<?> sent;
        try {
            sent = command.apply(connection().async());
        } catch (RuntimeException e) {
            failed(e, fallback);
            return;
        }
        sent.whenComplete((reply, failure) -> {
            if (failure == null) {
                succeeded(decision);
            } else {
                failed(failure, fallback);
            }
        });
    }

    private void failed(Throwable failure, Runnable fallback) {
        warnIfDue(failure);
        fallBack();
        fallback.run();
    }

    /** The Redis key of {@code name}: the configured prefix, then the name. */
    public String key(String name) {
        return settings.keyPrefix() + name;
    }

    public RedisSettings settings() {
        return settings;
    }

    /** Whether checks are counted on this node alone at the moment (Redis failed and has not answered a probe since). */
    public boolean isFallingBack() {
        return policy.isDown();
    }

    private <T> Optional<T> fallBack() {
        policy.fellBack();
        fallbacks.increment();
        return Optional.empty();
    }

    /**
     * The first connection, while James starts: its handshake may take up to {@link #START_TIMEOUT} (a JVM that has just
     * started loads the client's classes meanwhile); nothing waits for it but the start.
     */
    private void connectAtStart() {
        synchronized (connecting) {
            StatefulRedisConnection<String, String> opened = client.connect(StringCodec.UTF8,
                RedisURI.builder(settings.uri()).withTimeout(START_TIMEOUT).build());
            opened.setTimeout(settings.timeout());
            connection = opened;
        }
    }

    /** Connects when there is no connection yet (Redis was unreachable so far); afterwards Lettuce reconnects by itself. */
    private StatefulRedisConnection<String, String> connection() {
        StatefulRedisConnection<String, String> current = connection;
        if (current != null) {
            return current;
        }
        synchronized (connecting) {
            if (connection == null) {
                StatefulRedisConnection<String, String> opened = client.connect();
                opened.setTimeout(settings.timeout());
                connection = opened;
            }
            return connection;
        }
    }

    /** The exception's class and message, and its cause's, on one line: never a stack trace for a Redis outage. */
    private static String summary(Throwable e) {
        StringBuilder text = new StringBuilder();
        Throwable first = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
        for (Throwable cause = first; cause != null && text.length() < 500; cause = cause.getCause()) {
            if (text.length() > 0) {
                text.append("; caused by ");
            }
            text.append(cause.getClass().getSimpleName());
            if (cause.getMessage() != null) {
                text.append(": ").append(cause.getMessage());
            }
            if (cause.getCause() == cause) {
                break;
            }
        }
        return text.toString();
    }

    /** Closes the connection and stops the client's threads; James calls it when it stops. */
    @PreDestroy
    public void close() {
        synchronized (connecting) {
            StatefulRedisConnection<String, String> current = connection;
            connection = null;
            try {
                if (current != null) {
                    current.close();
                }
            } finally {
                client.shutdown(Duration.ZERO, SHUTDOWN_TIMEOUT);
                resources.shutdown(0, SHUTDOWN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            }
        }
    }
}
