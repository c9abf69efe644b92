package org.msa4james.smtp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;


import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.apache.commons.configuration2.ex.ConfigurationException;
import org.apache.james.core.Username;
import org.apache.james.metrics.tests.RecordingMetricFactory;
import org.apache.james.protocols.api.BaseRequest;
import org.apache.james.protocols.api.Response;
import org.apache.james.protocols.smtp.SMTPSession;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.msa4james.abuse.AuthFailureKeys;
import org.msa4james.abuse.InMemoryAuthFailureCounter;
import org.msa4james.abuse.MutableClock;
import org.msa4james.diagnostics.ClientDiagnostics;
import org.msa4james.diagnostics.DiagnosticFilter;
import org.msa4james.diagnostics.InMemoryDiagnosticsStore;

class AuthFailureLimitHandlerTest {
    private static final Instant START = Instant.parse("2026-11-28T19:15:00Z");
    private static final String ATTACKER = "203.0.113.5";
    private static final BaseRequest AUTH = new BaseRequest("AUTH", "PLAIN AGFsaWNlQGV4YW1wbGUudGVzdAB3cm9uZw==");

    private final MutableClock clock = new MutableClock(START);
    private final InMemoryAuthFailureCounter counter = new InMemoryAuthFailureCounter(clock);
    private final InMemoryDiagnosticsStore store = new InMemoryDiagnosticsStore();
    private final ClientDiagnostics diagnostics = new ClientDiagnostics(store, new RecordingMetricFactory(),
        Clock.fixed(START, ZoneOffset.UTC));
    private final AuthFailureLimitHandler handler = new AuthFailureLimitHandler(counter, diagnostics);

    @BeforeEach
    void setUp() throws Exception {
        handler.init(TestSessions.handlerConfiguration(AuthFailureLimitHandler.class, "authFailureDelay", "0"));
    }

    @Test
    void authShouldBeLeftToJamesBelowTheLimit() {
        failInOwnSession(ATTACKER, 4);

        assertThat(handler.onCommand(session(ATTACKER), AUTH)).isNull();
    }

    @Test
    void authShouldBeRefusedWith454OnceTheAddressHasFiveFailures() {
        failInOwnSession(ATTACKER, 5);

        Response response = handler.onCommand(session(ATTACKER), AUTH);

        assertThat(TestSessions.replyLine(response))
            .isEqualTo("454 4.7.0 Too many failed authentication attempts from 203.0.113.5; try again later");
        assertThat(response.isEndSession()).isFalse();
        assertThat(store.list(DiagnosticFilter.ALL).stream()
                .map(entry -> entry.key().defect().id() + " " + entry.count())
                .collect(Collectors.toList()))
            .containsExactly("auth-failed 5", "rate-limited 1");
    }

    @Test
    void failuresShouldBeCountedPerAddressAndPerAddressAndUser() {
        failInOwnSession(ATTACKER, 2);

        assertThat(counter.get(AuthFailureKeys.address(ATTACKER), Duration.ofMinutes(10)).count()).isEqualTo(2);
        assertThat(counter.get(AuthFailureKeys.addressAndUser(ATTACKER, "ALICE@example.test"), Duration.ofMinutes(10)).count())
            .isEqualTo(2);
    }

    @Test
    void anotherAddressShouldStillAuthenticate() {
        failInOwnSession(ATTACKER, 10);

        assertThat(handler.onCommand(session("198.51.100.7"), AUTH)).isNull();
    }

    @Test
    void aSuccessfulAuthShouldNotCount() {
        SMTPSession session = session(ATTACKER);
        handler.doAuth(session, Username.of("alice@example.test"), "right");
        session.setUsername(Username.of("alice@example.test"));
        handler.onResponse(session, null, 0, null);

        assertThat(counter.get(AuthFailureKeys.address(ATTACKER), Duration.ofMinutes(10)).count()).isZero();
    }

    @Test
    void theLimitShouldEndWithTheWindow() {
        failInOwnSession(ATTACKER, 5);
        clock.advance(Duration.ofMinutes(10));

        assertThat(handler.onCommand(session(ATTACKER), AUTH)).isNull();
    }

