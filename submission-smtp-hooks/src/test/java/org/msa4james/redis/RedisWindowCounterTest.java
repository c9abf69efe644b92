package org.msa4james.redis;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

import org.apache.james.metrics.tests.RecordingMetricFactory;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.msa4james.abuse.InMemoryWindowCounter;
import org.msa4james.abuse.MutableClock;
import org.msa4james.abuse.WindowCount;
import org.msa4james.abuse.WindowCounter;
import org.msa4james.abuse.WindowCounterContract;

/**
 * The Redis counter against a real redis-server: the window semantics of the in-memory counter at the window's edges
 * (the contract), keys and their expiry, counting shared by two nodes, atomicity, and what happens when Redis stops,
 * hangs and comes back.
 */
class RedisWindowCounterTest implements WindowCounterContract {
    private static final String PREFIX = "msa4james-test:";

    @RegisterExtension
    static RedisServerExtension redisServer = new RedisServerExtension();

    private final MutableClock clock = new MutableClock(START);

    @Override
    public MutableClock clock() {
        return clock;
    }

    @Override
    public WindowCounter counter() {
        return counter(gateway(PREFIX, Duration.ofSeconds(2), new RecordingMetricFactory(), System::nanoTime), clock);
    }

    private static RedisServerProcess redis() {
        return redisServer.redis();
    }

    private static RedisGateway gateway(String prefix, Duration timeout, RecordingMetricFactory metrics, LongSupplier nanoTime) {
        return redisServer.gateway(prefix, timeout, metrics, nanoTime);
    }

    private static RedisWindowCounter counter(RedisGateway gateway, java.time.Clock clock) {
        return new RedisWindowCounter(gateway, "test", new InMemoryWindowCounter(clock, 100, Duration.ofDays(1)), clock);
    }

    @Nested
    class Keys {
        @Test
        void aCountShouldBeAHashUnderThePrefixAndNamespace() {
            counter().add("address:192.0.2.7", 2, TEN_MINUTES);

            assertThat(redis().commands().keys("*")).containsExactly(PREFIX + "test:address:192.0.2.7");
            assertThat(redis().commands().hgetall(PREFIX + "test:address:192.0.2.7"))
                .isEqualTo(Map.of("s", String.valueOf(START.toEpochMilli()), "c", "2"));
        }

        @Test
        void aKeyShouldExpireAMinuteAfterItsWindowEnds() {
            WindowCounter counter = counter();
            counter.add("a", 1, TEN_MINUTES);
            long afterOpening = redis().commands().pttl(PREFIX + "test:a");
            clock.advance(Duration.ofMinutes(4));
            counter.add("a", 1, TEN_MINUTES);
            long afterFourMinutes = redis().commands().pttl(PREFIX + "test:a");

            assertThat(afterOpening).isBetween(Duration.ofMinutes(11).minusSeconds(30).toMillis(), Duration.ofMinutes(11).toMillis());
            assertThat(afterFourMinutes).isBetween(Duration.ofMinutes(7).minusSeconds(30).toMillis(), Duration.ofMinutes(7).toMillis());
        }

        @Test
        void aReadShouldWriteNoKey() {
            counter().get("a", TEN_MINUTES);

            assertThat(redis().commands().keys("*")).isEmpty();
        }

        @Test
        void twoSitesWithTwoPrefixesShouldNotShareCounts() {
            WindowCounter siteA = counter();
            WindowCounter siteB = counter(gateway("site-b:", Duration.ofSeconds(2), new RecordingMetricFactory(), System::nanoTime), clock);
            siteA.add("a", 3, TEN_MINUTES);

            assertThat(siteB.add("a", 1, TEN_MINUTES).count()).isEqualTo(1);
            assertThat(siteA.get("a", TEN_MINUTES).count()).isEqualTo(3);
        }

        @Test
        void aScriptFlushedFromRedisShouldBeSentAgain() {
            WindowCounter counter = counter();
            counter.add("a", 1, TEN_MINUTES);
            redis().commands().scriptFlush();

            assertThat(counter.add("a", 1, TEN_MINUTES)).isEqualTo(new WindowCount(2, START.plus(TEN_MINUTES)));
        }
    }

