package org.msa4james.storage;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Whether the server can store mail now: its data directory exists, is a writable directory, and has at least a
 * minimum of free space (for the user running James: {@link java.io.File#getUsableSpace()}).
 *
 * <p>A check costs three system calls; its answer is kept for {@link #CACHE_TIME}, so that a flood of sessions costs
 * at most a few checks a second. Thread-safe.</p>
 */
public final class StorageCheck {
    public static final Duration CACHE_TIME = Duration.ofSeconds(1);

    private final Path directory;
    private final long minimumFreeBytes;
    private final Clock clock;
    private volatile Cached cached;

    public StorageCheck(Path directory, long minimumFreeBytes, Clock clock) {
        if (minimumFreeBytes < 0) {
            throw new IllegalArgumentException("minimumFreeBytes must not be negative");
        }
        this.directory = directory.toAbsolutePath().normalize();
        this.minimumFreeBytes = minimumFreeBytes;
        this.clock = clock;
    }

    public Path directory() {
        return directory;
    }

    public long minimumFreeBytes() {
        return minimumFreeBytes;
    }

    /** The state, at most {@link #CACHE_TIME} old. */
    public StorageState state() {
        Instant now = clock.instant();
        Cached current = cached;
        if (current != null && now.isBefore(current.until)) {
            return current.state;
        }
        return refresh();
    }

    /** The state now, whatever the cache holds. */
    public StorageState refresh() {
        StorageState state = measure();
        cached = new Cached(state, clock.instant().plus(CACHE_TIME));
        return state;
    }

    private StorageState measure() {
        if (!Files.isDirectory(directory)) {
            return StorageState.unavailable(Files.exists(directory) ? "is not a directory" : "does not exist");
        }
        if (!Files.isWritable(directory)) {
            return StorageState.unavailable("is not writable");
        }
        long usable = directory.toFile().getUsableSpace();
        if (usable < minimumFreeBytes) {
            return StorageState.lowSpace(usable, minimumFreeBytes);
        }
        return StorageState.available(usable);
    }

    private static final class Cached {
        private final StorageState state;
        private final Instant until;

        private Cached(StorageState state, Instant until) {
            this.state = state;
            this.until = until;
        }
    }
}
