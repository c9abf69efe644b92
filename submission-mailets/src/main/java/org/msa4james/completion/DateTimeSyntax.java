package org.msa4james.completion;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.format.TextStyle;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableSet;

/**
 * The syntax of an RFC 5322 date-time (section 3.3), the value of a Date field, with the obsolete forms of section
 * 4.3 accepted as valid input: two- and three-digit years, the zone names UT, GMT, EST, EDT, CST, CDT, MST, MDT, PST,
 * PDT and the military letters, comments and folding white space between the tokens. Names are case-insensitive.
 *
 * <p>Besides the grammar, the rules that section 3.3 states with MUST are checked: the day-of-week, when present,
 * is the one implied by the date; the day exists in its month and year; the time is within 00:00:00 and 23:59:60
 * (second 60 is a leap second, at any hour, since the zone shifts it); the minutes of the zone are 00 to 59; the year
 * is 1900 or later. The hours of a numeric zone are not bounded by RFC 5322, so {@code +2500} is valid.</p>
 */
public final class DateTimeSyntax {
    private static final List<String> DAY_NAMES = ImmutableList.of("mon", "tue", "wed", "thu", "fri", "sat", "sun");
    private static final List<String> MONTH_NAMES = ImmutableList.of(
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec");
    private static final Set<String> OBSOLETE_ZONE_NAMES = ImmutableSet.of(
        "ut", "gmt", "est", "edt", "cst", "cdt", "mst", "mdt", "pst", "pdt");
    private static final int MAXIMUM_YEAR_DIGITS = 9;

    private DateTimeSyntax() {
    }

    public static boolean isValid(String value) {
        return problem(value).isEmpty();
    }

    /** Why {@code value} is not a valid date-time, in words for a log line; empty when it is valid. */
    public static Optional<String> problem(String value) {
        try {
            new Parser(value).parse();
            return Optional.empty();
        } catch (Invalid e) {
            return Optional.of(e.getMessage());
        }
    }

    private static final class Invalid extends Exception {
        private static final long serialVersionUID = 1L;

        Invalid(String message) {
            super(message, null, false, false);
        }
    }

    private static final class Parser {
        private final String text;
        private int position;

        Parser(String text) {
            this.text = text;
        }

        void parse() throws Invalid {
            skipCommentsAndWhiteSpace();
            Optional<DayOfWeek> dayOfWeek = Optional.empty();
            if (atLetter()) {
                String name = letters();
                int index = DAY_NAMES.indexOf(name.toLowerCase(Locale.ROOT));
                if (index < 0) {
                    throw new Invalid("'" + name + "' is not a day name (Mon to Sun)");
                }
                dayOfWeek = Optional.of(DayOfWeek.of(index + 1));
                skipCommentsAndWhiteSpace();
                expect(',', "a comma after the day name");
                skipCommentsAndWhiteSpace();
            }
            int day = number(1, 2, "day of month");
            skipCommentsAndWhiteSpace();
            int month = month();
            skipCommentsAndWhiteSpace();
            int year = year();
            skipCommentsAndWhiteSpace();
            int hour = number(2, 2, "hour");
            skipCommentsAndWhiteSpace();
            expect(':', "a colon between hour and minute");
            skipCommentsAndWhiteSpace();
            int minute = number(2, 2, "minute");
            boolean spaceBeforeZone = skipCommentsAndWhiteSpace();
            int second = 0;
            if (at(':')) {
                position++;
                skipCommentsAndWhiteSpace();
                second = number(2, 2, "second");
                spaceBeforeZone = skipCommentsAndWhiteSpace();
            }
            zone(spaceBeforeZone);
            skipCommentsAndWhiteSpace();
            if (position < text.length()) {
                throw new Invalid("unexpected text after the zone" + where());
            }
            checkRanges(dayOfWeek, day, month, year, hour, minute, second);
        }

        private int month() throws Invalid {
            if (!atLetter()) {
                throw new Invalid("no month name" + where());
            }
            String name = letters();
            int index = MONTH_NAMES.indexOf(name.toLowerCase(Locale.ROOT));
            if (index < 0) {
                throw new Invalid("'" + name + "' is not a month name (Jan to Dec)");
            }
            return index + 1;
        }

        private int year() throws Invalid {
            String digits = digits();
            if (digits.length() < 2) {
                throw new Invalid("the year needs at least two digits" + where());
            }
            if (digits.length() > MAXIMUM_YEAR_DIGITS) {
                throw new Invalid("the year " + digits + " is too large");
            }
            int year = Integer.parseInt(digits);
            if (digits.length() == 2) {
                year += year < 50 ? 2000 : 1900;
            } else if (digits.length() == 3) {
                year += 1900;
            }
            if (year < 1900) {
                throw new Invalid("the year " + digits + " is before 1900");
            }
            return year;
        }

        private void zone(boolean spaceBefore) throws Invalid {
            if (at('+') || at('-')) {
                if (!spaceBefore) {
                    throw new Invalid("no space before the zone" + where());
                }
                position++;
                String digits = digits();
                if (digits.length() != 4) {
                    throw new Invalid("the zone must be +hhmm or -hhmm" + where());
                }
                int minutes = Integer.parseInt(digits.substring(2));
                if (minutes > 59) {
                    throw new Invalid("the zone's minutes " + digits.substring(2) + " are not 00 to 59");
                }
            } else if (atLetter()) {
                String name = letters();
                String lower = name.toLowerCase(Locale.ROOT);
                boolean military = lower.length() == 1 && !lower.equals("j");
                if (!military && !OBSOLETE_ZONE_NAMES.contains(lower)) {
                    throw new Invalid("'" + name + "' is not a zone (+hhmm, -hhmm, or one of UT, GMT, EST, EDT, CST, CDT, MST, MDT, PST, PDT)");
                }
            } else {
                throw new Invalid("no zone" + where());
            }
        }

        private static void checkRanges(Optional<DayOfWeek> dayOfWeek, int day, int month, int year,
                                        int hour, int minute, int second) throws Invalid {
            YearMonth yearMonth = YearMonth.of(year, month);
            if (day < 1 || day > yearMonth.lengthOfMonth()) {
                throw new Invalid("day " + day + " does not exist in " + monthName(month) + " " + year);
            }
            if (hour > 23 || minute > 59 || second > 60) {
                throw new Invalid(String.format(Locale.ROOT, "the time %02d:%02d:%02d is not within 00:00:00 and 23:59:60", hour, minute, second));
            }
            DayOfWeek actual = LocalDate.of(year, month, day).getDayOfWeek();
            if (dayOfWeek.isPresent() && dayOfWeek.get() != actual) {
                throw new Invalid(dayName(dayOfWeek.get()) + " does not match " + day + " " + monthName(month) + " " + year
                    + ", a " + actual.getDisplayName(TextStyle.FULL, Locale.ENGLISH));
            }
        }

        private static String monthName(int month) {
            String name = MONTH_NAMES.get(month - 1);
            return Character.toUpperCase(name.charAt(0)) + name.substring(1);
        }

        private static String dayName(DayOfWeek day) {
            String name = DAY_NAMES.get(day.getValue() - 1);
            return Character.toUpperCase(name.charAt(0)) + name.substring(1);
        }

        /** A number of {@code minDigits} to {@code maxDigits} ASCII digits. */
        private int number(int minDigits, int maxDigits, String what) throws Invalid {
            String digits = digits();
            if (digits.isEmpty()) {
                throw new Invalid("no " + what + where());
            }
            if (digits.length() < minDigits || digits.length() > maxDigits) {
                throw new Invalid("the " + what + " '" + digits + "' must have "
                    + (minDigits == maxDigits ? String.valueOf(minDigits) : minDigits + " or " + maxDigits) + " digits");
            }
            return Integer.parseInt(digits);
        }

        private String digits() {
            int start = position;
            while (position < text.length() && text.charAt(position) >= '0' && text.charAt(position) <= '9') {
                position++;
            }
            return text.substring(start, position);
        }

        private String letters() {
            int start = position;
            while (atLetter()) {
                position++;
            }
            return text.substring(start, position);
        }

        private boolean atLetter() {
            if (position >= text.length()) {
                return false;
            }
            char c = text.charAt(position);
            return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
        }

        private boolean at(char c) {
            return position < text.length() && text.charAt(position) == c;
        }

        private void expect(char c, String what) throws Invalid {
            if (!at(c)) {
                throw new Invalid("expected " + what + where());
            }
            position++;
        }

        private String where() {
            if (position >= text.length()) {
                return " at the end";
            }
            return " at '" + text.substring(position, Math.min(text.length(), position + 10)).replaceAll("\\p{Cntrl}", " ") + "'";
        }

        /** Skips CFWS (see {@link Cfws}). Returns whether it ended with a space or tab. */
        private boolean skipCommentsAndWhiteSpace() throws Invalid {
            try {
                position = Cfws.skip(text, position);
            } catch (IllegalArgumentException e) {
                throw new Invalid(e.getMessage());
            }
            return position > 0 && Cfws.isWhiteSpace(text.charAt(position - 1));
        }
    }
}
