package org.msa4james.diagnostics;

import com.google.inject.AbstractModule;
import com.google.inject.Scopes;

/**
 * Binds the client diagnostics for the hooks, mailets and webadmin routes of msa4james. James loads it through
 * {@code guice.extension.module} in {@code conf/extensions.properties}, into the one injector that builds every
 * extension, so all of them share one store.
 */
public class DiagnosticsModule extends AbstractModule {
    @Override
    protected void configure() {
        bind(InMemoryDiagnosticsStore.class).in(Scopes.SINGLETON);
        bind(DiagnosticsStore.class).to(InMemoryDiagnosticsStore.class);
        bind(ClientDiagnostics.class).in(Scopes.SINGLETON);
    }
}
