package org.msa4james.smtp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.EnumSet;
import java.util.Map;

import org.apache.commons.configuration2.ex.ConfigurationException;
import org.apache.james.core.MailAddress;
import org.apache.james.core.MaybeSender;
import org.apache.james.protocols.api.ProtocolSession.State;
import org.apache.james.protocols.api.Response;
import org.apache.james.protocols.api.BaseRequest;
import org.apache.james.protocols.smtp.SMTPSession;
import org.apache.james.protocols.smtp.hook.HookResult;
import org.apache.james.server.core.MailImpl;
import org.apache.mailet.DsnParameters;
import org.apache.mailet.DsnParameters.Notify;
import org.apache.mailet.DsnParameters.RecipientDsnParameters;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.msa4james.dsn.DsnAttributes;

import com.google.common.collect.ImmutableMap;

class DsnParameterHandlerTest {
    private static final Instant NOW = Instant.parse("2026-11-28T18:55:39.123Z");
    private static final MailAddress BOB = address("bob@example.test");
    private static final MailAddress CAROL = address("carol@example.com");
    private static final MailAddress DAVE = address("dave@example.com");

    private final DsnParameterHandler handler = new DsnParameterHandler(Clock.fixed(NOW, ZoneOffset.UTC));

    @Nested
    class Commands {
        private final SMTPSession session = TestSessions.from("203.0.113.5").withTls("TLSv1.3")
            .authenticatedAs("alice@example.test").build();

        @ParameterizedTest
        @CsvSource(delimiter = '|', value = {
            "MAIL|FROM:<alice@example.test> RET=ALL|501 5.5.4 Invalid RET parameter: must be FULL or HDRS",
            "MAIL|FROM:<alice@example.test> ENVID=a+b|501 5.5.4 Invalid ENVID parameter: must be xtext (printable US-ASCII, '+' and '=' written as +2B and +3D)",
            "MAIL|FROM:<alice@example.test> RET=FULL RET=HDRS|501 5.5.4 Parameter RET given more than once"})
        void aBadDsnParameterOnMailShouldBeRefusedWith501(String command, String argument, String reply) {
            Response response = handler.onCommand(session, new BaseRequest(command, argument));

            assertThat(TestSessions.replyLine(response)).isEqualTo(reply);
        }

        @ParameterizedTest
        @CsvSource(delimiter = '|', value = {
            "TO:<carol@example.com> NOTIFY=ALWAYS|501 5.5.4 Invalid NOTIFY parameter: must be NEVER, or SUCCESS, FAILURE and DELAY separated by commas, each at most once",
            "TO:<carol@example.com> ORCPT=x400;c=us|501 5.5.4 Invalid ORCPT parameter: only the address type rfc822 is supported",
            "TO:<carol@example.com> NOTIFY=DELAY NOTIFY=DELAY|501 5.5.4 Parameter NOTIFY given more than once"})
        void aBadDsnParameterOnRcptShouldBeRefusedWith501(String argument, String reply) {
            session.setAttachment(SMTPSession.SENDER, MaybeSender.of(address("alice@example.test")), State.Transaction);

            Response response = handler.onCommand(session, new BaseRequest("RCPT", argument));

            assertThat(TestSessions.replyLine(response)).isEqualTo(reply);
        }

        @Test
        void wellFormedParametersShouldBeLeftToJames() {
            assertThat(handler.onCommand(session, new BaseRequest("MAIL", "FROM:<alice@example.test> RET=HDRS ENVID=QQ314159"))).isNull();
            session.setAttachment(SMTPSession.SENDER, MaybeSender.of(address("alice@example.test")), State.Transaction);
            assertThat(handler.onCommand(session, new BaseRequest("RCPT", "TO:<carol@example.com> NOTIFY=SUCCESS ORCPT=rfc822;carol@example.com")))
                .isNull();
        }

        @Test
        void mailOutOfSequenceShouldBeLeftToJames() {
            session.setAttachment(SMTPSession.SENDER, MaybeSender.of(address("alice@example.test")), State.Transaction);

            assertThat(handler.onCommand(session, new BaseRequest("MAIL", "FROM:<alice@example.test> RET=ALL"))).isNull();
        }

        @Test
        void rcptBeforeMailShouldBeLeftToJames() {
            assertThat(handler.onCommand(session, new BaseRequest("RCPT", "TO:<carol@example.com> NOTIFY=ALWAYS"))).isNull();
        }

