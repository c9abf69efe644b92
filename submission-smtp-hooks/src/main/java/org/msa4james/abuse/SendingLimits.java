package org.msa4james.abuse;

import java.util.Locale;
import java.util.Map;
import java.util.Objects;

import com.google.common.base.Splitter;
import com.google.common.collect.ImmutableMap;

/** Messages and recipients per hour each authenticated user may send: a default and per-user overrides. */
public final class SendingLimits {
    /** One user's limits per hour. */
    public static final class Limit {
        private final int messagesPerHour;
        private final int recipientsPerHour;

        public Limit(int messagesPerHour, int recipientsPerHour) {
            this.messagesPerHour = messagesPerHour;
            this.recipientsPerHour = recipientsPerHour;
        }

        public int messagesPerHour() {
            return messagesPerHour;
        }

        public int recipientsPerHour() {
            return recipientsPerHour;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Limit && ((Limit) o).messagesPerHour == messagesPerHour
                && ((Limit) o).recipientsPerHour == recipientsPerHour;
        }

        @Override
        public int hashCode() {
            return Objects.hash(messagesPerHour, recipientsPerHour);
        }

        @Override
        public String toString() {
            return messagesPerHour + "/" + recipientsPerHour;
        }
    }

    private final Limit defaultLimit;
    private final Map<String, Limit> overrides;

    public SendingLimits(Limit defaultLimit, Map<String, Limit> overrides) {
        this.defaultLimit = defaultLimit;
        this.overrides = ImmutableMap.copyOf(overrides);
    }

    /** The limits of a user (compared without case). */
    public Limit of(String user) {
        return overrides.getOrDefault(user.toLowerCase(Locale.ROOT), defaultLimit);
    }

    /**
     * Parses {@code user=messages/recipients} entries separated by commas, e.g.
     * {@code alice@example.test=1000/5000, bob@example.test=10/50}; empty: no override.
     *
     * @throws IllegalArgumentException naming the first bad entry
     */
    public static Map<String, Limit> parseOverrides(String value) {
        ImmutableMap.Builder<String, Limit> result = ImmutableMap.builder();
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (String entry : Splitter.on(',').trimResults().omitEmptyStrings().split(value)) {
            int equals = entry.indexOf('=');
            int slash = entry.indexOf('/', Math.max(equals, 0));
            if (equals <= 0 || slash < 0) {
                throw new IllegalArgumentException("entry '" + entry + "' is not user=messages/recipients");
            }
            String user = entry.substring(0, equals).trim().toLowerCase(Locale.ROOT);
            int messages = positive(entry, entry.substring(equals + 1, slash));
            int recipients = positive(entry, entry.substring(slash + 1));
            if (user.isEmpty() || !seen.add(user)) {
                throw new IllegalArgumentException("entry '" + entry + "' names " + (user.isEmpty() ? "no user" : "a user twice"));
            }
            result.put(user, new Limit(messages, recipients));
        }
        return result.build();
    }

    private static int positive(String entry, String number) {
        try {
            int parsed = Integer.parseInt(number.trim());
            if (parsed > 0) {
                return parsed;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("entry '" + entry + "' has '" + number.trim() + "' where a positive integer is expected");
    }
}
