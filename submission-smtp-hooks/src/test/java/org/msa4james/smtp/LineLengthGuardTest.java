package org.msa4james.smtp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.List;

import org.apache.james.protocols.api.ProtocolSession.State;
import org.apache.james.protocols.api.Response;
import org.apache.james.protocols.netty.HandlerConstants;
import org.apache.james.protocols.netty.NettyProtocolTransport;
import org.apache.james.protocols.smtp.MailEnvelope;
import org.apache.james.protocols.smtp.SMTPConfiguration;
import org.apache.james.protocols.smtp.SMTPSession;
import org.apache.james.protocols.smtp.hook.HookResult;
import org.apache.james.server.core.MimeMessageInputStreamSource;
import org.apache.james.smtpserver.ExtendedSMTPSession;
import org.junit.jupiter.api.Test;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.TooLongFrameException;

class LineLengthGuardTest {
    private final LineLengthGuard guard = new LineLengthGuard();
    private final RecordingCoreHandler core = new RecordingCoreHandler();

    @Test
    void onConnectShouldPutTheGuardRightBeforeJamesCoreHandler() {
        EmbeddedChannel channel = jamesLikeChannel();
        SMTPSession session = sessionOver(channel);

        Response response = guard.onConnect(session);

        assertThat(response.getLines()).isEmpty();
        assertThat(response.isEndSession()).isFalse();

        assertThat(channel.pipeline().names()).containsSubsequence("framer", LineLengthGuard.GUARD_NAME,
            HandlerConstants.CORE_HANDLER);
        assertThat(channel.pipeline().names().indexOf(HandlerConstants.CORE_HANDLER)
            - channel.pipeline().names().indexOf(LineLengthGuard.GUARD_NAME)).isEqualTo(1);
    }

    @Test
    void aLineDroppedDuringDataShouldBeSwallowedAndTheMessageRefused() {
        EmbeddedChannel channel = jamesLikeChannel();
        SMTPSession session = sessionOver(channel);
        guard.onConnect(session);
        receivingMessage(session);

        channel.pipeline().fireExceptionCaught(new TooLongFrameException("frame length (102400) exceeds the allowed maximum (8192)"));

        assertThat(core.exceptions).isEmpty();
        HookResult result = guard.onMessage(session, mock(MailEnvelope.class));
        assertThat(TestSessions.replyLine(result)).isEqualTo("554 5.6.0 Message refused: a line is longer than 8192 octets "
            + "and could not be received; RFC 5322 allows 998 per line");
    }

    @Test
    void anOverlongCommandLineShouldBeLeftToJames() {
        EmbeddedChannel channel = jamesLikeChannel();
        SMTPSession session = sessionOver(channel);
        guard.onConnect(session);
        TooLongFrameException tooLong = new TooLongFrameException("frame length (10240) exceeds the allowed maximum (8192)");

        channel.pipeline().fireExceptionCaught(tooLong);

        assertThat(core.exceptions).containsExactly(tooLong);
        assertThat(session.getAttachment(LineLengthGuard.LINE_DROPPED, State.Transaction)).isEmpty();
    }

    @Test
    void otherErrorsDuringDataShouldBeLeftToJames() {
        EmbeddedChannel channel = jamesLikeChannel();
        SMTPSession session = sessionOver(channel);
        guard.onConnect(session);
        receivingMessage(session);
        IllegalStateException failure = new IllegalStateException("disk full");

        channel.pipeline().fireExceptionCaught(failure);

        assertThat(core.exceptions).containsExactly(failure);
        assertThat(guard.onMessage(session, mock(MailEnvelope.class))).isEqualTo(HookResult.DECLINED);
    }

    @Test
    void aMessageWithoutDroppedLineShouldBeLeftToTheOtherHooks() {
        SMTPSession session = sessionOver(jamesLikeChannel());

        assertThat(guard.onMessage(session, mock(MailEnvelope.class))).isEqualTo(HookResult.DECLINED);
    }

    @Test
    void theNextMessageOfTheSessionShouldNotBeRefused() {
        EmbeddedChannel channel = jamesLikeChannel();
        SMTPSession session = sessionOver(channel);
        guard.onConnect(session);
        receivingMessage(session);
        channel.pipeline().fireExceptionCaught(new TooLongFrameException("too long"));

        session.resetState();

        assertThat(guard.onMessage(session, mock(MailEnvelope.class))).isEqualTo(HookResult.DECLINED);
    }

    @Test
    void aSessionOfAnotherTransportShouldBeLeftAlone() {
        assertThat(guard.onConnect(TestSessions.from("203.0.113.5").build())).isSameAs(LineLengthGuard.NOTHING_TO_SAY);
    }

    /** The shape of James's pipeline around its core handler: a line framer first, the core handler last. */
    private EmbeddedChannel jamesLikeChannel() {
        EmbeddedChannel channel = new EmbeddedChannel() {
            @Override
            public SocketAddress remoteAddress() {
                return new InetSocketAddress("203.0.113.5", 40_000);
            }

            @Override
            public SocketAddress localAddress() {
                return new InetSocketAddress("127.0.0.1", 587);
            }
        };
        channel.pipeline().addLast("framer", new ChannelInboundHandlerAdapter());
        channel.pipeline().addLast(HandlerConstants.CORE_HANDLER, core);
        return channel;
    }

    /** What James's session looks like between DATA's 354 and the end of the message. */
    private static void receivingMessage(SMTPSession session) {
        ((ExtendedSMTPSession) session).setMimeMessageInputStreamSource(mock(MimeMessageInputStreamSource.class));
    }

    private static SMTPSession sessionOver(EmbeddedChannel channel) {
        return new ExtendedSMTPSession(mock(SMTPConfiguration.class), new NettyProtocolTransport(channel, null, false));
    }

    private static final class RecordingCoreHandler extends ChannelInboundHandlerAdapter {
        private final List<Throwable> exceptions = new ArrayList<>();

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            exceptions.add(cause);
        }
    }
}
