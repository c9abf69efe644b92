package org.msa4james.auth;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.apache.james.core.Username;

import com.google.common.base.Preconditions;
import com.google.common.base.Ticker;
import com.google.common.cache.Cache;
import com.google.common.cache.CacheBuilder;

/**
 * Successful password checks, remembered for a while so that the same password of the same user against the same
 * stored credential ({@link StoredPassword}) is recognised without running the slow hash again.
 *
 * <p>Per user one value is kept: HMAC-SHA256, under a random key made when the cache is created and kept only in this
 * JVM's memory, of the user name, the stored credential and the password. Neither the password nor anything it can be
 * recovered from without that key is kept. A password is recognised only when the HMAC of (user, current stored
 * credential, password tried) equals the one remembered, compared in constant time; so a changed stored hash (a new
 * password, a new algorithm) or another password is simply not recognised.</p>
 *
 * <p>Bounded: at most {@code maxEntries} users (the least recently used one goes first), each for {@code ttl} after
 * the check that put it there, whether or not it is used meanwhile. Time comes from the injected clock.</p>
 */
public final class AuthCache {
    public static final int MAX_ENTRIES_LIMIT = 1_000_000;
    private static final String ALGORITHM = "HmacSHA256";
    private static final int KEY_BYTES = 32;

    private final Cache<Username, byte[]> entries;
    /** Initialised once; each use takes a copy (a Mac is not thread-safe, and a new one costs a provider lookup). */
    private final Mac prototype;
    private final SecretKeySpec key;

    public AuthCache(Duration ttl, int maxEntries, Clock clock) {
        this(ttl, maxEntries, clock, randomKey());
    }

    AuthCache(Duration ttl, int maxEntries, Clock clock, byte[] key) {
        Preconditions.checkArgument(!ttl.isNegative() && !ttl.isZero(), "ttl must be positive");
        Preconditions.checkArgument(maxEntries > 0 && maxEntries <= MAX_ENTRIES_LIMIT,
            "maxEntries must be between 1 and %s", MAX_ENTRIES_LIMIT);
        this.key = new SecretKeySpec(key, ALGORITHM);
        this.prototype = newMac(this.key);
        this.entries = CacheBuilder.newBuilder()
            // one segment: the bound is exact and the eviction order is least recently used
            .concurrencyLevel(1)
            .maximumSize(maxEntries)
            .expireAfterWrite(ttl.toNanos(), TimeUnit.NANOSECONDS)
            .ticker(new Ticker() {
                @Override
                public long read() {
                    Instant now = clock.instant();
                    return TimeUnit.SECONDS.toNanos(now.getEpochSecond()) + now.getNano();
                }
            })
            .build();
    }

    /**
     * Whether {@code password} is the one that succeeded for {@code user} against exactly {@code storedPassword},
     * within the time to live. A wrong password or a changed stored credential is not recognised; the entry stays.
     */
    public boolean recognises(Username user, String storedPassword, String password) {
        // computed whether or not the user is remembered, so that both take the same time
        byte[] tried = mac(user, storedPassword, password);
        byte[] remembered = entries.getIfPresent(user);
        return remembered != null && MessageDigest.isEqual(remembered, tried);
    }

    /** Remembers a password that the users repository has just accepted for {@code user} against {@code storedPassword}. */
    public void remember(Username user, String storedPassword, String password) {
        entries.put(user, mac(user, storedPassword, password));
    }

    /** Forgets {@code user}, e.g. once the users repository no longer has it. */
    public void forget(Username user) {
        entries.invalidate(user);
    }

    /** How many users are remembered now, expired ones left out. */
    public long size() {
        entries.cleanUp();
        return entries.size();
    }

    private byte[] mac(Username user, String storedPassword, String password) {
        Mac mac = copy();
        update(mac, user.asString().getBytes(StandardCharsets.UTF_8));
        update(mac, storedPassword.getBytes(StandardCharsets.UTF_8));
        byte[] passwordBytes = password.getBytes(StandardCharsets.UTF_8);
        try {
            update(mac, passwordBytes);
        } finally {
            Arrays.fill(passwordBytes, (byte) 0);
        }
        return mac.doFinal();
    }

    /** Each part with its length first, so that no two different triples give the same input. */
    private static void update(Mac mac, byte[] part) {
        mac.update(ByteBuffer.allocate(Integer.BYTES).putInt(part.length).array());
        mac.update(part);
    }

    private Mac copy() {
        try {
            return (Mac) prototype.clone();
        } catch (CloneNotSupportedException e) {
            return newMac(key);
        }
    }

    private static Mac newMac(SecretKeySpec key) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(ALGORITHM + " is not available", e);
        }
    }

    private static byte[] randomKey() {
        byte[] key = new byte[KEY_BYTES];
        new SecureRandom().nextBytes(key);
        return key;
    }
}
