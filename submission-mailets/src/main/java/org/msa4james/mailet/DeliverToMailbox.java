package org.msa4james.mailet;

import java.time.Clock;
import java.time.Instant;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import javax.inject.Inject;
import javax.inject.Named;
import javax.mail.MessagingException;

import org.apache.james.core.MailAddress;
import org.apache.james.lifecycle.api.LifecycleUtil;
import org.apache.james.mailbox.MailboxManager;
import org.apache.james.mailbox.exception.OverQuotaException;
import org.apache.james.mailbox.model.MailboxConstants;
import org.apache.james.metrics.api.MetricFactory;
import org.apache.james.transport.mailets.LocalDelivery;
import org.apache.james.transport.mailets.delivery.MailDispatcher;
import org.apache.james.transport.mailets.delivery.MailStore;
import org.apache.james.transport.mailets.delivery.MailboxAppenderImpl;
import org.apache.james.transport.mailets.delivery.SimpleMailStore;
import org.apache.james.user.api.UsersRepository;
import org.apache.mailet.Mail;
import org.apache.mailet.base.GenericMailet;
import org.msa4james.dsn.DsnAttributes;
import org.reactivestreams.Publisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.google.common.base.Throwables;
import com.google.common.collect.ImmutableList;

import reactor.core.publisher.Mono;

/**
 * Stores the mail in its local recipients' INBOX, as James's {@code LocalDelivery} does (with James's own
 * {@link MailDispatcher} and {@link SimpleMailStore}: Return-Path, per-recipient header fields, a Sieve folder,
 * retries), and knows for each recipient whether it worked, which {@code LocalDelivery} keeps to itself:
 * <ul>
 * <li>the recipients it could not store for go, in a copy of the mail that keeps its DSN parameters and attributes, to
 * {@code errorProcessor}, each with its RFC 3463 status ({@code 5.2.2} for a full mailbox, else {@code 5.3.0}), so that
 * a {@code SendDeliveryReport} there reports the failure (James's {@code LocalDelivery} sends a new mail without them);</li>
 * <li>the mail keeps only the recipients it was delivered to, with the time of delivery, so that a
 * {@code SendDeliveryReport} after this mailet (with {@code consume} false) reports "delivered" to those that asked.</li>
 * </ul>
 *
 * <table>
 * <caption>Parameters</caption>
 * <tr><th>Parameter</th><th>Default</th><th>Meaning</th></tr>
 * <tr><td>consume</td><td>true</td><td>false: the mail goes on to the next mailet with the recipients it was
 * delivered to</td></tr>
 * <tr><td>errorProcessor</td><td>error</td><td>where the recipients it could not be stored for go</td></tr>
 * <tr><td>retries</td><td>3</td><td>attempts after a failed one to store for a recipient, 200 ms to 1 s apart</td></tr>
 * </table>
 */
public class DeliverToMailbox extends GenericMailet {
    static final String CONSUME = "consume";
    static final String ERROR_PROCESSOR = "errorProcessor";
    static final String RETRIES = "retries";
    static final String MAILBOX_FULL = "5.2.2";
    static final String MAIL_SYSTEM_PROBLEM = "5.3.0";
    private static final Logger LOGGER = LoggerFactory.getLogger(DeliverToMailbox.class);

    private final MailStore store;
    private final Clock clock;
    private final Map<Mail, Map<MailAddress, Throwable>> failuresOfMails = Collections.synchronizedMap(new IdentityHashMap<>());
    private MailDispatcher dispatcher;
    private boolean consume;
    private String errorProcessor;

    @Inject
    public DeliverToMailbox(UsersRepository usersRepository, @Named("mailboxmanager") MailboxManager mailboxManager,
                            MetricFactory metricFactory) {
        this(SimpleMailStore.builder()
            .mailboxAppender(new MailboxAppenderImpl(mailboxManager))
            .usersRepository(usersRepository)
            .folder(MailboxConstants.INBOX)
            .metric(metricFactory.generate(LocalDelivery.LOCAL_DELIVERED_MAILS_METRIC_NAME))
            .build(), Clock.systemUTC());
    }

