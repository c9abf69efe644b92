package org.msa4james.matcher;

import java.util.Collection;
import java.util.List;

import javax.mail.MessagingException;

import org.apache.james.core.MailAddress;
import org.apache.mailet.Mail;
import org.apache.mailet.base.GenericMatcher;
import org.msa4james.submission.SubmissionAttributes;

/**
 * Matches mail that a submission listener accepted, as marked by the session hooks with the
 * {@link SubmissionAttributes#LISTENER} attribute. Mail relayed in on port 25 never matches.
 *
 * <p>Usage: {@code <mailet match="org.msa4james.matcher.IsSubmission" class="ToProcessor">}; it takes no
 * condition.</p>
 */
public class IsSubmission extends GenericMatcher {

    @Override
    public void init() throws MessagingException {
        String condition = getCondition();
        if (condition != null && !condition.isBlank()) {
            throw new MessagingException(getClass().getName() + " takes no condition, got '" + condition + "'");
        }
    }

    @Override
    public Collection<MailAddress> match(Mail mail) {
        if (mail.getAttribute(SubmissionAttributes.LISTENER).isPresent()) {
            return mail.getRecipients();
        }
        return List.of();
    }

    @Override
    public String getMatcherName() {
        return "IsSubmission";
    }
}
