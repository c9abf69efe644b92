package org.msa4james.dsn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;

import org.apache.james.core.MailAddress;
import org.apache.mailet.DsnParameters;
import org.apache.mailet.DsnParameters.Notify;
import org.apache.mailet.DsnParameters.RecipientDsnParameters;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import com.google.common.base.Strings;

class DsnParameterSyntaxTest {

    @Nested
    class Mail {
        @Test
        void mailShouldReadRetAndEnvidAsThunderbirdSendsThem() throws Exception {
            EnvelopeDsn dsn = DsnParameterSyntax.mail(
                "FROM:<alice@example.test> BODY=8BITMIME SIZE=612 RET=FULL ENVID=<5b8e1f0a-3c2d-4e5f-9a8b-7c6d5e4f3a2b@example.test>");

            assertThat(dsn.ret()).contains(DsnParameters.Ret.FULL);
            assertThat(dsn.envId().map(DsnParameters.EnvId::asString))
                .contains("<5b8e1f0a-3c2d-4e5f-9a8b-7c6d5e4f3a2b@example.test>");
        }

        @Test
        void mailShouldKeepTheEnvidAsXtextAsSent() throws Exception {
            EnvelopeDsn dsn = DsnParameterSyntax.mail("FROM:<alice@example.test> ENVID=QQ+2B314159 ret=hdrs");

            assertThat(dsn.envId().map(DsnParameters.EnvId::asString)).contains("QQ+2B314159");
            assertThat(dsn.ret()).contains(DsnParameters.Ret.HDRS);
        }

        @Test
        void mailWithoutDsnParametersShouldGiveNone() throws Exception {
            assertThat(DsnParameterSyntax.mail("FROM:<alice@example.test> SIZE=100")).isEqualTo(EnvelopeDsn.none());
            assertThat(DsnParameterSyntax.mail("FROM:<>")).isEqualTo(EnvelopeDsn.none());
            assertThat(DsnParameterSyntax.mail(null)).isEqualTo(EnvelopeDsn.none());
        }

        @Test
        void anEnvidOfOneHundredCharactersShouldBeAccepted() throws Exception {
            String envId = Strings.repeat("a", 100);

            assertThat(DsnParameterSyntax.mail("FROM:<a@example.test> ENVID=" + envId).envId().map(DsnParameters.EnvId::asString))
                .contains(envId);
        }

        @ParameterizedTest
        @CsvSource(delimiter = '|', value = {
            "FROM:<a@example.test> RET=BODY|RET|must be FULL or HDRS",
            "FROM:<a@example.test> RET=|RET|a value is required",
            "FROM:<a@example.test> RET|RET|a value is required",
            "FROM:<a@example.test> ENVID=|ENVID|a value is required",
            "FROM:<a@example.test> ENVID=a+b|ENVID|must be xtext (printable US-ASCII, '+' and '=' written as +2B and +3D)",
            "FROM:<a@example.test> ENVID=a=b|ENVID|must be xtext (printable US-ASCII, '+' and '=' written as +2B and +3D)",
            "FROM:<a@example.test> ENVID=a+2b|ENVID|must be xtext (printable US-ASCII, '+' and '=' written as +2B and +3D)",
            "FROM:<a@example.test> ENVID=caf\u00e9|ENVID|must be xtext (printable US-ASCII, '+' and '=' written as +2B and +3D)"})
        void aMalformedParameterShouldBeNamed(String argument, String parameter, String problem) {
            assertThatThrownBy(() -> DsnParameterSyntax.mail(argument))
                .isInstanceOfSatisfying(InvalidDsnParameterException.class, e -> {
                    assertThat(e.parameter()).isEqualTo(parameter);
                    assertThat(e.problem()).isEqualTo(problem);
                    assertThat(e.isRepeated()).isFalse();
                });
        }

        @Test
        void anEnvidLongerThanOneHundredCharactersShouldBeRefused() {
            assertThatThrownBy(() -> DsnParameterSyntax.mail("FROM:<a@example.test> ENVID=" + Strings.repeat("a", 101)))
                .isInstanceOfSatisfying(InvalidDsnParameterException.class, e -> {
                    assertThat(e.parameter()).isEqualTo("ENVID");
                    assertThat(e.problem()).isEqualTo("must be at most 100 characters");
                });
        }

