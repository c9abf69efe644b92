package org.msa4james.completion;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import com.google.common.collect.ImmutableList;

/**
 * RFC 6409 section 8.2: a message gets a Date field when it has none, and its Date field is replaced when the
 * syntax is invalid (see {@link DateTimeSyntax}) or when there are several. The new value is a reception time,
 * formatted as RFC 5322 recommends ({@code Sat, 28 Nov 2026 18:55:39 +0000}), with English names whatever the
 * locale, in a configured zone. A single valid Date field is kept as it is.
 */
public final class DateFieldCompletion {
    private static final List<String> DAY_NAMES = ImmutableList.of("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun");
    private static final List<String> MONTH_NAMES = ImmutableList.of(
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec");
    private static final int SECONDS_PER_MINUTE = 60;
    private static final int MINUTES_PER_HOUR = 60;

    private final ZoneId zone;

    public DateFieldCompletion(ZoneId zone) {
        this.zone = zone;
    }

    /**
     * The zone of a configuration value: an IANA time zone id ({@code Europe/Paris}) or an offset ({@code +01:00},
     * {@code UTC}); UTC when empty.
     *
     * @throws IllegalArgumentException when the value is neither, or is an offset with seconds
     */
    public static ZoneId zone(String value) {
        if (value.isEmpty()) {
            return ZoneOffset.UTC;
        }
        ZoneId zone;
        try {
            zone = ZoneId.of(value);
        } catch (DateTimeException e) {
            throw new IllegalArgumentException("'" + value + "' is neither an IANA time zone id (e.g. Europe/Paris) nor an offset (e.g. +01:00)");
        }
        ZoneId normalized = zone.normalized();
        if (normalized instanceof ZoneOffset && ((ZoneOffset) normalized).getTotalSeconds() % SECONDS_PER_MINUTE != 0) {
            throw new IllegalArgumentException("the offset '" + value + "' has seconds, which a Date field cannot express");
        }
        return zone;
    }

    public ZoneId zone() {
        return zone;
    }

    /**
     * Why the Date fields of a message, given by their values, must be replaced or added; empty when there is
     * exactly one and it is valid.
     */
    public static Optional<String> problem(List<String> dateFieldValues) {
        if (dateFieldValues.isEmpty()) {
            return Optional.of("no Date field");
        }
        if (dateFieldValues.size() > 1) {
            return Optional.of(dateFieldValues.size() + " Date fields");
        }
        return DateTimeSyntax.problem(dateFieldValues.get(0));
    }

    /**
     * {@code instant} as an RFC 5322 date-time in the configured zone, to the second. An offset with seconds
     * (historical local mean times) is cut to whole minutes, the local time following it, so the instant stays exact.
     */
    public String format(Instant instant) {
        int offsetMinutes = zone.getRules().getOffset(instant).getTotalSeconds() / SECONDS_PER_MINUTE;
        OffsetDateTime time = instant.atOffset(ZoneOffset.ofTotalSeconds(offsetMinutes * SECONDS_PER_MINUTE));
        int absoluteMinutes = Math.abs(offsetMinutes);
        return String.format(Locale.ROOT, "%s, %d %s %04d %02d:%02d:%02d %c%02d%02d",
            DAY_NAMES.get(time.getDayOfWeek().getValue() - 1),
            time.getDayOfMonth(),
            MONTH_NAMES.get(time.getMonthValue() - 1),
            time.getYear(),
            time.getHour(),
            time.getMinute(),
            time.getSecond(),
            offsetMinutes < 0 ? '-' : '+',
            absoluteMinutes / MINUTES_PER_HOUR,
            absoluteMinutes % MINUTES_PER_HOUR);
    }
}