    @Test
    void aFailureAtDisconnectionShouldCount() {
        SMTPSession session = session(ATTACKER);
        handler.doAuth(session, Username.of("alice@example.test"), "wrong");
        handler.onDisconnect(session);

        assertThat(counter.get(AuthFailureKeys.address(ATTACKER), Duration.ofMinutes(10)).count()).isEqualTo(1);
    }

    @Test
    void theSessionShouldBeClosedAfterThreeFailures() {
        SMTPSession session = session("198.51.100.7");
        for (int i = 0; i < 3; i++) {
            assertThat(handler.onCommand(session, AUTH)).isNull();
            handler.doAuth(session, Username.of("alice@example.test"), "wrong");
            handler.onResponse(session, null, 0, null);
        }

        Response response = handler.onCommand(session, AUTH);

        assertThat(TestSessions.replyLine(response))
            .isEqualTo("421 4.7.0 Too many failed authentication attempts in this session (3); closing connection");
        assertThat(response.isEndSession()).isTrue();
    }

    @Test
    void anAttemptWhoseReplyReachedNoResultHandlerShouldBeSettledByTheNextAuth() {
        SMTPSession session = session("198.51.100.7");
        for (int i = 0; i < 3; i++) {
            assertThat(handler.onCommand(session, AUTH)).isNull();
            handler.doAuth(session, Username.of("alice@example.test"), "wrong");
        }

        assertThat(handler.onCommand(session, AUTH).getRetCode()).isEqualTo("421");
        assertThat(counter.get(AuthFailureKeys.address("198.51.100.7"), Duration.ofMinutes(10)).count()).isEqualTo(3);
    }

    @Test
    void refusedAuthShouldCountTowardsClosingTheSession() {
        failInOwnSession(ATTACKER, 5);
        SMTPSession session = session(ATTACKER);
        for (int i = 0; i < 3; i++) {
            assertThat(handler.onCommand(session, AUTH).getRetCode()).isEqualTo("454");
        }

        assertThat(handler.onCommand(session, AUTH).getRetCode()).isEqualTo("421");
    }

    @Test
    void parametersShouldChangeTheLimits() throws Exception {
        handler.init(TestSessions.handlerConfiguration(AuthFailureLimitHandler.class,
            "maxAuthFailures", "2", "authFailureWindow", "1m", "maxSessionAuthFailures", "10"));
        failInOwnSession(ATTACKER, 2);

        assertThat(handler.onCommand(session(ATTACKER), AUTH).getRetCode()).isEqualTo("454");
        clock.advance(Duration.ofMinutes(1));
        assertThat(handler.onCommand(session(ATTACKER), AUTH)).isNull();
    }

    @Test
    void initShouldRefuseABadWindow() {
        assertThatThrownBy(() -> handler.init(TestSessions.handlerConfiguration(AuthFailureLimitHandler.class,
            "authFailureWindow", "ten")))
            .isInstanceOf(ConfigurationException.class)
            .hasMessage("Handler org.msa4james.smtp.AuthFailureLimitHandler: parameter 'authFailureWindow' is invalid: "
                + "must be a duration such as 30s, 10m or 1h, not 'ten'");
    }

    @Test
    void initShouldRefuseABadThreshold() {
        assertThatThrownBy(() -> handler.init(TestSessions.handlerConfiguration(AuthFailureLimitHandler.class,
            "maxAuthFailures", "0")))
            .isInstanceOf(ConfigurationException.class)
            .hasMessage("Handler org.msa4james.smtp.AuthFailureLimitHandler: parameter 'maxAuthFailures' "
                + "must be a positive integer, not '0'");
    }

    @Test
    void initShouldRefuseAnUnknownParameter() {
        assertThatThrownBy(() -> handler.init(TestSessions.handlerConfiguration(AuthFailureLimitHandler.class,
            "delay", "2s")))
            .isInstanceOf(ConfigurationException.class)
            .hasMessage("Handler org.msa4james.smtp.AuthFailureLimitHandler: parameter 'delay' is not a parameter of this "
                + "handler; known parameters: maxAuthFailures, authFailureWindow, maxSessionAuthFailures, authFailureDelay");
    }