        @ParameterizedTest
        @CsvSource(delimiter = '|', value = {
            "FROM:<a@example.test> RET=FULL RET=FULL|RET",
            "FROM:<a@example.test> RET=FULL ret=HDRS|RET",
            "FROM:<a@example.test> ENVID=x SIZE=3 ENVID=y|ENVID"})
        void aRepeatedParameterShouldBeNamed(String argument, String parameter) {
            assertThatThrownBy(() -> DsnParameterSyntax.mail(argument))
                .isInstanceOfSatisfying(InvalidDsnParameterException.class, e -> {
                    assertThat(e.parameter()).isEqualTo(parameter);
                    assertThat(e.isRepeated()).isTrue();
                    assertThat(e.problem()).isEqualTo("given more than once");
                });
        }

        @Test
        void theFirstProblemShouldBeReported() {
            assertThatThrownBy(() -> DsnParameterSyntax.mail("FROM:<a@example.test> ENVID=a+b RET=NONE"))
                .isInstanceOfSatisfying(InvalidDsnParameterException.class, e -> assertThat(e.parameter()).isEqualTo("ENVID"));
        }

        @Test
        void parametersShouldBeFoundAfterTheFirstClosingBracketAsJamesFindsThem() {
            assertThat(DsnParameterSyntax.parameters("FROM:<a@example.test> RET=FULL ENVID=<x@y>", false))
                .containsExactly("RET=FULL", "ENVID=<x@y>");
            assertThat(DsnParameterSyntax.parameters("FROM:<a@example.test>RET=FULL", false)).isEmpty();
            assertThat(DsnParameterSyntax.parameters("FROM:<a@example.test>  RET=FULL", false)).containsExactly("RET=FULL");
        }
    }

    @Nested
    class Rcpt {
        @Test
        void rcptShouldReadNotifyAsThunderbirdSendsIt() throws Exception {
            assertThat(DsnParameterSyntax.recipient("TO:<bob@example.com> NOTIFY=SUCCESS,FAILURE"))
                .contains(RecipientDsnParameters.of(EnumSet.of(Notify.SUCCESS, Notify.FAILURE)));
        }

        @Test
        void rcptShouldDecodeTheOrcptFromXtext() throws Exception {
            Optional<RecipientDsnParameters> parameters = DsnParameterSyntax.recipient(
                "TO:<bob+tag@example.com> NOTIFY=NEVER ORCPT=rfc822;bob+2Btag@example.com");

            assertThat(parameters).contains(RecipientDsnParameters.of(EnumSet.of(Notify.NEVER), new MailAddress("bob+tag@example.com")));
        }

        @Test
        void rcptShouldAcceptTheAddressTypeInAnyCase() throws Exception {
            assertThat(DsnParameterSyntax.recipient("TO:<bob@example.com> ORCPT=RFC822;bob@example.com"))
                .contains(RecipientDsnParameters.of(new MailAddress("bob@example.com")));
        }

        @Test
        void rcptShouldAcceptEveryNotifyKeywordOnceInAnyOrderAndCase() throws Exception {
            assertThat(DsnParameterSyntax.recipient("TO:<bob@example.com> notify=delay,Failure,SUCCESS"))
                .contains(RecipientDsnParameters.of(EnumSet.of(Notify.SUCCESS, Notify.FAILURE, Notify.DELAY)));
        }

        @Test
        void rcptWithoutDsnParametersShouldGiveNone() throws Exception {
            assertThat(DsnParameterSyntax.recipient("TO:<bob@example.com>")).isEmpty();
            assertThat(DsnParameterSyntax.recipient("TO:<bob@example.com> FOO=BAR")).isEmpty();
        }

        @Test
        void theParametersJamesParsedShouldGiveTheSameResult() throws Exception {
            assertThat(DsnParameterSyntax.recipient(Map.of("TO:<BOB@EXAMPLE.COM>", "", "NOTIFY", "DELAY", "ORCPT", "rfc822;bob@example.com")))
                .contains(RecipientDsnParameters.of(EnumSet.of(Notify.DELAY), new MailAddress("bob@example.com")));
        }

