package org.msa4james.redis;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

import org.apache.james.metrics.tests.RecordingMetricFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;

import io.lettuce.core.api.sync.RedisCommands;

/** The gateway's log and metric through an outage, and a Redis that requires a password. */
class RedisGatewayTest {
    private static final String PASSWORD = "s3cret-redis-pass";

    private final AtomicLong nanos = new AtomicLong();
    private final RecordingMetricFactory metrics = new RecordingMetricFactory();
    private final Logger logger = (Logger) LoggerFactory.getLogger(RedisGateway.class);
    private final ListAppender<ILoggingEvent> logged = new ListAppender<>();

    @BeforeEach
    void captureLogs() {
        logged.start();
        logger.addAppender(logged);
    }

    @AfterEach
    void releaseLogs() {
        logger.detachAppender(logged);
    }

    private List<String> lines(Level level) {
        synchronized (logged) {
            return logged.list.stream().filter(event -> event.getLevel() == level).map(ILoggingEvent::getFormattedMessage)
                .collect(Collectors.toList());
        }
    }

    private Optional<String> ping(RedisGateway gateway) {
        return gateway.call(RedisCommands::ping);
    }

    @Test
    void anOutageShouldBeWarnedOnceAMinuteCountedInTheMetricAndItsEndLogged() throws Exception {
        try (RedisServerProcess redis = RedisServerProcess.startNew()) {
            RedisGateway gateway = new RedisGateway(RedisSettings.of(redis.url(), Duration.ofMillis(500), "t:"), metrics, nanos::get);
            try {
                assertThat(ping(gateway)).contains("PONG");
                redis.stop();

                for (int probe = 0; probe < 12; probe++) {
                    assertThat(ping(gateway)).isEmpty();
                    assertThat(ping(gateway)).isEmpty();
                    nanos.addAndGet(FallbackPolicy.BACK_OFF.toNanos());
                }
                assertThat(ping(gateway)).as("a minute after the first warning").isEmpty();

                String warning = "Redis at " + redis.url() + " failed (RedisException: Currently not connected. Commands are rejected.): "
                    + "this node counts failed AUTH, sending limits and client diagnostics alone until Redis answers again (%d check(s) "
                    + "counted alone since the last warning; metric msa4james.redis.fallbacks)";
                assertThat(lines(Level.WARN)).containsExactly(String.format(warning, 0), String.format(warning, 24));
                assertThat(metrics.countFor(RedisGateway.FALLBACK_METRIC)).isEqualTo(25);

                redis.start();
                org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                    nanos.addAndGet(FallbackPolicy.BACK_OFF.toNanos());
                    assertThat(ping(gateway)).contains("PONG");
                });
                assertThat(lines(Level.INFO)).last().asString().matches("Redis at " + java.util.regex.Pattern.quote(redis.url())
                    + " answers again: failed AUTH, sending limits and client diagnostics are counted in Redis again \\(\\d+ check\\(s\\) "
                    + "were counted on this node alone meanwhile\\)");
                assertThat(gateway.isFallingBack()).isFalse();
            } finally {
                gateway.close();
            }
        }
    }

    @Test
    void aPasswordInTheUrlShouldBeUsedAndNeverLogged() throws Exception {
        try (RedisServerProcess redis = RedisServerProcess.startNew("--requirepass", PASSWORD)) {
            String withPassword = "redis://:" + PASSWORD + "@127.0.0.1:" + redis.port() + "/0";
            String withWrongPassword = "redis://:not-" + PASSWORD + "@127.0.0.1:" + redis.port() + "/0";
            RedisGateway right = new RedisGateway(RedisSettings.of(withPassword, Duration.ofSeconds(2), "t:"), metrics, nanos::get);
            RedisGateway wrong = new RedisGateway(RedisSettings.of(withWrongPassword, Duration.ofSeconds(2), "t:"), metrics, nanos::get);
            try {
                assertThat(ping(right)).contains("PONG");
                assertThat(ping(wrong)).isEmpty();

                assertThat(lines(Level.WARN)).singleElement().asString()
                    .startsWith("Redis at redis://****@127.0.0.1:" + redis.port() + "/0 cannot be reached (")
                    .contains("WRONGPASS");
                synchronized (logged) {
                    assertThat(logged.list).allSatisfy(event -> assertThat(event.getFormattedMessage()).doesNotContain(PASSWORD));
                }
            } finally {
                right.close();
                wrong.close();
            }
        }
    }
}
