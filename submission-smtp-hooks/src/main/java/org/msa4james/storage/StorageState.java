package org.msa4james.storage;

import java.util.Objects;

/** What {@link StorageCheck} found: mail can be stored, or why not. */
public final class StorageState {
    public enum Kind {
        /** The data directory is there, writable, and has at least the minimum free space. */
        AVAILABLE,
        /** The data directory is there, but has less free space than the minimum. */
        LOW_SPACE,
        /** The data directory is missing, not a directory, or not writable. */
        UNAVAILABLE
    }

    private final Kind kind;
    private final String description;

    private StorageState(Kind kind, String description) {
        this.kind = kind;
        this.description = description;
    }

    static StorageState available(long usableBytes) {
        return new StorageState(Kind.AVAILABLE, ByteSize.format(usableBytes) + " free");
    }

    static StorageState lowSpace(long usableBytes, long minimumBytes) {
        return new StorageState(Kind.LOW_SPACE, ByteSize.format(usableBytes) + " free, less than the minimum of "
            + ByteSize.format(minimumBytes));
    }

    static StorageState unavailable(String reason) {
        return new StorageState(Kind.UNAVAILABLE, reason);
    }

    public Kind kind() {
        return kind;
    }

    public boolean isAvailable() {
        return kind == Kind.AVAILABLE;
    }

    /** For the log: "117 MiB free, less than the minimum of 128 MiB", "is not writable", ... */
    public String description() {
        return description;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof StorageState)) {
            return false;
        }
        StorageState other = (StorageState) o;
        return kind == other.kind && description.equals(other.description);
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, description);
    }

    @Override
    public String toString() {
        return kind + ": " + description;
    }
}
