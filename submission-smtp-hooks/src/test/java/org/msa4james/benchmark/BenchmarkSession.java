package org.msa4james.benchmark;

import java.lang.reflect.Proxy;
import java.net.InetSocketAddress;
import java.util.Optional;

import javax.net.ssl.SSLSession;

import org.apache.james.core.Username;
import org.apache.james.protocols.api.ProtocolSession;
import org.apache.james.protocols.api.ProtocolTransport;
import org.apache.james.protocols.api.Response;
import org.apache.james.protocols.api.handler.LineHandler;
import org.apache.james.protocols.smtp.SMTPConfigurationImpl;
import org.apache.james.protocols.smtp.SMTPSession;
import org.apache.james.protocols.smtp.SMTPSessionImpl;

/**
 * A real James SMTP session (SMTPSessionImpl) as the hooks see it on port 587 after STARTTLS (TLS 1.3) and AUTH as
 * alice@example.test, from 192.0.2.7. Unlike the unit tests' TestSessions, whose transport makes a new Mockito mock
 * of the TLS session at each call, the TLS session here is made once: a hook that asks for it (SubmissionMarkHook)
 * must not be charged with the creation of a mock.
 */
final class BenchmarkSession {
    static final String USER = "alice@example.test";
    static final String CLIENT_ADDRESS = "192.0.2.7";
    static final String TLS_PROTOCOL = "TLSv1.3";

    private BenchmarkSession() {
    }

    static SMTPSession authenticatedOverTls() {
        SMTPSessionImpl session = new SMTPSessionImpl(new Transport(), new SMTPConfigurationImpl());
        session.setUsername(Username.of(USER));
        return session;
    }

    private static final class Transport implements ProtocolTransport {
        private static final SSLSession TLS = (SSLSession) Proxy.newProxyInstance(SSLSession.class.getClassLoader(),
            new Class<?>[] {SSLSession.class}, (proxy, method, args) -> {
                if (method.getName().equals("getProtocol")) {
                    return TLS_PROTOCOL;
                }
                throw new UnsupportedOperationException("the hooks ask the TLS session for its protocol only, not " + method.getName());
            });
        private final InetSocketAddress remote = new InetSocketAddress(CLIENT_ADDRESS, 40000);
        private final InetSocketAddress local = new InetSocketAddress("127.0.0.1", 587);

        @Override
        public InetSocketAddress getRemoteAddress() {
            return remote;
        }

        @Override
        public InetSocketAddress getLocalAddress() {
            return local;
        }

        @Override
        public String getId() {
            return "5c72df5d";
        }

        @Override
        public boolean isTLSStarted() {
            return true;
        }

        @Override
        public boolean isStartTLSSupported() {
            return true;
        }

        @Override
        public Optional<SSLSession> getSSLSession() {
            return Optional.of(TLS);
        }

        @Override
        public boolean isProxyRequired() {
            return false;
        }

        @Override
        public void writeResponse(Response response, ProtocolSession session) {
            throw new UnsupportedOperationException("hooks do not write to the client");
        }

        @Override
        public void popLineHandler() {
        }

        @Override
        public void pushLineHandler(LineHandler<? extends ProtocolSession> overrideCommandHandler, ProtocolSession session) {
        }

        @Override
        public void setReadable(boolean readable) {
        }

        @Override
        public boolean isReadable() {
            return true;
        }
    }
}
