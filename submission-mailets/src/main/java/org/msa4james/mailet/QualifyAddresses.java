package org.msa4james.mailet;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import javax.inject.Inject;
import javax.mail.MessagingException;
import javax.mail.internet.MimeMessage;

import org.apache.mailet.Mail;
import org.apache.mailet.base.GenericMailet;
import org.msa4james.address.AddressSyntaxException;
import org.msa4james.address.DomainQualifier;
import org.msa4james.address.SingleLabelExpander;
import org.msa4james.diagnostics.ClientDiagnostics;
import org.msa4james.diagnostics.Defect;
import org.msa4james.headercheck.HeaderCheck;
import org.msa4james.headercheck.HeaderField;
import org.msa4james.submission.Submission;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.google.common.collect.ImmutableSet;

/**
 * RFC 6409 section 4.2: expands the single-label domains of the address header fields of a submission by the site's
 * configured local convention ({@code To: Bob <bob@sales>} becomes {@code To: Bob <bob@sales.example.test>}), in
 * From, Sender, Reply-To, To, Cc, Bcc and their Resent- counterparts. Only the domains change: display names, RFC 2047
 * encoded words, comments, groups, quoting and folding stay exactly as the client wrote them.
 *
 * <p>The expansions are those of the session hooks (same syntax as their {@code domainExpansions}, and in the
 * shipped configuration the same value): the header check at the end of DATA has refused any other domain that is
 * not fully qualified, so what this mailet leaves is qualified. A field it cannot parse (which the header check
 * refuses before) is left as it is. When no domain changes, the header is not written at all. When one does, the
 * header lines are written again in their order, each as it was but for the expanded domains: James's header list
 * starts with JavaMail's placeholders of the well-known fields, so {@code setHeader} would move the field to the top
 * of the header, above the Received fields, and drop any second occurrence (a Resent block). Only submissions are
 * touched, and only their header.</p>
 *
 * <p>Parameter: {@code domainExpansions}, {@code label=domain} pairs separated by commas (default none: the mailet
 * does nothing).</p>
 *
 * <pre>{@code
 * <mailet match="All" class="org.msa4james.mailet.QualifyAddresses">
 *     <domainExpansions>sales=sales.example.com, eng=eng.example.com</domainExpansions>
 * </mailet>
 * }</pre>
 */
public class QualifyAddresses extends GenericMailet {
    private static final Logger LOGGER = LoggerFactory.getLogger(QualifyAddresses.class);
    static final String DOMAIN_EXPANSIONS = "domainExpansions";
    private static final Set<String> ADDRESS_FIELDS = HeaderCheck.ADDRESS_FIELDS.stream()
        .map(name -> name.toLowerCase(Locale.ROOT))
        .collect(ImmutableSet.toImmutableSet());

    private SingleLabelExpander expander = new SingleLabelExpander(Map.of());
    private final ClientDiagnostics diagnostics;

    public QualifyAddresses() {
        this(ClientDiagnostics.discarding());
    }

    @Inject
    public QualifyAddresses(ClientDiagnostics diagnostics) {
        this.diagnostics = diagnostics;
    }

    @Override
    public void init() throws MessagingException {
        MailetParameters parameters = MailetParameters.of(getMailetConfig(), QualifyAddresses.class, DOMAIN_EXPANSIONS);
        Map<String, String> expansions = parameters.parsed(DOMAIN_EXPANSIONS, DomainQualifier::parseExpansions);
        expander = new SingleLabelExpander(expansions);
        LOGGER.info("Single-label domains in the address fields of submissions are expanded by {}", expansions);
    }

    @Override
    public void service(Mail mail) throws MessagingException {
        Optional<Submission> submission = Submission.of(mail);
        if (submission.isEmpty() || expander.isEmpty()) {
            return;
        }
        MimeMessage message = mail.getMessage();
        List<HeaderField> fields = new ArrayList<>();
        for (String line : Collections.list(message.getAllHeaderLines())) {
            fields.add(HeaderField.parse(line));
        }

        List<HeaderField> result = new ArrayList<>(fields.size());
        List<Change> changes = new ArrayList<>();
        for (HeaderField field : fields) {
            Optional<String> expanded = expand(field, mail);
            if (expanded.isPresent()) {
                changes.add(new Change(field.name(), expanded.get()));
                result.add(withValue(field, expanded.get()));
            } else {
                result.add(field);
            }
        }
        if (changes.isEmpty()) {
            return;
        }

        MailDiagnostics.record(diagnostics, Defect.UNQUALIFIED_DOMAIN, mail, submission.get());
        rewriteInOrder(message, fields, result);
        LOGGER.debug("Expanded single-label domains in {} of mail {} of session {}",
            changes.stream().map(change -> change.name).distinct().toArray(), mail.getName(),
            submission.get().sessionId().orElse("-"));
    }

    private Optional<String> expand(HeaderField field, Mail mail) {
        if (!ADDRESS_FIELDS.contains(field.name().toLowerCase(Locale.ROOT))) {
            return Optional.empty();
        }
        try {
            return expander.expand(field.value());
        } catch (AddressSyntaxException e) {
            // the header check refuses such a message at the end of DATA; whatever gets here is left as written
            LOGGER.debug("Left header field {} of mail {} as it is: {}", field.name(), mail.getName(), e.getMessage());
            return Optional.empty();
        }
    }

    private static HeaderField withValue(HeaderField field, String value) {
        String line = field.line();
        return HeaderField.parse(line.substring(0, line.length() - field.value().length()) + value);
    }

    /**
     * Removes every field and adds the lines again in their order (addHeaderLine appends): the only way to replace a
     * field where it stands, or the n-th of several.
     */
    private static void rewriteInOrder(MimeMessage message, List<HeaderField> original, List<HeaderField> result)
            throws MessagingException {
        Set<String> names = new LinkedHashSet<>();
        original.forEach(field -> names.add(field.name()));
        for (String name : names) {
            message.removeHeader(name);
        }
        for (HeaderField field : result) {
            message.addHeaderLine(field.line());
        }
    }

    private static final class Change {
        final String name;
        final String value;

        Change(String name, String value) {
            this.name = name;
            this.value = value;
        }
    }

    @Override
    public String getMailetInfo() {
        return "QualifyAddresses: expands single-label domains in the address header fields of submissions (RFC 6409 section 4.2)";
    }
}
