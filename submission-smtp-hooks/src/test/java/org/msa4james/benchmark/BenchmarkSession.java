package org.msa4james.benchmark;

import java.lang.reflect.Proxy;
import java.util.Optional;

import javax.net.ssl.SSLSession;

import org.apache.james.core.Username;
import org.apache.james.protocols.smtp.SMTPConfigurationImpl;
import org.apache.james.protocols.smtp.SMTPSession;
import org.apache.james.protocols.smtp.SMTPSessionImpl;
import org.msa4james.smtp.TestTransport;

/**
 * A real James SMTP session (SMTPSessionImpl) as the hooks see it on port 587 after STARTTLS (TLS 1.3) and AUTH as
 * alice@example.test, from 192.0.2.7, over the unit tests' {@link TestTransport}. Unlike the unit tests' TestSessions,
 * whose TLS session is a Mockito mock, the TLS session here is a plain proxy made once: a hook that asks for it
 * (SubmissionMarkHook) must not be charged with a mock's bookkeeping.
 */
final class BenchmarkSession {
    static final String USER = "alice@example.test";
    static final String CLIENT_ADDRESS = "192.0.2.7";
    static final String TLS_PROTOCOL = "TLSv1.3";

    private static final SSLSession TLS = (SSLSession) Proxy.newProxyInstance(SSLSession.class.getClassLoader(),
        new Class<?>[] {SSLSession.class}, (proxy, method, args) -> {
            if (method.getName().equals("getProtocol")) {
                return TLS_PROTOCOL;
            }
            throw new UnsupportedOperationException("the hooks ask the TLS session for its protocol only, not " + method.getName());
        });

    private BenchmarkSession() {
    }

    static SMTPSession authenticatedOverTls() {
        SMTPSessionImpl session = new SMTPSessionImpl(new TestTransport("5c72df5d", CLIENT_ADDRESS, Optional.of(TLS)),
            new SMTPConfigurationImpl());
        session.setUsername(Username.of(USER));
        return session;
    }
}
