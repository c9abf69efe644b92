package org.msa4james.abuse;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations in parameters: a positive whole number and a unit, s, m, h or d (e.g. 30s, 10m, 1h), at most 1d. */
public final class Durations {
    private static final Pattern DURATION = Pattern.compile("([0-9]{1,9})([smhd])");

    private Durations() {
    }

    /**
     * @throws IllegalArgumentException "must be a duration such as 30s, 10m or 1h, not '...'" or "must be at most 1d, not '...'"
     */
    public static Duration parse(String value) {
        Matcher matcher = DURATION.matcher(value.trim());
        if (!matcher.matches() || Long.parseLong(matcher.group(1)) == 0) {
            throw new IllegalArgumentException("must be a duration such as 30s, 10m or 1h, not '" + value + "'");
        }
        long amount = Long.parseLong(matcher.group(1));
        Duration duration;
        switch (matcher.group(2)) {
            case "s":
                duration = Duration.ofSeconds(amount);
                break;
            case "m":
                duration = Duration.ofMinutes(amount);
                break;
            case "h":
                duration = Duration.ofHours(amount);
                break;
            default:
                duration = Duration.ofDays(amount);
                break;
        }
        if (duration.compareTo(InMemoryWindowCounter.MAX_WINDOW) > 0) {
            throw new IllegalArgumentException("must be at most 1d, not '" + value + "'");
        }
        return duration;
    }
}
