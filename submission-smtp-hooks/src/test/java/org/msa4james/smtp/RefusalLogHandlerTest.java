package org.msa4james.smtp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;

import org.apache.commons.configuration2.ex.ConfigurationException;
import org.apache.james.core.Username;
import org.apache.james.protocols.api.Response;
import org.apache.james.protocols.smtp.SMTPResponse;
import org.apache.james.protocols.smtp.SMTPSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.msa4james.abuse.MutableClock;
import org.slf4j.LoggerFactory;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;

class RefusalLogHandlerTest {
    private static final Instant START = Instant.parse("2026-11-28T19:15:00Z");

    private final MutableClock clock = new MutableClock(START);
    private final RefusalLogHandler handler = new RefusalLogHandler(clock);
    private final Logger logger = (Logger) LoggerFactory.getLogger(RefusalLogHandler.LOGGER_NAME);
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

    @BeforeEach
    void setUp() throws Exception {
        appender.start();
        logger.addAppender(appender);
        handler.init(TestSessions.handlerConfiguration(RefusalLogHandler.class, "listenerName", "submission",
            "maxLinesPerMinute", "3"));
    }

    @AfterEach
    void tearDown() {
        logger.detachAppender(appender);
    }

    @Test
    void aRefusalByAnMsa4jamesRuleShouldBeLoggedWithEveryField() {
        SMTPSession session = TestSessions.from("203.0.113.5").authenticatedAs("alice@example.test").build();
        RefusalRule.name(session, "sending-rate-limit");

        handler.onResponse(session, new SMTPResponse("451", "4.7.1 Sending limit reached: at most 3 messages per hour"), 0, null);

        assertThat(lines()).containsExactly("refused rule=sending-rate-limit reply=\"451 4.7.1 Sending limit reached: at most 3 "
            + "messages per hour\" user=alice@example.test client=203.0.113.5 listener=submission");
    }

    @Test
    void theSameReplyHandedOverTwiceShouldBeLoggedOnce() {
        SMTPSession session = TestSessions.from("203.0.113.5").build();
        RefusalRule.name(session, "auth-failure-limit");
        SMTPResponse reply = new SMTPResponse("454", "4.7.0 Too many failed authentication attempts from 203.0.113.5; try again later");

        handler.onResponse(session, reply, 0, new RequireTlsForAuthCmdHandler());
        handler.onResponse(session, reply, 0, null);
        handler.onResponse(session, reply, 0, new RequireTlsForAuthCmdHandler());
        handler.onResponse(session, reply, 0, null);
        handler.onResponse(session, new SMTPResponse("535", "Authentication Failed"), 0, null);

        String refusal = "reply=\"454 4.7.0 Too many failed authentication attempts from 203.0.113.5; try again "
            + "later\" user=- client=203.0.113.5 listener=submission";
        assertThat(lines()).containsExactly(
            "refused rule=auth-failure-limit " + refusal,
            "refused rule=RequireTlsForAuthCmdHandler " + refusal,
            "refused rule=- reply=\"535 Authentication Failed\" user=- client=203.0.113.5 listener=submission");
    }

    @Test
    void aFailedAuthLoginThatNoResultHandlerSawShouldBeLoggedWithTheNextReply() throws Exception {
        AuthFailureLimitHandler authFailures = new AuthFailureLimitHandler();
        authFailures.init(TestSessions.handlerConfiguration(AuthFailureLimitHandler.class));
        SMTPSession session = TestSessions.from("203.0.113.5").build();
        // AUTH LOGIN: James asks the auth hooks from its line handler and writes the 535 itself; then the client quits.
        authFailures.doAuth(session, Username.of("alice@example.test"), "wrong");
        Response bye = new SMTPResponse("221", "2.0.0 msa.example.test Service closing transmission channel");
        authFailures.onResponse(session, bye, 0, new RequireTlsForAuthCmdHandler());
        handler.onResponse(session, bye, 0, new RequireTlsForAuthCmdHandler());

        assertThat(lines()).containsExactly(
            "refused rule=AuthCmdHandler reply=\"535 Authentication Failed\" user=- client=203.0.113.5 listener=submission");
    }

    @Test
    void aFailedAuthLoginShouldBeLoggedWhenTheClientDisconnects() throws Exception {
        AuthFailureLimitHandler authFailures = new AuthFailureLimitHandler();
        authFailures.init(TestSessions.handlerConfiguration(AuthFailureLimitHandler.class));
        SMTPSession session = TestSessions.from("203.0.113.5").build();
        authFailures.doAuth(session, Username.of("alice@example.test"), "wrong");

        authFailures.onDisconnect(session);
        handler.onDisconnect(session);
        handler.onDisconnect(session);

        assertThat(lines()).containsExactly(
            "refused rule=AuthCmdHandler reply=\"535 Authentication Failed\" user=- client=203.0.113.5 listener=submission");
    }

    @Test
    void aFailedAuthPlainShouldBeLoggedOnceFromItsOwnReply() throws Exception {
        AuthFailureLimitHandler authFailures = new AuthFailureLimitHandler();
        authFailures.init(TestSessions.handlerConfiguration(AuthFailureLimitHandler.class));
        SMTPSession session = TestSessions.from("203.0.113.5").build();
        authFailures.doAuth(session, Username.of("alice@example.test"), "wrong");
        Response failed = new SMTPResponse("535", "Authentication Failed");
        authFailures.onResponse(session, failed, 0, new RequireTlsForAuthCmdHandler());
        handler.onResponse(session, failed, 0, new RequireTlsForAuthCmdHandler());

        handler.onDisconnect(session);

        assertThat(lines()).containsExactly(
            "refused rule=RequireTlsForAuthCmdHandler reply=\"535 Authentication Failed\" user=- client=203.0.113.5 "
                + "listener=submission");
    }

