package org.msa4james.server.persistent;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.apache.james.metrics.api.NoopGaugeRegistry;
import org.apache.james.metrics.api.MetricFactory;
import org.apache.james.metrics.api.GaugeRegistry;
import org.apache.james.queue.activemq.ActiveMQMailQueueFactory;
import org.apache.james.queue.activemq.metric.ActiveMQMetricCollectorNoop;
import org.apache.james.queue.api.MailQueue.MailQueueException;
import org.apache.james.queue.api.MailQueueName;
import org.apache.james.queue.api.ManageableMailQueue;
import org.apache.james.queue.api.ManageableMailQueue.MailQueueItemView;
import org.apache.james.queue.api.RawMailQueueItemDecoratorFactory;
import org.apache.james.lifecycle.api.LifecycleUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Earlier releases kept the persistent server's queues in ActiveMQ's KahaDB journal ({@code var/queue/kahadb}). At the
 * first start of this release, every mail still in it is copied into the directory queues, then the journal is
 * renamed {@code kahadb.migrated-<time>} (kept for the administrator to delete). A crash during the copy only means
 * that the copy starts again at the next start: a mail may then be delivered twice, never lost.
 */
final class KahaDbMigration {
    static final String OLD_DIRECTORY = "kahadb";
    /** ActiveMQ's scratch directory beside the journal: no queued mail in it. */
    static final String OLD_TEMPORARY_DIRECTORY = "tmp";
    private static final Logger LOGGER = LoggerFactory.getLogger(KahaDbMigration.class);

    private KahaDbMigration() {
    }

    static void migrateIfPresent(File queueRoot, DirectoryMailQueueFactory target, MetricFactory metricFactory,
                                 Clock clock) throws Exception {
        Path journal = queueRoot.toPath().resolve(OLD_DIRECTORY);
        if (!Files.isDirectory(journal)) {
            return;
        }
        LOGGER.info("Mail queues: moving the mail of the earlier ActiveMQ queues in {} into the queue directories", journal);
        EmbeddedBroker broker = new EmbeddedBroker(queueRoot);
        long moved = 0;
        try {
            GaugeRegistry gauges = new NoopGaugeRegistry();
            ActiveMQMailQueueFactory old = new ActiveMQMailQueueFactory(broker.connectionFactory(),
                new RawMailQueueItemDecoratorFactory(), metricFactory, gauges, new ActiveMQMetricCollectorNoop());
            old.setUseBlobMessages(false);
            old.setUseJMX(false);
            old.init();
            try {
                for (String queueName : broker.queueNames()) {
                    moved += move(old, MailQueueName.of(queueName), target, clock);
                }
            } finally {
                old.destroy();
            }
        } finally {
            broker.stop();
        }
        Path renamed = journal.resolveSibling(OLD_DIRECTORY + ".migrated-"
            + DateTimeFormatter.ISO_INSTANT.format(Instant.ofEpochSecond(clock.millis() / 1000)).replace(':', '-'));
        Files.move(journal, renamed);
        deleteTree(queueRoot.toPath().resolve(OLD_TEMPORARY_DIRECTORY));
        LOGGER.info("Mail queues: {} mail(s) moved; the old journal is kept as {} and can be deleted", moved, renamed);
    }

    private static void deleteTree(Path directory) throws IOException {
        if (!Files.isDirectory(directory)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).collect(Collectors.toList())) {
                Files.delete(path);
            }
        }
    }

    private static long move(ActiveMQMailQueueFactory old, MailQueueName name, DirectoryMailQueueFactory target,
                             Clock clock) throws MailQueueException {
        ManageableMailQueue from = old.getQueue(name).orElseGet(() -> old.createQueue(name));
        ManageableMailQueue to = target.createQueue(name);
        List<MailQueueItemView> views = new ArrayList<>();
        ManageableMailQueue.MailQueueIterator iterator = from.browse();
        try {
            iterator.forEachRemaining(views::add);
            for (MailQueueItemView view : views) {
                Duration delay = view.getNextDelivery()
                    .map(next -> Duration.ofMillis(Math.max(0, next.toInstant().toEpochMilli() - clock.millis())))
                    .orElse(Duration.ZERO);
                to.enQueue(view.getMail(), delay);
            }
        } finally {
            iterator.close();
            views.forEach(view -> LifecycleUtil.dispose(view.getMail()));
        }
        if (!views.isEmpty()) {
            LOGGER.info("Mail queues: {} mail(s) of the queue {} moved", views.size(), name.asString());
        }
        return views.size();
    }
}
