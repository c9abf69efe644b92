package org.msa4james.redis;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.msa4james.abuse.WindowCount;
import org.msa4james.abuse.WindowCounter;

import com.google.common.base.Preconditions;

import io.lettuce.core.ScriptOutputType;

/**
 * A {@link WindowCounter} shared by every node through Redis, with the window semantics of the in-memory counter: a
 * key's window opens with its first counted event and lasts the window; once it has ended the next event opens a new
 * one; {@code add(key, 0, window)} reads without counting. Each call is one Lua script ({@code window-count.lua}): one
 * round trip, atomic across nodes, for one key or several (a message and its recipients). Keys are {@code <prefix><namespace>:<key>}, hashes holding the window's start and
 * count, and expire by themselves {@link #KEY_MARGIN} after their window.
 *
 * <p><b>Whose clock.</b> The time is this node's injected {@link Clock}, sent with each call, never Redis's: the window
 * start is written once, by the node whose event opens the window, and every node compares it with its own clock. So
 * the arithmetic is exactly the in-memory counter's (and tested at the window's edges against a real Redis), and the
 * reset time that a refusal names is the same on every node. Nodes whose clocks differ (NTP keeps them within
 * milliseconds) only see a window end that much earlier or later; the key's expiry, the only thing Redis's clock
 * decides, comes {@link #KEY_MARGIN} after the window's end and never decides a count.</p>
 *
 * <p>When Redis fails or does not answer within the timeout ({@link RedisGateway}), the call is answered by this node's
 * in-memory {@code fallback} counter instead: limits then hold per node, as without Redis, until Redis answers again.</p>
 */
public class RedisWindowCounter implements WindowCounter {
    /** How long a key outlives its window in Redis: clock differences between nodes. */
    static final Duration KEY_MARGIN = Duration.ofMinutes(1);
    private static final LuaScript WINDOW_COUNT = LuaScript.load("window-count.lua");

    private final RedisGateway redis;
    private final String namespace;
    private final WindowCounter fallback;
    private final Clock clock;

    /**
     * @param namespace what the keys count, e.g. {@code auth-failures}: keys are {@code <prefix><namespace>:<key>}
     * @param fallback this node's counter, used while Redis fails
     */
    public RedisWindowCounter(RedisGateway redis, String namespace, WindowCounter fallback, Clock clock) {
        this.redis = redis;
        this.namespace = namespace;
        this.fallback = fallback;
        this.clock = clock;
    }

    @Override
    public WindowCount add(String key, long amount, Duration window) {
        return add(List.of(key), List.of(amount), window).get(0);
    }

    /** One script, one round trip, however many keys. */
    @Override
    public List<WindowCount> add(List<String> keys, List<Long> amounts, Duration window) {
        String[] redisKeys = redisKeys(keys, amounts);
        String[] arguments = arguments(amounts, window);
        return redis.call(commands -> {
            List<Long> reply = WINDOW_COUNT.run(commands, ScriptOutputType.MULTI, redisKeys, arguments);
            List<WindowCount> counts = new ArrayList<>(keys.size());
            for (int i = 0; i < keys.size(); i++) {
                counts.add(new WindowCount(reply.get(2 * i), Instant.ofEpochMilli(reply.get(2 * i + 1))));
            }
            return counts;
        }).orElseGet(() -> fallback.add(keys, amounts, window));
    }

    /** The same script, sent without waiting for it; this node's memory counts instead if Redis fails. */
    @Override
    public void addWithoutWaiting(List<String> keys, List<Long> amounts, Duration window) {
        String[] redisKeys = redisKeys(keys, amounts);
        String[] arguments = arguments(amounts, window);
        redis.send(commands -> WINDOW_COUNT.runAsync(commands, ScriptOutputType.MULTI, redisKeys, arguments),
            () -> fallback.add(keys, amounts, window));
    }

    private String[] redisKeys(List<String> keys, List<Long> amounts) {
        Preconditions.checkArgument(keys.size() == amounts.size(), "one amount per key");
        Preconditions.checkArgument(amounts.stream().allMatch(amount -> amount >= 0), "amount must not be negative");
        return keys.stream().map(key -> redis.key(namespace + ":" + key)).toArray(String[]::new);
    }

    /** Now (this node's clock), the window, the keys' margin, then the amounts. */
    private String[] arguments(List<Long> amounts, Duration window) {
        List<String> arguments = new ArrayList<>(List.of(Long.toString(clock.millis()), Long.toString(window.toMillis()),
            Long.toString(KEY_MARGIN.toMillis())));
        amounts.forEach(amount -> arguments.add(Long.toString(amount)));
        return arguments.toArray(String[]::new);
    }
}