        @Test
        void handlerShouldHandleMailAndRcptAndSupportNotifyAndOrcpt() {
            assertThat(handler.getImplCommands()).containsExactlyInAnyOrder("MAIL", "RCPT");
            assertThat(handler.supportedParameters()).containsExactlyInAnyOrder("NOTIFY", "ORCPT");
        }

        @Test
        void initShouldRefuseAnyParameter() {
            assertThatThrownBy(() -> handler.init(TestSessions.handlerConfiguration(DsnParameterHandler.class, "notify", "SUCCESS")))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("Handler org.msa4james.smtp.DsnParameterHandler: parameter 'notify' is not a parameter of this handler; known parameters: none");
        }
    }

    @Nested
    class Message {
        private final SMTPSession session = TestSessions.from("203.0.113.5").withTls("TLSv1.3")
            .authenticatedAs("alice@example.test").build();

        @Test
        void parametersShouldBecomeTheMailsDsnParametersForTheAcceptedRecipients() throws Exception {
            mail("FROM:<alice@example.test> RET=HDRS ENVID=QQ+2B314159");
            rcpt(CAROL, "NOTIFY", "SUCCESS,FAILURE", "ORCPT", "rfc822;carol@example.com");
            rcpt(DAVE, "NOTIFY", "NEVER");
            rcpt(BOB);
            MailImpl mail = mailFor(CAROL, BOB);

            assertThat(handler.onMessage(session, mail)).isEqualTo(HookResult.DECLINED);

            assertThat(mail.dsnParameters()).contains(DsnParameters.builder()
                .ret(DsnParameters.Ret.HDRS)
                .envId(DsnParameters.EnvId.of("QQ+2B314159"))
                .addRcptParameter(CAROL, RecipientDsnParameters.of(EnumSet.of(Notify.SUCCESS, Notify.FAILURE), CAROL))
                .build().orElseThrow());
        }

        @Test
        void theLastRcptOfAnAddressShouldWin() throws Exception {
            mail("FROM:<alice@example.test>");
            rcpt(CAROL, "NOTIFY", "SUCCESS");
            rcpt(CAROL, "NOTIFY", "DELAY");
            MailImpl mail = mailFor(CAROL);

            handler.onMessage(session, mail);

            assertThat(mail.dsnParameters().orElseThrow().getRcptParameters())
                .containsExactly(Map.entry(CAROL, RecipientDsnParameters.of(EnumSet.of(Notify.DELAY))));
        }

        @Test
        void theParametersOfARefusedMailShouldNotBeKept() throws Exception {
            // MAIL with RET passes this handler but a later hook refuses the sender: no sender in the transaction
            assertThat(handler.onCommand(session, new BaseRequest("MAIL", "FROM:<bob@example.test> RET=HDRS"))).isNull();
            mail("FROM:<alice@example.test>");
            rcpt(CAROL);
            MailImpl mail = mailFor(CAROL);

            handler.onMessage(session, mail);

            assertThat(mail.dsnParameters()).isEmpty();
        }

        @Test
        void everyMailShouldGetItsArrivalDate() throws Exception {
            mail("FROM:<alice@example.test>");
            rcpt(CAROL);
            MailImpl mail = mailFor(CAROL);

            handler.onMessage(session, mail);

            assertThat(mail.dsnParameters()).isEmpty();
            assertThat(DsnAttributes.instant(mail, DsnAttributes.ARRIVAL_DATE)).contains(NOW);
        }

        private void mail(String argument) {
            assertThat(handler.onCommand(session, new BaseRequest("MAIL", argument))).isNull();
            session.setAttachment(SMTPSession.SENDER, MaybeSender.of(address("alice@example.test")), State.Transaction);
        }

        private void rcpt(MailAddress recipient, String... parameters) {
            ImmutableMap.Builder<String, String> map = ImmutableMap.builder();
            map.put("TO:<" + recipient.asString() + ">", "");
            for (int i = 0; i < parameters.length; i += 2) {
                map.put(parameters[i], parameters[i + 1]);
            }
            assertThat(handler.doRcpt(session, MaybeSender.of(address("alice@example.test")), recipient, map.build()))
                .isEqualTo(HookResult.DECLINED);
        }

        private MailImpl mailFor(MailAddress... recipients) throws Exception {
            return MailImpl.builder().name("mail1").sender("alice@example.test").addRecipients(recipients).build();
        }
    }

    private static MailAddress address(String address) {
        try {
            return new MailAddress(address);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }
}
