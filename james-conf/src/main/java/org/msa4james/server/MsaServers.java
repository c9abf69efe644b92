package org.msa4james.server;

import org.apache.commons.configuration2.BaseHierarchicalConfiguration;
import org.apache.james.GuiceJamesServer;
import org.apache.james.MemoryJamesServerMain;
import org.apache.james.modules.MailboxModule;
import org.apache.james.modules.MailetProcessingModule;
import org.apache.james.modules.data.MemoryUsersRepositoryModule;
import org.apache.james.modules.protocols.IMAPServerModule;
import org.apache.james.modules.protocols.ProtocolHandlerModule;
import org.apache.james.modules.protocols.SMTPServerModule;
import org.apache.james.modules.server.DKIMMailetModule;
import org.apache.james.modules.server.DataRoutesModules;
import org.apache.james.modules.server.MailQueueRoutesModule;
import org.apache.james.modules.server.MailRepositoriesRoutesModule;
import org.apache.james.modules.server.MailboxRoutesModule;
import org.apache.james.modules.server.MailetContainerModule;
import org.apache.james.modules.server.NoJwtModule;
import org.apache.james.modules.server.SieveRoutesModule;
import org.apache.james.modules.server.TaskManagerModule;
import org.apache.james.modules.server.WebAdminServerModule;
import org.apache.james.server.core.configuration.Configuration;
import org.msa4james.autoconfig.AutoconfigModule;
import org.msa4james.server.persistent.PersistentDataModule;
import org.msa4james.server.persistent.PersistentMailboxModule;
import org.msa4james.server.persistent.PersistentQueueModule;

import com.google.inject.Module;
import com.google.inject.util.Modules;

/**
 * The two James servers that run the msa4james configuration: the same protocols (SMTP, IMAP), mailet container
 * and webadmin routes over two kinds of storage.
 */
public final class MsaServers {
    /** SMTP and IMAP listeners: the listeners of conf/smtpserver.xml and conf/imapserver.xml. */
    private static final Module PROTOCOLS = Modules.combine(
        new ProtocolHandlerModule(),
        new SMTPServerModule(),
        new IMAPServerModule());

    /** Webadmin: users, domains, aliases, delegations, mailboxes, mail queues, mail repositories, sieve scripts. */
    private static final Module WEBADMIN = Modules.combine(
        new WebAdminServerModule(),
        new DataRoutesModules(),
        new MailboxRoutesModule(),
        new MailQueueRoutesModule(),
        new MailRepositoriesRoutesModule(),
        new SieveRoutesModule(),
        new NoJwtModule());

    private static final Module PERSISTENT = Modules.combine(
        new MailetProcessingModule(),
        new DKIMMailetModule(),
        new MailboxModule(),
        new TaskManagerModule(),
        new PersistentDataModule(),
        new PersistentMailboxModule(),
        new PersistentQueueModule(),
        // the processors come from conf/mailetcontainer.xml; there is no built-in default to fall back on
        binder -> binder.bind(MailetContainerModule.DefaultProcessorsConfigurationSupplier.class)
            .toInstance(BaseHierarchicalConfiguration::new),
        PROTOCOLS,
        WEBADMIN);

    private MsaServers() {
    }

    public static GuiceJamesServer create(Storage storage, Configuration configuration) {
        switch (storage) {
            case PERSISTENT:
                return persistent(configuration);
            case MEMORY:
                return memory(configuration);
            default:
                throw new IllegalArgumentException("No server for the storage " + storage);
        }
    }

    /** JPA on embedded Derby, directory mail queues (one synced file per mail), file mail repositories: see {@code org.msa4james.server.persistent}. */
    public static GuiceJamesServer persistent(Configuration configuration) {
        return GuiceJamesServer.forConfiguration(configuration)
            .combineWith(PERSISTENT, new AutoconfigModule());
    }

    /** James 3.8.1's memory server, as its own main class composes it (JMAP stays off: conf/jmap.properties). */
    public static GuiceJamesServer memory(Configuration configuration) {
        return GuiceJamesServer.forConfiguration(configuration)
            .combineWith(MemoryJamesServerMain.IN_MEMORY_SERVER_AGGREGATE_MODULE)
            .combineWith(new MemoryUsersRepositoryModule(), new AutoconfigModule());
    }
}
