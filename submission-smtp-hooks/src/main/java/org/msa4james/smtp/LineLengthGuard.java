package org.msa4james.smtp;

import java.lang.reflect.Field;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.james.protocols.api.ProtocolSession;
import org.apache.james.protocols.api.ProtocolSession.AttachmentKey;
import org.apache.james.protocols.api.ProtocolSession.State;
import org.apache.james.protocols.api.ProtocolSessionImpl;
import org.apache.james.protocols.api.ProtocolTransport;
import org.apache.james.protocols.api.Response;
import org.apache.james.protocols.api.handler.ConnectHandler;
import org.apache.james.protocols.netty.HandlerConstants;
import org.apache.james.protocols.netty.NettyProtocolTransport;
import org.apache.james.protocols.smtp.MailEnvelope;
import org.apache.james.protocols.smtp.SMTPSession;
import org.apache.james.protocols.smtp.hook.HookResult;
import org.apache.james.protocols.smtp.hook.MessageHook;
import org.apache.james.smtpserver.ExtendedSMTPSession;
import org.msa4james.smtp.reply.SubmissionReplies;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.TooLongFrameException;

/**
 * Refuses a message that had a line James could not read, instead of accepting it without that line.
 *
 * <p>James 3.8.1 reads at most 8,192 octets per line (a fixed limit of its Netty line decoder). A longer line inside
 * DATA is dropped: James answers {@code 500 Line length exceeded} in the middle of the message, the client takes that
 * for the reply to its message, and James then accepts the rest of the message with {@code 250}, so the message is
 * delivered without the line (a header field or a piece of body lost) while the client believes it was refused.</p>
 *
 * <p>On connection this handler adds a small Netty handler in front of James's own on the connection's pipeline. When
 * the line decoder gives up on a line while a message is being received, it notes that on the session and swallows
 * the error, so that nothing is written in the middle of DATA; at the end of DATA, as a message hook, it refuses the
 * message with {@code 554 5.6.0}, which is the only reply the client gets. An overlong command line outside DATA is
 * left to James ({@code 500 Line length exceeded}). If the pipeline cannot be reached (another James transport), the
 * handler does nothing, and says so once in the log.</p>
 */
public class LineLengthGuard implements ConnectHandler<SMTPSession>, MessageHook {
    static final String GUARD_NAME = "msa4james-line-length-guard";
    static final AttachmentKey<Boolean> LINE_DROPPED = AttachmentKey.of("msa4james.lineDropped", Boolean.class);

    private static final Logger LOGGER = LoggerFactory.getLogger(LineLengthGuard.class);
    private static final AtomicBoolean UNSUPPORTED_LOGGED = new AtomicBoolean();
    private static final Optional<Field> CHANNEL_FIELD = channelField();
    /**
     * What {@link #onConnect} answers: nothing is written. Not {@code null}, which James's per-listener connection
     * statistics (AbstractConnectHandlerResultJMXMonitor) cannot count.
     */
    static final Response NOTHING_TO_SAY = new Response() {
        @Override
        public String getRetCode() {
            return "";
        }

        @Override
        public List<CharSequence> getLines() {
            return Collections.emptyList();
        }

        @Override
        public boolean isEndSession() {
            return false;
        }
    };

    @Override
    public Response onConnect(SMTPSession session) {
        channel(session).ifPresentOrElse(channel -> install(channel.pipeline(), session), () -> {
            if (UNSUPPORTED_LOGGED.compareAndSet(false, true)) {
                LOGGER.warn("Cannot reach the connection's Netty pipeline: a line over James's limit inside DATA will be "
                    + "dropped by James, not refused");
            }
        });
        return NOTHING_TO_SAY;
    }

    @Override
    public HookResult onMessage(SMTPSession session, MailEnvelope mail) {
        if (session.getAttachment(LINE_DROPPED, State.Transaction).orElse(false)) {
            RefusalRule.name(session, "line-length");
            return SubmissionReplies.lineTooLong();
        }
        return HookResult.DECLINED;
    }

    /** Notes the loss when the line decoder drops a line during DATA; returns whether it was during DATA. */
    static boolean lineDropped(ProtocolSession session) {
        // James's DATA command gives the session a message writer; the end of DATA (or RSET) takes it away
        if (!(session instanceof ExtendedSMTPSession) || ((ExtendedSMTPSession) session).getMimeMessageWriter() == null) {
            return false;
        }
        session.setAttachment(LINE_DROPPED, true, State.Transaction);
        return true;
    }

    private static void install(ChannelPipeline pipeline, ProtocolSession session) {
        if (pipeline.get(GUARD_NAME) == null && pipeline.get(HandlerConstants.CORE_HANDLER) != null) {
            pipeline.addBefore(HandlerConstants.CORE_HANDLER, GUARD_NAME, new Guard(session));
        }
    }

    private static Optional<Channel> channel(ProtocolSession session) {
        if (!(session instanceof ProtocolSessionImpl) || CHANNEL_FIELD.isEmpty()) {
            return Optional.empty();
        }
        ProtocolTransport transport = ((ProtocolSessionImpl) session).getProtocolTransport();
        if (!(transport instanceof NettyProtocolTransport)) {
            return Optional.empty();
        }
        try {
            return Optional.ofNullable((Channel) CHANNEL_FIELD.get().get(transport));
        } catch (IllegalAccessException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private static Optional<Field> channelField() {
        try {
            Field field = NettyProtocolTransport.class.getDeclaredField("channel");
            if (!Channel.class.isAssignableFrom(field.getType())) {
                return Optional.empty();
            }
            field.setAccessible(true);
            return Optional.of(field);
        } catch (NoSuchFieldException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** Sits before James's core handler and catches the decoder's "line too long" during DATA. */
    static final class Guard extends ChannelInboundHandlerAdapter {
        private final ProtocolSession session;

        Guard(ProtocolSession session) {
            this.session = session;
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) throws Exception {
            if (cause instanceof TooLongFrameException && lineDropped(session)) {
                LOGGER.debug("Session {}: a line over the line limit was dropped inside DATA; the message will be refused",
                    session.getSessionID());
                return;
            }
            super.exceptionCaught(ctx, cause);
        }
    }
}
