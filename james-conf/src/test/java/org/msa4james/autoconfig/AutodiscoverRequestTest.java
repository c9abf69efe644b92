package org.msa4james.autoconfig;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AutodiscoverRequestTest {
    static final String NAMESPACE = "http://schemas.microsoft.com/exchange/autodiscover/outlook/requestschema/2006";
    static final String RESPONSE_SCHEMA = "http://schemas.microsoft.com/exchange/autodiscover/outlook/responseschema/2006a";

    static byte[] request(String emailAddressElement) {
        return ("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<Autodiscover xmlns=\"" + NAMESPACE + "\">\n  <Request>\n    "
            + emailAddressElement + "\n    <AcceptableResponseSchema>" + RESPONSE_SCHEMA + "</AcceptableResponseSchema>\n"
            + "  </Request>\n</Autodiscover>\n").getBytes(UTF_8);
    }

    @Test
    void shouldReadTheAddressOfOutlooksRequest() {
        assertThat(AutodiscoverRequest.emailAddress(request("<EMailAddress>alice@Example.test</EMailAddress>")))
            .isEqualTo(EmailAddress.parse("alice@example.test"));
    }

    @Test
    void shouldReadAnEscapedAmpersand() {
        assertThat(AutodiscoverRequest.emailAddress(request("<EMailAddress>a&amp;b@example.test</EMailAddress>")).localPart())
            .isEqualTo("a&b");
    }

    @Test
    void shouldAcceptARequestWithoutAcceptableResponseSchema() {
        byte[] body = ("<Autodiscover xmlns=\"" + NAMESPACE + "\"><Request><EMailAddress>alice@example.test</EMailAddress>"
            + "</Request></Autodiscover>").getBytes(UTF_8);

        assertThat(AutodiscoverRequest.emailAddress(body).asString()).isEqualTo("alice@example.test");
    }

    @Test
    void shouldRefuseAnExternalEntityWithoutReadingIt(@TempDir Path directory) throws Exception {
        Path secret = Files.writeString(directory.resolve("secret"), "s3cr3t");
        byte[] body = ("<?xml version=\"1.0\"?><!DOCTYPE Autodiscover [<!ENTITY x SYSTEM \"" + secret.toUri() + "\">]>"
            + new String(request("<EMailAddress>&x;@example.test</EMailAddress>"), UTF_8).replaceFirst("<\\?xml[^>]*>", ""))
            .getBytes(UTF_8);

        assertThatThrownBy(() -> AutodiscoverRequest.emailAddress(body))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("the body is not well-formed XML without a document type declaration");
    }

    @Test
    void shouldRefuseEntityExpansion() {
        String laughs = "<!DOCTYPE a [<!ENTITY l \"lol\"><!ENTITY l2 \"&l;&l;&l;&l;&l;&l;&l;&l;&l;&l;\">"
            + "<!ENTITY l3 \"&l2;&l2;&l2;&l2;&l2;&l2;&l2;&l2;&l2;&l2;\">]>";
        byte[] body = (laughs + new String(request("<EMailAddress>&l3;@example.test</EMailAddress>"), UTF_8)
            .replaceFirst("<\\?xml[^>]*>\\n", "")).getBytes(UTF_8);

        assertThatThrownBy(() -> AutodiscoverRequest.emailAddress(body))
            .hasMessage("the body is not well-formed XML without a document type declaration");
    }

    @Test
    void shouldRefuseAnotherNamespace() {
        byte[] body = "<Autodiscover><Request><EMailAddress>alice@example.test</EMailAddress></Request></Autodiscover>".getBytes(UTF_8);

        assertThatThrownBy(() -> AutodiscoverRequest.emailAddress(body))
            .hasMessage("the body is not an Autodiscover request of the schema " + NAMESPACE);
    }

    @Test
    void shouldRefuseAnotherResponseSchema() {
        byte[] body = new String(request("<EMailAddress>alice@example.test</EMailAddress>"), UTF_8)
            .replace(RESPONSE_SCHEMA, "http://schemas.microsoft.com/exchange/autodiscover/mobilesync/responseschema/2006")
            .getBytes(UTF_8);

        assertThatThrownBy(() -> AutodiscoverRequest.emailAddress(body))
            .hasMessage("only the response schema " + RESPONSE_SCHEMA + " is served");
    }

    @Test
    void shouldRefuseTwoAddressesAndNone() {
        assertThatThrownBy(() -> AutodiscoverRequest.emailAddress(request(
            "<EMailAddress>alice@example.test</EMailAddress><EMailAddress>bob@example.test</EMailAddress>")))
            .hasMessage("the Autodiscover request has more than one EMailAddress");
        assertThatThrownBy(() -> AutodiscoverRequest.emailAddress(request("<LegacyDN>/o=x</LegacyDN>")))
            .hasMessage("the Autodiscover request has no EMailAddress");
    }

    @Test
    void shouldRefuseAnAddressThatIsNotADotAtom() {
        assertThatThrownBy(() -> AutodiscoverRequest.emailAddress(request("<EMailAddress>&lt;b&gt;@example.test</EMailAddress>")))
            .hasMessageStartingWith("the local part of the e-mail address is not");
    }

    @Test
    void shouldRefuseWhatIsNotXml() {
        assertThatThrownBy(() -> AutodiscoverRequest.emailAddress("alice@example.test".getBytes(UTF_8)))
            .hasMessage("the body is not well-formed XML without a document type declaration");
        assertThatThrownBy(() -> AutodiscoverRequest.emailAddress(new byte[0]))
            .hasMessage("the body is not well-formed XML without a document type declaration");
    }
}
