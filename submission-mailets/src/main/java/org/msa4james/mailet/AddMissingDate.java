package org.msa4james.mailet;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import javax.inject.Inject;
import javax.mail.MessagingException;
import javax.mail.internet.MimeMessage;

import org.apache.mailet.Mail;
import org.apache.mailet.base.GenericMailet;
import org.msa4james.completion.DateFieldCompletion;
import org.msa4james.diagnostics.ClientDiagnostics;
import org.msa4james.diagnostics.Defect;
import org.msa4james.submission.Submission;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * RFC 6409 section 8.2: adds a Date field to a submission that has none, and replaces the Date field when its
 * syntax is invalid (RFC 5322 section 3.3; the obsolete forms of section 4.3 are valid) or when there are several.
 * The value is the time the submission listener received the message, e.g. {@code Sat, 28 Nov 2026 18:55:39 +0000}
 * (the mailet's clock when the listener recorded none); the new field is appended at the end of the header, in
 * place of the Date fields there were. A valid Date field is left byte for byte. Mail that is not a submission is
 * left untouched. Only the header is read and written.
 *
 * <table>
 * <caption>Parameters</caption>
 * <tr><th>Parameter</th><th>Default</th><th>Meaning</th></tr>
 * <tr><td>timeZone</td><td>UTC</td><td>Zone of the Date written: an IANA zone id ({@code Europe/Paris}) or an
 * offset ({@code +01:00})</td></tr>
 * </table>
 *
 * <pre>{@code <mailet match="All" class="org.msa4james.mailet.AddMissingDate"><timeZone>Europe/Paris</timeZone></mailet>}</pre>
 */
public class AddMissingDate extends GenericMailet {
    static final String TIME_ZONE = "timeZone";
    private static final String DATE = "Date";
    private static final Logger LOGGER = LoggerFactory.getLogger(AddMissingDate.class);

    private final Clock clock;
    private final ClientDiagnostics diagnostics;
    private DateFieldCompletion completion;

    public AddMissingDate() {
        this(Clock.systemUTC());
    }

    @Inject
    public AddMissingDate(ClientDiagnostics diagnostics) {
        this(Clock.systemUTC(), diagnostics);
    }

    /** @param clock the time used when the submission listener recorded no reception time */
    AddMissingDate(Clock clock) {
        this(clock, ClientDiagnostics.discarding());
    }

    AddMissingDate(Clock clock, ClientDiagnostics diagnostics) {
        this.clock = clock;
        this.diagnostics = diagnostics;
    }

    @Override
    public void init() throws MessagingException {
        MailetParameters parameters = MailetParameters.of(getMailetConfig(), AddMissingDate.class, TIME_ZONE);
        completion = new DateFieldCompletion(parameters.parsed(TIME_ZONE, DateFieldCompletion::zone));
    }

    @Override
    public void service(Mail mail) throws MessagingException {
        Optional<Submission> submission = Submission.of(mail);
        if (submission.isEmpty()) {
            return;
        }
        MimeMessage message = mail.getMessage();
        List<String> dates = CompletionHeaderFields.values(message, DATE);
        Optional<String> problem = DateFieldCompletion.problem(dates);
        if (problem.isPresent()) {
            MailDiagnostics.record(diagnostics, dates.isEmpty() ? Defect.MISSING_DATE : Defect.INVALID_DATE, mail,
                submission.get());
            Instant receivedAt = submission.get().receivedAt().orElseGet(clock::instant);
            String date = completion.format(receivedAt);
            CompletionHeaderFields.replace(message, DATE, date);
            LOGGER.info("Set Date '{}' in mail {} of session {} (user {}): {}", date, mail.getName(),
                submission.get().sessionId().orElse("-"), submission.get().user().orElse("-"), problem.get());
        }
    }

    @Override
    public String getMailetInfo() {
        return "AddMissingDate: adds or repairs the Date field of submissions (RFC 6409 section 8.2), zone "
            + (completion == null ? "UTC" : completion.zone().getId());
    }
}
