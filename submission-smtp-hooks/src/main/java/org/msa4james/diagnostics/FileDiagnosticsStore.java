package org.msa4james.diagnostics;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.BufferedReader;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.Writer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import javax.annotation.PreDestroy;
import javax.inject.Inject;

import org.apache.james.filesystem.api.FileSystem;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The client diagnostics of one node, kept across restarts: an {@link InMemoryDiagnosticsStore} (same bound, same
 * eviction) whose entries are written to a file, one JSON object per line, at most {@link #WRITE_DELAY} after a change
 * and when the store is closed (James stops). A crash loses at most the counts of that last second.
 *
 * <p>The file is replaced atomically (written beside it, synced, renamed): a crash while writing leaves the previous
 * one. At start the file is read back; a line that cannot be read is skipped and logged, and a file that cannot be read
 * at all is set aside (renamed {@code .unreadable-<time>}) so that the diagnostics, which are not mail, never keep
 * James from starting.</p>
 */
public final class FileDiagnosticsStore implements DiagnosticsStore, AutoCloseable {
    public static final Duration WRITE_DELAY = Duration.ofSeconds(1);
    private static final Logger LOGGER = LoggerFactory.getLogger(FileDiagnosticsStore.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path file;
    private final InMemoryDiagnosticsStore memory;
    private final ScheduledExecutorService writer;
    private final AtomicBoolean writeScheduled = new AtomicBoolean();
    private final Object fileLock = new Object();

    /** The default location: {@value #FILE} under James's var directory, the data directory of the msa4james server. */
    public static final String FILE = "file://var/diagnostics/entries.jsonl";

    @Inject
    public FileDiagnosticsStore(FileSystem fileSystem) throws FileNotFoundException {
        this(fileSystem.getFile(FILE).toPath(), InMemoryDiagnosticsStore.DEFAULT_MAXIMUM_ENTRIES);
    }

    public FileDiagnosticsStore(Path file, int maximumEntries) {
        this.file = file.toAbsolutePath().normalize();
        this.memory = new InMemoryDiagnosticsStore(maximumEntries);
        this.writer = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "msa4james-diagnostics-writer");
            thread.setDaemon(true);
            return thread;
        });
        load();
    }

    public Path file() {
        return file;
    }

    @Override
    public boolean record(DiagnosticKey key, Instant at) {
        boolean isNew = memory.record(key, at);
        scheduleWrite();
        return isNew;
    }

    @Override
    public List<DiagnosticEntry> list(DiagnosticFilter filter) {
        return memory.list(filter);
    }

    @Override
    public void reset() {
        memory.reset();
        writeNow();
    }

    /** Writes what is pending and stops the writer. */
    @Override
    @PreDestroy
    public void close() {
        writer.shutdown();
        writeNow();
    }

    private void scheduleWrite() {
        if (writeScheduled.compareAndSet(false, true)) {
            try {
                writer.schedule(this::writeNow, WRITE_DELAY.toMillis(), TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException closed) {
                writeScheduled.set(false);
                writeNow();
            }
        }
    }

    /** Writes the entries now (the caller's thread). Failures are logged: the entries stay in memory. */
    void writeNow() {
        writeScheduled.set(false);
        List<DiagnosticEntry> entries = memory.snapshot();
        synchronized (fileLock) {
            try {
                Files.createDirectories(file.getParent());
                Path next = file.resolveSibling(file.getFileName() + ".next");
                try (FileChannel channel = FileChannel.open(next, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                        StandardOpenOption.TRUNCATE_EXISTING);
                     Writer out = Channels.newWriter(channel, UTF_8)) {
                    for (DiagnosticEntry entry : entries) {
                        out.write(JSON.writeValueAsString(toJson(entry)));
                        out.write('\n');
                    }
                    out.flush();
                    channel.force(true);
                }
                move(next);
            } catch (IOException e) {
                LOGGER.error("Could not write the client diagnostics to {}: {}; they stay in memory and are written at the "
                    + "next change", file, e.toString());
            }
        }
    }

    private void move(Path next) throws IOException {
        try {
            Files.move(next, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(next, file, StandardCopyOption.REPLACE_EXISTING);
        }
        try (FileChannel directory = FileChannel.open(file.getParent(), StandardOpenOption.READ)) {
            directory.force(true);
        } catch (IOException e) {
            LOGGER.debug("Could not sync the directory {} (the rename is durable at the file system's next commit)", file.getParent(), e);
        }
    }

    private void load() {
        if (!Files.exists(file)) {
            return;
        }
        int restored = 0;
        int skipped = 0;
        try (BufferedReader reader = Files.newBufferedReader(file, UTF_8)) {
            String line;
            while ((line = reader.readLine()) != null) {
                if (line.isBlank()) {
                    continue;
                }
                try {
                    memory.restore(fromJson(JSON.readTree(line)));
                    restored++;
                } catch (IOException | RuntimeException e) {
                    skipped++;
                    LOGGER.warn("Skipped a line of {} that cannot be read: {}", file, e.toString());
                }
            }
        } catch (IOException e) {
            setAside(e);
            return;
        }
        LOGGER.info("Read {} client diagnostics entries from {}{}", restored, file, skipped == 0 ? "" : " (" + skipped + " skipped)");
    }

    private void setAside(IOException cause) {
        Path aside = file.resolveSibling(file.getFileName() + ".unreadable-" + Instant.now().toEpochMilli());
        try {
            Files.move(file, aside);
            LOGGER.error("Could not read the client diagnostics {} ({}); moved it to {} and started with none", file, cause, aside);
        } catch (IOException e) {
            LOGGER.error("Could not read the client diagnostics {} ({}) nor move it aside ({}); started with none", file, cause, e.toString());
        }
    }

    private static ObjectNode toJson(DiagnosticEntry entry) {
        ObjectNode node = JSON.createObjectNode();
        node.put("subject", entry.key().subject());
        node.put("clientSoftware", entry.key().clientSoftware());
        node.put("defect", entry.key().defect().id());
        node.put("count", entry.count());
        node.put("firstSeen", entry.firstSeen().toString());
        node.put("lastSeen", entry.lastSeen().toString());
        return node;
    }

    private static DiagnosticEntry fromJson(JsonNode node) {
        Defect defect = Defect.fromId(text(node, "defect"))
            .orElseThrow(() -> new IllegalArgumentException("unknown defect '" + text(node, "defect") + "'"));
        JsonNode count = node.get("count");
        if (count == null || !count.canConvertToLong() || count.asLong() < 1) {
            throw new IllegalArgumentException("count must be a positive number");
        }
        try {
            return new DiagnosticEntry(new DiagnosticKey(text(node, "subject"), text(node, "clientSoftware"), defect),
                count.asLong(), Instant.parse(text(node, "firstSeen")), Instant.parse(text(node, "lastSeen")));
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("bad time: " + e.getParsedString(), e);
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || !value.isTextual()) {
            throw new IllegalArgumentException("'" + field + "' is missing");
        }
        return value.asText();
    }
}
