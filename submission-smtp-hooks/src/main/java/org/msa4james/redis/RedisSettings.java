package org.msa4james.redis;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.lettuce.core.RedisURI;

/**
 * Where the Redis that a cluster's nodes share lives, read from the system properties that bin/msa4james writes:
 * <ul>
 *   <li>{@value #URL} ({@code MSA_REDIS_URL}): {@code redis://[[user]:password@]host[:port][/database]}, or
 *   {@code rediss://} for TLS; unset or empty: no Redis, every node counts alone;</li>
 *   <li>{@value #TIMEOUT} ({@code MSA_REDIS_TIMEOUT}): how long a check waits for Redis before the node counts alone,
 *   {@code 10ms} to {@code 10s} (default {@value #DEFAULT_TIMEOUT_TEXT});</li>
 *   <li>{@value #KEY_PREFIX} ({@code MSA_REDIS_KEY_PREFIX}): the start of every key, so that two sites can share one
 *   Redis (default {@value #DEFAULT_KEY_PREFIX}).</li>
 * </ul>
 * A bad value is refused with a message naming the property and its variable; the password of the URL never appears in
 * a message or in {@link #toString()}.
 */
public final class RedisSettings {
    public static final String URL = "msa.redis.url";
    public static final String TIMEOUT = "msa.redis.timeout";
    public static final String KEY_PREFIX = "msa.redis.key.prefix";
    public static final String DEFAULT_TIMEOUT_TEXT = "500ms";
    public static final Duration DEFAULT_TIMEOUT = Duration.ofMillis(500);
    public static final String DEFAULT_KEY_PREFIX = "msa4james:";
    /** The name of every node's connection in Redis's CLIENT LIST. */
    public static final String CLIENT_NAME = "msa4james";
    static final Duration MIN_TIMEOUT = Duration.ofMillis(10);
    static final Duration MAX_TIMEOUT = Duration.ofSeconds(10);
    private static final int DEFAULT_PORT = 6379;
    private static final Pattern TIMEOUT_VALUE = Pattern.compile("([0-9]{1,9})(ms|s)");
    private static final Pattern PREFIX_VALUE = Pattern.compile("[!-~]{1,64}");
    private static final Pattern DATABASE = Pattern.compile("/?|/([0-9]{1,4})");

    private final RedisURI uri;
    private final String description;
    private final Duration timeout;
    private final String keyPrefix;

    private RedisSettings(RedisURI uri, String description, Duration timeout, String keyPrefix) {
        this.uri = uri;
        this.description = description;
        this.timeout = timeout;
        this.keyPrefix = keyPrefix;
    }

    /** From the system properties; empty when {@value #URL} is unset or empty. */
    public static Optional<RedisSettings> fromSystemProperties() {
        return from(System::getProperty);
    }

    /**
     * @param properties the value of a property name, or null when unset
     * @return empty when {@value #URL} is unset or blank
     * @throws IllegalArgumentException naming the property and its variable
     */
    public static Optional<RedisSettings> from(Function<String, String> properties) {
        String url = Objects.toString(properties.apply(URL), "").trim();
        if (url.isEmpty()) {
            return Optional.empty();
        }
        Duration timeout = timeout(Objects.toString(properties.apply(TIMEOUT), "").trim());
        String prefix = keyPrefix(Objects.toString(properties.apply(KEY_PREFIX), "").trim());
        return Optional.of(parse(url, timeout, prefix));
    }

    /**
     * Settings from values at hand (the URL is checked as {@link #from} checks it; the timeout and prefix are taken as
     * they are).
     *
     * @throws IllegalArgumentException naming {@value #URL} and its variable
     */
    public static RedisSettings of(String url, Duration timeout, String keyPrefix) {
        return parse(url, timeout, keyPrefix);
    }

