package org.msa4james.smtp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;

import org.apache.james.protocols.api.ProtocolSession.State;
import org.apache.james.protocols.api.Response;
import org.apache.james.protocols.smtp.MailEnvelope;
import org.apache.james.protocols.smtp.hook.HookResult;
import org.apache.james.server.core.MimeMessageInputStreamSource;
import org.junit.jupiter.api.Test;

import io.netty.handler.codec.TooLongFrameException;

class LineLengthGuardTest {
    private final LineLengthGuard guard = new LineLengthGuard();
    private final EmbeddedJamesConnection connection = new EmbeddedJamesConnection();

    @Test
    void onConnectShouldPutTheGuardRightBeforeJamesCoreHandlerAndWriteNothing() {
        Response response = guard.onConnect(connection.session);

        assertThat(response.getLines()).isEmpty();
        assertThat(response.isEndSession()).isFalse();
        assertThat(connection.hasRightBeforeCoreHandler(LineLengthGuard.GUARD_NAME)).isTrue();
    }

    @Test
    void aLineDroppedDuringDataShouldBeSwallowedAndTheMessageRefused() {
        guard.onConnect(connection.session);
        receivingMessage();

        connection.channel.pipeline().fireExceptionCaught(
            new TooLongFrameException("frame length (102400) exceeds the allowed maximum (8192)"));

        assertThat(connection.errorsReachingJames).isEmpty();
        HookResult result = guard.onMessage(connection.session, mock(MailEnvelope.class));
        assertThat(TestSessions.replyLine(result)).isEqualTo("554 5.6.0 Message refused: a line is longer than 8192 octets "
            + "and could not be received; RFC 5322 allows 998 per line");
    }

    @Test
    void anOverlongCommandLineShouldBeLeftToJames() {
        guard.onConnect(connection.session);
        TooLongFrameException tooLong = new TooLongFrameException("frame length (10240) exceeds the allowed maximum (8192)");

        connection.channel.pipeline().fireExceptionCaught(tooLong);

        assertThat(connection.errorsReachingJames).containsExactly(tooLong);
        assertThat(connection.session.getAttachment(LineLengthGuard.LINE_DROPPED, State.Transaction)).isEmpty();
    }

    @Test
    void otherErrorsDuringDataShouldBeLeftToJames() {
        guard.onConnect(connection.session);
        receivingMessage();
        IllegalStateException failure = new IllegalStateException("disk full");

        connection.channel.pipeline().fireExceptionCaught(failure);

        assertThat(connection.errorsReachingJames).containsExactly(failure);
        assertThat(guard.onMessage(connection.session, mock(MailEnvelope.class))).isEqualTo(HookResult.DECLINED);
    }

    @Test
    void aMessageWithoutDroppedLineShouldBeLeftToTheOtherHooks() {
        assertThat(guard.onMessage(connection.session, mock(MailEnvelope.class))).isEqualTo(HookResult.DECLINED);
    }

    @Test
    void theNextMessageOfTheSessionShouldNotBeRefused() {
        guard.onConnect(connection.session);
        receivingMessage();
        connection.channel.pipeline().fireExceptionCaught(new TooLongFrameException("too long"));

        connection.session.resetState();

        assertThat(guard.onMessage(connection.session, mock(MailEnvelope.class))).isEqualTo(HookResult.DECLINED);
    }

    @Test
    void aSessionOfAnotherTransportShouldBeLeftAlone() {
        assertThat(guard.onConnect(TestSessions.from("203.0.113.5").build())).isSameAs(ConnectionPipeline.NO_REPLY);
    }

    /** What James's session looks like between DATA's 354 and the end of the message: it has a message writer. */
    private void receivingMessage() {
        connection.session.setMimeMessageInputStreamSource(mock(MimeMessageInputStreamSource.class));
    }
}
