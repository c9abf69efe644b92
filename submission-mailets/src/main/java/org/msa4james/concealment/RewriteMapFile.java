package org.msa4james.concealment;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A {@link RewriteMap} read from a file that the administrator edits, and read again when it changes.
 *
 * <p>{@link #load} reads the file once and fails on any error, so that a broken map stops the server at start.
 * Afterwards {@link #current()} looks at the file's modification time and size at most once per reload interval
 * (measured with the injected clock); when either changed, it reads the file again. A new version with an error, or
 * a file that has disappeared, keeps the previous map in use and is reported once to the {@link Listener}, until
 * the file changes again. Safe for concurrent use; between checks {@link #current()} costs one volatile read.</p>
 */
public final class RewriteMapFile {

    /** What happens when the file changes; the mailet logs it. */
    public interface Listener {
        /** A changed file was read: {@code map} is now in use. */
        void reloaded(Path file, RewriteMap map);

        /** A changed file could not be used; {@code kept} stays in use. */
        void reloadFailed(Path file, RewriteMapException problem, RewriteMap kept);
    }

    private final Path file;
    private final Duration reloadInterval;
    private final Clock clock;
    private final Listener listener;
    private final Object lock = new Object();
    private volatile State state;

    private RewriteMapFile(Path file, Duration reloadInterval, Clock clock, Listener listener, State state) {
        this.file = file;
        this.reloadInterval = reloadInterval;
        this.clock = clock;
        this.listener = listener;
        this.state = state;
    }

    /**
     * Reads the map file.
     *
     * @throws RewriteMapException when the file cannot be read or has an error (the message names file and line)
     */
    public static RewriteMapFile load(Path file, Duration reloadInterval, Clock clock, Listener listener) throws RewriteMapException {
        Objects.requireNonNull(listener);
        if (reloadInterval.isNegative() || reloadInterval.isZero()) {
            throw new IllegalArgumentException("reload interval must be positive, not " + reloadInterval);
        }
        Path absolute = file.toAbsolutePath().normalize();
        Optional<Stamp> stamp = Stamp.of(absolute);
        if (stamp.isEmpty()) {
            throw new RewriteMapException(absolute.toString(), OptionalInt.empty(), "no such file");
        }
        RewriteMap map = read(absolute);
        Instant now = clock.instant();
        return new RewriteMapFile(absolute, reloadInterval, clock, listener,
            new State(map, stamp, Optional.empty(), now.plus(reloadInterval)));
    }

    /** The file, as an absolute path. */
    public Path file() {
        return file;
    }

    /** The map in use, read again first when the reload interval has passed and the file has changed. */
    public RewriteMap current() {
        Instant now = clock.instant();
        State seen = state;
        if (now.isBefore(seen.nextCheck)) {
            return seen.map;
        }
        synchronized (lock) {
            seen = state;
            if (now.isBefore(seen.nextCheck)) {
                return seen.map;
            }
            Instant nextCheck = now.plus(reloadInterval);
            Optional<Stamp> stamp = Stamp.of(file);
            if (stamp.equals(seen.stamp) || seen.failedStamp.isPresent() && stamp.equals(seen.failedStamp.get())) {
                state = seen.nextCheck(nextCheck);
                return seen.map;
            }
            try {
                if (stamp.isEmpty()) {
                    throw new RewriteMapException(file.toString(), OptionalInt.empty(), "no such file");
                }
                RewriteMap map = read(file);
                state = new State(map, stamp, Optional.empty(), nextCheck);
                listener.reloaded(file, map);
                return map;
            } catch (RewriteMapException e) {
                state = new State(seen.map, seen.stamp, Optional.of(stamp), nextCheck);
                listener.reloadFailed(file, e, seen.map);
                return seen.map;
            }
        }
    }

    private static RewriteMap read(Path file) throws RewriteMapException {
        byte[] content;
        try {
            content = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new RewriteMapException(file.toString(), OptionalInt.empty(), "no such file");
        } catch (IOException e) {
            throw new RewriteMapException(file.toString(), "cannot be read: " + e, e);
        }
        return RewriteMap.parse(file.toString(), content);
    }

    private static final class State {
        private final RewriteMap map;
        /** The file's stamp when {@link #map} was read from it (stat before read: a later change is seen). */
        private final Optional<Stamp> stamp;
        /** The stamp of a version that could not be used (empty stamp inside: the file had disappeared). */
        private final Optional<Optional<Stamp>> failedStamp;
        private final Instant nextCheck;

        State(RewriteMap map, Optional<Stamp> stamp, Optional<Optional<Stamp>> failedStamp, Instant nextCheck) {
            this.map = map;
            this.stamp = stamp;
            this.failedStamp = failedStamp;
            this.nextCheck = nextCheck;
        }

        State nextCheck(Instant instant) {
            return new State(map, stamp, failedStamp, instant);
        }
    }

    /** Modification time and size of a file: when either changes, the file is read again. */
    private static final class Stamp {
        private final FileTime lastModified;
        private final long size;

        private Stamp(FileTime lastModified, long size) {
            this.lastModified = lastModified;
            this.size = size;
        }

        /** Empty when the file does not exist or cannot be examined. */
        static Optional<Stamp> of(Path file) {
            try {
                BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
                return Optional.of(new Stamp(attributes.lastModifiedTime(), attributes.size()));
            } catch (IOException e) {
                return Optional.empty();
            }
        }

        @Override
        public boolean equals(Object other) {
            if (!(other instanceof Stamp)) {
                return false;
            }
            Stamp that = (Stamp) other;
            return lastModified.equals(that.lastModified) && size == that.size;
        }

        @Override
        public int hashCode() {
            return Objects.hash(lastModified, size);
        }
    }
}
