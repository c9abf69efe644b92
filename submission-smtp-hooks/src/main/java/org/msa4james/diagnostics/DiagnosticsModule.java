package org.msa4james.diagnostics;

import com.google.inject.AbstractModule;
import com.google.inject.Scopes;

/**
 * Binds the client diagnostics for the hooks, mailets and webadmin routes of msa4james. James loads it through
 * {@code guice.extension.module} in {@code conf/extensions.properties}, into the one injector that builds every
 * extension, so all of them share one store.
 *
 * <p>The store follows the server's storage, the system property {@value #STORAGE_PROPERTY} (MSA_STORAGE):
 * {@code persistent}, a {@link FileDiagnosticsStore} in the data directory, kept across restarts; anything else (the
 * memory server, or a James started without msa4james's server), an {@link InMemoryDiagnosticsStore}.</p>
 */
public class DiagnosticsModule extends AbstractModule {
    public static final String STORAGE_PROPERTY = "msa.storage";

    @Override
    protected void configure() {
        if ("persistent".equals(System.getProperty(STORAGE_PROPERTY))) {
            bind(FileDiagnosticsStore.class).in(Scopes.SINGLETON);
            bind(DiagnosticsStore.class).to(FileDiagnosticsStore.class);
        } else {
            bind(InMemoryDiagnosticsStore.class).in(Scopes.SINGLETON);
            bind(DiagnosticsStore.class).to(InMemoryDiagnosticsStore.class);
        }
        bind(ClientDiagnostics.class).in(Scopes.SINGLETON);
    }
}
