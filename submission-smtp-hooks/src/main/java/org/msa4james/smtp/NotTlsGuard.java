package org.msa4james.smtp;

import org.apache.james.protocols.api.ProtocolSession;
import org.apache.james.protocols.api.Response;
import org.apache.james.protocols.api.handler.ConnectHandler;
import org.apache.james.protocols.smtp.SMTPSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.NotSslRecordException;

/**
 * Keeps a client's bytes out of the log when it speaks in clear where TLS is expected (on 465, or after STARTTLS).
 *
 * <p>Netty's TLS handler then fails with an error whose message is every byte received, in hex, and James 3.8.1 logs
 * it at ERROR with its stack trace: a client that sends {@code EHLO} and {@code AUTH PLAIN ...} in clear to port 465
 * puts its password in the log. This handler, added on connection in front of James's own, answers that error itself:
 * one INFO line naming the session and the client address, without the bytes, and the connection is closed (there is
 * no TLS to answer in). Any other error is left to James.</p>
 */
public class NotTlsGuard implements ConnectHandler<SMTPSession> {
    static final String GUARD_NAME = "msa4james-not-tls-guard";

    private static final Logger LOGGER = LoggerFactory.getLogger(NotTlsGuard.class);
    private static final int MAX_CAUSES = 10;
    private static final ConnectionPipeline.Installer INSTALLER = new ConnectionPipeline.Installer(GUARD_NAME,
        NotTlsGuard.class, "cleartext sent where TLS is expected will be logged by James with its bytes");

    @Override
    public Response onConnect(SMTPSession session) {
        return INSTALLER.install(session, new Guard(session));
    }

    static boolean isNotTls(Throwable error) {
        Throwable cause = error;
        for (int i = 0; cause != null && i < MAX_CAUSES; i++) {
            if (cause instanceof NotSslRecordException) {
                return true;
            }
            cause = cause.getCause();
        }
        return false;
    }

    /** Sits before James's core handler and takes the TLS handler's "not a TLS record" error. */
    static final class Guard extends ChannelInboundHandlerAdapter {
        private final ProtocolSession session;

        Guard(ProtocolSession session) {
            this.session = session;
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) throws Exception {
            if (isNotTls(cause)) {
                LOGGER.info("Session {}: client {} sent data that is not TLS where TLS was expected; connection closed",
                    session.getSessionID(), SessionState.clientAddress((SMTPSession) session));
                ctx.close();
                return;
            }
            super.exceptionCaught(ctx, cause);
        }
    }
}
