package org.msa4james.completion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class MessageIdDomainTest {
    private static final String DEFAULT_DOMAIN = "default.example.test";
    private final MessageIdDomain unconfigured = new MessageIdDomain(Optional.empty());

    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class Choice {
        @Test
        void chooseShouldPreferTheConfiguredDomain() {
            MessageIdDomain configured = new MessageIdDomain(Optional.of("ids.example.net"));

            assertThat(configured.choose(Optional.of("sender.example.test"), List.of("alice@from.example.test"), DEFAULT_DOMAIN))
                .contains("ids.example.net");
        }

        @Test
        void chooseShouldTakeTheEnvelopeSenderDomainWhenNoneIsConfigured() {
            assertThat(unconfigured.choose(Optional.of("sender.example.test"), List.of("alice@from.example.test"), DEFAULT_DOMAIN))
                .contains("sender.example.test");
        }

        Stream<Arguments> fromFields() {
            return Stream.of(
                Arguments.of(List.of("alice@from.example.test"), "from.example.test"),
                Arguments.of(List.of("Alice <alice@From.Example.TEST>"), "from.example.test"),
                Arguments.of(List.of("=?UTF-8?B?0JDQu9C40YHQsA==?= <alice@from.example.test>"), "from.example.test"),
                Arguments.of(List.of("alice@first.example.test, bob@second.example.test"), "first.example.test"),
                Arguments.of(List.of("Team: alice@team.example.test, bob@other.example.test;"), "team.example.test"),
                Arguments.of(List.of("alice@first.example.test", "bob@second.example.test"), "first.example.test"),
                Arguments.of(List.of("Alice\r\n <alice@folded.example.test>"), "folded.example.test"),
                Arguments.of(List.of("alice@b\u00fccher.example"), DEFAULT_DOMAIN),
                Arguments.of(List.of("alice@[192.0.2.1]"), DEFAULT_DOMAIN),
                Arguments.of(List.of("alice@localhost"), DEFAULT_DOMAIN),
                Arguments.of(List.of("undisclosed:;"), DEFAULT_DOMAIN),
                Arguments.of(List.of("Alice <alice@from.example.test"), DEFAULT_DOMAIN),
                Arguments.of(List.of("alice"), DEFAULT_DOMAIN),
                Arguments.of(List.of(), DEFAULT_DOMAIN));
        }

        @ParameterizedTest
        @MethodSource("fromFields")
        void chooseShouldTakeTheFirstFromDomainWithoutEnvelopeSender(List<String> from, String expected) {
            assertThat(unconfigured.choose(Optional.empty(), from, DEFAULT_DOMAIN)).contains(expected);
        }

        @ParameterizedTest
        @ValueSource(strings = {"[192.0.2.1]", "localhost", "exa mple.test"})
        void chooseShouldPassOverAnEnvelopeSenderDomainThatIsNotAFullyQualifiedHostName(String senderDomain) {
            assertThat(unconfigured.choose(Optional.of(senderDomain), List.of("alice@from.example.test"), DEFAULT_DOMAIN))
                .contains("from.example.test");
        }

        @Test
        void chooseShouldFallBackToTheDefaultDomain() {
            assertThat(unconfigured.choose(Optional.empty(), List.of(), "Default.Example.TEST")).contains(DEFAULT_DOMAIN);
        }

        @Test
        void chooseShouldAcceptASingleLabelDefaultDomainAsTheLastResort() {
            assertThat(unconfigured.choose(Optional.empty(), List.of(), "localhost")).contains("localhost");
        }

        @Test
        void chooseShouldBeEmptyWhenNotEvenTheDefaultDomainIsAHostName() {
            assertThat(unconfigured.choose(Optional.empty(), List.of(), "[192.0.2.1]")).isEmpty();
        }
    }

    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class Configuration {
        @Test
        void configuredShouldBeEmptyWhenNotSet() {
            assertThat(MessageIdDomain.configured("")).isEmpty();
        }

        @Test
        void configuredShouldNormaliseTheHostName() {
            assertThat(MessageIdDomain.configured("Mail.Example.COM.")).contains("mail.example.com");
        }

        Stream<Arguments> invalidDomains() {
            return Stream.of(
                Arguments.of("localhost"),
                Arguments.of("example"),
                Arguments.of("exa mple.com"),
                Arguments.of("[192.0.2.1]"),
                Arguments.of("192.0.2.1"),
                Arguments.of("@example.com"),
                Arguments.of("<example.com>"));
        }

        @ParameterizedTest
        @MethodSource("invalidDomains")
        void configuredShouldRejectWhatIsNotAFullyQualifiedHostName(String value) {
            assertThatThrownBy(() -> MessageIdDomain.configured(value))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("'" + value + "' is not a fully qualified host name (letters, digits and hyphens in two or more dot-separated labels, e.g. example.com)");
        }
    }
}
