package org.msa4james.address;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class DomainQualifierTest {
    private static final Set<String> LOCAL_DOMAINS = Set.of("example.test", "sales.example.test", "intranet");

    private final DomainQualifier qualifier = new DomainQualifier(
        Map.of("sales", "sales.example.test", "eng", "eng.example.test"),
        Set.of("corp"),
        domain -> LOCAL_DOMAINS.contains(domain.toLowerCase()));

    static Stream<Arguments> verdicts() {
        return Stream.of(
            Arguments.of("example.com", DomainQualification.Verdict.QUALIFIED, "example.com"),
            Arguments.of("Mail.Example.COM", DomainQualification.Verdict.QUALIFIED, "Mail.Example.COM"),
            Arguments.of("example.com.", DomainQualification.Verdict.QUALIFIED, "example.com."),
            Arguments.of("mx.example.co.uk", DomainQualification.Verdict.QUALIFIED, "mx.example.co.uk"),
            Arguments.of("example.xn--p1ai", DomainQualification.Verdict.QUALIFIED, "example.xn--p1ai"),
            Arguments.of("пример.рф", DomainQualification.Verdict.QUALIFIED, "пример.рф"),
            Arguments.of("example.test", DomainQualification.Verdict.QUALIFIED, "example.test"),
            Arguments.of("intranet", DomainQualification.Verdict.QUALIFIED, "intranet"),
            Arguments.of("[192.0.2.1]", DomainQualification.Verdict.QUALIFIED, "[192.0.2.1]"),
            Arguments.of("[IPv6:2001:db8::1]", DomainQualification.Verdict.QUALIFIED, "[IPv6:2001:db8::1]"),
            Arguments.of("192.0.2.1", DomainQualification.Verdict.QUALIFIED, "192.0.2.1"),
            Arguments.of("IPv6:2001:db8::1", DomainQualification.Verdict.QUALIFIED, "IPv6:2001:db8::1"),
            Arguments.of("host.corp", DomainQualification.Verdict.QUALIFIED, "host.corp"),
            Arguments.of("sales", DomainQualification.Verdict.EXPANDED, "sales.example.test"),
            Arguments.of("SALES", DomainQualification.Verdict.EXPANDED, "sales.example.test"),
            Arguments.of("eng", DomainQualification.Verdict.EXPANDED, "eng.example.test"),
            Arguments.of("marketing", DomainQualification.Verdict.UNQUALIFIED, "marketing"),
            Arguments.of("localhost", DomainQualification.Verdict.UNQUALIFIED, "localhost"),
            Arguments.of("squeaky.sales", DomainQualification.Verdict.INCOMPLETE, "squeaky.sales"),
            Arguments.of("other.example.test", DomainQualification.Verdict.INCOMPLETE, "other.example.test"),
            Arguments.of("host.local", DomainQualification.Verdict.INCOMPLETE, "host.local"));
    }

    @ParameterizedTest(name = "{0} -> {1} {2}")
    @MethodSource("verdicts")
    void qualifyShouldGiveTheExpectedVerdict(String domain, DomainQualification.Verdict verdict, String result) {
        DomainQualification qualification = qualifier.qualify(domain);

        assertThat(qualification.verdict()).isEqualTo(verdict);
        assertThat(qualification.domain()).isEqualTo(result);
        assertThat(qualification.isAcceptable())
            .isEqualTo(verdict == DomainQualification.Verdict.QUALIFIED || verdict == DomainQualification.Verdict.EXPANDED);
    }

    @Test
    void qualifyShouldNeverExpandAMultiLabelNameWhoseLastLabelHasAnExpansion() {
        assertThat(qualifier.qualify("squeaky.sales").verdict()).isEqualTo(DomainQualification.Verdict.INCOMPLETE);
    }

    @Test
    void qualifyShouldConsultTheLocalDomainsBeforeTheTopLevelDomains() {
        DomainQualifier everythingLocal = new DomainQualifier(Map.of(), Set.of(), domain -> true);

        assertThat(everythingLocal.qualify("squeaky.sales").verdict()).isEqualTo(DomainQualification.Verdict.QUALIFIED);
    }

    @Nested
    class ParseExpansions {
        @Test
        void parseExpansionsShouldReadPairsSeparatedByCommasAndSpaces() {
            assertThat(DomainQualifier.parseExpansions(" sales=sales.example.test,ENG=Eng.Example.Test  hr=hr.example.test "))
                .containsExactly(
                    Map.entry("sales", "sales.example.test"),
                    Map.entry("eng", "eng.example.test"),
                    Map.entry("hr", "hr.example.test"));
        }

        @Test
        void parseExpansionsShouldReturnNothingWhenBlank() {
            assertThat(DomainQualifier.parseExpansions("  ")).isEmpty();
            assertThat(DomainQualifier.parseExpansions(null)).isEmpty();
        }

        @ParameterizedTest
        @ValueSource(strings = {"sales", "=sales.example.test", "sales=", "sales.x=sales.example.test",
            "sales=example", "-sales=sales.example.test", "sales=bad_domain.example.test"})
        void parseExpansionsShouldRejectMalformedEntries(String entry) {
            assertThatThrownBy(() -> DomainQualifier.parseExpansions(entry))
                .isInstanceOf(IllegalArgumentException.class);
        }

        @Test
        void parseExpansionsShouldNameTheMalformedEntry() {
            assertThatThrownBy(() -> DomainQualifier.parseExpansions("sales=sales.example.test, eng"))
                .hasMessage("'eng' is not of the form label=domain");
            assertThatThrownBy(() -> DomainQualifier.parseExpansions("sales=example"))
                .hasMessage("'example' in 'sales=example' is not a domain name of several labels");
        }

        @Test
        void parseExpansionsShouldRejectALabelExpandedTwice() {
            assertThatThrownBy(() -> DomainQualifier.parseExpansions("sales=a.example.test, SALES=b.example.test"))
                .hasMessage("label 'sales' is expanded twice");
        }
    }

    @Nested
    class ParseTopLevelDomains {
        @Test
        void parseTopLevelDomainsShouldReadLabelsInLowerCase() {
            assertThat(DomainQualifier.parseTopLevelDomains("corp, LAN internal")).containsExactly("corp", "lan", "internal");
        }

        @Test
        void parseTopLevelDomainsShouldRejectANameOfSeveralLabels() {
            assertThatThrownBy(() -> DomainQualifier.parseTopLevelDomains("corp, example.lan"))
                .hasMessage("'example.lan' is not a single domain label");
        }
    }
}