    @Test
    void initShouldRefuseADelayOverAMinute() {
        assertThatThrownBy(() -> handler.init(TestSessions.handlerConfiguration(AuthFailureLimitHandler.class,
            "authFailureDelay", "2m")))
            .isInstanceOf(ConfigurationException.class)
            .hasMessage("Handler org.msa4james.smtp.AuthFailureLimitHandler: parameter 'authFailureDelay' is invalid: "
                + "must be at most 60s, not '2m'");
    }

    @Test
    void initShouldRefuseADelayWithoutUnit() {
        assertThatThrownBy(() -> handler.init(TestSessions.handlerConfiguration(AuthFailureLimitHandler.class,
            "authFailureDelay", "3")))
            .isInstanceOf(ConfigurationException.class)
            .hasMessage("Handler org.msa4james.smtp.AuthFailureLimitHandler: parameter 'authFailureDelay' is invalid: "
                + "must be a duration such as 30s, 10m or 1h, not '3'");
    }

    @Test
    void theRefusalPastTheLimitShouldBeWrittenAfterTheDelay() throws Exception {
        ScheduledExecutorService scheduler = mock(ScheduledExecutorService.class);
        AuthFailureLimitHandler delaying = new AuthFailureLimitHandler(counter, diagnostics, new DelayedReplies(scheduler));
        delaying.init(TestSessions.handlerConfiguration(AuthFailureLimitHandler.class, "authFailureDelay", "5s"));
        failInOwnSession(ATTACKER, 5);

        Response response = delaying.onCommand(session(ATTACKER), AUTH);

        assertThat(response).isInstanceOf(DelayedReplies.Pending.class);
        assertThat(TestSessions.replyLine(((DelayedReplies.Pending) response).reply()))
            .isEqualTo("454 4.7.0 Too many failed authentication attempts from 203.0.113.5; try again later");
        verify(scheduler).schedule(any(Runnable.class), eq(5000L), eq(TimeUnit.MILLISECONDS));
    }

    @Test
    void theDefaultDelayShouldBeThreeSeconds() throws Exception {
        ScheduledExecutorService scheduler = mock(ScheduledExecutorService.class);
        AuthFailureLimitHandler delaying = new AuthFailureLimitHandler(counter, diagnostics, new DelayedReplies(scheduler));
        delaying.init(TestSessions.handlerConfiguration(AuthFailureLimitHandler.class));
        failInOwnSession(ATTACKER, 5);

        assertThat(delaying.onCommand(session(ATTACKER), AUTH)).isInstanceOf(DelayedReplies.Pending.class);
        verify(scheduler).schedule(any(Runnable.class), eq(3000L), eq(TimeUnit.MILLISECONDS));
    }

    @Test
    void aZeroDelayShouldRefuseAtOnce() throws Exception {
        ScheduledExecutorService scheduler = mock(ScheduledExecutorService.class);
        AuthFailureLimitHandler immediate = new AuthFailureLimitHandler(counter, diagnostics, new DelayedReplies(scheduler));
        immediate.init(TestSessions.handlerConfiguration(AuthFailureLimitHandler.class, "authFailureDelay", "0"));
        failInOwnSession(ATTACKER, 5);

        Response response = immediate.onCommand(session(ATTACKER), AUTH);

        assertThat(TestSessions.replyLine(response))
            .isEqualTo("454 4.7.0 Too many failed authentication attempts from 203.0.113.5; try again later");
        verifyNoInteractions(scheduler);
    }

    @Test
    void handlerShouldOnlyHandleAuth() {
        assertThat(handler.getImplCommands()).containsExactly("AUTH");
    }

    private void failInOwnSession(String address, int times) {
        for (int i = 0; i < times; i++) {
            SMTPSession session = session(address);
            handler.doAuth(session, Username.of("alice@example.test"), "wrong");
            handler.onResponse(session, null, 0, null);
        }
    }

    private static SMTPSession session(String address) {
        return TestSessions.from(address).withTls("TLSv1.3").build();
    }
}
