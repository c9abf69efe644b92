package org.msa4james.redis;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

import com.google.common.hash.Hashing;

import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.api.sync.RedisCommands;

/**
 * A Lua script shipped as a class path resource, run atomically by Redis in one round trip: EVALSHA with its SHA-1,
 * and EVAL (which also caches it) only when Redis does not know it yet (first use, or after a restart or SCRIPT
 * FLUSH).
 */
final class LuaScript {
    private final String name;
    private final String text;
    private final String sha1;

    private LuaScript(String name, String text) {
        this.name = name;
        this.text = text;
        this.sha1 = Hashing.sha1().hashString(text, StandardCharsets.UTF_8).toString();
    }

    /** The script {@code name} next to this class (e.g. {@code window-count.lua}). */
    static LuaScript load(String name) {
        try (InputStream in = LuaScript.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("Lua script " + name + " is missing from the class path");
            }
            return new LuaScript(name, new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the Lua script " + name, e);
        }
    }

    <T> T run(RedisCommands<String, String> redis, ScriptOutputType type, String[] keys, String... arguments) {
        try {
            return redis.evalsha(sha1, type, keys, arguments);
        } catch (RedisNoScriptException e) {
            return redis.eval(text, type, keys, arguments);
        }
    }

    /** As {@link #run}, without waiting: the reply, or the failure, comes with the stage. */
    <T> CompletionStage<T> runAsync(RedisAsyncCommands<String, String> redis, ScriptOutputType type, String[] keys,
                                    String... arguments) {
        return redis.<T>evalsha(sha1, type, keys, arguments)
            .handle((reply, failure) -> failure == null
                ? CompletableFuture.completedFuture(reply)
                : noScript(failure) ? redis.<T>eval(text, type, keys, arguments).toCompletableFuture() : CompletableFuture.<T>failedFuture(failure))
            .thenCompose(stage -> stage);
    }

    private static boolean noScript(Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        return cause instanceof RedisNoScriptException;
    }

    String sha1() {
        return sha1;
    }

    @Override
    public String toString() {
        return name;
    }
}
