package org.msa4james.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

import org.apache.james.metrics.api.MetricFactory;
import org.apache.james.metrics.tests.RecordingMetricFactory;
import org.junit.jupiter.api.Test;
import org.msa4james.abuse.AuthFailureCounter;
import org.msa4james.abuse.InMemoryAuthFailureCounter;
import org.msa4james.abuse.InMemorySendingCounter;
import org.msa4james.abuse.SendingCounter;
import org.msa4james.diagnostics.ClientDiagnostics;
import org.msa4james.diagnostics.DiagnosticsModule;
import org.msa4james.diagnostics.DiagnosticsStore;
import org.msa4james.diagnostics.InMemoryDiagnosticsStore;
import org.msa4james.redis.RedisAuthFailureCounter;
import org.msa4james.redis.RedisDiagnosticsStore;
import org.msa4james.redis.RedisGateway;
import org.msa4james.redis.RedisSendingCounter;
import org.msa4james.redis.RedisServerProcess;
import org.msa4james.redis.RedisSettings;

import com.google.inject.CreationException;
import com.google.inject.Guice;
import com.google.inject.Injector;

/**
 * The wiring as James does it: a server injector that binds James's own services, and a child injector with the
 * extension module in which every hook, mailet and route is built (again through a child of it, per handler).
 */
class SharedStateModuleTest {
    private final Injector server = Guice.createInjector(binder -> {
        binder.bind(MetricFactory.class).toInstance(new RecordingMetricFactory());
        binder.bind(Clock.class).toInstance(Clock.systemUTC());
    });

    /** What a hook or route gets: an instance built by a child of the extension injector, as James builds handlers. */
    private static <T> T handlerDependency(Injector extensions, Class<T> type) {
        return extensions.createChildInjector(binder -> { }).getInstance(type);
    }

    @Test
    void withoutRedisTheStateShouldBeInThisNodesMemoryAndSharedByEveryExtension() {
        Injector extensions = server.createChildInjector(new SharedStateModule(Optional.empty()));

        assertThat(handlerDependency(extensions, AuthFailureCounter.class)).isInstanceOf(InMemoryAuthFailureCounter.class)
            .isSameAs(handlerDependency(extensions, AuthFailureCounter.class));
        assertThat(handlerDependency(extensions, SendingCounter.class)).isInstanceOf(InMemorySendingCounter.class)
            .isSameAs(handlerDependency(extensions, SendingCounter.class));
        assertThat(handlerDependency(extensions, DiagnosticsStore.class)).isInstanceOf(InMemoryDiagnosticsStore.class)
            .isSameAs(handlerDependency(extensions, DiagnosticsStore.class));
    }

    @Test
    void theDiagnosticsModuleShouldReadTheSystemPropertiesAndBindTheClientDiagnostics() {
        Injector extensions = withRedisUrl(null, () -> server.createChildInjector(new DiagnosticsModule()));

        ClientDiagnostics diagnostics = handlerDependency(extensions, ClientDiagnostics.class);
        assertThat(diagnostics).isSameAs(handlerDependency(extensions, ClientDiagnostics.class));
        assertThat(diagnostics.store()).isSameAs(handlerDependency(extensions, DiagnosticsStore.class))
            .isInstanceOf(InMemoryDiagnosticsStore.class);
    }

    @Test
    void aMalformedRedisUrlShouldStopTheStartNamingTheSetting() {
        assertThatThrownBy(() -> withRedisUrl("redis//127.0.0.1:6379", () -> server.createChildInjector(new DiagnosticsModule())))
            .isInstanceOf(CreationException.class)
            .hasMessageContaining("msa.redis.url (MSA_REDIS_URL) must start with redis:// (or rediss:// for TLS): 'redis//127.0.0.1:6379'");
    }

    @Test
    void withARedisUrlTheStateShouldBeInRedisThroughOneConnection() throws Exception {
        try (RedisServerProcess redis = RedisServerProcess.startNew()) {
            Injector extensions = withRedisUrl(redis.url(), () -> server.createChildInjector(new DiagnosticsModule()));
            RedisGateway gateway = extensions.getInstance(RedisGateway.class);
            try {
                assertThat(handlerDependency(extensions, AuthFailureCounter.class)).isInstanceOf(RedisAuthFailureCounter.class)
                    .isSameAs(handlerDependency(extensions, AuthFailureCounter.class));
                assertThat(handlerDependency(extensions, SendingCounter.class)).isInstanceOf(RedisSendingCounter.class)
                    .isSameAs(handlerDependency(extensions, SendingCounter.class));
                assertThat(handlerDependency(extensions, DiagnosticsStore.class)).isInstanceOf(RedisDiagnosticsStore.class)
                    .isSameAs(handlerDependency(extensions, ClientDiagnostics.class).store());
                assertThat(gateway.settings().toString())
                    .isEqualTo(redis.url() + " (timeout " + RedisSettings.DEFAULT_TIMEOUT.toMillis() + "ms, key prefix 'msa4james:')");
                // connected at start (an eager singleton), one connection for every counter and the store
                assertThat(redis.commands().clientList().lines().filter(client -> client.contains("name=msa4james"))).hasSize(1);

                handlerDependency(extensions, SendingCounter.class).add("messages:alice@example.test", 1, Duration.ofHours(1));
                handlerDependency(extensions, AuthFailureCounter.class).add("address:192.0.2.7", 1, Duration.ofMinutes(10));
                assertThat(redis.commands().keys("msa4james:*"))
                    .containsExactlyInAnyOrder("msa4james:sending:messages:alice@example.test", "msa4james:auth-failures:address:192.0.2.7");
            } finally {
                gateway.close();
            }
        }
    }

    private static <T> T withRedisUrl(String url, java.util.function.Supplier<T> action) {
        String previous = System.getProperty(RedisSettings.URL);
        try {
            if (url == null) {
                System.clearProperty(RedisSettings.URL);
            } else {
                System.setProperty(RedisSettings.URL, url);
            }
            return action.get();
        } finally {
            if (previous == null) {
                System.clearProperty(RedisSettings.URL);
            } else {
                System.setProperty(RedisSettings.URL, previous);
            }
        }
    }
}
