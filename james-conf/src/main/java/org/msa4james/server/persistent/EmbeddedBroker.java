package org.msa4james.server.persistent;

import java.io.File;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import javax.jms.ConnectionFactory;

import org.apache.activemq.ActiveMQConnectionFactory;
import org.apache.activemq.ActiveMQPrefetchPolicy;
import org.apache.activemq.RedeliveryPolicy;
import org.apache.activemq.broker.BrokerPlugin;
import org.apache.activemq.broker.BrokerService;
import org.apache.activemq.broker.jmx.ManagementContext;
import org.apache.activemq.command.ActiveMQDestination;
import org.apache.activemq.plugin.StatisticsBrokerPlugin;
import org.apache.activemq.store.kahadb.KahaDBPersistenceAdapter;
import org.apache.activemq.store.kahadb.disk.journal.Journal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ActiveMQ broker of earlier releases, which kept the persistent server's queues in a KahaDB journal under
 * {@code <data directory>/queue/kahadb}; now opened only by {@link KahaDbMigration} to move what it still holds into
 * the directory queues. Reachable only inside this JVM ({@code vm://} transport), no JMX, no network port.
 */
final class EmbeddedBroker {
    private static final Logger LOGGER = LoggerFactory.getLogger(EmbeddedBroker.class);
    private static final String BROKER_NAME = "msa4james";

    private final BrokerService broker;
    private final ActiveMQConnectionFactory connectionFactory;

    EmbeddedBroker(File directory) throws Exception {
        this.broker = new BrokerService();
        broker.setBrokerName(BROKER_NAME);
        broker.setPersistent(true);
        broker.setDataDirectoryFile(directory);
        broker.setTmpDataDirectory(new File(directory, "tmp"));
        broker.setPersistenceAdapter(journal(new File(directory, "kahadb")));
        broker.setUseJmx(false);
        ManagementContext managementContext = new ManagementContext();
        managementContext.setCreateConnector(false);
        broker.setManagementContext(managementContext);
        broker.setUseShutdownHook(false);
        broker.setSchedulerSupport(false);
        broker.setAdvisorySupport(false);
        // queue sizes for webadmin and metrics (James's queue asks the statistics plugin)
        broker.setPlugins(new BrokerPlugin[] {new StatisticsBrokerPlugin()});
        broker.setEnableStatistics(true);
        broker.getSystemUsage().setSendFailIfNoSpace(true);
        broker.start();
        if (!broker.waitUntilStarted()) {
            throw new IllegalStateException("The mail queue broker did not start; see the errors above (" + directory + ")");
        }
        LOGGER.info("Earlier mail queues opened in {}", new File(directory, KahaDbMigration.OLD_DIRECTORY));

        this.connectionFactory = new ActiveMQConnectionFactory("vm://" + BROKER_NAME + "?create=false");
        connectionFactory.setTrustAllPackages(false);
        connectionFactory.setAlwaysSyncSend(true);
        ActiveMQPrefetchPolicy prefetch = new ActiveMQPrefetchPolicy();
        prefetch.setQueuePrefetch(0);
        prefetch.setTopicPrefetch(0);
        connectionFactory.setPrefetchPolicy(prefetch);
        // A transaction rolled back (a mail whose processing failed, a stop in the middle) puts the mail back in its
        // queue; ActiveMQ's default moves it to its dead-letter queue, which James never reads, after 6 of them.
        RedeliveryPolicy redelivery = new RedeliveryPolicy();
        redelivery.setMaximumRedeliveries(RedeliveryPolicy.NO_MAXIMUM_REDELIVERIES);
        connectionFactory.setRedeliveryPolicy(redelivery);
    }

    private static KahaDBPersistenceAdapter journal(File directory) {
        KahaDBPersistenceAdapter journal = new KahaDBPersistenceAdapter();
        journal.setDirectory(directory);
        journal.setJournalDiskSyncStrategy(Journal.JournalDiskSyncStrategy.ALWAYS.name());
        journal.setConcurrentStoreAndDispatchQueues(false);
        journal.setChecksumJournalFiles(true);
        journal.setCheckForCorruptJournalFiles(true);
        return journal;
    }

    ConnectionFactory connectionFactory() {
        return connectionFactory;
    }

    /** The queues the journal holds. */
    Set<String> queueNames() throws Exception {
        return broker.getPersistenceAdapter().getDestinations().stream()
            .filter(ActiveMQDestination::isQueue)
            .map(ActiveMQDestination::getPhysicalName)
            .filter(name -> !name.startsWith("ActiveMQ."))
            .collect(Collectors.toCollection(TreeSet::new));
    }

    void stop() throws Exception {
        broker.stop();
        broker.waitUntilStopped();
        LOGGER.info("Earlier mail queues closed");
    }
}
