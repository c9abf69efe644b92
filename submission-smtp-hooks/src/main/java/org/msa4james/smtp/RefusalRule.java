package org.msa4james.smtp;

import java.util.Optional;

import org.apache.james.protocols.api.ProtocolSession;
import org.apache.james.protocols.api.ProtocolSession.AttachmentKey;
import org.apache.james.protocols.api.ProtocolSession.State;

/**
 * The name of the msa4james rule behind the next refusal of a session, for {@link RefusalLogHandler}: a handler that
 * refuses names itself here; a refusal without a name is logged under the James handler that sent it.
 */
final class RefusalRule {
    private static final AttachmentKey<String> RULE = AttachmentKey.of("msa4james.refusal.rule", String.class);

    private RefusalRule() {
    }

    static void name(ProtocolSession session, String rule) {
        session.setAttachment(RULE, rule, State.Connection);
    }

    static Optional<String> take(ProtocolSession session) {
        Optional<String> rule = session.getAttachment(RULE, State.Connection);
        rule.ifPresent(any -> session.removeAttachment(RULE, State.Connection));
        return rule;
    }
}
