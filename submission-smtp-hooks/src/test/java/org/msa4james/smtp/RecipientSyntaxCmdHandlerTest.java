package org.msa4james.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.james.core.MaybeSender;
import org.apache.james.protocols.api.BaseRequest;
import org.apache.james.protocols.api.Response;
import org.apache.james.protocols.smtp.SMTPSession;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class RecipientSyntaxCmdHandlerTest {
    private final RecipientSyntaxCmdHandler handler = new RecipientSyntaxCmdHandler();
    private final SMTPSession sessionAfterMail = TestSessions.from("203.0.113.5").withTls("TLSv1.3")
        .authenticatedAs("alice@example.test")
        .inTransaction(MaybeSender.nullSender());

    @ParameterizedTest
    @ValueSource(strings = {"TO:<a b@example.com>", "TO:<user@@example.com>", "to:<user@exa mple.com>",
        "TO: <user@example..com>", "TO:<user@example.com.@x>", "TO:<@relay.example:user@example.com>",
        "TO:<\"unterminated@example.com>"})
    void onCommandShouldRefuseAnInvalidAddressWith501(String argument) {
        Response response = handler.onCommand(sessionAfterMail, new BaseRequest("RCPT", argument));

        assertThat(TestSessions.replyLine(response)).isEqualTo("501 5.1.3 Syntax error in recipient address");
    }

    @ParameterizedTest
    @ValueSource(strings = {"TO:<bob@example.com>", "to:<Bob.Smith@Example.COM>", "TO:<\"bob smith\"@example.com>",
        "TO:<bob@[192.0.2.1]>", "TO:<bob@sales>", "TO:<bob@example.com> NOTIFY=SUCCESS,FAILURE"})
    void onCommandShouldLeaveAValidAddressToJames(String argument) {
        assertThat(handler.onCommand(sessionAfterMail, new BaseRequest("RCPT", argument))).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"TO:bob@example.com", "FROM:<bob@example.com>", "TO:<postmaster>", "TO:<>", "TO:", ""})
    void onCommandShouldLeaveOtherShapesToJames(String argument) {
        assertThat(handler.onCommand(sessionAfterMail, new BaseRequest("RCPT", argument))).isNull();
    }

    @Test
    void onCommandShouldLeaveAMissingArgumentToJames() {
        assertThat(handler.onCommand(sessionAfterMail, new BaseRequest("RCPT", null))).isNull();
    }

    @Test
    void onCommandShouldLeaveRcptBeforeMailToJames() {
        SMTPSession noTransaction = TestSessions.from("203.0.113.5").build();

        assertThat(handler.onCommand(noTransaction, new BaseRequest("RCPT", "TO:<a b@example.com>"))).isNull();
    }

    @Test
    void handlerShouldOnlyHandleRcpt() {
        assertThat(handler.getImplCommands()).containsExactly("RCPT");
    }
}
