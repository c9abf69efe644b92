package org.msa4james.autoconfig;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DkimTxtRecordTest {
    private static final String KEY = "p=MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA2Lih";

    @Test
    void shouldReadTheLineOfTheKeyTool() {
        DkimTxtRecord record = DkimTxtRecord.parse("msa._domainkey.example.test. IN TXT ( \"v=DKIM1; k=rsa; \" \"" + KEY + "\" )",
            "example.test");

        assertThat(record.ownerName()).isEqualTo("msa._domainkey.example.test.");
        assertThat(record.strings()).containsExactly("v=DKIM1; k=rsa; ", KEY);
    }

    @Test
    void shouldAcceptATtlNoParenthesesAndAnotherCase() {
        DkimTxtRecord record = DkimTxtRecord.parse("Sel.2026._DomainKey.Example.Test. 300 in txt \"v=DKIM1; " + KEY + "\"",
            "example.test");

        assertThat(record.ownerName()).isEqualTo("sel.2026._domainkey.example.test.");
        assertThat(record.strings()).containsExactly("v=DKIM1; " + KEY);
    }

    @Test
    void shouldCutAStringLongerThan255Octets() {
        String value = "v=DKIM1; p=" + "x".repeat(300);

        assertThat(DkimTxtRecord.parse("msa._domainkey.example.test. IN TXT \"" + value + "\"", "example.test").strings())
            .containsExactly(value.substring(0, 255), value.substring(255));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "msa._domainkey.example.org. IN TXT \"v=DKIM1; p=x\"",
        "msa._domainkey.example.test IN TXT \"v=DKIM1; p=x\"",
        "_domainkey.example.test. IN TXT \"v=DKIM1; p=x\"",
        "msa._domainkey.example.test. IN CNAME other.example.test.",
        "msa._domainkey.example.test. IN TXT \"v=spf1 -all\"",
        "msa._domainkey.example.test. IN TXT ( \"v=DKIM1; p=x\"",
        "msa._domainkey.example.test. IN TXT \"v=DKIM1; p=x\" ; \"more\"",
        "msa._domainkey.example.test. IN TXT \"v=DKIM1; p=x\" )\nevil.example.test. IN A 192.0.2.1",
        "msa._domainkey.example.test. IN TXT \"v=DKIM1; p=\\\"x\"",
        "msa._domainkey.example.test. IN TXT \"v=DKIM1; p=\u00e9\"",
        "x y._domainkey.example.test. IN TXT \"v=DKIM1; p=x\"",
        ""})
    void shouldRefuseWhatIsNotADkimRecordOfTheDomain(String line) {
        assertThatThrownBy(() -> DkimTxtRecord.parse(line, "example.test")).isInstanceOf(IllegalArgumentException.class);
    }
}
