package org.msa4james.smtp;

import java.time.Clock;
import java.util.regex.Pattern;

import org.apache.commons.configuration2.Configuration;
import org.apache.commons.configuration2.ex.ConfigurationException;
import org.apache.james.protocols.smtp.SMTPSession;
import org.apache.james.protocols.smtp.hook.HookResult;
import org.apache.james.smtpserver.JamesMessageHook;
import org.apache.mailet.Attribute;
import org.apache.mailet.AttributeValue;
import org.apache.mailet.Mail;
import org.msa4james.submission.SubmissionAttributes;

/**
 * Marks every message accepted on a submission listener as a submission, with Mail attributes (never header
 * fields, which a client could forge): the listener's name, the time of acceptance, the authenticated user, the TLS
 * protocol and the client's address. The submission matcher and mailets key on these; mail that arrives on port 25 carries none.
 *
 * <p>Parameter: {@code listenerName} (required), e.g. {@code submission} for port 587 and {@code submissions}
 * for port 465.</p>
 */
public class SubmissionMarkHook implements JamesMessageHook {
    static final String LISTENER_NAME = "listenerName";
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    private final Clock clock;
    private String listenerName;

    public SubmissionMarkHook() {
        this(Clock.systemUTC());
    }

    SubmissionMarkHook(Clock clock) {
        this.clock = clock;
    }

    @Override
    public void init(Configuration config) throws ConfigurationException {
        HandlerParameters parameters = HandlerParameters.of(config, SubmissionMarkHook.class, LISTENER_NAME);
        String name = parameters.requiredString(LISTENER_NAME);
        if (!NAME.matcher(name).matches()) {
            throw new ConfigurationException("Handler " + SubmissionMarkHook.class.getName() + ": parameter '"
                + LISTENER_NAME + "' must be letters, digits, '.', '_' or '-' (at most 64), not '" + name + "'");
        }
        listenerName = name;
    }

    @Override
    public HookResult onMessage(SMTPSession session, Mail mail) {
        if (listenerName == null) {
            throw new IllegalStateException(SubmissionMarkHook.class.getName() + " used before init");
        }
        mail.setAttribute(new Attribute(SubmissionAttributes.LISTENER, AttributeValue.of(listenerName)));
        mail.setAttribute(new Attribute(SubmissionAttributes.RECEIVED_AT, AttributeValue.of(clock.instant().toString())));
        mail.setAttribute(new Attribute(SubmissionAttributes.CLIENT_ADDRESS,
            AttributeValue.of(SessionState.clientAddress(session))));
        if (session.getUsername() != null) {
            mail.setAttribute(new Attribute(SubmissionAttributes.USER, AttributeValue.of(session.getUsername().asString())));
        }
        session.getSSLSession()
            .map(sslSession -> sslSession.getProtocol())
            .ifPresent(protocol -> mail.setAttribute(new Attribute(SubmissionAttributes.TLS_PROTOCOL, AttributeValue.of(protocol))));
        return HookResult.DECLINED;
    }
}
