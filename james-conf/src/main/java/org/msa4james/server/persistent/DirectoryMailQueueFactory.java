package org.msa4james.server.persistent;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

import javax.annotation.PreDestroy;

import org.apache.james.metrics.api.GaugeRegistry;
import org.apache.james.metrics.api.MetricFactory;
import org.apache.james.queue.api.MailQueueFactory;
import org.apache.james.queue.api.MailQueueItemDecoratorFactory;
import org.apache.james.queue.api.MailQueueName;
import org.apache.james.queue.api.ManageableMailQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.google.common.collect.ImmutableSet;

/**
 * The mail queues of the persistent server, one {@link DirectoryMailQueue} per sub-directory of the queue directory
 * ({@code var/queue/spool}, {@code var/queue/outgoing}). Every queue found on disk is opened at start, so that the
 * mail it holds is processed again and visible to webadmin even before James asks for the queue.
 */
public final class DirectoryMailQueueFactory implements MailQueueFactory<ManageableMailQueue> {
    private static final Logger LOGGER = LoggerFactory.getLogger(DirectoryMailQueueFactory.class);
    private static final Pattern PLAIN_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");
    /** Directories of an earlier release's ActiveMQ journal, never queues. */
    private static final Set<String> RESERVED = Set.of(KahaDbMigration.OLD_DIRECTORY, KahaDbMigration.OLD_TEMPORARY_DIRECTORY);
    private static final Pattern ENCODED_NAME = Pattern.compile("q(_[0-9a-f]{1,6})+");

    private final Path root;
    private final MailQueueItemDecoratorFactory decorators;
    private final MetricFactory metricFactory;
    private final GaugeRegistry gaugeRegistry;
    private final Clock clock;
    private final Map<MailQueueName, DirectoryMailQueue> queues = new ConcurrentHashMap<>();

    public DirectoryMailQueueFactory(File root, MailQueueItemDecoratorFactory decorators, MetricFactory metricFactory,
                                     GaugeRegistry gaugeRegistry, Clock clock) throws IOException {
        this.root = Files.createDirectories(root.toPath());
        this.decorators = decorators;
        this.metricFactory = metricFactory;
        this.gaugeRegistry = gaugeRegistry;
        this.clock = clock;
        try (DirectoryStream<Path> directories = Files.newDirectoryStream(this.root, Files::isDirectory)) {
            for (Path directory : directories) {
                String fileName = directory.getFileName().toString();
                queueName(fileName).ifPresent(this::open);
            }
        }
        LOGGER.info("Mail queues opened in {}: {}", this.root, queues.keySet());
    }

    @Override
    public Optional<ManageableMailQueue> getQueue(MailQueueName name, PrefetchCount count) {
        return Optional.ofNullable(queues.get(name));
    }

    @Override
    public ManageableMailQueue createQueue(MailQueueName name, PrefetchCount count) {
        return open(name);
    }

    private DirectoryMailQueue open(MailQueueName name) {
        return queues.computeIfAbsent(name, key -> {
            try {
                return new DirectoryMailQueue(key, root.resolve(directoryName(key)), decorators, metricFactory,
                    gaugeRegistry, clock);
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot open the mail queue " + key.asString() + " in " + root, e);
            }
        });
    }

    /** Plain names as they are; any other name gets a directory name made of its characters' code points. */
    static String directoryName(MailQueueName name) {
        String value = name.asString();
        if (PLAIN_NAME.matcher(value).matches() && !RESERVED.contains(value)
            && !ENCODED_NAME.matcher(value).matches()) {
            return value;
        }
        StringBuilder encoded = new StringBuilder("q");
        value.codePoints().forEach(codePoint -> encoded.append('_').append(Integer.toHexString(codePoint)));
        return encoded.toString();
    }

    /** The queue a directory holds: the inverse of {@link #directoryName}; nothing for other directories. */
    static Optional<MailQueueName> queueName(String directoryName) {
        if (RESERVED.contains(directoryName) || !PLAIN_NAME.matcher(directoryName).matches()) {
            return Optional.empty();
        }
        if (!ENCODED_NAME.matcher(directoryName).matches()) {
            return Optional.of(MailQueueName.of(directoryName));
        }
        StringBuilder decoded = new StringBuilder();
        for (String codePoint : directoryName.substring(2).split("_")) {
            decoded.appendCodePoint(Integer.parseInt(codePoint, 16));
        }
        return Optional.of(MailQueueName.of(decoded.toString()));
    }

    @Override
    public Set<MailQueueName> listCreatedMailQueues() {
        return ImmutableSet.copyOf(queues.keySet());
    }

    /** Stops every queue; their mail stays on disk. */
    @PreDestroy
    public void close() {
        queues.values().forEach(DirectoryMailQueue::shutdown);
    }
}
