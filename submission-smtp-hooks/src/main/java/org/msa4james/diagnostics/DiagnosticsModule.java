package org.msa4james.diagnostics;

import org.msa4james.state.SharedStateModule;

import com.google.inject.AbstractModule;
import com.google.inject.Scopes;

/**
 * Binds what the hooks, mailets and webadmin routes of msa4james share: the client diagnostics, and, through
 * {@link SharedStateModule}, the store behind them and the abuse counters (in this node's memory, or in Redis for a
 * cluster). James loads it through {@code guice.extension.module} in {@code conf/extensions.properties}, into the one
 * injector that builds every extension, so all of them share one store.
 */
public class DiagnosticsModule extends AbstractModule {
    @Override
    protected void configure() {
        install(new SharedStateModule());
        bind(ClientDiagnostics.class).in(Scopes.SINGLETON);
    }
}
