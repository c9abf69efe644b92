package org.msa4james.server.persistent;

import javax.persistence.EntityManagerFactory;

import org.apache.james.CoreDataModule;
import org.apache.james.adapter.mailbox.DelegationStoreAuthorizator;
import org.apache.james.domainlist.api.DomainList;
import org.apache.james.domainlist.jpa.JPADomainList;
import org.apache.james.domainlist.lib.DomainListConfiguration;
import org.apache.james.mailbox.Authorizator;
import org.apache.commons.configuration2.BaseHierarchicalConfiguration;
import org.apache.james.mailrepository.api.MailRepositoryUrlStore;
import org.apache.james.mailrepository.api.Protocol;
import org.apache.james.mailrepository.file.FileMailRepository;
import org.apache.james.mailrepository.memory.MailRepositoryStoreConfiguration;
import org.apache.james.mailrepository.jpa.JPAMailRepositoryUrlStore;
import org.apache.james.modules.data.SieveFileRepositoryModule;
import org.apache.james.rrt.api.AliasReverseResolver;
import org.apache.james.rrt.api.CanSendFrom;
import org.apache.james.rrt.api.RecipientRewriteTable;
import org.apache.james.rrt.jpa.JPARecipientRewriteTable;
import org.apache.james.rrt.lib.AliasReverseResolverImpl;
import org.apache.james.rrt.lib.CanSendFromImpl;
import org.apache.james.server.core.configuration.ConfigurationProvider;
import org.apache.james.user.api.DelegationStore;
import org.apache.james.user.api.DelegationUsernameChangeTaskStep;
import org.apache.james.user.api.UsernameChangeTaskStep;
import org.apache.james.user.api.UsersRepository;
import org.apache.james.utils.InitializationOperation;
import org.apache.james.utils.InitilizationOperationBuilder;

import com.google.common.collect.ImmutableList;
import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Scopes;
import com.google.inject.Singleton;
import com.google.inject.multibindings.Multibinder;
import com.google.inject.multibindings.ProvidesIntoSet;

/**
 * The data of the persistent server, in the JPA database of {@link JpaStore}: domains, users with their password
 * hashes, recipient rewrites (aliases, forwards, groups), delegations and the list of mail repositories. Sieve scripts
 * are files under the data directory ({@code file://var/sieve}), as on James's memory server.
 */
public final class PersistentDataModule extends AbstractModule {
    @Override
    protected void configure() {
        install(new CoreDataModule());
        install(new SieveFileRepositoryModule());

        // created first, so that it is closed last (James closes in the reverse order of creation)
        bind(JpaStore.class).asEagerSingleton();

        // James's JPA stores, with the answers every mail asks for cached (see ReadCache)
        bind(CachingJpaDomainList.class).in(Scopes.SINGLETON);
        bind(JPADomainList.class).to(CachingJpaDomainList.class);
        bind(DomainList.class).to(JPADomainList.class);

        bind(CachingJpaRecipientRewriteTable.class).in(Scopes.SINGLETON);
        bind(JPARecipientRewriteTable.class).to(CachingJpaRecipientRewriteTable.class);
        bind(RecipientRewriteTable.class).to(JPARecipientRewriteTable.class);
        bind(AliasReverseResolverImpl.class).in(Scopes.SINGLETON);
        bind(AliasReverseResolver.class).to(AliasReverseResolverImpl.class);
        bind(CanSendFromImpl.class).in(Scopes.SINGLETON);
        bind(CanSendFrom.class).to(CanSendFromImpl.class);

        bind(CachingJpaUsersRepository.class).in(Scopes.SINGLETON);
        bind(UsersRepository.class).to(CachingJpaUsersRepository.class);

        bind(JpaDelegationStore.class).in(Scopes.SINGLETON);
        bind(DelegationStore.class).to(JpaDelegationStore.class);
        bind(Authorizator.class).to(DelegationStoreAuthorizator.class);
        Multibinder.newSetBinder(binder(), UsernameChangeTaskStep.class)
            .addBinding().to(DelegationUsernameChangeTaskStep.class);

        bind(JPAMailRepositoryUrlStore.class).in(Scopes.SINGLETON);
        bind(MailRepositoryUrlStore.class).to(JPAMailRepositoryUrlStore.class);
        // used only when conf/mailrepositorystore.xml lists no repository: files under the data directory
        bind(MailRepositoryStoreConfiguration.Item.class)
            .toProvider(() -> new MailRepositoryStoreConfiguration.Item(
                ImmutableList.of(new Protocol("file")),
                FileMailRepository.class.getName(),
                new BaseHierarchicalConfiguration()));
    }

    @Provides
    @Singleton
    EntityManagerFactory entityManagerFactory(JpaStore store) {
        return store.entityManagerFactory();
    }

    /*
     * James runs each initialisation in the order its class was created, matching the class created (here the caching
     * subclass) against forClass: forClass must name that class, or the initialisation runs after everything else,
     * and James's spooler could process queued mail with an unconfigured domain list or rewrite table.
     */
    @ProvidesIntoSet
    InitializationOperation configureDomainList(DomainListConfiguration configuration, CachingJpaDomainList domainList) {
        return InitilizationOperationBuilder
            .forClass(CachingJpaDomainList.class)
            .init(() -> domainList.configure(configuration));
    }

    @ProvidesIntoSet
    InitializationOperation configureRecipientRewriteTable(ConfigurationProvider configurationProvider, CachingJpaRecipientRewriteTable table) {
        return InitilizationOperationBuilder
            .forClass(CachingJpaRecipientRewriteTable.class)
            .init(() -> table.configure(configurationProvider.getConfiguration("recipientrewritetable")));
    }

    @ProvidesIntoSet
    InitializationOperation configureUsersRepository(ConfigurationProvider configurationProvider, CachingJpaUsersRepository usersRepository) {
        return InitilizationOperationBuilder
            .forClass(CachingJpaUsersRepository.class)
            .init(() -> usersRepository.configure(configurationProvider.getConfiguration("usersrepository")));
    }
}