    private static RedisSettings parse(String url, Duration timeout, String keyPrefix) {
        if (!url.startsWith("redis://") && !url.startsWith("rediss://")) {
            throw invalidUrl(url, "must start with redis:// (or rediss:// for TLS)");
        }
        URI parsed;
        try {
            parsed = new URI(url);
        } catch (URISyntaxException e) {
            throw invalidUrl(url, "is not a URL (" + e.getReason() + ")");
        }
        String scheme = parsed.getScheme();
        if (parsed.getHost() == null || parsed.getHost().isEmpty()) {
            throw invalidUrl(url, "must name a host, e.g. redis://127.0.0.1:6379/0");
        }
        if (parsed.getRawQuery() != null || parsed.getRawFragment() != null) {
            throw invalidUrl(url, "takes no query (?...) or fragment (#...); the timeout is " + TIMEOUT + " (MSA_REDIS_TIMEOUT)");
        }
        int port = parsed.getPort() == -1 ? DEFAULT_PORT : parsed.getPort();
        if (port < 1 || port > 65535) {
            throw invalidUrl(url, "has port " + port + "; a port is 1 to 65535");
        }
        Matcher database = DATABASE.matcher(Objects.toString(parsed.getRawPath(), ""));
        if (!database.matches()) {
            throw invalidUrl(url, "has path '" + parsed.getRawPath() + "'; the path is a database number, e.g. /0");
        }
        RedisURI.Builder builder = RedisURI.builder()
            .withHost(unbracketed(parsed.getHost()))
            .withPort(port)
            .withSsl("rediss".equals(scheme))
            .withDatabase(database.group(1) == null ? 0 : Integer.parseInt(database.group(1)))
            .withTimeout(timeout)
            .withClientName(CLIENT_NAME);
        String userInfo = parsed.getUserInfo();
        if (userInfo != null && !userInfo.isEmpty()) {
            int colon = userInfo.indexOf(':');
            if (colon < 0) {
                // redis://secret@host: Lettuce's reading, a password without a user name
                builder.withPassword(userInfo.toCharArray());
            } else if (colon == 0) {
                builder.withPassword(userInfo.substring(1).toCharArray());
            } else {
                builder.withAuthentication(userInfo.substring(0, colon), userInfo.substring(colon + 1).toCharArray());
            }
        }
        String description = scheme + "://" + (userInfo == null || userInfo.isEmpty() ? "" : "****@")
            + parsed.getHost() + ":" + port + "/" + (database.group(1) == null ? "0" : database.group(1));
        return new RedisSettings(builder.build(), description, timeout, keyPrefix);
    }

    /** An IPv6 literal without the brackets the URL needs around it. */
    private static String unbracketed(String host) {
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }

    static Duration timeout(String value) {
        if (value.isEmpty()) {
            return DEFAULT_TIMEOUT;
        }
        Matcher matcher = TIMEOUT_VALUE.matcher(value);
        if (!matcher.matches()) {
            throw new IllegalArgumentException(TIMEOUT + " (MSA_REDIS_TIMEOUT) must be a duration in ms or s such as 500ms or 2s, not '"
                + value + "'");
        }
        long amount = Long.parseLong(matcher.group(1));
        Duration timeout = matcher.group(2).equals("ms") ? Duration.ofMillis(amount) : Duration.ofSeconds(amount);
        if (timeout.compareTo(MIN_TIMEOUT) < 0 || timeout.compareTo(MAX_TIMEOUT) > 0) {
            throw new IllegalArgumentException(TIMEOUT + " (MSA_REDIS_TIMEOUT) must be from 10ms to 10s, not '" + value + "'");
        }
        return timeout;
    }

    static String keyPrefix(String value) {
        if (value.isEmpty()) {
            return DEFAULT_KEY_PREFIX;
        }
        if (!PREFIX_VALUE.matcher(value).matches()) {
            throw new IllegalArgumentException(KEY_PREFIX + " (MSA_REDIS_KEY_PREFIX) must be 1 to 64 printable ASCII characters "
                + "without spaces, not '" + value + "'");
        }
        return value;
    }

    private static IllegalArgumentException invalidUrl(String url, String problem) {
        return new IllegalArgumentException(URL + " (MSA_REDIS_URL) " + problem + ": '" + redact(url) + "'");
    }

    /** The URL with whatever stands between the scheme and the last '@' (user and password) replaced by ****. */
    static String redact(String url) {
        int start = url.indexOf("://");
        int at = url.lastIndexOf('@');
        if (at < 0) {
            return url;
        }
        int from = start < 0 ? 0 : start + 3;
        return at > from ? url.substring(0, from) + "****" + url.substring(at) : url;
    }

    /** What Lettuce connects to (with the credentials). */
    RedisURI uri() {
        return uri;
    }

    /** How long a check waits for Redis. */
    public Duration timeout() {
        return timeout;
    }

    /** The start of every key msa4james writes. */
    public String keyPrefix() {
        return keyPrefix;
    }

    /** The URL without its credentials, e.g. {@code redis://****@10.0.0.5:6379/0}: what the logs name. */
    public String description() {
        return description;
    }

    @Override
    public String toString() {
        return description + " (timeout " + timeout.toMillis() + "ms, key prefix '" + keyPrefix + "')";
    }
}