        @ParameterizedTest
        @CsvSource(delimiter = '|', value = {
            "TO:<b@example.com> NOTIFY=SOMETIMES|NOTIFY|must be NEVER, or SUCCESS, FAILURE and DELAY separated by commas, each at most once",
            "TO:<b@example.com> NOTIFY=SUCCESS,SUCCESS|NOTIFY|must be NEVER, or SUCCESS, FAILURE and DELAY separated by commas, each at most once",
            "TO:<b@example.com> NOTIFY=SUCCESS,,FAILURE|NOTIFY|must be NEVER, or SUCCESS, FAILURE and DELAY separated by commas, each at most once",
            "TO:<b@example.com> NOTIFY=SUCCESS,|NOTIFY|must be NEVER, or SUCCESS, FAILURE and DELAY separated by commas, each at most once",
            "TO:<b@example.com> NOTIFY=NEVER,FAILURE|NOTIFY|NEVER cannot be combined with SUCCESS, FAILURE or DELAY",
            "TO:<b@example.com> NOTIFY=|NOTIFY|a value is required",
            "TO:<b@example.com> ORCPT=bob@example.com|ORCPT|must be an address type, ';' and the address, e.g. rfc822;bob@example.com",
            "TO:<b@example.com> ORCPT=;bob@example.com|ORCPT|must be an address type, ';' and the address, e.g. rfc822;bob@example.com",
            "TO:<b@example.com> ORCPT=x400;c=us;a=b|ORCPT|only the address type rfc822 is supported",
            "TO:<b@example.com> ORCPT=rfc822;|ORCPT|the address must be xtext (printable US-ASCII, '+' and '=' written as +2B and +3D)",
            "TO:<b@example.com> ORCPT=rfc822;bob+tag@example.com|ORCPT|the address must be xtext (printable US-ASCII, '+' and '=' written as +2B and +3D)",
            "TO:<b@example.com> ORCPT=rfc822;bob|ORCPT|the address is not a valid mail address",
            "TO:<b@example.com> ORCPT=rfc822;bob@@example.com|ORCPT|the address is not a valid mail address"})
        void aMalformedParameterShouldBeNamed(String argument, String parameter, String problem) {
            assertThatThrownBy(() -> DsnParameterSyntax.recipient(argument))
                .isInstanceOfSatisfying(InvalidDsnParameterException.class, e -> {
                    assertThat(e.parameter()).isEqualTo(parameter);
                    assertThat(e.problem()).isEqualTo(problem);
                });
        }

        @Test
        void anOrcptLongerThanFiveHundredCharactersShouldBeRefused() {
            String orcpt = "rfc822;" + Strings.repeat("a", 490) + "@example.com";

            assertThatThrownBy(() -> DsnParameterSyntax.recipient("TO:<b@example.com> ORCPT=" + orcpt))
                .isInstanceOfSatisfying(InvalidDsnParameterException.class, e -> {
                    assertThat(e.parameter()).isEqualTo("ORCPT");
                    assertThat(e.problem()).isEqualTo("must be at most 500 characters");
                });
        }

        @ParameterizedTest
        @ValueSource(strings = {"TO:<b@example.com> NOTIFY=SUCCESS NOTIFY=FAILURE",
            "TO:<b@example.com> ORCPT=rfc822;b@example.com notify=DELAY Notify=DELAY"})
        void aRepeatedParameterShouldBeNamed(String argument) {
            assertThatThrownBy(() -> DsnParameterSyntax.recipient(argument))
                .isInstanceOfSatisfying(InvalidDsnParameterException.class, e -> {
                    assertThat(e.parameter()).isEqualTo("NOTIFY");
                    assertThat(e.isRepeated()).isTrue();
                });
        }

        @Test
        void parametersShouldBeFoundAfterTheLastClosingBracketAsJamesFindsThem() {
            assertThat(DsnParameterSyntax.parameters("TO:<bob@example.com> NOTIFY=SUCCESS ORCPT=rfc822;bob@example.com", true))
                .containsExactly("NOTIFY=SUCCESS", "ORCPT=rfc822;bob@example.com");
            assertThat(DsnParameterSyntax.parameters("TO:bob@example.com NOTIFY=SUCCESS", true)).isEmpty();
            assertThat(DsnParameterSyntax.parameters("TO", true)).isEmpty();
        }
    }
}
