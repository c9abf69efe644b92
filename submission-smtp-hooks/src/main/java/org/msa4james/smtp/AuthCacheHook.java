package org.msa4james.smtp;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

import javax.inject.Inject;

import org.apache.commons.configuration2.Configuration;
import org.apache.commons.configuration2.ex.ConfigurationException;
import org.apache.james.core.Username;
import org.apache.james.metrics.api.Metric;
import org.apache.james.metrics.api.MetricFactory;
import org.apache.james.protocols.api.OidcSASLConfiguration;
import org.apache.james.protocols.smtp.SMTPSession;
import org.apache.james.protocols.smtp.hook.AuthHook;
import org.apache.james.protocols.smtp.hook.HookResult;
import org.apache.james.protocols.smtp.hook.HookReturnCode;
import org.apache.james.user.api.UsersRepository;
import org.apache.james.user.api.UsersRepositoryException;
import org.apache.james.user.api.model.User;
import org.apache.james.user.lib.UsersRepositoryImpl;
import org.msa4james.abuse.Durations;
import org.msa4james.auth.AuthCache;
import org.msa4james.auth.StoredPassword;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Spares the slow password hash (PBKDF2, about a millisecond of CPU) for a user who authenticates again with the same
 * password, as a mail client opening a connection per message does.
 *
 * <p>An authentication hook placed before James's own (James's core {@code UsersRepositoryAuthHook} comes after every
 * listed handler, and the first hook that answers OK ends AUTH). For each AUTH PLAIN or LOGIN it reads the user from
 * the users repository (a cheap read) and:</p>
 * <ul>
 *   <li>when the {@link AuthCache} recognises the password for this user and the user's <em>current</em> stored
 *   credential ({@link StoredPassword}), answers OK at once;</li>
 *   <li>otherwise checks the password itself against the user just read, exactly as James's
 *   {@code UsersRepository.test} does ({@code getUserByName}, then {@code verifyPassword}); on success it answers OK and
 *   remembers the password's keyed hash with that stored credential;</li>
 *   <li>on a wrong password, an unknown user, a user whose stored credential it cannot see, or any error, it answers
 *   DECLINED: James's hook checks again and answers as it always does ({@code 535 Authentication Failed}).</li>
 * </ul>
 *
 * <p>Its OK leaves the session as James's hook leaves it: the user name as the client gave it, relaying allowed, and the
 * reply {@code 235 Authentication Successful}. It never sees an authorization identity: James 3.8.1's AUTH PLAIN drops
 * it before asking the hooks, which are given the authentication identity and password only; so this hook decides on
 * exactly the input James's hook would, and authorizes nothing James would not. OAUTHBEARER / XOAUTH2 and delegation
 * are declined (left to James).</p>
 *
 * <p>A failed attempt changes nothing in the cache: it adds nothing, replaces nothing and evicts nothing, and it costs
 * the same work (one read, one full check here, James's own check) whether or not the user is remembered, so its
 * timing tells a guesser nothing about the cache. An entry is dropped only by its time to live, by the bound, or when the
 * user no longer exists: never because of the password tried. A password change, a deleted user, or any change of the
 * stored hash takes effect at the next AUTH, since the stored credential is read every time.</p>
 *
 * <p>Parameters: {@code authCacheTtl}, how long a successful check is remembered (a whole number and s, m, h or d, at
 * most 1d; default 5m; {@code 0} turns the cache off and leaves every AUTH to James); {@code authCacheMaxEntries}, most
 * users remembered (default 10000, at most 1000000; the least recently used goes first). Each listener keeps its own
 * cache. The James metrics {@code msa4james.authcache.hits} and {@code msa4james.authcache.misses} count the AUTH
 * answered from the cache and those checked in full. Place it after {@link AuthFailureLimitHandler} (which must see every
 * attempt) and before any other authentication hook.</p>
 */
public class AuthCacheHook implements AuthHook {
    static final String AUTH_CACHE_TTL = "authCacheTtl";
    static final String AUTH_CACHE_MAX_ENTRIES = "authCacheMaxEntries";
    static final Duration DEFAULT_AUTH_CACHE_TTL = Duration.ofMinutes(5);
    static final int DEFAULT_AUTH_CACHE_MAX_ENTRIES = 10_000;
    static final String HITS_METRIC = "msa4james.authcache.hits";
    static final String MISSES_METRIC = "msa4james.authcache.misses";

    private static final Logger LOGGER = LoggerFactory.getLogger(AuthCacheHook.class);
    /** What James 3.8.1's UsersRepositoryAuthHook answers on success: 235 (AuthCmdHandler's code for OK) and this text. */
    private static final HookResult AUTHENTICATED = HookResult.builder()
        .hookReturnCode(HookReturnCode.ok())
        .smtpDescription("Authentication Successful")
        .build();

    private final UsersRepository users;
    private final Clock clock;
    private final Metric hits;
    private final Metric misses;
    /** Null while off: before init, with authCacheTtl 0, or over a users repository whose check it cannot reproduce. */
    private volatile AuthCache cache;

    @Inject
    public AuthCacheHook(UsersRepository users, MetricFactory metricFactory) {
        this(users, metricFactory, Clock.systemUTC());
    }

    AuthCacheHook(UsersRepository users, MetricFactory metricFactory, Clock clock) {
        this.users = users;
        this.clock = clock;
        this.hits = metricFactory.generate(HITS_METRIC);
        this.misses = metricFactory.generate(MISSES_METRIC);
    }

    @Override
    public void init(Configuration config) throws ConfigurationException {
        HandlerParameters parameters = HandlerParameters.of(config, AuthCacheHook.class,
            AUTH_CACHE_TTL, AUTH_CACHE_MAX_ENTRIES);
        Duration ttl = parameters.optionalString(AUTH_CACHE_TTL).isPresent()
            ? parameters.parsed(AUTH_CACHE_TTL, AuthCacheHook::parseTtl)
            : DEFAULT_AUTH_CACHE_TTL;
        int maxEntries = parameters.positiveInt(AUTH_CACHE_MAX_ENTRIES, DEFAULT_AUTH_CACHE_MAX_ENTRIES);
        if (maxEntries > AuthCache.MAX_ENTRIES_LIMIT) {
            throw new ConfigurationException(parameters.message(AUTH_CACHE_MAX_ENTRIES,
                "must be at most " + AuthCache.MAX_ENTRIES_LIMIT + ", not '" + maxEntries + "'"));
        }
        if (ttl.isZero()) {
            cache = null;
            LOGGER.info("AUTH cache off ({} 0): every AUTH is checked by James", AUTH_CACHE_TTL);
        } else if (!(users instanceof UsersRepositoryImpl)) {
            cache = null;
            LOGGER.info("AUTH cache off: the users repository {} is not one whose password check it reproduces",
                users.getClass().getName());
        } else {
            cache = new AuthCache(ttl, maxEntries, clock);
            LOGGER.info("AUTH cache on: a successful password check is remembered for {}, at most {} users", ttl, maxEntries);
        }
    }

    /** {@code 0} (or {@code 0s}) turns the cache off; otherwise a duration of at most 1d, e.g. {@code 5m}. */
    private static Duration parseTtl(String value) {
        String trimmed = value.trim();
        if (trimmed.equals("0") || trimmed.equals("0s")) {
            return Duration.ZERO;
        }
        return Durations.parse(trimmed);
    }

    @Override
    public HookResult doAuth(SMTPSession session, Username username, String password) {
        AuthCache current = cache;
        if (current == null || username == null || password == null) {
            return HookResult.DECLINED;
        }
        try {
            User user = users.getUserByName(username);
            if (user == null) {
                // the repository's state, not the password tried, decides this
                current.forget(username);
                return HookResult.DECLINED;
            }
            Optional<String> stored = StoredPassword.of(user);
            if (stored.isEmpty()) {
                return HookResult.DECLINED;
            }
            if (current.recognises(username, stored.get(), password)) {
                hits.increment();
                return authenticated(session, username);
            }
            misses.increment();
            // Read again after the check: the memory repository changes a user in place when its password is set, and
            // a password is remembered only with the stored credential it was checked against.
            if (user.verifyPassword(password) && stored.equals(StoredPassword.of(user))) {
                current.remember(username, stored.get(), password);
                return authenticated(session, username);
            }
        } catch (UsersRepositoryException | RuntimeException e) {
            LOGGER.debug("AUTH of {} left to James: {}", username.asString(), e.toString());
        }
        return HookResult.DECLINED;
    }

    /** Tokens (OAUTHBEARER, XOAUTH2) are never cached: James checks them. */
    @Override
    public HookResult doSasl(SMTPSession session, OidcSASLConfiguration configuration, String initialResponse) {
        return HookResult.DECLINED;
    }

    private static HookResult authenticated(SMTPSession session, Username username) {
        session.setUsername(username);
        session.setRelayingAllowed(true);
        return AUTHENTICATED;
    }

    /** Whether the cache is on (for tests). */
    boolean isOn() {
        return cache != null;
    }

    /** How many users are remembered now (for tests). */
    long cachedUsers() {
        AuthCache current = cache;
        return current == null ? 0 : current.size();
    }
}
