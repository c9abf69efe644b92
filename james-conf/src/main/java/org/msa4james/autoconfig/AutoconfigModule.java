package org.msa4james.autoconfig;

import java.io.FileNotFoundException;

import org.apache.commons.configuration2.ex.ConfigurationException;
import org.apache.james.core.Domain;
import org.apache.james.domainlist.api.DomainList;
import org.apache.james.imapserver.netty.IMAPServerFactory;
import org.apache.james.smtpserver.netty.SMTPServerFactory;
import org.apache.james.utils.InitializationOperation;
import org.apache.james.utils.InitilizationOperationBuilder;
import org.apache.james.utils.PropertiesProvider;
import org.apache.james.webadmin.Routes;

import com.google.common.collect.ImmutableList;
import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Scopes;
import com.google.inject.Singleton;
import com.google.inject.multibindings.Multibinder;
import com.google.inject.multibindings.ProvidesIntoSet;

/**
 * Mail clients configure themselves: the self-configuration listener ({@link AutoconfigServer}, configured by
 * {@value AutoconfigConfiguration#FILE}) and the webadmin route of the DNS records ({@link DnsRecordsRoutes}).
 *
 * <p>The listener starts after the SMTP and IMAP listeners, whose bound ports it publishes, and the domain list,
 * which it asks; James stops it with the server.</p>
 */
public final class AutoconfigModule extends AbstractModule {
    private static final String CONFIGURATION_FILE = "autoconfig";

    @Override
    protected void configure() {
        bind(RunningListeners.class).in(Scopes.SINGLETON);
        bind(AutoconfigServer.class).in(Scopes.SINGLETON);
        Multibinder.newSetBinder(binder(), Routes.class).addBinding().to(DnsRecordsRoutes.class);
    }

    @Provides
    @Singleton
    AutoconfigConfiguration configuration(PropertiesProvider propertiesProvider) throws ConfigurationException {
        try {
            return AutoconfigConfiguration.from(propertiesProvider.getConfiguration(CONFIGURATION_FILE));
        } catch (FileNotFoundException e) {
            return AutoconfigConfiguration.off();
        }
    }

    @Provides
    @Singleton
    AutoconfigResponder responder(AutoconfigConfiguration configuration, RunningListeners listeners, DomainList domainList) {
        return new AutoconfigResponder(
            () -> MailSettings.of(configuration.hostName().orElseThrow(), listeners.listeners()),
            domain -> domainList.containsDomain(Domain.of(domain)));
    }

    @ProvidesIntoSet
    InitializationOperation startAutoconfigServer(AutoconfigServer server) {
        return InitilizationOperationBuilder
            .forClass(AutoconfigServer.class)
            .init(server::start)
            .requires(ImmutableList.of(SMTPServerFactory.class, IMAPServerFactory.class, DomainList.class));
    }
}
