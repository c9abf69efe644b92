package org.msa4james.smtp;

import static org.assertj.core.api.Assertions.assertThat;
import org.apache.commons.configuration2.ex.ConfigurationException;
import org.msa4james.abuse.InMemoryAuthFailureCounter;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Properties;
import java.util.stream.Collectors;

import javax.mail.Session;
import javax.mail.internet.MimeMessage;

import org.apache.james.core.MailAddress;
import org.apache.james.core.MaybeSender;
import org.apache.james.core.Username;
import org.apache.james.metrics.tests.RecordingMetricFactory;
import org.apache.james.protocols.api.BaseRequest;
import org.apache.james.protocols.api.ProtocolSession.State;
import org.apache.james.protocols.smtp.SMTPSession;
import org.apache.james.server.core.MailImpl;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.msa4james.diagnostics.ClientDiagnostics;
import org.msa4james.diagnostics.DiagnosticEntry;
import org.msa4james.diagnostics.DiagnosticFilter;
import org.msa4james.diagnostics.InMemoryDiagnosticsStore;

/** What the session hooks record in the client diagnostics: exact (subject, client software, defect) and counts. */
class HookDiagnosticsTest {
    private static final Instant NOW = Instant.parse("2026-11-28T10:00:00Z");
    private static final String EHLO = "pc1.example.test";

    private final InMemoryDiagnosticsStore store = new InMemoryDiagnosticsStore();
    private final RecordingMetricFactory metrics = new RecordingMetricFactory();
    private final ClientDiagnostics diagnostics = new ClientDiagnostics(store, metrics, Clock.fixed(NOW, ZoneOffset.UTC));
    private InMemoryJamesData data;

    @BeforeEach
    void setUp() throws Exception {
        data = new InMemoryJamesData();
    }

    @Nested
    class Authentication {
        @Test
        void authWithoutTlsShouldBeRecordedForTheClientAddressAndEhloName() {
            new RequireTlsForAuthCmdHandler(diagnostics).onCommand(session("203.0.113.5"), new BaseRequest("AUTH", "PLAIN"));

            assertThat(entries()).containsExactly("203.0.113.5 | pc1.example.test | auth-without-tls | 1");
            assertThat(metrics.countFor("msa4james.diagnostics.auth-without-tls")).isEqualTo(1);
        }

        private AuthFailureLimitHandler authFailureLimitHandler() {
            AuthFailureLimitHandler handler = new AuthFailureLimitHandler(new InMemoryAuthFailureCounter(), diagnostics);
            try {
                handler.init(TestSessions.handlerConfiguration(AuthFailureLimitHandler.class, "authFailureDelay", "0"));
            } catch (ConfigurationException e) {
                throw new IllegalStateException(e);
            }
            return handler;
        }

        @Test
        void authAttemptLeavingNoUserShouldBeRecordedAsFailed() {
            AuthFailureLimitHandler handler = authFailureLimitHandler();
            SMTPSession session = session("203.0.113.5");

            handler.doAuth(session, Username.of("alice@example.test"), "wrong");
            handler.onResponse(session, null, 0, null);
            handler.onResponse(session, null, 0, null);

            assertThat(entries()).containsExactly("203.0.113.5 | pc1.example.test | auth-failed | 1");
        }

        @Test
        void authAttemptFailingAtDisconnectionShouldBeRecorded() {
            AuthFailureLimitHandler handler = authFailureLimitHandler();
            SMTPSession session = session("203.0.113.5");

            handler.doAuth(session, Username.of("alice@example.test"), "wrong");
            handler.onDisconnect(session);

            assertThat(entries()).containsExactly("203.0.113.5 | pc1.example.test | auth-failed | 1");
        }

        @Test
        void successfulAuthShouldNotBeRecorded() {
            AuthFailureLimitHandler handler = authFailureLimitHandler();
            SMTPSession session = session("203.0.113.5");

            handler.doAuth(session, Username.of("alice@example.test"), "secret");
            session.setUsername(Username.of("alice@example.test"));
            handler.onResponse(session, null, 0, null);
            handler.onDisconnect(session);

            assertThat(entries()).isEmpty();
        }

