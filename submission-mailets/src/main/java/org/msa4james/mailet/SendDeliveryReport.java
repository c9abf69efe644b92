package org.msa4james.mailet;

import java.io.IOException;
import java.io.UnsupportedEncodingException;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import javax.inject.Inject;
import javax.mail.MessagingException;
import javax.mail.internet.AddressException;
import javax.mail.internet.InternetAddress;
import javax.mail.internet.MimeMessage;

import org.apache.james.core.MailAddress;
import org.apache.james.core.MaybeSender;
import org.apache.james.domainlist.api.DomainList;
import org.apache.james.domainlist.api.DomainListException;
import org.apache.james.lifecycle.api.LifecycleUtil;
import org.apache.james.server.core.MailImpl;
import org.apache.mailet.Mail;
import org.apache.mailet.base.GenericMailet;
import org.msa4james.completion.MessageIdDomain;
import org.msa4james.completion.MessageIdFactory;
import org.msa4james.concealment.HostNames;
import org.msa4james.report.DeliveryReport;
import org.msa4james.report.DeliveryStatusFields;
import org.msa4james.report.ReportAction;
import org.msa4james.report.ReportMessage;
import org.msa4james.report.ReportText;
import org.msa4james.report.StatusCodes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends the sender of the mail a delivery status notification (RFC 3464) about the mail's recipients: one report for
 * all of them, of the kind given by {@code action}. Only recipients whose NOTIFY (RFC 3461) asks for that kind are
 * reported on: failures unless NOTIFY is given without FAILURE, delays with DELAY, deliveries and relays with SUCCESS.
 *
 * <p>The report goes from the null sender to the mail's envelope sender through James's normal processing (local
 * delivery, or the relay for a remote sender). No report is made about a mail from the null sender, so a report whose
 * own delivery fails causes none, and reports never loop. The per-recipient details (status, next hop, its reply, the
 * time of the last attempt) are those {@code DeliverToNextHop} and {@code DeliverToMailbox} record; a mail without them
 * (an error in a mailet, an unknown local user) is reported with {@code status}. The report's Message-ID has the
 * default domain (or {@code domain}) on its right, never the machine's name; its From is the postmaster.</p>
 *
 * <table>
 * <caption>Parameters</caption>
 * <tr><th>Parameter</th><th>Default</th><th>Meaning</th></tr>
 * <tr><td>action</td><td>required</td><td>{@code failed}, {@code delayed}, {@code delivered} or {@code relayed}</td></tr>
 * <tr><td>reportingMta</td><td>required</td><td>this server's public name (Reporting-MTA), e.g. msa.hostname</td></tr>
 * <tr><td>status</td><td>5.0.0, 4.0.0, 2.0.0 by action</td><td>the RFC 3463 status of a recipient about whom no
 * delivery attempt recorded one, e.g. 5.1.1 for an unknown local user</td></tr>
 * <tr><td>domain</td><td>the default domain</td><td>right-hand side of the report's Message-ID</td></tr>
 * <tr><td>passThrough</td><td>false</td><td>true: the mail goes on to the next mailet; false: it ends here</td></tr>
 * </table>
 *
 * <pre>{@code <mailet match="All" class="org.msa4james.mailet.SendDeliveryReport">
 *     <action>failed</action><reportingMta>msa.example.test</reportingMta></mailet>}</pre>
 */
public class SendDeliveryReport extends GenericMailet {
    static final String ACTION = "action";
    static final String REPORTING_MTA = "reportingMta";
    static final String STATUS = "status";
    static final String DOMAIN = "domain";
    static final String PASS_THROUGH = "passThrough";
    private static final String AUTHOR = "Mail Delivery System";
    private static final Logger LOGGER = LoggerFactory.getLogger(SendDeliveryReport.class);

    private final DomainList domainList;
    private final Clock clock;
    private final MessageIdFactory messageIds;
    private ReportAction action;
    private String reportingMta;
    private String defaultStatus;
    private MessageIdDomain domain;
    private boolean passThrough;

    @Inject
    public SendDeliveryReport(DomainList domainList) {
        this(domainList, Clock.systemUTC());
    }

    SendDeliveryReport(DomainList domainList, Clock clock) {
        this(domainList, clock, MessageIdFactory.secure(clock));
    }

    SendDeliveryReport(DomainList domainList, Clock clock, MessageIdFactory messageIds) {
        this.domainList = domainList;
        this.clock = clock;
        this.messageIds = messageIds;
    }

