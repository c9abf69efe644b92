package org.msa4james.completion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class DateFieldCompletionTest {
    private static final Instant RECEIVED = Instant.parse("2026-11-28T18:55:39.789Z");
    private static final String RECEIVED_UTC = "Sat, 28 Nov 2026 18:55:39 +0000";
    private final DateFieldCompletion utc = new DateFieldCompletion(ZoneOffset.UTC);

    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class Format {
        Stream<Arguments> zones() {
            return Stream.of(
                Arguments.of("2026-11-28T18:55:39.789Z", "UTC", "Sat, 28 Nov 2026 18:55:39 +0000"),
                Arguments.of("2026-11-28T18:55:39Z", "Europe/Paris", "Sat, 28 Nov 2026 19:55:39 +0100"),
                Arguments.of("2026-07-04T23:30:00Z", "Europe/Paris", "Sun, 5 Jul 2026 01:30:00 +0200"),
                Arguments.of("2026-01-01T03:04:05Z", "America/Los_Angeles", "Wed, 31 Dec 2025 19:04:05 -0800"),
                Arguments.of("2026-11-28T18:55:39Z", "Asia/Kolkata", "Sun, 29 Nov 2026 00:25:39 +0530"),
                Arguments.of("2026-11-28T18:55:39Z", "America/St_Johns", "Sat, 28 Nov 2026 15:25:39 -0330"),
                Arguments.of("2026-11-28T18:55:39Z", "+13:45", "Sun, 29 Nov 2026 08:40:39 +1345"),
                Arguments.of("2026-11-28T18:55:39Z", "-00:30", "Sat, 28 Nov 2026 18:25:39 -0030"),
                Arguments.of("2026-09-09T09:09:09Z", "UTC", "Wed, 9 Sep 2026 09:09:09 +0000"),
                Arguments.of("1960-06-01T12:00:00Z", "Africa/Monrovia", "Wed, 1 Jun 1960 11:16:00 -0044"));
        }

        @ParameterizedTest
        @MethodSource("zones")
        void formatShouldWriteAnRfc5322DateInTheConfiguredZone(String instant, String zone, String expected) {
            String formatted = new DateFieldCompletion(DateFieldCompletion.zone(zone)).format(Instant.parse(instant));

            assertThat(formatted).isEqualTo(expected);
            assertThat(DateTimeSyntax.problem(formatted)).isEmpty();
        }

        @ParameterizedTest
        @ValueSource(strings = {"fr-FR", "de-DE", "ar-EG", "th-TH-u-nu-thai", "ja-JP-u-ca-japanese", "hi-IN"})
        void formatShouldUseEnglishNamesAndAsciiDigitsWhateverTheDefaultLocale(String languageTag) {
            Locale previous = Locale.getDefault();
            Locale.setDefault(Locale.forLanguageTag(languageTag));
            try {
                assertThat(utc.format(RECEIVED)).isEqualTo(RECEIVED_UTC);
            } finally {
                Locale.setDefault(previous);
            }
        }
    }

    @Nested
    class Problem {
        @Test
        void problemShouldNameAMissingDate() {
            assertThat(DateFieldCompletion.problem(List.of())).contains("no Date field");
        }

        @Test
        void problemShouldNameTheSyntaxErrorOfAnInvalidDate() {
            assertThat(DateFieldCompletion.problem(List.of("Mon, 32 Jan 2026 10:00:00 +0000"))).contains("day 32 does not exist in Jan 2026");
        }

        @Test
        void problemShouldNameTwoDateFieldsEvenWhenBothAreValid() {
            List<String> twoDates = List.of("Sat, 28 Nov 2026 18:55:39 +0000", "Sat, 28 Nov 2026 18:55:40 +0000");

            assertThat(DateFieldCompletion.problem(twoDates)).contains("2 Date fields");
        }

        @ParameterizedTest
        @ValueSource(strings = {"Fri, 21 Nov 1997 09:55:06 -0600", "21 Nov 97 09:55:06 GMT", "Fri, 21 Nov 1997 09:55 PST (Pacific)"})
        void problemShouldBeEmptyForOneValidDate(String date) {
            assertThat(DateFieldCompletion.problem(List.of(date))).isEmpty();
        }
    }

    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class Zone {
        @Test
        void zoneShouldBeUtcWhenNotConfigured() {
            assertThat(DateFieldCompletion.zone("")).isEqualTo(ZoneOffset.UTC);
        }

        @ParameterizedTest
        @ValueSource(strings = {"UTC", "Europe/Paris", "America/Argentina/Buenos_Aires", "+02:00", "-0530", "Z", "GMT+3"})
        void zoneShouldAcceptIanaIdsAndOffsets(String zone) {
            assertThat(DateFieldCompletion.zone(zone)).isEqualTo(ZoneId.of(zone));
        }

        Stream<Arguments> invalidZones() {
            return Stream.of(
                Arguments.of("Mars/Olympus", "'Mars/Olympus' is neither an IANA time zone id (e.g. Europe/Paris) nor an offset (e.g. +01:00)"),
                Arguments.of("PST", "'PST' is neither an IANA time zone id (e.g. Europe/Paris) nor an offset (e.g. +01:00)"),
                Arguments.of("+25:00", "'+25:00' is neither an IANA time zone id (e.g. Europe/Paris) nor an offset (e.g. +01:00)"),
                Arguments.of("europe/paris ", "'europe/paris ' is neither an IANA time zone id (e.g. Europe/Paris) nor an offset (e.g. +01:00)"),
                Arguments.of("+05:30:15", "the offset '+05:30:15' has seconds, which a Date field cannot express"));
        }

        @ParameterizedTest
        @MethodSource("invalidZones")
        void zoneShouldRejectWhatIsNeitherAZoneIdNorAnOffset(String zone, String message) {
            assertThatThrownBy(() -> DateFieldCompletion.zone(zone))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(message);
        }
    }
}
