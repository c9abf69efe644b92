package org.msa4james.server.persistent;

import java.io.File;
import java.time.Clock;

import javax.annotation.PreDestroy;
import javax.inject.Inject;
import javax.inject.Singleton;

import org.apache.james.filesystem.api.FileSystem;
import org.apache.james.metrics.api.GaugeRegistry;
import org.apache.james.metrics.api.MetricFactory;
import org.apache.james.queue.api.MailQueueItemDecoratorFactory;

/**
 * The directory mail queues of the persistent server under {@code <data directory>/queue}, with the mail of an
 * earlier release's ActiveMQ journal moved into them first. Closed when James stops: what they hold stays on disk.
 */
@Singleton
public final class PersistentQueues {
    public static final String QUEUE_DIRECTORY = "file://var/queue";

    private final DirectoryMailQueueFactory factory;

    @Inject
    public PersistentQueues(FileSystem fileSystem, MailQueueItemDecoratorFactory decorators, MetricFactory metricFactory,
                            GaugeRegistry gaugeRegistry) throws Exception {
        File root = fileSystem.getFile(QUEUE_DIRECTORY);
        this.factory = new DirectoryMailQueueFactory(root, decorators, metricFactory, gaugeRegistry, Clock.systemUTC());
        KahaDbMigration.migrateIfPresent(root, factory, metricFactory, Clock.systemUTC());
    }

    public DirectoryMailQueueFactory factory() {
        return factory;
    }

    @PreDestroy
    public void close() {
        factory.close();
    }
}
