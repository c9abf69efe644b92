package org.msa4james.diagnostics;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class ClientSoftwareTest {
    @Nested
    class Choice {
        @Test
        void userAgentShouldComeFirst() {
            assertThat(ClientSoftware.of(Optional.of("Thunderbird/115"), Optional.of("Printer 3000"), Optional.of("pc1")))
                .isEqualTo("Thunderbird/115");
        }

        @Test
        void xMailerShouldComeWithoutUserAgent() {
            assertThat(ClientSoftware.of(Optional.empty(), Optional.of("Printer 3000"), Optional.of("pc1")))
                .isEqualTo("Printer 3000");
        }

        @Test
        void ehloNameShouldComeLast() {
            assertThat(ClientSoftware.of(Optional.of("  "), Optional.empty(), Optional.of("pc1.example.test")))
                .isEqualTo("pc1.example.test");
        }

        @Test
        void nothingShouldBeUnknown() {
            assertThat(ClientSoftware.of(Optional.empty(), Optional.empty(), Optional.empty())).isEqualTo("unknown");
        }
    }

    @Nested
    class Cleaning {
        @Test
        void foldedValueShouldBeUnfolded() {
            assertThat(ClientSoftware.of(Optional.of(" Mozilla/5.0 (X11; Linux x86_64;\r\n\trv:109.0)  Gecko "),
                Optional.empty(), Optional.empty()))
                .isEqualTo("Mozilla/5.0 (X11; Linux x86_64; rv:109.0) Gecko");
        }

        @Test
        void controlAndNonAsciiCharactersShouldBeReplaced() {
            assertThat(ClientSoftware.of(Optional.of("Brief\u00e4\u0000mail"), Optional.empty(), Optional.empty()))
                .isEqualTo("Brief??mail");
        }

        @Test
        void longValueShouldBeCutAtOneHundredCharacters() {
            String value = ClientSoftware.of(Optional.of("x".repeat(5000)), Optional.empty(), Optional.empty());

            assertThat(value).isEqualTo("x".repeat(100));
        }
    }

    @Test
    void defectIdsShouldBeStable() {
        assertThat(Defect.values()).extracting(Defect::id).containsExactly("missing-date", "invalid-date",
            "missing-message-id", "invalid-message-id", "unqualified-domain", "eight-bit-header", "from-not-entitled",
            "sender-added", "long-lines-reencoded", "auth-without-tls", "auth-failed", "rate-limited");
        assertThat(Defect.fromId("missing-date")).contains(Defect.MISSING_DATE);
        assertThat(Defect.fromId("MISSING_DATE")).isEmpty();
    }
}