        @Test
        void sessionWithoutAuthShouldNotBeRecorded() {
            AuthFailureLimitHandler handler = authFailureLimitHandler();
            SMTPSession session = session("203.0.113.5");

            handler.onResponse(session, null, 0, null);
            handler.onDisconnect(session);

            assertThat(entries()).isEmpty();
        }
    }

    @Nested
    class Envelope {
        @Test
        void refusedUnqualifiedSenderShouldBeRecordedForTheUser() throws Exception {
            QualifiedEnvelopeHook hook = new QualifiedEnvelopeHook(data.domainList, diagnostics);
            SMTPSession session = aliceSession();

            hook.doMail(session, MaybeSender.of(new MailAddress("alice@marketing")));

            assertThat(entries()).containsExactly("alice@example.test | pc1.example.test | unqualified-domain | 1");
        }

        @Test
        void qualifiedRecipientShouldRecordNothing() throws Exception {
            QualifiedEnvelopeHook hook = new QualifiedEnvelopeHook(data.domainList, diagnostics);

            hook.doRcpt(aliceSession(), MaybeSender.nullSender(), new MailAddress("bob@example.test"));

            assertThat(entries()).isEmpty();
        }
    }

    @Nested
    class Header {
        @Test
        void eightBitHeaderShouldBeRecordedWithTheUserAgent() throws Exception {
            HeaderCheckHook hook = new HeaderCheckHook(data.domainList, data.canSendFrom, data.delegationStore, diagnostics);

            hook.onMessage(aliceSession(), mail("From: alice@example.test\r\nTo: bob@example.test\r\n"
                + "User-Agent: Mutt/2.2.12\r\nSubject: caf\u00e9 secret-subject\r\n\r\nsecret body\r\n"));

            assertThat(entries()).containsExactly("alice@example.test | Mutt/2.2.12 | eight-bit-header | 1");
        }

        @Test
        void fromNotEntitledShouldBeRecordedWithTheXMailer() throws Exception {
            HeaderCheckHook hook = new HeaderCheckHook(data.domainList, data.canSendFrom, data.delegationStore, diagnostics);

            hook.onMessage(aliceSession(), mail("From: mallory@example.com\r\nTo: bob@example.test\r\n"
                + "X-Mailer: Printer 3000\r\nSubject: scan\r\n\r\nbody\r\n"));

            assertThat(entries()).containsExactly("alice@example.test | Printer 3000 | from-not-entitled | 1");
        }

        @Test
        void validHeaderShouldRecordNothing() throws Exception {
            HeaderCheckHook hook = new HeaderCheckHook(data.domainList, data.canSendFrom, data.delegationStore, diagnostics);

            hook.onMessage(aliceSession(), mail("From: alice@example.test\r\nTo: bob@example.test\r\nSubject: hi\r\n\r\nbody\r\n"));

            assertThat(entries()).isEmpty();
        }
    }

    private List<String> entries() {
        return store.list(DiagnosticFilter.ALL).stream()
            .map(HookDiagnosticsTest::format)
            .collect(Collectors.toList());
    }

    private static String format(DiagnosticEntry entry) {
        assertThat(entry.firstSeen()).isEqualTo(NOW);
        return entry.key().subject() + " | " + entry.key().clientSoftware() + " | " + entry.key().defect().id() + " | "
            + entry.count();
    }

    private static SMTPSession session(String clientAddress) {
        SMTPSession session = TestSessions.from(clientAddress).build();
        session.setAttachment(SMTPSession.CURRENT_HELO_NAME, EHLO, State.Connection);
        return session;
    }

    private static SMTPSession aliceSession() {
        SMTPSession session = TestSessions.from("203.0.113.5").withTls("TLSv1.3").authenticatedAs("alice@example.test").build();
        session.setAttachment(SMTPSession.CURRENT_HELO_NAME, EHLO, State.Connection);
        return session;
    }

    private static MailImpl mail(String message) throws Exception {
        MimeMessage mimeMessage = new MimeMessage(Session.getInstance(new Properties()),
            new ByteArrayInputStream(message.getBytes(StandardCharsets.UTF_8)));
        return MailImpl.builder().name("mail1").sender("alice@example.test").addRecipient("bob@example.test")
            .mimeMessage(mimeMessage).build();
    }
}
