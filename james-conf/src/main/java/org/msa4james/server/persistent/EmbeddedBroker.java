package org.msa4james.server.persistent;

import java.io.File;

import javax.annotation.PreDestroy;
import javax.inject.Inject;
import javax.inject.Singleton;
import javax.jms.ConnectionFactory;

import org.apache.activemq.ActiveMQConnectionFactory;
import org.apache.activemq.ActiveMQPrefetchPolicy;
import org.apache.activemq.RedeliveryPolicy;
import org.apache.activemq.broker.BrokerPlugin;
import org.apache.activemq.broker.BrokerService;
import org.apache.activemq.broker.jmx.ManagementContext;
import org.apache.activemq.plugin.StatisticsBrokerPlugin;
import org.apache.activemq.store.kahadb.KahaDBPersistenceAdapter;
import org.apache.activemq.store.kahadb.disk.journal.Journal;
import org.apache.james.filesystem.api.FileSystem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ActiveMQ broker inside the persistent server, holding every mail queue (spool, outgoing with its retry
 * schedule) in a KahaDB journal under {@code <data directory>/queue}.
 *
 * <p>What makes a 250 a promise:</p>
 * <ul>
 *   <li>{@code journalDiskSyncStrategy=always}: KahaDB writes and fsyncs the journal before it confirms a message to
 *   its producer; the SMTP listener answers 250 only after that confirmation. Concurrent writes are batched into one
 *   sync, so the cost is one fsync per batch, not per message.</li>
 *   <li>{@code concurrentStoreAndDispatchQueues=false}: a message is stored before it is handed to a consumer, so
 *   its producer is never confirmed on the strength of a consumer that has not finished with it yet.</li>
 *   <li>The message itself travels inside the journal record (the queue factory is told not to use ActiveMQ's blob
 *   messages, whose separate files are written without a sync).</li>
 *   <li>No limit to redeliveries: a mail rolled back into its queue any number of times stays there, never moved to
 *   ActiveMQ's dead-letter queue (which James does not read).</li>
 *   <li>{@code sendFailIfNoSpace}: when the store is full the producer gets an error (James answers a 4xx) instead of
 *   waiting for space, which would hang the SMTP session.</li>
 * </ul>
 *
 * <p>The broker is reachable only inside this JVM ({@code vm://} transport): it opens no network port, so no other
 * process can read or inject queued mail.</p>
 */
@Singleton
public final class EmbeddedBroker {
    private static final Logger LOGGER = LoggerFactory.getLogger(EmbeddedBroker.class);
    public static final String QUEUE_DIRECTORY = "file://var/queue";
    private static final String BROKER_NAME = "msa4james";

    private final BrokerService broker;
    private final ActiveMQConnectionFactory connectionFactory;

    @Inject
    public EmbeddedBroker(FileSystem fileSystem) throws Exception {
        File directory = fileSystem.getFile(QUEUE_DIRECTORY);
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
        LOGGER.info("Mail queues opened in {}", directory);

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

    public ConnectionFactory connectionFactory() {
        return connectionFactory;
    }

    @PreDestroy
    public void stop() throws Exception {
        broker.stop();
        broker.waitUntilStopped();
        LOGGER.info("Mail queues closed");
    }
}