    @Nested
    class TwoNodes {
        @Test
        void twoNodesShouldCountInOneWindowOpenedByTheFirstEvent() {
            MutableClock aheadByTwoSeconds = new MutableClock(START.plusSeconds(2));
            WindowCounter nodeA = counter();
            WindowCounter nodeB = counter(gateway(PREFIX, Duration.ofSeconds(2), new RecordingMetricFactory(), System::nanoTime),
                aheadByTwoSeconds);
            nodeA.add("messages:alice@example.test", 3, Duration.ofHours(1));

            assertThat(nodeB.add("messages:alice@example.test", 2, Duration.ofHours(1)))
                .isEqualTo(new WindowCount(5, START.plus(Duration.ofHours(1))));
            assertThat(nodeA.get("messages:alice@example.test", Duration.ofHours(1)))
                .isEqualTo(new WindowCount(5, START.plus(Duration.ofHours(1))));
        }

        @Test
        void concurrentEventsOnTwoNodesShouldEachBeCountedOnce() throws Exception {
            WindowCounter nodeA = counter();
            WindowCounter nodeB = counter(gateway(PREFIX, Duration.ofSeconds(2), new RecordingMetricFactory(), System::nanoTime), clock);
            Set<Long> counts = ConcurrentHashMap.newKeySet();
            ExecutorService threads = Executors.newFixedThreadPool(8);
            try {
                List<Future<?>> done = new ArrayList<>();
                for (int t = 0; t < 8; t++) {
                    WindowCounter node = t % 2 == 0 ? nodeA : nodeB;
                    done.add(threads.submit(() -> {
                        for (int i = 0; i < 250; i++) {
                            counts.add(node.add("shared", 1, TEN_MINUTES).count());
                        }
                    }));
                }
                for (Future<?> future : done) {
                    future.get(60, TimeUnit.SECONDS);
                }
            } finally {
                threads.shutdownNow();
            }

            assertThat(nodeA.get("shared", TEN_MINUTES).count()).isEqualTo(2000);
            assertThat(counts).hasSize(2000).allMatch(count -> count >= 1 && count <= 2000);
        }
    }

    @Nested
    class Outage {
        private final AtomicLong nanos = new AtomicLong();
        private final RecordingMetricFactory metrics = new RecordingMetricFactory();

        private RedisGateway gateway;

        /** A counter of a gateway with this timeout, whose key "a" has 4 events in Redis. */
        private WindowCounter counterOfFour(Duration timeout) {
            gateway = gateway(PREFIX, timeout, metrics, nanos::get);
            WindowCounter counter = counter(gateway, clock);
            counter.add("a", 4, TEN_MINUTES);
            return counter;
        }

        @Test
        void aStoppedRedisShouldLeaveTheCountToThisNodeUntilItIsBack() throws Exception {
            WindowCounter counter = counterOfFour(Duration.ofMillis(500));

            redis().stop();

            assertThat(counter.add("a", 1, TEN_MINUTES)).as("counted on this node alone")
                .isEqualTo(new WindowCount(1, START.plus(TEN_MINUTES)));
            assertThat(counter.add("a", 1, TEN_MINUTES)).isEqualTo(new WindowCount(2, START.plus(TEN_MINUTES)));
            assertThat(gateway.isFallingBack()).isTrue();
            assertThat(metrics.countFor(RedisGateway.FALLBACK_METRIC)).isEqualTo(2);

            redis().start();
            // Lettuce reconnects by itself, the application sends nothing meanwhile
            Awaitility.await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(redis().commands().clientList()).contains("name=" + RedisSettings.CLIENT_NAME));
            assertThat(counter.add("a", 1, TEN_MINUTES)).as("still within the back-off").isEqualTo(new WindowCount(3, START.plus(TEN_MINUTES)));
            nanos.addAndGet(FallbackPolicy.BACK_OFF.toNanos());

