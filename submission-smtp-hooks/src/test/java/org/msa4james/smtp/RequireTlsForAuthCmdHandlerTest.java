package org.msa4james.smtp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.apache.commons.configuration2.ex.ConfigurationException;
import org.apache.james.protocols.api.BaseRequest;
import org.apache.james.protocols.api.Response;
import org.junit.jupiter.api.Test;

class RequireTlsForAuthCmdHandlerTest {
    private static final String CORRECT_CREDENTIALS = "AGFsaWNlQGV4YW1wbGUudGVzdABzZWNyZXQ=";

    private final RequireTlsForAuthCmdHandler handler = new RequireTlsForAuthCmdHandler();

    @Test
    void onCommandShouldRefuseAuthWithoutTls() {
        Response response = handler.onCommand(TestSessions.from("203.0.113.5").build(),
            new BaseRequest("AUTH", "PLAIN " + CORRECT_CREDENTIALS));

        assertThat(TestSessions.replyLine(response)).isEqualTo("538 5.7.11 Encryption required: issue STARTTLS before AUTH");
        assertThat(response.isEndSession()).isFalse();
    }

    @Test
    void onCommandShouldRefuseAuthWithoutMechanismWithoutTls() {
        Response response = handler.onCommand(TestSessions.from("203.0.113.5").build(), new BaseRequest("AUTH", null));

        assertThat(response.getRetCode()).isEqualTo("538");
    }

    @Test
    void onCommandShouldLeaveAuthToJamesOverTls() {
        Response response = handler.onCommand(TestSessions.from("203.0.113.5").withTls("TLSv1.3").build(),
            new BaseRequest("AUTH", "PLAIN " + CORRECT_CREDENTIALS));

        assertThat(response).isNull();
    }

    @Test
    void handlerShouldOnlyHandleAuth() {
        assertThat(handler.getImplCommands()).containsExactly("AUTH");
    }

    @Test
    void initShouldRejectAnyParameter() {
        assertThatThrownBy(() -> handler.init(TestSessions.handlerConfiguration(RequireTlsForAuthCmdHandler.class, "requireTls", "true")))
            .isInstanceOf(ConfigurationException.class)
            .hasMessage("Handler org.msa4james.smtp.RequireTlsForAuthCmdHandler: parameter 'requireTls' is not a parameter of this handler; known parameters: none");
    }
}
