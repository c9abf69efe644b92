package org.msa4james.redis;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.inject.Inject;
import javax.inject.Singleton;

import org.msa4james.diagnostics.Defect;
import org.msa4james.diagnostics.DiagnosticEntry;
import org.msa4james.diagnostics.DiagnosticFilter;
import org.msa4james.diagnostics.DiagnosticKey;
import org.msa4james.diagnostics.DiagnosticsStore;
import org.msa4james.diagnostics.DiagnosticsUnavailableException;
import org.msa4james.diagnostics.InMemoryDiagnosticsStore;

import com.google.common.collect.ImmutableList;

import io.lettuce.core.ScriptOutputType;

/**
 * The client diagnostics of every node in one Redis, so that any node's webadmin lists what all of them recorded. As
 * the in-memory store: a count and the first and last time per (subject, client software, defect), at most
 * {@link InMemoryDiagnosticsStore#DEFAULT_MAXIMUM_ENTRIES} entries, the one recorded least recently evicted first.
 * Each record is one Lua script ({@code diagnostics-record.lua}): one round trip, atomic across nodes. Keys:
 * {@code <prefix>diagnostics:entries} (a hash), {@code <prefix>diagnostics:recency} (a sorted set) and
 * {@code <prefix>diagnostics:sequence}; they do not expire (the store is bounded), {@code DELETE
 * /submission/diagnostics} removes them.
 *
 * <p>While Redis fails ({@link RedisGateway}) a defect is recorded in this node's memory instead, and listed, merged
 * with Redis's entries, once Redis answers again. Listing or emptying while Redis fails throws
 * {@link DiagnosticsUnavailableException} (webadmin answers 503): a list without the other nodes' entries, or a
 * store emptied on one node only, would mislead.</p>
 */
@Singleton
public class RedisDiagnosticsStore implements DiagnosticsStore {
    private static final LuaScript RECORD = LuaScript.load("diagnostics-record.lua");
    private static final Comparator<DiagnosticEntry> ORDER = Comparator
        .comparing((DiagnosticEntry entry) -> entry.key().subject())
        .thenComparing(entry -> entry.key().clientSoftware())
        .thenComparing(entry -> entry.key().defect());

    private final RedisGateway redis;
    private final int maximumEntries;
    private final InMemoryDiagnosticsStore fallback;
    private final String entriesKey;
    private final String recencyKey;
    private final String sequenceKey;

    @Inject
    public RedisDiagnosticsStore(RedisGateway redis) {
        this(redis, InMemoryDiagnosticsStore.DEFAULT_MAXIMUM_ENTRIES);
    }

    public RedisDiagnosticsStore(RedisGateway redis, int maximumEntries) {
        this.redis = redis;
        this.maximumEntries = maximumEntries;
        this.fallback = new InMemoryDiagnosticsStore(maximumEntries);
        this.entriesKey = redis.key("diagnostics:entries");
        this.recencyKey = redis.key("diagnostics:recency");
        this.sequenceKey = redis.key("diagnostics:sequence");
    }

    @Override
    public boolean record(DiagnosticKey key, Instant at) {
        String[] keys = {entriesKey, recencyKey, sequenceKey};
        return redis.call(commands -> RECORD.<Long>run(commands, ScriptOutputType.INTEGER, keys, encode(key),
                Long.toString(at.toEpochMilli()), Integer.toString(maximumEntries)) == 1L)
            .orElseGet(() -> fallback.record(key, at));
    }

    @Override
    public List<DiagnosticEntry> list(DiagnosticFilter filter) {
        Map<DiagnosticKey, DiagnosticEntry> entries = redis.call(commands -> decode(commands.hgetall(entriesKey)))
            .orElseThrow(this::unavailable);
        for (DiagnosticEntry recordedAlone : fallback.list(DiagnosticFilter.ALL)) {
            entries.merge(recordedAlone.key(), recordedAlone, RedisDiagnosticsStore::merge);
        }
        return entries.values().stream()
            .filter(filter::matches)
            .sorted(ORDER)
            .collect(ImmutableList.toImmutableList());
    }

    @Override
    public void reset() {
        redis.call(commands -> commands.del(entriesKey, recencyKey, sequenceKey)).orElseThrow(this::unavailable);
        fallback.reset();
    }

    private DiagnosticsUnavailableException unavailable() {
        return new DiagnosticsUnavailableException("Redis at " + redis.settings().description() + ", where the client "
            + "diagnostics of every node are kept, does not answer; try again later");
    }

    private static DiagnosticEntry merge(DiagnosticEntry shared, DiagnosticEntry alone) {
        return new DiagnosticEntry(shared.key(), shared.count() + alone.count(),
            alone.firstSeen().isBefore(shared.firstSeen()) ? alone.firstSeen() : shared.firstSeen(),
            alone.lastSeen().isAfter(shared.lastSeen()) ? alone.lastSeen() : shared.lastSeen());
    }

    /**
     * A key as one hash field: {@code <defect>|<length of the subject>|<subject><client software>}, unambiguous
     * whatever characters the subject holds.
     */
    static String encode(DiagnosticKey key) {
        return key.defect().id() + "|" + key.subject().length() + "|" + key.subject() + key.clientSoftware();
    }

    static DiagnosticKey decodeKey(String field) {
        int first = field.indexOf('|');
        int second = field.indexOf('|', first + 1);
        Defect defect = Defect.fromId(field.substring(0, first))
            .orElseThrow(() -> new IllegalStateException("Unknown defect in the diagnostics entry '" + field + "'"));
        int subjectEnd = second + 1 + Integer.parseInt(field.substring(first + 1, second));
        return new DiagnosticKey(field.substring(second + 1, subjectEnd), field.substring(subjectEnd), defect);
    }

    private static Map<DiagnosticKey, DiagnosticEntry> decode(Map<String, String> hash) {
        Map<DiagnosticKey, DiagnosticEntry> entries = new LinkedHashMap<>();
        for (Map.Entry<String, String> field : hash.entrySet()) {
            DiagnosticKey key = decodeKey(field.getKey());
            String[] values = field.getValue().split(" ");
            entries.put(key, new DiagnosticEntry(key, Long.parseLong(values[0]), Instant.ofEpochMilli(Long.parseLong(values[1])),
                Instant.ofEpochMilli(Long.parseLong(values[2]))));
        }
        return entries;
    }

    /** Entries recorded on this node alone while Redis failed (for tests). */
    List<DiagnosticEntry> recordedAlone() {
        return new ArrayList<>(fallback.list(DiagnosticFilter.ALL));
    }
}