            assertThat(counter.add("a", 1, TEN_MINUTES)).as("shared again (the restarted Redis kept no key)")
                .isEqualTo(new WindowCount(1, START.plus(TEN_MINUTES)));
            assertThat(gateway.isFallingBack()).isFalse();
            assertThat(redis().commands().hget(PREFIX + "test:a", "c")).isEqualTo("1");
            assertThat(metrics.countFor(RedisGateway.FALLBACK_METRIC)).isEqualTo(3);
        }

        @Test
        void countsSentWithoutWaitingShouldBeCountedOnThisNodeWhenRedisFails() throws Exception {
            WindowCounter counter = counterOfFour(Duration.ofMillis(200));
            redis().freeze();

            counter.addWithoutWaiting(List.of("a"), List.of(1L), TEN_MINUTES);
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(gateway::isFallingBack);
            redis().thaw();
            redis().stop();
            counter.addWithoutWaiting(List.of("a"), List.of(1L), TEN_MINUTES);

            assertThat(counter.get("a", TEN_MINUTES)).as("both counted on this node alone").isEqualTo(new WindowCount(2, START.plus(TEN_MINUTES)));
            assertThat(metrics.countFor(RedisGateway.FALLBACK_METRIC)).isEqualTo(3);
        }

        @Test
        void aHungRedisShouldCostOneTimeoutThenBeSkippedUntilTheBackOffIsOver() throws Exception {
            WindowCounter counter = counterOfFour(Duration.ofMillis(200));

            redis().freeze();
            WindowCount duringTheHang = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(Duration.ofSeconds(10),
                () -> counter.add("a", 1, TEN_MINUTES), "the timeout ends the wait");
            redis().thaw();

            assertThat(duringTheHang).as("counted on this node alone").isEqualTo(new WindowCount(1, START.plus(TEN_MINUTES)));
            // the script sent before the timeout runs when Redis resumes: that event is counted in Redis too
            Awaitility.await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(redis().commands().hget(PREFIX + "test:a", "c")).isEqualTo("5"));
            assertThat(counter.add("a", 1, TEN_MINUTES)).as("Redis answers again, but is skipped during the back-off")
                .isEqualTo(new WindowCount(2, START.plus(TEN_MINUTES)));
            assertThat(redis().commands().hget(PREFIX + "test:a", "c")).isEqualTo("5");
            nanos.addAndGet(FallbackPolicy.BACK_OFF.toNanos());
            assertThat(counter.add("a", 1, TEN_MINUTES)).isEqualTo(new WindowCount(6, START.plus(TEN_MINUTES)));
            assertThat(metrics.countFor(RedisGateway.FALLBACK_METRIC)).isEqualTo(2);
        }

        @Test
        void aRedisUnreachableAtStartShouldBeUsedOnceItAnswers() throws Exception {
            redis().stop();
            WindowCounter counter = counter(gateway(PREFIX, Duration.ofMillis(500), metrics, nanos::get), clock);

            assertThat(counter.add("a", 1, TEN_MINUTES)).isEqualTo(new WindowCount(1, START.plus(TEN_MINUTES)));
            redis().start();
            nanos.addAndGet(FallbackPolicy.BACK_OFF.toNanos());

            assertThat(counter.add("a", 1, TEN_MINUTES)).as("the probe connects").isEqualTo(new WindowCount(1, START.plus(TEN_MINUTES)));
            assertThat(counter.add("a", 1, TEN_MINUTES)).isEqualTo(new WindowCount(2, START.plus(TEN_MINUTES)));
            assertThat(redis().commands().hget(PREFIX + "test:a", "c")).isEqualTo("2");
        }
    }

    @Test
    void theWindowEndShouldBeTheStartThatRedisHolds() {
        WindowCounter counter = counter();
        redis().commands().hset(PREFIX + "test:a", Map.of("s", String.valueOf(START.minusSeconds(60).toEpochMilli()), "c", "7"));

        assertThat(counter.get("a", TEN_MINUTES)).isEqualTo(new WindowCount(7, START.plus(Duration.ofMinutes(9))));
        assertThat(counter.add("a", 1, TEN_MINUTES)).isEqualTo(new WindowCount(8, Instant.parse("2026-11-28T19:24:00Z")));
    }
}
