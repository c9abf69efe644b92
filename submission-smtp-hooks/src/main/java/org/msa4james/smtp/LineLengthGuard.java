package org.msa4james.smtp;

import org.apache.james.protocols.api.ProtocolSession;
import org.apache.james.protocols.api.ProtocolSession.AttachmentKey;
import org.apache.james.protocols.api.ProtocolSession.State;
import org.apache.james.protocols.api.Response;
import org.apache.james.protocols.api.handler.ConnectHandler;
import org.apache.james.protocols.smtp.MailEnvelope;
import org.apache.james.protocols.smtp.SMTPSession;
import org.apache.james.protocols.smtp.hook.HookResult;
import org.apache.james.protocols.smtp.hook.MessageHook;
import org.apache.james.smtpserver.ExtendedSMTPSession;
import org.msa4james.smtp.reply.SubmissionReplies;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
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
    private static final ConnectionPipeline.Installer INSTALLER = new ConnectionPipeline.Installer(GUARD_NAME,
        LineLengthGuard.class, "a line over James's limit inside DATA will be dropped by James, not refused");

    @Override
    public Response onConnect(SMTPSession session) {
        return INSTALLER.install(session, new Guard(session));
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
