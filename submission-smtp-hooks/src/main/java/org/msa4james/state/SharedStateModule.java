package org.msa4james.state;

import java.util.Optional;

import org.msa4james.abuse.AuthFailureCounter;
import org.msa4james.abuse.InMemoryAuthFailureCounter;
import org.msa4james.abuse.InMemorySendingCounter;
import org.msa4james.abuse.SendingCounter;
import org.msa4james.diagnostics.DiagnosticsStore;
import org.msa4james.diagnostics.FileDiagnosticsStore;
import org.msa4james.diagnostics.InMemoryDiagnosticsStore;
import org.msa4james.redis.RedisAuthFailureCounter;
import org.msa4james.redis.RedisDiagnosticsStore;
import org.msa4james.redis.RedisGateway;
import org.msa4james.redis.RedisSendingCounter;
import org.msa4james.redis.RedisSettings;

import com.google.inject.AbstractModule;
import com.google.inject.Scopes;

/**
 * The one place that chooses where msa4james keeps the state it shares between connections, listeners and nodes: the
 * failed-AUTH counts ({@link AuthFailureCounter}), the sending counts ({@link SendingCounter}) and the client
 * diagnostics ({@link DiagnosticsStore}). By configuration:
 * <ul>
 *   <li>{@code msa.redis.url} set ({@code MSA_REDIS_URL}): in Redis, shared by every node that names the same Redis
 *   and key prefix ({@link RedisSettings}), each falling back to its own memory while Redis fails;</li>
 *   <li>otherwise the counters in this node's memory, lost at restart, and the diagnostics: with
 *   {@value #STORAGE_PROPERTY}{@code =persistent} (MSA_STORAGE, the persistent server) in a
 *   {@link FileDiagnosticsStore} of the data directory, kept across restarts; else in this node's memory.</li>
 * </ul>
 * A bad Redis setting stops James at start with a message naming it. Installed by
 * {@link org.msa4james.diagnostics.DiagnosticsModule}, in the injector James builds its extensions with: these keys
 * must not be bound by James's own injector.
 */
public class SharedStateModule extends AbstractModule {
    /** The server's storage, {@code persistent} or {@code memory}, set by msa4james's server (MSA_STORAGE). */
    public static final String STORAGE_PROPERTY = "msa.storage";

    private final Optional<RedisSettings> redis;
    private final boolean persistentNode;

    /** Configured by the system properties {@code msa.redis.*} and {@value #STORAGE_PROPERTY}. */
    public SharedStateModule() {
        this(RedisSettings.fromSystemProperties(), "persistent".equals(System.getProperty(STORAGE_PROPERTY)));
    }

    public SharedStateModule(Optional<RedisSettings> redis) {
        this(redis, false);
    }

    public SharedStateModule(Optional<RedisSettings> redis, boolean persistentNode) {
        this.redis = redis;
        this.persistentNode = persistentNode;
    }

    @Override
    protected void configure() {
        if (redis.isPresent()) {
            bind(RedisSettings.class).toInstance(redis.get());
            bind(RedisGateway.class).asEagerSingleton();
            bind(AuthFailureCounter.class).to(RedisAuthFailureCounter.class);
            bind(SendingCounter.class).to(RedisSendingCounter.class);
            bind(DiagnosticsStore.class).to(RedisDiagnosticsStore.class);
        } else {
            bind(AuthFailureCounter.class).to(InMemoryAuthFailureCounter.class);
            bind(SendingCounter.class).to(InMemorySendingCounter.class);
            if (persistentNode) {
                bind(FileDiagnosticsStore.class).in(Scopes.SINGLETON);
                bind(DiagnosticsStore.class).to(FileDiagnosticsStore.class);
            } else {
                bind(InMemoryDiagnosticsStore.class).in(Scopes.SINGLETON);
                bind(DiagnosticsStore.class).to(InMemoryDiagnosticsStore.class);
            }
        }
    }
}
