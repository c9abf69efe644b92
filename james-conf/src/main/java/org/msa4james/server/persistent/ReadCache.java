package org.msa4james.server.persistent;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * What a JPA store answered, kept for a short time and forgotten at once when this server writes to the store.
 * <p>
 * An answer loaded while a write happens is never served after it: each answer carries the generation it was loaded
 * in, and a write starts a new generation. The time to live bounds how long a change made by another server sharing
 * the database (possible only with {@code conf/james-database.properties}) goes unseen. Bounded: when full, it starts
 * again empty.
 */
final class ReadCache<K, V> {
    @FunctionalInterface
    interface Loader<K, V, E extends Exception> {
        V load(K key) throws E;
    }

    private static final class Entry<V> {
        private final V value;
        private final long generation;
        private final long loadedAt;

        Entry(V value, long generation, long loadedAt) {
            this.value = value;
            this.generation = generation;
            this.loadedAt = loadedAt;
        }
    }

    private final ConcurrentHashMap<K, Entry<V>> entries = new ConcurrentHashMap<>();
    private final AtomicLong generation = new AtomicLong();
    private final long timeToLiveNanos;
    private final int maxEntries;
    private final LongSupplier nanoTime;

    ReadCache(Duration timeToLive, int maxEntries) {
        this(timeToLive, maxEntries, System::nanoTime);
    }

    ReadCache(Duration timeToLive, int maxEntries, LongSupplier nanoTime) {
        this.timeToLiveNanos = timeToLive.toNanos();
        this.maxEntries = maxEntries;
        this.nanoTime = nanoTime;
    }

    <E extends Exception> V get(K key, Loader<K, V, E> loader) throws E {
        long current = generation.get();
        long now = nanoTime.getAsLong();
        Entry<V> entry = entries.get(key);
        if (entry != null && entry.generation == current && now - entry.loadedAt < timeToLiveNanos) {
            return entry.value;
        }
        V value = loader.load(key);
        if (entries.size() >= maxEntries) {
            entries.clear();
        }
        entries.put(key, new Entry<>(value, current, now));
        return value;
    }

    /** Forgets every answer, including those being loaded now. */
    void invalidateAll() {
        generation.incrementAndGet();
        entries.clear();
    }

    int size() {
        return entries.size();
    }
}
