package org.msa4james.smtp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyBoolean;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.inOrder;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.apache.james.protocols.api.ProtocolSession;
import org.apache.james.protocols.api.ProtocolTransport;
import org.apache.james.protocols.api.Response;
import org.apache.james.protocols.api.handler.LineHandler;
import org.apache.james.protocols.smtp.SMTPConfiguration;
import org.apache.james.protocols.smtp.SMTPResponse;
import org.apache.james.protocols.smtp.SMTPSession;
import org.apache.james.protocols.smtp.SMTPSessionImpl;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;
import org.mockito.InOrder;

class DelayedRepliesTest {
    private static final Response REPLY = new SMTPResponse("454",
        "4.7.0 Too many failed authentication attempts from 203.0.113.5; try again later");

    private final ScheduledExecutorService scheduler = mock(ScheduledExecutorService.class);
    private final ProtocolTransport transport = mock(ProtocolTransport.class);
    private final DelayedReplies delayedReplies = new DelayedReplies(scheduler);
    private SMTPSessionImpl session;

    @BeforeEach
    void setUp() {
        when(transport.getId()).thenReturn("session-1");
        session = new SMTPSessionImpl(transport, mock(SMTPConfiguration.class));
    }

    @Test
    void theHandlerShouldGetAPlaceholderThatWritesNothingWhileReadingStops() {
        Response placeholder = delayedReplies.delay(session, REPLY, Duration.ofSeconds(3));

        assertThat(placeholder).isInstanceOf(DelayedReplies.Pending.class);
        assertThat(placeholder.getLines()).isEmpty();
        assertThat(placeholder.getRetCode()).isEqualTo("454");
        assertThat(placeholder.isEndSession()).isFalse();
        assertThat(((DelayedReplies.Pending) placeholder).reply()).isSameAs(REPLY);
        verify(transport).setReadable(false);
        verify(transport).pushLineHandler(any(), eq(session));
        verify(scheduler).schedule(any(Runnable.class), eq(3000L), eq(TimeUnit.MILLISECONDS));
        verify(transport, never()).writeResponse(any(), any());
    }

    @Test
    void whenThePauseEndsTheReplyShouldBeWrittenAndReadingResume() {
        delayedReplies.delay(session, REPLY, Duration.ofSeconds(3));

        endOfPause().run();

        InOrder order = inOrder(transport);
        order.verify(transport).setReadable(false);
        order.verify(transport).popLineHandler();
        order.verify(transport).writeResponse(REPLY, session);
        order.verify(transport).setReadable(true);
    }

    @Test
    void aClientThatSpeaksDuringThePauseShouldGetTheReplyAndBeDisconnected() {
        delayedReplies.delay(session, REPLY, Duration.ofSeconds(3));
        lineHandlerDuringPause().onLine(session, "MAIL FROM:<alice@example.test>\r\n".getBytes(StandardCharsets.US_ASCII));

        endOfPause().run();

        ArgumentCaptor<Response> written = ArgumentCaptor.forClass(Response.class);
        verify(transport).writeResponse(written.capture(), eq(session));
        assertThat(written.getValue().getLines()).containsExactly(
            "454 4.7.0 Too many failed authentication attempts from 203.0.113.5; try again later");
        assertThat(written.getValue().getRetCode()).isEqualTo("454");
        assertThat(written.getValue().isEndSession()).isTrue();
    }

    @Test
    void linesDuringThePauseShouldGetNoReplyOfTheirOwn() {
        delayedReplies.delay(session, REPLY, Duration.ofSeconds(3));

        Response response = lineHandlerDuringPause().onLine(session, "NOOP\r\n".getBytes(StandardCharsets.US_ASCII));

        assertThat(response).isNull();
    }

    @Test
    void aClientGoneDuringThePauseShouldNotMakeTheSchedulerFail() {
        delayedReplies.delay(session, REPLY, Duration.ofSeconds(3));
        doThrow(new IllegalStateException("channel closed")).when(transport).writeResponse(any(), any());

        endOfPause().run();

        verify(transport).setReadable(true);
    }

    @Test
    void aZeroPauseShouldAnswerAtOnce() {
        assertThat(delayedReplies.delay(session, REPLY, Duration.ZERO)).isSameAs(REPLY);

        verifyNoInteractions(scheduler);
        verify(transport, never()).setReadable(anyBoolean());
    }

    @Test
    void aSessionWithoutAJamesTransportShouldBeAnsweredAtOnce() {
        assertThat(delayedReplies.delay(mock(SMTPSession.class), REPLY, Duration.ofSeconds(3))).isSameAs(REPLY);

        verifyNoInteractions(scheduler);
    }

    private Runnable endOfPause() {
        ArgumentCaptor<Runnable> task = ArgumentCaptor.forClass(Runnable.class);
        verify(scheduler).schedule(task.capture(), anyLong(), eq(TimeUnit.MILLISECONDS));
        return task.getValue();
    }

    @SuppressWarnings("unchecked")
    private LineHandler<ProtocolSession> lineHandlerDuringPause() {
        ArgumentCaptor<LineHandler<? extends ProtocolSession>> handler = ArgumentCaptor.forClass(LineHandler.class);
        verify(transport).pushLineHandler(handler.capture(), eq(session));
        return (LineHandler<ProtocolSession>) handler.getValue();
    }
}
