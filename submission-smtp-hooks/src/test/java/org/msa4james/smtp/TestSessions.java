package org.msa4james.smtp;

import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import javax.net.ssl.SSLSession;

import org.apache.commons.configuration2.BaseHierarchicalConfiguration;
import org.apache.james.core.MailAddress;
import org.apache.james.core.MaybeSender;
import org.apache.james.core.Username;
import org.apache.james.protocols.api.ProtocolSession.State;
import org.apache.james.protocols.api.Response;
import org.apache.james.protocols.smtp.SMTPConfigurationImpl;
import org.apache.james.protocols.smtp.SMTPSession;
import org.apache.james.protocols.smtp.SMTPSessionImpl;
import org.apache.james.protocols.smtp.core.AbstractHookableCmdHandler;
import org.apache.james.protocols.smtp.hook.HookResult;

/**
 * Real James SMTP sessions (SMTPSessionImpl) over a transport that only reports who is connected and how.
 */
final class TestSessions {
    private TestSessions() {
    }

    static Builder from(String clientAddress) {
        return new Builder(clientAddress);
    }

    /** The reply line James writes for a hook result, e.g. "530 5.7.0 Authentication required: ...". */
    static String replyLine(HookResult result) {
        return replyLine(AbstractHookableCmdHandler.calcDefaultSMTPResponse(result));
    }

    static String replyLine(Response response) {
        List<CharSequence> lines = response.getLines();
        if (lines.size() != 1) {
            throw new AssertionError("expected a one-line reply, got " + lines);
        }
        return lines.get(0).toString();
    }

    static BaseHierarchicalConfiguration handlerConfiguration(Class<?> handler, String... keysAndValues) {
        BaseHierarchicalConfiguration configuration = new BaseHierarchicalConfiguration();
        configuration.addProperty("[@class]", handler.getName());
        for (int i = 0; i < keysAndValues.length; i += 2) {
            configuration.addProperty(keysAndValues[i], keysAndValues[i + 1]);
        }
        return configuration;
    }

    static final class Builder {
        private final String clientAddress;
        private Optional<String> tlsProtocol = Optional.empty();
        private Optional<Username> user = Optional.empty();

        private Builder(String clientAddress) {
            this.clientAddress = clientAddress;
        }

        Builder withTls(String protocol) {
            this.tlsProtocol = Optional.of(protocol);
            return this;
        }

        Builder authenticatedAs(String username) {
            this.user = Optional.of(Username.of(username));
            return this;
        }

        SMTPSession build() {
            Optional<SSLSession> tlsSession = tlsProtocol.map(protocol -> {
                SSLSession sslSession = mock(SSLSession.class);
                when(sslSession.getProtocol()).thenReturn(protocol);
                return sslSession;
            });
            SMTPSessionImpl session = new SMTPSessionImpl(new TestTransport("test-session", clientAddress, tlsSession),
                new SMTPConfigurationImpl());
            user.ifPresent(session::setUsername);
            return session;
        }

        /** A session in a transaction: MAIL FROM given, and the recipients already accepted. */
        SMTPSession inTransaction(MaybeSender sender, MailAddress... acceptedRecipients) {
            SMTPSession session = build();
            session.setAttachment(SMTPSession.SENDER, sender, State.Transaction);
            session.setAttachment(SMTPSession.RCPT_LIST, new ArrayList<>(List.of(acceptedRecipients)), State.Transaction);
            return session;
        }
    }
}
