package org.msa4james.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.msa4james.it.ExpectedReplies.MESSAGE_ACCEPTED;
import static org.msa4james.it.Fixtures.ALICE;
import static org.msa4james.it.Fixtures.CAROL_REMOTE;
import static org.msa4james.it.Fixtures.PASSWORD;

import java.time.Duration;
import java.util.Set;
import java.util.stream.Collectors;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.msa4james.it.Listener;
import org.msa4james.it.MsaJamesServer;
import org.msa4james.it.SmtpTestClient;
import org.msa4james.it.TestMessages;
import org.msa4james.redis.RedisServerProcess;

/**
 * The Redis connection of a James in this JVM (the shipped configuration, msa.redis.url set): opened at start, used
 * by a submission, and closed with its threads when James stops, so that nothing of it outlives the server.
 */
class RedisConnectionLifecycleTest {
    @Test
    void theConnectionShouldBeOpenedAtStartAndClosedWithItsThreadsWhenJamesStops() throws Exception {
        try (RedisServerProcess redis = RedisServerProcess.startNew()) {
            MsaJamesServer james = MsaJamesServer.builder()
                .property("msa.redis.url", redis.url())
                .property("msa.redis.key.prefix", "lifecycle:")
                .build();
            try {
                james.start();
                assertThat(msa4jamesClients(redis)).isEqualTo(1);
                assertThat(lettuceThreads()).isNotEmpty();
                try (SmtpTestClient smtp = james.connect(Listener.SUBMISSION)) {
                    smtp.authenticated(ALICE, PASSWORD);
                    smtp.mailFrom(ALICE);
                    smtp.rcptTo(CAROL_REMOTE);
                    assertThat(smtp.data(TestMessages.message(ALICE, CAROL_REMOTE, TestMessages.uniqueSubject("lifecycle"))).line())
                        .isEqualTo(MESSAGE_ACCEPTED);
                }
                assertThat(redis.commands().hget("lifecycle:sending:messages:" + ALICE, "c")).isEqualTo("1");
                assertThat(redis.commands().hget("lifecycle:sending:recipients:" + ALICE, "c")).isEqualTo("1");
            } finally {
                james.stop();
            }

            Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                assertThat(msa4jamesClients(redis)).isZero();
                assertThat(lettuceThreads()).isEmpty();
            });
        }
    }

    private static long msa4jamesClients(RedisServerProcess redis) {
        return redis.commands().clientList().lines().filter(client -> client.contains(" name=msa4james ")).count();
    }

    /** Threads of the Redis client of msa4james (the test's own client's are named lettuce-...). */
    private static Set<String> lettuceThreads() {
        return Thread.getAllStackTraces().keySet().stream()
            .filter(Thread::isAlive)
            .map(Thread::getName)
            .filter(name -> name.startsWith("msa4james-redis-"))
            .collect(Collectors.toSet());
    }
}
