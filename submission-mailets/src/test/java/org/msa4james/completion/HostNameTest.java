package org.msa4james.completion;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import com.google.common.base.Strings;

class HostNameTest {

    static Stream<Arguments> hostNames() {
        return Stream.of(
            Arguments.of("example.com", "example.com"),
            Arguments.of("Mail.Example.COM", "mail.example.com"),
            Arguments.of("example.com.", "example.com"),
            Arguments.of("a-b.c1.example", "a-b.c1.example"),
            Arguments.of("3com.com", "3com.com"),
            Arguments.of("b\u00fccher.example", "xn--bcher-kva.example"),
            Arguments.of("xn--bcher-kva.example", "xn--bcher-kva.example"));
    }

    @ParameterizedTest
    @MethodSource("hostNames")
    void fullyQualifiedShouldNormaliseAHostName(String candidate, String expected) {
        assertThat(HostName.fullyQualified(candidate)).contains(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", ".", "localhost", "example", "exa mple.com", "exa_mple.com", "-example.com", "example-.com",
        "example..com", ".example.com", "192.0.2.1", "[192.0.2.1]", "example.com:25", "alice@example.com", "example.123"})
    void fullyQualifiedShouldRejectWhatIsNotAHostNameOfTwoLabels(String candidate) {
        assertThat(HostName.fullyQualified(candidate)).isEmpty();
    }

    @Test
    void fullyQualifiedShouldRejectLabelsOver63Characters() {
        assertThat(HostName.fullyQualified(Strings.repeat("a", 63) + ".example")).isPresent();
        assertThat(HostName.fullyQualified(Strings.repeat("a", 64) + ".example")).isEmpty();
    }

    @Test
    void fullyQualifiedShouldRejectNamesOver253Characters() {
        String label = Strings.repeat("a", 49) + ".";
        String name253 = Strings.repeat(label, 5) + Strings.repeat("b", 3);
        assertThat(name253).hasSize(253);

        assertThat(HostName.fullyQualified(name253)).contains(name253);
        assertThat(HostName.fullyQualified("c" + name253)).isEmpty();
    }

    @Test
    void normalizedShouldAcceptASingleLabel() {
        assertThat(HostName.normalized("LocalHost")).contains("localhost");
        assertThat(HostName.normalized("exa mple")).isEmpty();
    }
}