    private static String hostName(String value) {
        if (!HostNames.isHostName(value)) {
            throw new IllegalArgumentException("'" + value + "' is not a host name (letters, digits and hyphens in "
                + "dot-separated labels, e.g. msa.example.com)");
        }
        return value.toLowerCase(Locale.ROOT);
    }

    @Override
    public void init() throws MessagingException {
        MailetParameters parameters = MailetParameters.of(getMailetConfig(), SendDeliveryReport.class,
            ACTION, REPORTING_MTA, STATUS, DOMAIN, PASS_THROUGH);
        action = parameters.parsed(ACTION, ReportAction::parse);
        parameters.requiredString(REPORTING_MTA);
        // any host name: a host that knows itself by a single label ("localhost", a container's name) still reports
        reportingMta = parameters.parsed(REPORTING_MTA, SendDeliveryReport::hostName);
        defaultStatus = parameters.optionalString(STATUS).orElse(action.defaultStatus());
        if (!StatusCodes.isValid(defaultStatus) || !action.allowsStatus(defaultStatus)) {
            throw parameters.invalid(STATUS, "must be an RFC 3463 status code of class "
                + (action == ReportAction.FAILED ? "4 or 5" : action == ReportAction.DELAYED ? "4" : "2")
                + " for action " + action.field() + ", e.g. " + action.defaultStatus() + ", not '" + defaultStatus + "'");
        }
        domain = new MessageIdDomain(parameters.parsed(DOMAIN, MessageIdDomain::configured));
        passThrough = parameters.booleanValue(PASS_THROUGH, false);
    }

    @Override
    public void service(Mail mail) throws MessagingException {
        try {
            if (mail.getMaybeSender().isNullSender()) {
                LOGGER.debug("No {} report about mail {}: its sender is null", action.field(), mail.getName());
                return;
            }
            List<MailAddress> recipients = DeliveryReports.requested(mail, action);
            if (recipients.isEmpty()) {
                LOGGER.debug("No {} report about mail {}: no recipient asked for one", action.field(), mail.getName());
                return;
            }
            send(mail, recipients);
        } finally {
            if (!passThrough) {
                mail.setState(Mail.GHOST);
            }
        }
    }

    private void send(Mail mail, List<MailAddress> recipients) throws MessagingException {
        MailAddress sender = mail.getMaybeSender().get();
        DeliveryReport report = DeliveryReports.report(mail, recipients, action, reportingMta, defaultStatus, clock.instant());
        ReportText.Returned returned = DeliveryReports.returned(mail, action);
        MimeMessage original = mail.getMessage();
        MimeMessage message;
        try {
            message = ReportMessage.builder()
                .from(new InternetAddress(getMailetContext().getPostmaster().asString(), AUTHOR))
                .to(sender.toInternetAddress().orElseThrow(() -> new AddressException("not an Internet address", sender.asString())))
                .date(clock.instant())
                .messageId(messageIds.create(messageIdDomain()))
                .subject(ReportText.subject(action, DeliveryReports.subject(original)))
                .text(ReportText.body(report, DeliveryReports.subject(original), returned))
                .deliveryStatus(DeliveryStatusFields.render(report))
                .returned(returned, DeliveryReports.content(original, returned))
                .build();
        } catch (UnsupportedEncodingException e) {
            throw new MessagingException("Cannot write the author of a delivery status notification", e);
        } catch (IOException e) {
            throw new MessagingException("Cannot read mail " + mail.getName() + " to report on it", e);
        }
        Mail reportMail = MailImpl.builder()
            .name(MailImpl.getId())
            .sender(MaybeSender.nullSender())
            .addRecipient(sender)
            .mimeMessage(message)
            .build();
        try {
            getMailetContext().sendMail(reportMail);
            LOGGER.info("Sent a {} report about mail {} to {} for {}", action.field(), mail.getName(), sender.asString(), recipients);
        } finally {
            LifecycleUtil.dispose(reportMail);
        }
    }

    /** The configured domain, else James's default domain (read per report: the domain list may change). */
    private String messageIdDomain() throws MessagingException {
        String defaultDomain;
        try {
            defaultDomain = domainList.getDefaultDomain().asString();
        } catch (DomainListException e) {
            throw new MessagingException("Cannot read the default domain for the Message-ID of a delivery status notification", e);
        }
        return domain.choose(Optional.empty(), List.of(), defaultDomain)
            .orElseThrow(() -> new MessagingException("The default domain '" + defaultDomain + "' is not a host name"));
    }

    @Override
    public String getMailetInfo() {
        return "SendDeliveryReport: RFC 3464 delivery status notifications"
            + (action == null ? "" : " (" + action.field() + ")");
    }
}