    @Test
    void aDelayedRefusalShouldBeLoggedWithTheReplyToCome() {
        SMTPSession session = TestSessions.from("203.0.113.5").build();
        RefusalRule.name(session, "auth-failure-limit");
        Response pending = new DelayedReplies.Pending(new SMTPResponse("454",
            "4.7.0 Too many failed authentication attempts from 203.0.113.5; try again later"));

        handler.onResponse(session, pending, 0, new RequireTlsForAuthCmdHandler());

        assertThat(lines()).containsExactly("refused rule=auth-failure-limit reply=\"454 4.7.0 Too many failed authentication "
            + "attempts from 203.0.113.5; try again later\" user=- client=203.0.113.5 listener=submission");
    }

    @Test
    void aRefusalByJamesShouldNameItsHandlerAndNoUser() {
        handler.onResponse(TestSessions.from("203.0.113.5").build(), new SMTPResponse("535", "Authentication Failed"), 0,
            new RequireTlsForAuthCmdHandler());

        assertThat(lines()).containsExactly("refused rule=RequireTlsForAuthCmdHandler reply=\"535 Authentication Failed\" "
            + "user=- client=203.0.113.5 listener=submission");
    }

    @Test
    void positiveRepliesShouldNotBeLogged() {
        SMTPSession session = TestSessions.from("203.0.113.5").build();
        handler.onResponse(session, new SMTPResponse("250", "OK"), 0, null);
        handler.onResponse(session, new SMTPResponse("334", "VXNlcm5hbWU6"), 0, null);
        handler.onResponse(session, null, 0, null);

        assertThat(lines()).isEmpty();
    }

    @Test
    void theRuleNameShouldOnlyServeTheNextReply() {
        SMTPSession session = TestSessions.from("203.0.113.5").build();
        RefusalRule.name(session, "auth-failure-limit");
        handler.onResponse(session, new SMTPResponse("454", "4.7.0 Too many"), 0, null);
        handler.onResponse(session, new SMTPResponse("500", "5.5.1 Unknown"), 0, null);

        assertThat(lines()).extracting(line -> line.substring(0, line.indexOf(" reply")))
            .containsExactly("refused rule=auth-failure-limit", "refused rule=-");
    }

    @Test
    void aFloodShouldBeBoundedPerClientAddressThenSummarized() {
        SMTPSession flooder = TestSessions.from("203.0.113.5").build();
        for (int i = 0; i < 1000; i++) {
            handler.onResponse(flooder, new SMTPResponse("500", "5.5.1 Unknown"), 0, null);
        }
        handler.onResponse(TestSessions.from("198.51.100.7").build(), new SMTPResponse("500", "5.5.1 Unknown"), 0, null);

        assertThat(lines()).hasSize(4);

        clock.advance(Duration.ofMinutes(1));
        handler.onResponse(flooder, new SMTPResponse("500", "5.5.1 Unknown"), 0, null);

        List<String> lines = lines();
        assertThat(lines).hasSize(6);
        assertThat(lines.get(4)).isEqualTo("refusals suppressed client=203.0.113.5 listener=submission count=997");
        assertThat(lines.get(5)).startsWith("refused rule=- reply=\"500 5.5.1 Unknown\" user=- client=203.0.113.5");
    }

    @Test
    void theTotalShouldBeBoundedWhateverTheNumberOfAddresses() throws Exception {
        handler.init(TestSessions.handlerConfiguration(RefusalLogHandler.class, "listenerName", "submission",
            "maxLinesPerMinuteInTotal", "10"));
        for (int i = 0; i < 200; i++) {
            handler.onResponse(TestSessions.from("10.0." + (i / 250) + "." + (i % 250)).build(),
                new SMTPResponse("500", "5.5.1 Unknown"), 0, null);
        }

        assertThat(lines()).hasSize(10);
    }

    @Test
    void controlCharactersOfARepliedTextShouldNotReachTheLog() {
        handler.onResponse(TestSessions.from("203.0.113.5").build(),
            new SMTPResponse("501", "5.5.4 Bad \"x\"\r\nrefused rule=forged"), 0, null);

        assertThat(lines()).containsExactly(
            "refused rule=- reply=\"501 5.5.4 Bad 'x' refused rule=forged\" user=- client=203.0.113.5 listener=submission");
    }

    @Test
    void initShouldRequireTheListenerName() {
        assertThatThrownBy(() -> handler.init(TestSessions.handlerConfiguration(RefusalLogHandler.class)))
            .isInstanceOf(ConfigurationException.class)
            .hasMessage("Handler org.msa4james.smtp.RefusalLogHandler: parameter 'listenerName' is required");
    }

    @Test
    void initShouldRefuseABadLimit() {
        assertThatThrownBy(() -> handler.init(TestSessions.handlerConfiguration(RefusalLogHandler.class,
            "listenerName", "submission", "maxLinesPerMinute", "many")))
            .isInstanceOf(ConfigurationException.class)
            .hasMessage("Handler org.msa4james.smtp.RefusalLogHandler: parameter 'maxLinesPerMinute' "
                + "must be a positive integer, not 'many'");
    }

    private List<String> lines() {
        return appender.list.stream().map(ILoggingEvent::getFormattedMessage).collect(Collectors.toList());
    }
}
