package org.msa4james.server.persistent;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.DelayQueue;
import java.util.concurrent.Delayed;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

import javax.mail.MessagingException;

import org.apache.james.core.MailAddress;
import org.apache.james.metrics.api.GaugeRegistry;
import org.apache.james.metrics.api.Metric;
import org.apache.james.metrics.api.MetricFactory;
import org.apache.james.metrics.api.TimeMetric;
import org.apache.james.queue.api.MailQueueItemDecoratorFactory;
import org.apache.james.queue.api.MailQueue.MailQueueItem.CompletionStatus;
import org.apache.james.queue.api.MailQueueName;
import org.apache.james.queue.api.ManageableMailQueue;
import org.apache.james.server.core.MailImpl;
import org.apache.james.lifecycle.api.LifecycleUtil;
import org.apache.mailet.Mail;
import org.reactivestreams.Publisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * A mail queue kept in a directory, one synced file per mail ({@link QueueFile}): {@link #enQueue} returns once the
 * file and its directory entry are on disk, so the 250 that follows is a promise kept across a crash. The file is
 * deleted when its mail is done; a mail whose processing fails, or that is in processing when the server stops or
 * dies, stays on disk and is processed again (at least once, never lost).
 * <p>
 * What waits is also held in memory, as file name and due time only, so that a dequeue waits on a timer, not on a
 * poll of the disk. A mail due now is handed to a waiting consumer at once.
 */
final class DirectoryMailQueue implements ManageableMailQueue {
    private static final Logger LOGGER = LoggerFactory.getLogger(DirectoryMailQueue.class);
    /** Where files that cannot be read as queued mail are moved, never deleted. */
    static final String UNREADABLE_DIRECTORY = "unreadable";
    private static final Duration FIRST_RETRY = Duration.ofSeconds(1);
    private static final Duration LONGEST_RETRY = Duration.ofSeconds(30);
    private static final long POLL_MILLIS = 500;

    private final MailQueueName name;
    private final Path directory;
    private final MailQueueItemDecoratorFactory decorators;
    private final Clock clock;
    private final DelayQueue<Entry> waiting = new DelayQueue<>();
    private final ConcurrentHashMap<Path, Entry> processing = new ConcurrentHashMap<>();
    private final AtomicLong sequence = new AtomicLong();
    private final String instance = Long.toString(System.nanoTime() & 0xffffffL, 36);
    private final Metric enqueued;
    private final Metric dequeued;
    private final MetricFactory metricFactory;
    private final Scheduler scheduler;
    private final Flux<MailQueueItem> flux;
    private volatile boolean closed;

    DirectoryMailQueue(MailQueueName name, Path directory, MailQueueItemDecoratorFactory decorators,
                       MetricFactory metricFactory, GaugeRegistry gaugeRegistry, Clock clock) throws IOException {
        this.name = name;
        this.directory = directory;
        this.decorators = decorators;
        this.clock = clock;
        this.metricFactory = metricFactory;
        this.enqueued = metricFactory.generate(ENQUEUED_METRIC_NAME_PREFIX + name.asString());
        this.dequeued = metricFactory.generate(DEQUEUED_METRIC_NAME_PREFIX + name.asString());
        gaugeRegistry.register(QUEUE_SIZE_METRIC_NAME_PREFIX + name.asString(), this::getSize);
        Files.createDirectories(directory);
        recover();
        this.scheduler = Schedulers.newSingle("msa4james-queue-" + name.asString(), true);
        this.flux = Mono.fromCallable(this::next)
            .subscribeOn(scheduler)
            .repeat(() -> !closed)
            .map(item -> decorators.decorate(item, name));
    }

    /** Takes every complete file of the directory back, in the order they were written; sets aside the others. */
    private void recover() throws IOException {
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(directory, "*" + QueueFile.SUFFIX)) {
            stream.forEach(files::add);
        }
        files.sort(null);
        int taken = 0;
        for (Path file : files) {
            try {
                QueueFile.Envelope envelope = QueueFile.read(file);
                waiting.add(new Entry(file, envelope.nextDelivery, sequence.incrementAndGet()));
                taken++;
            } catch (QueueFile.IncompleteQueueFileException e) {
                // the enqueue did not return: no 250 was given for it
                LOGGER.warn("Mail queue {}: {}; it was never acknowledged and is set aside", name.asString(), e.getMessage());
                setAside(file);
            } catch (IOException | RuntimeException e) {
                LOGGER.error("Mail queue {}: cannot read {} ({}); it is set aside in {} for the administrator",
                    name.asString(), file, e.toString(), directory.resolve(UNREADABLE_DIRECTORY));
                setAside(file);
            }
        }
        if (taken > 0 || !files.isEmpty()) {
            LOGGER.info("Mail queue {}: {} mail(s) taken back from {}", name.asString(), taken, directory);
        }
    }

    private void setAside(Path file) throws IOException {
        Path aside = Files.createDirectories(directory.resolve(UNREADABLE_DIRECTORY));
        Files.move(file, aside.resolve(file.getFileName()), StandardCopyOption.REPLACE_EXISTING);
    }

    @Override
    public MailQueueName getName() {
        return name;
    }

    @Override
    public void enQueue(Mail mail) throws MailQueueException {
        enQueue(mail, Duration.ZERO);
    }

    @Override
    public void enQueue(Mail mail, Duration delay) throws MailQueueException {
        TimeMetric timer = metricFactory.timer(ENQUEUED_TIMER_METRIC_NAME_PREFIX + name.asString());
        long nextDelivery = nextDelivery(delay);
        long number = sequence.incrementAndGet();
        Path file = directory.resolve(fileName(clock.millis(), number));
        try {
            QueueFile.write(file, mail, nextDelivery);
            syncDirectory();
        } catch (IOException | MessagingException | RuntimeException e) {
            deleteQuietly(file);
            throw new MailQueueException("Unable to enqueue mail " + mail.getName() + " in " + directory + ": " + e, e);
        }
        waiting.add(new Entry(file, nextDelivery, number));
        enqueued.increment();
        timer.stopAndPublish();
    }

    /** {@code <enqueue time, 13 digits>-<this queue's instance>-<sequence, 8 digits>.mail}: sorted as enqueued. */
    private String fileName(long millis, long number) {
        StringBuilder name = new StringBuilder(48);
        padded(name, millis, 13).append('-').append(instance).append('-');
        return padded(name, number, 8).append(QueueFile.SUFFIX).toString();
    }

    private static StringBuilder padded(StringBuilder name, long value, int width) {
        String digits = Long.toString(value);
        for (int i = digits.length(); i < width; i++) {
            name.append('0');
        }
        return name.append(digits);
    }

    private long nextDelivery(Duration delay) {
        long now = clock.millis();
        if (delay.isNegative() || delay.isZero()) {
            return now;
        }
        try {
            return Math.addExact(now, delay.toMillis());
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;
        }
    }

    /** Makes the new directory entry durable: without it a crash could keep the file's data but lose its name. */
    private void syncDirectory() throws IOException {
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }

    @Override
    public Publisher<Void> enqueueReactive(Mail mail) {
        return Mono.fromCallable(() -> {
            enQueue(mail);
            return true;
        }).subscribeOn(Schedulers.boundedElastic()).then();
    }

    @Override
    public Flux<MailQueueItem> deQueue() {
        return flux;
    }

    /** The next mail due, or nothing within a short wait (the flux asks again until the queue closes). */
    private MailQueueItem next() {
        while (!closed) {
            Entry entry;
            try {
                entry = waiting.poll(POLL_MILLIS, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                // the queue is closing
                Thread.currentThread().interrupt();
                return null;
            }
            if (entry == null) {
                return null;
            }
            processing.put(entry.file, entry);
            try {
                MailImpl mail = QueueFile.load(entry.file);
                dequeued.increment();
                return new Item(entry, mail);
            } catch (NoSuchFileException e) {
                // removed by an administrator (clear, remove) while it waited
                processing.remove(entry.file);
            } catch (IOException | MessagingException | RuntimeException e) {
                processing.remove(entry.file);
                if (closed || Thread.currentThread().isInterrupted()) {
                    // the queue is closing: the mail stays on disk, untouched, for the next start
                    waiting.add(entry);
                    return null;
                }
                retryLater(entry, "cannot be read: " + e);
            }
        }
        return null;
    }

    private void retryLater(Entry entry, String why) {
        int attempts = entry.attempts + 1;
        long delay = Math.min(LONGEST_RETRY.toMillis(), FIRST_RETRY.toMillis() << Math.min(attempts - 1, 20));
        LOGGER.warn("Mail queue {}: {} {}; trying again in {} ms (attempt {})", name.asString(), entry.file.getFileName(),
            why, delay, attempts);
        waiting.add(new Entry(entry.file, clock.millis() + delay, entry.sequence, attempts));
    }

    private void done(Entry entry, CompletionStatus status) {
        processing.remove(entry.file);
        if (status == CompletionStatus.SUCCESS) {
            deleteQuietly(entry.file);
        } else {
            // James answers REJECT when even its error handling failed: the mail stays and is tried again, later
            retryLater(entry, "was not processed (" + status + ")");
        }
    }

    private void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            LOGGER.warn("Mail queue {}: cannot delete {} ({}); its mail will be processed again after a restart",
                name.asString(), file, e.toString());
        }
    }

    @Override
    public long getSize() {
        return waiting.size() + processing.size();
    }

    @Override
    public long flush() {
        long now = clock.millis();
        long count = 0;
        for (Entry entry : waiting.toArray(new Entry[0])) {
            if (entry.nextDelivery > now && waiting.remove(entry)) {
                try {
                    QueueFile.setNextDelivery(entry.file, now);
                } catch (IOException e) {
                    LOGGER.warn("Mail queue {}: cannot record the flush of {} ({}); it is due now until a restart",
                        name.asString(), entry.file, e.toString());
                }
                waiting.add(new Entry(entry.file, now, entry.sequence, entry.attempts));
                count++;
            }
        }
        return count;
    }

    @Override
    public long clear() {
        return removeWhere(mail -> true);
    }

    @Override
    public long remove(Type type, String value) {
        switch (type) {
            case Name:
                return removeWhere(mail -> mail.getName().equals(value));
            case Sender:
                return removeWhere(mail -> mail.getMaybeSender().asString().equals(value));
            case Recipient:
                return removeWhere(mail -> mail.getRecipients().stream().map(MailAddress::asString).anyMatch(value::equals));
            default:
                throw new IllegalArgumentException("Cannot remove mail by " + type);
        }
    }

    private long removeWhere(Predicate<MailImpl> condition) {
        long count = 0;
        for (Entry entry : waiting.toArray(new Entry[0])) {
            Optional<MailImpl> mail = envelope(entry.file);
            if (mail.isPresent() && condition.test(mail.get()) && waiting.remove(entry)) {
                deleteQuietly(entry.file);
                LOGGER.info("Mail queue {}: mail {} removed by an administrator", name.asString(), mail.get().getName());
                count++;
            }
        }
        return count;
    }

    private Optional<MailImpl> envelope(Path file) {
        try {
            return Optional.of(QueueFile.read(file).mail);
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    @Override
    public MailQueueIterator browse() {
        Iterator<Entry> entries = List.of(waiting.toArray(new Entry[0])).stream()
            .sorted()
            .iterator();
        List<Mail> opened = new ArrayList<>();
        return new MailQueueIterator() {
            private MailQueueItemView next = advance();

            private MailQueueItemView advance() {
                while (entries.hasNext()) {
                    Entry entry = entries.next();
                    try {
                        MailImpl mail = QueueFile.load(entry.file);
                        opened.add(mail);
                        return new DefaultMailQueueItemView(mail,
                            ZonedDateTime.ofInstant(Instant.ofEpochMilli(entry.nextDelivery), ZoneId.systemDefault()));
                    } catch (IOException | MessagingException e) {
                        // gone since the snapshot (delivered, removed): not in the queue any more
                    }
                }
                return null;
            }

            @Override
            public boolean hasNext() {
                return next != null;
            }

            @Override
            public MailQueueItemView next() {
                if (next == null) {
                    throw new java.util.NoSuchElementException();
                }
                MailQueueItemView current = next;
                next = advance();
                return current;
            }

            @Override
            public void close() {
                opened.forEach(LifecycleUtil::dispose);
            }
        };
    }

    /**
     * Nothing: the queue is shared, and James's users of a queue close it when they are done with it (webadmin's
     * reprocessing does, while the spooler still takes mail from it). {@link #shutdown} stops it, at James's stop.
     */
    @Override
    public void close() {
    }

    /** Stops handing out mail; what waits or is in processing stays on disk for the next start. */
    void shutdown() {
        closed = true;
        scheduler.dispose();
    }

    Path directory() {
        return directory;
    }

    private final class Item implements MailQueueItem {
        private final Entry entry;
        private final MailImpl mail;

        Item(Entry entry, MailImpl mail) {
            this.entry = entry;
            this.mail = mail;
        }

        @Override
        public Mail getMail() {
            return mail;
        }

        @Override
        public void done(CompletionStatus status) {
            DirectoryMailQueue.this.done(entry, status);
        }
    }

    private final class Entry implements Delayed {
        private final Path file;
        private final long nextDelivery;
        private final long sequence;
        private final int attempts;

        Entry(Path file, long nextDelivery, long sequence) {
            this(file, nextDelivery, sequence, 0);
        }

        Entry(Path file, long nextDelivery, long sequence, int attempts) {
            this.file = file;
            this.nextDelivery = nextDelivery;
            this.sequence = sequence;
            this.attempts = attempts;
        }

        @Override
        public long getDelay(TimeUnit unit) {
            return unit.convert(nextDelivery - clock.millis(), TimeUnit.MILLISECONDS);
        }

        @Override
        public int compareTo(Delayed other) {
            Entry that = (Entry) other;
            int byTime = Long.compare(nextDelivery, that.nextDelivery);
            return byTime != 0 ? byTime : Long.compare(sequence, that.sequence);
        }
    }
}
