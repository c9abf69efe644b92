package org.msa4james.dkim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.KeyFactory;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DkimDnsRecordTest {
    /** SubjectPublicKeyInfo of a 2048-bit RSA key: 392 base64 characters, so "p=..." needs two strings. */
    private static final String KEY_2048 = "MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAsiA8GVLm/4kdRiV7qgZKEdCVpg3g8f53hQ5xemXxAKkKDiOAxAvZF"
        + "yPN8FV7BHLAUlg86+a3gS+fV6rARjGJRS8d/ZJe6TrSxXl49UmLYv6p3dO16JDKpgoUrMlvPrxITfAhOpEOWY6xjDsKbIZUlJWVXf6r+XSmVVkM"
        + "DtGf8GGyi1REYN2VqMSaua9E05QNwVma112fWI1HPUbqT4fK51Ws559agwIj4g39c2NJfl1HkJOqatw4NlrP4g1rxS/wgoq57f5Mk/PRKVF6SEk"
        + "suzCb/1HvZIx2V8Fpm8aINnL38tyvxek0CJTvjaZMZGbF9hnkpZB/fpsO4bGAheq83QIDAQAB";
    /** SubjectPublicKeyInfo of a 1024-bit RSA key: "p=..." fits in one string. */
    private static final String KEY_1024 = "MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQDIcCcXlQDhg5Vr2Fcg8mhkSl95ZaybrPEBaYFWWWNhzQWIC28q/SkMPPS/ZV"
        + "HROIe7COSQY4yCtqovNzRvSN0Sqf/JG+8TJZwBk8zKDtlX0li7UeqhniQwvUu9GxjfHx7qmYUWP82Q7ZIeqBxiTM9dJt8w3kYCSqO2u4ZOEIdHIQIDAQAB";

    @Nested
    class ZoneFileLine {
        @Test
        void zoneFileLineShouldSplitA2048BitKeyIntoStringsOfAtMost255Characters() throws Exception {
            DkimDnsRecord record = DkimDnsRecord.of("msa", "example.test", publicKey(KEY_2048));

            assertThat(record.zoneFileLine()).isEqualTo("msa._domainkey.example.test. IN TXT ( \"v=DKIM1; k=rsa; \" "
                + "\"p=MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAsiA8GVLm/4kdRiV7qgZKEdCVpg3g8f53hQ5xemXxAKkKDiOAxAvZFyPN8FV7BHLAU"
                + "lg86+a3gS+fV6rARjGJRS8d/ZJe6TrSxXl49UmLYv6p3dO16JDKpgoUrMlvPrxITfAhOpEOWY6xjDsKbIZUlJWVXf6r+XSmVVkMDtGf8GGyi1R"
                + "EYN2VqMSaua9E05QNwVma112fWI1HPUbqT\" "
                + "\"4fK51Ws559agwIj4g39c2NJfl1HkJOqatw4NlrP4g1rxS/wgoq57f5Mk/PRKVF6SEksuzCb/1HvZIx2V8Fpm8aINnL38tyvxek0CJTvjaZMZ"
                + "GbF9hnkpZB/fpsO4bGAheq83QIDAQAB\" )");
        }

        @Test
        void zoneFileLineShouldKeepA1024BitKeyInOneString() throws Exception {
            DkimDnsRecord record = DkimDnsRecord.of("s1", "mail.example.org", publicKey(KEY_1024));

            assertThat(record.zoneFileLine()).isEqualTo("s1._domainkey.mail.example.org. IN TXT ( \"v=DKIM1; k=rsa; \" "
                + "\"p=" + KEY_1024 + "\" )");
        }

        @Test
        void stringsShouldBeAtMost255CharactersAndJoinIntoTheValue() throws Exception {
            DkimDnsRecord record = DkimDnsRecord.of("msa", "example.test", publicKey(KEY_2048));

            assertThat(record.strings()).extracting(String::length).containsExactly(16, 255, 139);
            assertThat(String.join("", record.strings())).isEqualTo(record.value());
        }

        @Test
        void valueShouldBeTheTagsAndTheBase64SubjectPublicKeyInfo() throws Exception {
            assertThat(DkimDnsRecord.of("msa", "example.test", publicKey(KEY_2048)).value())
                .isEqualTo("v=DKIM1; k=rsa; p=" + KEY_2048);
        }

        @Test
        void ownerNameShouldBeFullyQualifiedAndKeepTheGivenCase() throws Exception {
            DkimDnsRecord record = DkimDnsRecord.of("Msa", "Example.Test", publicKey(KEY_1024));

            assertThat(record.ownerName()).isEqualTo("Msa._domainkey.Example.Test.");
        }
    }

    @Nested
    class Names {
        @ParameterizedTest
        @ValueSource(strings = {"example.test", "Example.TEST", "localhost", "mail-1.example.co.uk", "xn--bcher-kva.example",
            "a.b", "1.example.test", "example.123a"})
        void checkDomainShouldAcceptDomainNames(String domain) {
            assertThat(DkimDnsRecord.checkDomain(domain)).isEqualTo(domain);
        }

        @Test
        void checkDomainShouldAcceptA63CharacterLabel() {
            String domain = "a".repeat(63) + ".example";

            assertThat(DkimDnsRecord.checkDomain(domain)).isEqualTo(domain);
        }

        @ParameterizedTest
        @ValueSource(strings = {"", "example..test", ".example.test", "example.test.", "-example.test", "example-.test",
            "exa mple.test", "exa_mple.test", "bücher.example", "example.test:25", "@example.test"})
        void checkDomainShouldRejectWhatIsNotADomainName(String domain) {
            assertThatThrownBy(() -> DkimDnsRecord.checkDomain(domain))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("'" + domain + "' is not a domain name (labels of 1 to 63 letters, digits or hyphens, not "
                    + "starting or ending with a hyphen, separated by dots, at most 253 characters, no trailing dot)");
        }

        @Test
        void checkDomainShouldRejectA64CharacterLabel() {
            assertThatThrownBy(() -> DkimDnsRecord.checkDomain("a".repeat(64) + ".example"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("'" + "a".repeat(64) + ".example' is not a domain name");
        }

        @Test
        void checkDomainShouldRejectANameOfMoreThan253Characters() {
            String label = "a".repeat(62);
            String domain = String.join(".", label, label, label, label) + ".test";

            assertThat(domain).hasSize(256);
            assertThatThrownBy(() -> DkimDnsRecord.checkDomain(domain))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("'" + domain + "' is not a domain name");
        }

        @ParameterizedTest
        @ValueSource(strings = {"192.0.2.1", "10.0.0.1"})
        void checkDomainShouldRejectAnIpv4Address(String address) {
            assertThatThrownBy(() -> DkimDnsRecord.checkDomain(address))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("'" + address + "' is an address, not a domain name");
        }

        @ParameterizedTest
        @ValueSource(strings = {"msa", "MSA", "msa2026", "2026", "jan-2026", "2026.jan", "a"})
        void checkSelectorShouldAcceptSelectors(String selector) {
            assertThat(DkimDnsRecord.checkSelector(selector)).isEqualTo(selector);
        }

        @ParameterizedTest
        @ValueSource(strings = {"", "_msa", "msa_2026", "msa.", ".msa", "-msa", "msa-", "m sa", "msa._domainkey"})
        void checkSelectorShouldRejectWhatIsNotASelector(String selector) {
            assertThatThrownBy(() -> DkimDnsRecord.checkSelector(selector))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("'" + selector + "' is not a DKIM selector (labels of 1 to 63 letters, digits or hyphens, "
                    + "not starting or ending with a hyphen, separated by dots; e.g. msa or msa2026)");
        }

        @ParameterizedTest
        @CsvSource({
            // selector length, domain length: the record name is selector + "._domainkey." + domain (12 characters added)
            "61, 180, true",
            "62, 180, false"
        })
        void checkOwnerNameShouldLimitTheRecordNameTo253Characters(int selectorLength, int domainLength, boolean fits) {
            String selector = "s".repeat(selectorLength);
            String domain = "d".repeat(59) + "." + "d".repeat(59) + "." + "d".repeat((domainLength - 120));

            if (fits) {
                DkimDnsRecord.checkOwnerName(selector, domain);
            } else {
                assertThatThrownBy(() -> DkimDnsRecord.checkOwnerName(selector, domain))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("the record name '" + selector + "._domainkey." + domain + ".' is longer than 253 characters: "
                        + "choose a shorter selector");
            }
        }

        @Test
        void ofShouldRejectAnInvalidSelector() {
            assertThatThrownBy(() -> DkimDnsRecord.of("my_selector", "example.test", publicKey(KEY_1024)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("'my_selector' is not a DKIM selector");
        }
    }

    private static RSAPublicKey publicKey(String base64) throws Exception {
        return (RSAPublicKey) KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(base64)));
    }
}
