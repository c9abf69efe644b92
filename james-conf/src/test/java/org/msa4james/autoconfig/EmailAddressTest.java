package org.msa4james.autoconfig;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EmailAddressTest {
    @Test
    void parseShouldKeepTheLocalPartAndLowerTheDomain() {
        EmailAddress address = EmailAddress.parse("Alice.Smith@Example.TEST");

        assertThat(address.localPart()).isEqualTo("Alice.Smith");
        assertThat(address.domain()).isEqualTo("example.test");
        assertThat(address.asString()).isEqualTo("Alice.Smith@example.test");
    }

    @Test
    void parseShouldAcceptEveryCharacterOfADotAtomIncludingThoseXmlEscapes() {
        String local = "a!#$%&'*+/=?^_`{|}~-z.0";

        assertThat(EmailAddress.parse(local + "@example.test").localPart()).isEqualTo(local);
    }

    @Test
    void parseShouldAcceptALocalPartOf64Octets() {
        assertThat(EmailAddress.parse("a".repeat(64) + "@example.test").localPart()).hasSize(64);
    }

    @ParameterizedTest
    @ValueSource(strings = {"<script>@example.test", "\"quoted\"@example.test", "a b@example.test", ".alice@example.test",
        "alice.@example.test", "al..ice@example.test", "alice(comment)@example.test", "al\\ice@example.test", "@example.test",
        "élise@example.test", "a\u0000b@example.test", "alice@example.test@example.test"})
    void parseShouldRefuseALocalPartThatIsNotADotAtomWithoutRepeatingIt(String address) {
        assertThatThrownBy(() -> EmailAddress.parse(address))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("the local part of the e-mail address is not 1 to 64 letters, digits and !#$%&'*+/=?^_`{|}~- separated "
                + "by single dots");
    }

    @Test
    void parseShouldRefuseALocalPartOf65Octets() {
        assertThatThrownBy(() -> EmailAddress.parse("a".repeat(65) + "@example.test"))
            .hasMessageStartingWith("the local part of the e-mail address is not 1 to 64");
    }

    @ParameterizedTest
    @ValueSource(strings = {"alice@", "alice@[192.0.2.1]", "alice@192.0.2.1", "alice@exa_mple.test", "alice@-example.test",
        "alice@example..test", "alice@example.test.", "alice@exa<mple.test", "alice@exämple.test"})
    void parseShouldRefuseADomainThatIsNotAHostName(String address) {
        assertThatThrownBy(() -> EmailAddress.parse(address))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("the domain is not a domain name of letters, digits and hyphens");
    }

    @Test
    void parseShouldRefuseADomainOver253Octets() {
        String domain = ("a".repeat(62) + ".").repeat(4) + "test";

        assertThat(domain).hasSize(256);
        assertThatThrownBy(() -> EmailAddress.parse("alice@" + domain)).hasMessage("the domain is not a domain name of letters, digits and hyphens");
    }

    @Test
    void parseShouldRefuseNoAtSignAndNothing() {
        assertThatThrownBy(() -> EmailAddress.parse("alice")).hasMessage("the e-mail address has no @");
        assertThatThrownBy(() -> EmailAddress.parse("")).hasMessage("the e-mail address is empty");
    }
}
