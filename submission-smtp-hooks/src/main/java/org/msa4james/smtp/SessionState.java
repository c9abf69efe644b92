package org.msa4james.smtp;

import org.apache.james.protocols.api.ProtocolSession.State;
import org.apache.james.protocols.smtp.SMTPSession;

/**
 * What the submission hooks change in James's SMTP session state.
 */
final class SessionState {
    private SessionState() {
    }

    /**
     * James stores the envelope sender in the transaction before it runs the MAIL hooks, and keeps it when a hook
     * refuses the command: the client's next MAIL would then get "503 Sender already specified". A hook that
     * refuses MAIL forgets the sender, so that the client can correct itself (authenticate, pick another address)
     * and try again in the same session.
     */
    static void forgetSender(SMTPSession session) {
        session.removeAttachment(SMTPSession.SENDER, State.Transaction);
    }

    /** The client's IP address in textual form, for logs and the submission mark. */
    static String clientAddress(SMTPSession session) {
        return session.getRemoteAddress().getAddress().getHostAddress();
    }
}