    DeliverToMailbox(MailStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    @Override
    public void init() throws MessagingException {
        MailetParameters parameters = MailetParameters.of(getMailetConfig(), DeliverToMailbox.class, CONSUME, ERROR_PROCESSOR, RETRIES);
        consume = parameters.booleanValue(CONSUME, true);
        errorProcessor = parameters.optionalString(ERROR_PROCESSOR).orElse(Mail.ERROR);
        dispatcher = MailDispatcher.builder()
            .mailStore(new RecordingStore())
            .consume(false)
            .onMailetException("ignore")
            .retries(parameters.positiveInt(RETRIES, MailDispatcher.RETRIES))
            .mailetContext(getMailetContext())
            .build();
    }

    @Override
    public void service(Mail mail) throws MessagingException {
        Map<MailAddress, Throwable> failures = new ConcurrentHashMap<>();
        failuresOfMails.put(mail, failures);
        try {
            dispatcher.dispatch(mail);
        } finally {
            failuresOfMails.remove(mail);
        }
        Instant now = clock.instant();
        List<MailAddress> delivered = mail.getRecipients().stream()
            .filter(recipient -> !failures.containsKey(recipient))
            .collect(ImmutableList.toImmutableList());
        if (!failures.isEmpty()) {
            sendToErrorProcessor(mail, failures, now);
        }
        mail.setRecipients(delivered);
        DsnAttributes.setInstant(mail, DsnAttributes.LAST_ATTEMPT_DATE, now);
        if (consume || delivered.isEmpty()) {
            mail.setState(Mail.GHOST);
        }
    }

    private void sendToErrorProcessor(Mail mail, Map<MailAddress, Throwable> failures, Instant now) throws MessagingException {
        Mail failed = mail.duplicate();
        try {
            List<MailAddress> recipients = mail.getRecipients().stream()
                .filter(failures::containsKey)
                .collect(ImmutableList.toImmutableList());
            Map<String, String> statuses = new LinkedHashMap<>();
            recipients.forEach(recipient -> statuses.put(recipient.asString(), status(failures.get(recipient))));
            failed.setRecipients(recipients);
            failed.setErrorMessage("Could not store the mail in the mailbox of " + recipients);
            DsnAttributes.setPerRecipient(failed, DsnAttributes.STATUS, statuses);
            DsnAttributes.setPerRecipient(failed, DsnAttributes.REMOTE_MTA, Map.of());
            DsnAttributes.setPerRecipient(failed, DsnAttributes.DIAGNOSTIC_CODE, Map.of());
            DsnAttributes.setInstant(failed, DsnAttributes.LAST_ATTEMPT_DATE, now);
            getMailetContext().sendMail(failed, errorProcessor);
            LOGGER.warn("Mail {} could not be stored for {} ({}); sent to processor {}", mail.getName(), recipients, statuses,
                errorProcessor);
        } finally {
            LifecycleUtil.dispose(failed);
        }
    }

    /** RFC 3463: 5.2.2 when the mailbox is over its quota, else 5.3.0 (other mail system problem). */
    static String status(Throwable failure) {
        return Throwables.getCausalChain(failure).stream().anyMatch(OverQuotaException.class::isInstance)
            ? MAILBOX_FULL : MAIL_SYSTEM_PROBLEM;
    }

    @Override
    public String getMailetInfo() {
        return "DeliverToMailbox: local delivery that reports each recipient's outcome";
    }

    /** James's store, noting for the mail being dispatched which recipients it could not store for (the last try counts). */
    private final class RecordingStore implements MailStore {
        @Override
        public Publisher<Void> storeMail(MailAddress recipient, Mail mail) {
            Map<MailAddress, Throwable> failures = failuresOfMails.get(mail);
            return Mono.defer(() -> Mono.from(store.storeMail(recipient, mail)))
                .doOnSuccess(any -> {
                    if (failures != null) {
                        failures.remove(recipient);
                    }
                })
                .doOnError(error -> {
                    if (failures != null) {
                        failures.put(recipient, error);
                    }
                });
        }
    }
}
