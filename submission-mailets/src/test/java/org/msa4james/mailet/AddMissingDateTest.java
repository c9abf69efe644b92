package org.msa4james.mailet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.msa4james.mailet.CompletionMails.RECEIVED_AT;
import static org.msa4james.mailet.CompletionMails.RECEIVED_AT_RFC5322;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import javax.mail.MessagingException;

import org.apache.mailet.base.test.FakeMail;
import org.apache.mailet.base.test.FakeMailetConfig;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class AddMissingDateTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-01T07:08:09Z"), ZoneOffset.UTC);
    private static final String RECEIVED = "Received: from client.example.test by msa.example.test with ESMTPSA id 1f2e3d;\r\n\tSat, 28 Nov 2026 18:55:39 +0000";
    private static final String FROM = "From: Alice <alice@example.test>";
    private static final String TO = "To: bob@example.com";
    private static final String SUBJECT = "Subject: Hello";

    private AddMissingDate mailet;

    private static AddMissingDate initialised(FakeMailetConfig.Builder config) throws MessagingException {
        AddMissingDate mailet = new AddMissingDate(CLOCK);
        mailet.init(config.mailetName("AddMissingDate").build());
        return mailet;
    }

    @BeforeEach
    void setUp() throws Exception {
        mailet = initialised(FakeMailetConfig.builder());
    }

    @Nested
    class MissingDate {
        @Test
        void serviceShouldAddDateWhenMissing() throws Exception {
            BodyTrapMessage trap = BodyTrapMessage.withHeader(RECEIVED, FROM, TO, SUBJECT);

            mailet.service(CompletionMails.submission(trap.message()));

            assertThat(trap.headerLines()).containsExactly(RECEIVED, FROM, TO, SUBJECT, "Date: " + RECEIVED_AT_RFC5322);
        }

        @Test
        void serviceShouldUseTheClockWhenTheReceptionTimeIsUnknown() throws Exception {
            BodyTrapMessage trap = BodyTrapMessage.withHeader(FROM, SUBJECT);

            mailet.service(CompletionMails.submission(trap.message(), Optional.of("alice@example.test"), Optional.empty(), Optional.of("alice@example.test")));

            assertThat(trap.headerLines()).containsExactly(FROM, SUBJECT, "Date: Tue, 1 Dec 2026 07:08:09 +0000");
        }

        @Test
        void serviceShouldAddDateToASubmissionFromATrustedNetwork() throws Exception {
            BodyTrapMessage trap = BodyTrapMessage.withHeader(FROM, SUBJECT);

            mailet.service(CompletionMails.submission(trap.message(), Optional.empty(), Optional.of(RECEIVED_AT), Optional.empty()));

            assertThat(trap.headerLines()).containsExactly(FROM, SUBJECT, "Date: " + RECEIVED_AT_RFC5322);
        }

        @Test
        void serviceShouldWriteTheDateInTheConfiguredZone() throws Exception {
            AddMissingDate paris = initialised(FakeMailetConfig.builder().setProperty("timeZone", "Europe/Paris"));
            BodyTrapMessage trap = BodyTrapMessage.withHeader(FROM, SUBJECT);

            paris.service(CompletionMails.submission(trap.message()));

            assertThat(trap.headerLines()).containsExactly(FROM, SUBJECT, "Date: Sat, 28 Nov 2026 19:55:39 +0100");
        }

        @Test
        void serviceShouldWriteTheDateInAConfiguredOffset() throws Exception {
            AddMissingDate offset = initialised(FakeMailetConfig.builder().setProperty("timeZone", "-05:00"));
            BodyTrapMessage trap = BodyTrapMessage.withHeader(FROM, SUBJECT);

            offset.service(CompletionMails.submission(trap.message()));

            assertThat(trap.headerLines()).containsExactly(FROM, SUBJECT, "Date: Sat, 28 Nov 2026 13:55:39 -0500");
        }
    }

    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class InvalidDate {
        Stream<Arguments> brokenDates() {
            return Stream.of(
                Arguments.of("Date: Thu, 1 Jan 2026 10:00:00 +25:00"),
                Arguments.of("Date: Thu, 1 Jan 2026 10:00:00 XYZ"),
                Arguments.of("Date: Thu, 1 Jan 2026 10:00:00 CET"),
                Arguments.of("Date: Mon, 32 Jan 2026 10:00:00 +0000"),
                Arguments.of("Date: Thu, 1 Foo 2026 10:00:00 +0000"),
                Arguments.of("Date: Mon, 1 Jan 2026 10:00:00 +0000"),
                Arguments.of("Date: Thu, 1 Jan 2026 10:00:00"),
                Arguments.of("Date: 2026-01-01T10:00:00Z"),
                Arguments.of("Date: 1767261600"),
                Arguments.of("Date: yesterday"),
                Arguments.of("Date: "),
                Arguments.of("Date: Thu, 1 Jan 2026\r\n 10:00:00 +0000 trailing"));
        }

        @ParameterizedTest
        @MethodSource("brokenDates")
        void serviceShouldReplaceAnInvalidDate(String brokenDateLine) throws Exception {
            BodyTrapMessage trap = BodyTrapMessage.withHeader(RECEIVED, FROM, brokenDateLine, TO, SUBJECT);

            mailet.service(CompletionMails.submission(trap.message()));

            assertThat(trap.headerLines()).containsExactly(RECEIVED, FROM, TO, SUBJECT, "Date: " + RECEIVED_AT_RFC5322);
        }

        @Test
        void serviceShouldReplaceTwoDateFieldsByOne() throws Exception {
            BodyTrapMessage trap = BodyTrapMessage.withHeader(FROM, "Date: Sat, 28 Nov 2026 10:00:00 +0000", TO,
                "Date: Sat, 28 Nov 2026 11:00:00 +0000", SUBJECT);

            mailet.service(CompletionMails.submission(trap.message()));

            assertThat(trap.headerLines()).containsExactly(FROM, TO, SUBJECT, "Date: " + RECEIVED_AT_RFC5322);
        }

        @Test
        void serviceShouldReplaceALowerCaseDateField() throws Exception {
            BodyTrapMessage trap = BodyTrapMessage.withHeader(FROM, "date: Mon, 32 Jan 2026 10:00:00 +0000", SUBJECT);

            mailet.service(CompletionMails.submission(trap.message()));

            assertThat(trap.headerLines()).containsExactly(FROM, SUBJECT, "Date: " + RECEIVED_AT_RFC5322);
        }
    }

    @Nested
    class ValidDate {
        @ParameterizedTest
        @ValueSource(strings = {
            "Date: Sat, 28 Nov 2026 09:00:00 +0000",
            "Date: Fri, 21 Nov 1997 09:55:06 -0600",
            "Date: 21 Nov 97 09:55:06 GMT",
            "Date: Fri, 21 Nov 1997 09:55 PST",
            "Date: Sat, 28 Nov 26 18:55:39 EST (Eastern)",
            "Date: sat,  28 nov 2026 18:55:39 -0000",
            "Date: Sat, 28 Nov 2026\r\n 18:55:39 +1345",
            "Date:Sat, 28 Nov 2026 18:55:39 +0000",
            "DATE: Sat, 28 Nov 2026 18:55:39 Z"})
        void serviceShouldLeaveAValidDateByteForByte(String dateLine) throws Exception {
            BodyTrapMessage trap = BodyTrapMessage.withHeader(RECEIVED, FROM, dateLine, TO, SUBJECT);

            mailet.service(CompletionMails.submission(trap.message()));

            assertThat(trap.headerLines()).containsExactly(RECEIVED, FROM, dateLine, TO, SUBJECT);
        }
    }

    @Nested
    class NotASubmission {
        @ParameterizedTest
        @ValueSource(strings = {"X-No-Date: true", "Date: Mon, 32 Jan 2026 10:00:00 +0000"})
        void serviceShouldLeaveMailRelayedInUntouched(String line) throws Exception {
            BodyTrapMessage trap = BodyTrapMessage.withHeader(RECEIVED, FROM, line, SUBJECT);
            List<String> before = trap.headerLines();

            mailet.service(CompletionMails.relayed(trap.message()));

            assertThat(trap.headerLines()).isEqualTo(before).containsExactly(RECEIVED, FROM, line, SUBJECT);
        }
    }

    @Nested
    class Body {
        @Test
        void serviceShouldNotReadTheBody() throws Exception {
            BodyTrapMessage trap = BodyTrapMessage.withHeader(FROM, "Content-Type: text/plain; charset=UTF-8",
                "Content-Transfer-Encoding: 8bit", "Date: Mon, 32 Jan 2026 10:00:00 +0000");
            FakeMail mail = CompletionMails.submission(trap.message());

            mailet.service(mail);

            assertThat(trap.bodyWasRead()).isFalse();
            assertThat(mail.getMessage().getHeader("Date")).containsExactly(RECEIVED_AT_RFC5322);
        }
    }

    @Nested
    class Initialisation {
        @Test
        void initShouldDefaultToUtc() {
            assertThat(mailet.getMailetInfo()).isEqualTo("AddMissingDate: adds or repairs the Date field of submissions (RFC 6409 section 8.2), zone Z");
        }

        @Test
        void initShouldRejectAnUnknownTimeZone() {
            assertThatThrownBy(() -> initialised(FakeMailetConfig.builder().setProperty("timeZone", "Mars/Olympus")))
                .isInstanceOf(MessagingException.class)
                .hasMessage("Mailet org.msa4james.mailet.AddMissingDate: parameter 'timeZone' is invalid: "
                    + "'Mars/Olympus' is neither an IANA time zone id (e.g. Europe/Paris) nor an offset (e.g. +01:00)");
        }

        @Test
        void initShouldRejectAnOffsetWithSeconds() {
            assertThatThrownBy(() -> initialised(FakeMailetConfig.builder().setProperty("timeZone", "+01:00:30")))
                .isInstanceOf(MessagingException.class)
                .hasMessage("Mailet org.msa4james.mailet.AddMissingDate: parameter 'timeZone' is invalid: "
                    + "the offset '+01:00:30' has seconds, which a Date field cannot express");
        }

        @Test
        void initShouldRejectAnUnknownParameter() {
            assertThatThrownBy(() -> initialised(FakeMailetConfig.builder().setProperty("zone", "UTC")))
                .isInstanceOf(MessagingException.class)
                .hasMessage("Mailet org.msa4james.mailet.AddMissingDate: parameter 'zone' is not a parameter of this mailet; known parameters: timeZone");
        }

        @Test
        void getMailetInfoShouldNameTheConfiguredZone() throws Exception {
            assertThat(initialised(FakeMailetConfig.builder().setProperty("timeZone", "Europe/Paris")).getMailetInfo())
                .isEqualTo("AddMissingDate: adds or repairs the Date field of submissions (RFC 6409 section 8.2), zone Europe/Paris");
        }
    }
}
