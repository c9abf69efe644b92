package org.msa4james.completion;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class DateTimeSyntaxTest {

    @Nested
    class ValidDates {
        @ParameterizedTest
        @ValueSource(strings = {
            "Sat, 28 Nov 2026 18:55:39 +0000",
            "Fri, 21 Nov 1997 09:55:06 -0600",
            "28 Nov 2026 18:55:39 +0000",
            "Sat, 28 Nov 2026 18:55 +0000",
            "Sat, 28 Nov 2026 18:55:39 -0000",
            "Sat, 28 Nov 2026 18:55:39 +1345",
            "Sat, 28 Nov 2026 18:55:39 +2500",
            "Sat, 28 Nov 2026 18:55:39 +0000 (UTC)",
            "Sat, 28 Nov 2026 18:55:39 +0000 (Coordinated (Universal) Time \\) )",
            "  Sat, 28 Nov 2026 18:55:39 +0000  ",
            "Sat,\r\n 28 Nov 2026\r\n\t18:55:39 +0000",
            "Sat,\n 28 Nov 2026 18:55:39 +0000",
            "Sun, 1 Nov 2026 18:55:39 +0000",
            "Sun, 01 Nov 2026 18:55:39 +0000",
            "Thu, 31 Dec 2026 23:59:60 +0000",
            "Sat, 29 Feb 2020 12:00:00 +0000",
            "Tue, 29 Feb 2000 12:00:00 +0000",
            "sat, 28 nov 2026 18:55:39 gmt",
            "SAT, 28 NOV 2026 18:55:39 +0000",
            "Sat, 28 Nov 26 18:55:39 PST",
            "Sat, 28 Nov 126 18:55:39 PDT",
            "Fri, 28 Nov 97 18:55:39 EST",
            "Sat, 28 Nov 2026 18:55:39 UT",
            "Sat, 28 Nov 2026 18:55:39 EDT",
            "Sat, 28 Nov 2026 18:55:39 CST",
            "Sat, 28 Nov 2026 18:55:39 CDT",
            "Sat, 28 Nov 2026 18:55:39 MST",
            "Sat, 28 Nov 2026 18:55:39 MDT",
            "Sat, 28 Nov 2026 18:55:39 Z",
            "Sat, 28 Nov 2026 18:55:39 a",
            "Sat, 28 Nov 2026 18:55:39 y",
            "Sat , 28 Nov 2026 18 : 55 : 39 EST",
            "(comment) Sat, 28 Nov 2026 18:55:39 +0000",
            "Sat,28 Nov 2026 18:55:39 +0000",
            "Sat, 28Nov2026 18:55:39 +0000",
            "Sat, 28 Nov 2026 18:55:39GMT",
            "Sat, 28 Nov 2026 18:55:39 (comment) +0000",
            "28 Nov 999999999 18:55:39 +0000",
        })
        void shouldAcceptTheCurrentAndTheObsoleteSyntax(String value) {
            assertThat(DateTimeSyntax.problem(value)).isEmpty();
            assertThat(DateTimeSyntax.isValid(value)).isTrue();
        }
    }

    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class InvalidDates {
        Stream<Arguments> brokenDates() {
            return Stream.of(
                Arguments.of("", "no day of month at the end"),
                Arguments.of("   ", "no day of month at the end"),
                Arguments.of("Thu, 1 Jan 2026 10:00:00 +25:00", "the zone must be +hhmm or -hhmm at ':00'"),
                Arguments.of("Thu, 1 Jan 2026 10:00:00 +01:00", "the zone must be +hhmm or -hhmm at ':00'"),
                Arguments.of("Thu, 1 Jan 2026 10:00:00 XYZ", "'XYZ' is not a zone (+hhmm, -hhmm, or one of UT, GMT, EST, EDT, CST, CDT, MST, MDT, PST, PDT)"),
                Arguments.of("Thu, 1 Jan 2026 10:00:00 CET", "'CET' is not a zone (+hhmm, -hhmm, or one of UT, GMT, EST, EDT, CST, CDT, MST, MDT, PST, PDT)"),
                Arguments.of("Thu, 1 Jan 2026 10:00:00 J", "'J' is not a zone (+hhmm, -hhmm, or one of UT, GMT, EST, EDT, CST, CDT, MST, MDT, PST, PDT)"),
                Arguments.of("Thu, 1 Jan 2026 10:00:00 +000", "the zone must be +hhmm or -hhmm at the end"),
                Arguments.of("Thu, 1 Jan 2026 10:00:00 +00000", "the zone must be +hhmm or -hhmm at the end"),
                Arguments.of("Thu, 1 Jan 2026 10:00:00 +0060", "the zone's minutes 60 are not 00 to 59"),
                Arguments.of("Thu, 1 Jan 2026 10:00:00+0000", "no space before the zone at '+0000'"),
                Arguments.of("Thu, 1 Jan 2026 10:00:00", "no zone at the end"),
                Arguments.of("Thu, 1 Foo 2026 10:00:00 +0000", "'Foo' is not a month name (Jan to Dec)"),
                Arguments.of("Thu, 1 January 2026 10:00:00 +0000", "'January' is not a month name (Jan to Dec)"),
                Arguments.of("Thursday, 1 Jan 2026 10:00:00 +0000", "'Thursday' is not a day name (Mon to Sun)"),
                Arguments.of("Mon, 32 Jan 2026 10:00:00 +0000", "day 32 does not exist in Jan 2026"),
                Arguments.of("Mon, 0 Jan 2026 10:00:00 +0000", "day 0 does not exist in Jan 2026"),
                Arguments.of("Mon, 30 Feb 2026 10:00:00 +0000", "day 30 does not exist in Feb 2026"),
                Arguments.of("Sun, 29 Feb 2026 10:00:00 +0000", "day 29 does not exist in Feb 2026"),
                Arguments.of("Thu, 001 Jan 2026 10:00:00 +0000", "the day of month '001' must have 1 or 2 digits"),
                Arguments.of("Mon, 1 Jan 2026 10:00:00 +0000", "Mon does not match 1 Jan 2026, a Thursday"),
                Arguments.of("Thu 1 Jan 2026 10:00:00 +0000", "expected a comma after the day name at '1 Jan 2026'"),
                Arguments.of("Thu, 1 Jan 2026 24:00:00 +0000", "the time 24:00:00 is not within 00:00:00 and 23:59:60"),
                Arguments.of("Thu, 1 Jan 2026 10:60:00 +0000", "the time 10:60:00 is not within 00:00:00 and 23:59:60"),
                Arguments.of("Thu, 1 Jan 2026 10:00:61 +0000", "the time 10:00:61 is not within 00:00:00 and 23:59:60"),
                Arguments.of("Thu, 1 Jan 2026 1:00:00 +0000", "the hour '1' must have 2 digits"),
                Arguments.of("Thu, 1 Jan 2026 10.00.00 +0000", "expected a colon between hour and minute at '.00.00 +00'"),
                Arguments.of("Thu, 1 Jan 2 10:00:00 +0000", "the year needs at least two digits at ' 10:00:00 '"),
                Arguments.of("Sun, 1 Jan 1899 10:00:00 +0000", "the year 1899 is before 1900"),
                Arguments.of("Thu, 1 Jan 2026 10:00:00 +0000 trailing", "unexpected text after the zone at 'trailing'"),
                Arguments.of("Thu, 1 Jan 2026 10:00:00 +0000 (unclosed", "unterminated comment"),
                Arguments.of("Thu, 1 Jan 2026\r\n10:00:00 +0000", "a line break that is not folding white space"),
                Arguments.of("2026-01-01T10:00:00Z", "the day of month '2026' must have 1 or 2 digits"),
                Arguments.of("1767261600", "the day of month '1767261600' must have 1 or 2 digits"),
                Arguments.of("Thu Jan  1 10:00:00 2026", "expected a comma after the day name at 'Jan  1 10:'"),
                Arguments.of("Thu, 1 Jan 2026 10:00:00 +0000, Thu, 1 Jan 2026 10:00:00 +0000", "unexpected text after the zone at ', Thu, 1 J'"),
                Arguments.of("Thu, 1 Jan 2026 10:00:00 \u00b10000", "no zone at '\u00b10000'"),
                Arguments.of("Thu, 1 Jan 2026 10:00:00 \u0661\u0662\u0663\u0664", "no zone at '\u0661\u0662\u0663\u0664'"));
        }

        @ParameterizedTest
        @MethodSource("brokenDates")
        void shouldNameWhatIsWrong(String value, String problem) {
            assertThat(DateTimeSyntax.problem(value)).contains(problem);
            assertThat(DateTimeSyntax.isValid(value)).isFalse();
        }
    }
}
