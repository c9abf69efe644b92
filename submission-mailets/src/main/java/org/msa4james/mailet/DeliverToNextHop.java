package org.msa4james.mailet;

import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import javax.inject.Inject;
import javax.mail.MessagingException;

import org.apache.james.core.Domain;
import org.apache.james.core.MailAddress;
import org.apache.james.dnsservice.api.DNSService;
import org.apache.james.domainlist.api.DomainList;
import org.apache.james.lifecycle.api.LifecycleUtil;
import org.apache.james.metrics.api.Metric;
import org.apache.james.metrics.api.MetricFactory;
import org.apache.james.queue.api.MailPrioritySupport;
import org.apache.james.queue.api.MailQueue;
import org.apache.james.queue.api.MailQueueFactory;
import org.apache.james.transport.mailets.remote.delivery.Bouncer;
import org.apache.james.transport.mailets.remote.delivery.DelaysAndMaxRetry;
import org.apache.james.transport.mailets.remote.delivery.DeliveryRetriesHelper;
import org.apache.james.transport.mailets.remote.delivery.RemoteDeliveryConfiguration;
import org.apache.mailet.Attribute;
import org.apache.mailet.AttributeValue;
import org.apache.mailet.DsnParameters;
import org.apache.mailet.DsnParameters.Notify;
import org.apache.mailet.Mail;
import org.apache.mailet.ProcessingState;
import org.apache.mailet.base.GenericMailet;
import org.msa4james.dsn.DsnAttributes;
import org.msa4james.relay.DeliveryPlan;
import org.msa4james.relay.RecipientResult;
import org.msa4james.relay.RetrySchedule;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.google.common.collect.HashMultimap;
import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableSet;

import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * James's RemoteDelivery, with what delivery status notifications (RFC 3461) need and RemoteDelivery 3.8.1 does not
 * give: it passes ORCPT on (RemoteDelivery passes NOTIFY, RET and ENVID, not ORCPT), and it knows, recipient by
 * recipient, whether the next hop offered DSN, what it answered and whether a failure is the first temporary one.
 *
 * <p>It takes RemoteDelivery's parameters with their meaning (read by James's own {@link RemoteDeliveryConfiguration}:
 * outgoing queue, gateway, delays and retries, TLS, EHLO name, {@code mail.*} JavaMail properties) and uses the same
 * outgoing queue, DNS lookup and retry schedule; each value is checked at start. After each attempt it sends, through
 * the spool, copies of the mail with the recipients concerned and the attempt's details ({@link DsnAttributes}):
 * <ul>
 * <li>to {@code bounceProcessor}: recipients refused for good, or for now once every retry was made;</li>
 * <li>to {@code delayedProcessor}: after the mail's first temporary failure, the recipients whose NOTIFY has DELAY;</li>
 * <li>to {@code relayedProcessor}: recipients delivered to a next hop that did not offer DSN, whose NOTIFY has SUCCESS:
 * that next hop will report nothing, so a "relayed" report is due. A next hop that offers DSN gets the parameters and
 * reports itself; no copy is made then;</li>
 * <li>to {@code onSuccess} (RemoteDelivery's): every recipient delivered.</li>
 * </ul>
 * Nothing is sent about a mail from the null sender. The recipients refused for now stay in the queue, with JSON-able
 * attributes only, so that a persistent queue keeps them.
 *
 * <table>
 * <caption>Parameters besides RemoteDelivery's</caption>
 * <tr><th>Parameter</th><th>Default</th><th>Meaning</th></tr>
 * <tr><td>bounceProcessor</td><td>required</td><td>where the failed recipients go</td></tr>
 * <tr><td>delayedProcessor</td><td>none</td><td>where the "delayed" copy goes</td></tr>
 * <tr><td>relayedProcessor</td><td>none</td><td>where the "relayed" copy goes</td></tr>
 * <tr><td>deliveryThreads</td><td>10</td><td>mails delivered at the same time (RemoteDelivery 3.8.1 ignores it)</td></tr>
 * </table>
 */
public class DeliverToNextHop extends GenericMailet {
    static final String DELAYED_PROCESSOR = "delayedProcessor";
    static final String RELAYED_PROCESSOR = "relayedProcessor";
    static final String DELIVERY_THREADS = "deliveryThreads";
    private static final String JAVAMAIL_PREFIX = RemoteDeliveryConfiguration.JAVAX_PREFIX;
    private static final int DEFAULT_DELIVERY_THREADS = 10;
    private static final String NAME_JUNCTION = "-to-";
    private static final Logger LOGGER = LoggerFactory.getLogger(DeliverToNextHop.class);

    private final DNSService dns;
    private final DomainList domainList;
    private final MailQueueFactory<?> queueFactory;
    private final Metric outgoingMails;
    private final Clock clock;
    private RemoteDeliveryConfiguration configuration;
    private RetrySchedule schedule;
    private ProcessingState bounceProcessor;
    private Optional<ProcessingState> delayedProcessor;
    private Optional<ProcessingState> relayedProcessor;
    private int deliveryThreads;
    private MailQueue queue;
    private NextHops nextHops;
    private Scheduler deliveryScheduler;
    private Scheduler dequeueScheduler;
    private Disposable deliveries;

    @Inject
    public DeliverToNextHop(DNSService dns, DomainList domainList, MailQueueFactory<?> queueFactory, MetricFactory metricFactory) {
        this(dns, domainList, queueFactory, metricFactory, Clock.systemUTC());
    }

    DeliverToNextHop(DNSService dns, DomainList domainList, MailQueueFactory<?> queueFactory, MetricFactory metricFactory, Clock clock) {
        this.dns = dns;
        this.domainList = domainList;
        this.queueFactory = queueFactory;
        this.outgoingMails = metricFactory.generate("outgoingMails");
        this.clock = clock;
    }

    @Override
    public void init() throws MessagingException {
        MailetParameters parameters = MailetParameters.withPrefix(getMailetConfig(), DeliverToNextHop.class,
            Optional.of(JAVAMAIL_PREFIX),
            RemoteDeliveryConfiguration.OUTGOING, RemoteDeliveryConfiguration.GATEWAY, RemoteDeliveryConfiguration.GATEWAY_PORT,
            RemoteDeliveryConfiguration.GATEWAY_USERNAME, RemoteDeliveryConfiguration.GATEWAY_USERNAME_COMPATIBILITY,
            RemoteDeliveryConfiguration.GATEWAY_PASSWORD, RemoteDeliveryConfiguration.HELO_NAME,
            RemoteDeliveryConfiguration.DELAY_TIME, RemoteDeliveryConfiguration.MAX_RETRIES,
            RemoteDeliveryConfiguration.MAX_DNS_PROBLEM_RETRIES, RemoteDeliveryConfiguration.SENDPARTIAL,
            RemoteDeliveryConfiguration.START_TLS, RemoteDeliveryConfiguration.SSL_ENABLE,
            RemoteDeliveryConfiguration.VERIFY_SERVER_IDENTITY, RemoteDeliveryConfiguration.BIND,
            RemoteDeliveryConfiguration.TIMEOUT, RemoteDeliveryConfiguration.CONNECTIONTIMEOUT,
            RemoteDeliveryConfiguration.BOUNCE_PROCESSOR, RemoteDeliveryConfiguration.ON_SUCCESS,
            RemoteDeliveryConfiguration.USE_PRIORITY, RemoteDeliveryConfiguration.DEBUG,
            RemoteDeliveryConfiguration.LOAD_BALANCING, DELAYED_PROCESSOR, RELAYED_PROCESSOR, DELIVERY_THREADS);
        validate(parameters);
        configuration = new RemoteDeliveryConfiguration(getMailetConfig(), domainList);
        schedule = new RetrySchedule(configuration.getMaxRetries(), configuration.getDelayTimes());
        bounceProcessor = new ProcessingState(parameters.requiredString(RemoteDeliveryConfiguration.BOUNCE_PROCESSOR));
        delayedProcessor = parameters.optionalString(DELAYED_PROCESSOR).map(ProcessingState::new);
        relayedProcessor = parameters.optionalString(RELAYED_PROCESSOR).map(ProcessingState::new);
        deliveryThreads = parameters.positiveInt(DELIVERY_THREADS, DEFAULT_DELIVERY_THREADS);
        queue = queueFactory.createQueue(configuration.getOutGoingQueueName());
        nextHops = new NextHops(configuration, dns, getMailetContext());
        start();
    }

    /** What RemoteDeliveryConfiguration would silently replace by a default, checked here so that a mistake stops James. */
    private static void validate(MailetParameters parameters) throws MessagingException {
        for (String flag : List.of(RemoteDeliveryConfiguration.SENDPARTIAL, RemoteDeliveryConfiguration.START_TLS,
                RemoteDeliveryConfiguration.SSL_ENABLE, RemoteDeliveryConfiguration.VERIFY_SERVER_IDENTITY,
                RemoteDeliveryConfiguration.USE_PRIORITY, RemoteDeliveryConfiguration.DEBUG,
                RemoteDeliveryConfiguration.LOAD_BALANCING)) {
            parameters.booleanValue(flag, false);
        }
        parameters.positiveInt(RemoteDeliveryConfiguration.TIMEOUT, RemoteDeliveryConfiguration.DEFAULT_SMTP_TIMEOUT);
        parameters.positiveInt(RemoteDeliveryConfiguration.CONNECTIONTIMEOUT, RemoteDeliveryConfiguration.DEFAULT_CONNECTION_TIMEOUT);
        parameters.nonNegativeInt(RemoteDeliveryConfiguration.MAX_DNS_PROBLEM_RETRIES, 0);
        parameters.positiveInt(RemoteDeliveryConfiguration.GATEWAY_PORT, 25);
        int maxRetries = parameters.nonNegativeInt(RemoteDeliveryConfiguration.MAX_RETRIES, RemoteDeliveryConfiguration.DEFAULT_MAX_RETRY);
        Optional<String> delays = parameters.optionalString(RemoteDeliveryConfiguration.DELAY_TIME);
        if (delays.isPresent()) {
            try {
                DelaysAndMaxRetry.from(maxRetries, delays.get());
            } catch (MessagingException | RuntimeException e) {
                throw parameters.invalid(RemoteDeliveryConfiguration.DELAY_TIME, "is invalid: '" + delays.get()
                    + "' is not a comma-separated list of [attempts*]delay, e.g. 3*5 minutes, 16*6 hours (" + e.getMessage() + ")");
            }
        }
        for (String gateway : parameters.list(RemoteDeliveryConfiguration.GATEWAY)) {
            int colon = gateway.lastIndexOf(':');
            if (colon >= 0) {
                try {
                    int port = Integer.parseInt(gateway.substring(colon + 1));
                    if (port < 1 || port > 65535) {
                        throw new NumberFormatException();
                    }
                } catch (NumberFormatException e) {
                    throw parameters.invalid(RemoteDeliveryConfiguration.GATEWAY, "must be host or host:port (port 1 to 65535),"
                        + " comma separated, not '" + gateway + "'");
                }
            }
        }
    }

    private void start() {
        deliveryScheduler = Schedulers.newBoundedElastic(deliveryThreads, Integer.MAX_VALUE, "msa4james-next-hop");
        dequeueScheduler = Schedulers.newSingle("msa4james-next-hop-dequeue");
        deliveries = Flux.from(queue.deQueue())
            .flatMap(item -> Mono.fromRunnable(() -> process(item)).subscribeOn(deliveryScheduler), deliveryThreads)
            .onErrorContinue((error, item) -> LOGGER.error("Delivery to the next hop failed", error))
            .subscribeOn(dequeueScheduler)
            .subscribe();
    }

    @Override
    public void service(Mail mail) throws MessagingException {
        if (configuration.isUsePriority()) {
            mail.setAttribute(MailPrioritySupport.HIGH_PRIORITY_ATTRIBUTE);
        }
        if (mail.getRecipients().isEmpty()) {
            LOGGER.debug("Mail {} has no recipients and cannot be delivered", mail.getName());
        } else if (!configuration.getGatewayServer().isEmpty()) {
            queue.enQueue(mail);
        } else {
            HashMultimap<Domain, MailAddress> byDomain = HashMultimap.create();
            mail.getRecipients().forEach(recipient -> byDomain.put(recipient.getDomain(), recipient));
            String name = mail.getName();
            for (Map.Entry<Domain, Collection<MailAddress>> domain : byDomain.asMap().entrySet()) {
                mail.setRecipients(domain.getValue());
                mail.setName(name + NAME_JUNCTION + domain.getKey().name());
                queue.enQueue(mail);
            }
        }
        mail.setState(Mail.GHOST);
    }

    private void process(MailQueue.MailQueueItem item) {
        Mail mail = item.getMail();
        try {
            attempt(mail);
            item.done(MailQueue.MailQueueItem.CompletionStatus.SUCCESS);
        } catch (Exception e) {
            LOGGER.error("Delivery of mail {} failed; it stays in the queue", mail.getName(), e);
            try {
                item.done(MailQueue.MailQueueItem.CompletionStatus.RETRY);
            } catch (Exception retry) {
                LOGGER.error("Mail {} could not be given back to the queue", mail.getName(), retry);
            }
        } finally {
            LifecycleUtil.dispose(mail);
        }
    }

    private void attempt(Mail mail) throws MessagingException {
        if (mail.getRecipients().isEmpty()) {
            LOGGER.info("Mail {} has no recipients left and is dropped from the queue", mail.getName());
            return;
        }
        int retriesSoFar = DeliveryRetriesHelper.retrieveRetries(mail);
        List<RecipientResult> results = nextHops.deliver(mail, retriesSoFar);
        Instant now = clock.instant();
        boolean nullSender = mail.getMaybeSender().isNullSender();
        DeliveryPlan plan = DeliveryPlan.decide(results,
            nullSender ? Set.of() : requested(mail, Notify.SUCCESS),
            nullSender ? Set.of() : requested(mail, Notify.DELAY),
            retriesSoFar, DsnAttributes.flag(mail, DsnAttributes.DELAY_REPORTED), schedule);

        if (!plan.delivered().isEmpty()) {
            outgoingMails.increment();
            Optional<ProcessingState> onSuccess = configuration.getOnSuccess();
            if (onSuccess.isPresent()) {
                sendCopy(mail, plan.delivered(), onSuccess.get(), now, Optional.empty());
            }
        }
        if (!nullSender) {
            if (relayedProcessor.isPresent() && !plan.relayedReport().isEmpty()) {
                sendCopy(mail, plan.relayedReport(), relayedProcessor.get(), now, Optional.empty());
            }
            if (!plan.failed().isEmpty()) {
                sendCopy(mail, plan.failed(), bounceProcessor, now, Optional.empty());
            }
            if (delayedProcessor.isPresent() && !plan.delayedReport().isEmpty()) {
                sendCopy(mail, plan.delayedReport(), delayedProcessor.get(), now, Optional.of(schedule.lastRetry(now, retriesSoFar)));
            }
        } else if (!plan.failed().isEmpty()) {
            LOGGER.info("Mail {} from the null sender could not be delivered to {}; no report is made about it", mail.getName(),
                recipients(mail, plan.failed()));
        }
        if (!plan.retried().isEmpty()) {
            retry(mail, plan);
        }
    }

    private void retry(Mail mail, DeliveryPlan plan) throws MessagingException {
        mail.setRecipients(recipients(mail, plan.retried()));
        if (plan.firstTemporaryFailure()) {
            mail.setState(Mail.ERROR);
            DsnAttributes.setFlag(mail, DsnAttributes.DELAY_REPORTED);
        }
        mail.setAttribute(DeliveryRetriesHelper.makeAttribute(plan.retries()));
        mail.setLastUpdated(Date.from(clock.instant()));
        if (configuration.isUsePriority()) {
            mail.setAttribute(MailPrioritySupport.LOW_PRIORITY_ATTRIBUTE);
        }
        LOGGER.info("Mail {} to {} will be tried again in {} (retry {} of {})", mail.getName(), mail.getRecipients(),
            plan.retryDelay().orElseThrow(), plan.retries(), schedule.maxRetries());
        queue.enQueue(mail, plan.retryDelay().orElseThrow());
    }

    /** A copy of the mail for these recipients, with what the attempt found for each, sent to a processor. */
    private void sendCopy(Mail mail, List<RecipientResult> results, ProcessingState processor, Instant now,
                          Optional<Instant> willRetryUntil) throws MessagingException {
        Mail copy = mail.duplicate();
        try {
            copy.setRecipients(recipients(mail, results));
            DsnAttributes.setPerRecipient(copy, DsnAttributes.STATUS, perRecipient(results, result -> Optional.of(result.status())));
            DsnAttributes.setPerRecipient(copy, DsnAttributes.DIAGNOSTIC_CODE, perRecipient(results, RecipientResult::reply));
            DsnAttributes.setPerRecipient(copy, DsnAttributes.REMOTE_MTA, perRecipient(results, RecipientResult::remoteMta));
            DsnAttributes.setInstant(copy, DsnAttributes.LAST_ATTEMPT_DATE, now);
            willRetryUntil.ifPresent(until -> DsnAttributes.setInstant(copy, DsnAttributes.WILL_RETRY_UNTIL, until));
            if (processor.equals(bounceProcessor)) {
                // what James's RemoteDelivery sets for its bounce processor, for mailets that read it
                RecipientResult first = results.get(0);
                copy.setAttribute(new Attribute(Bouncer.IS_DELIVERY_PERMANENT_ERROR,
                    AttributeValue.of(first.outcome() == RecipientResult.Outcome.PERMANENT_FAILURE)));
                first.reply().ifPresent(reply -> copy.setAttribute(new Attribute(Bouncer.DELIVERY_ERROR, AttributeValue.of(reply))));
                first.reply().map(reply -> reply.substring(0, 3)).filter(code -> code.chars().allMatch(Character::isDigit))
                    .ifPresent(code -> copy.setAttribute(new Attribute(Bouncer.DELIVERY_ERROR_CODE, AttributeValue.of(Integer.parseInt(code)))));
            }
            getMailetContext().sendMail(copy, processor.getValue());
        } finally {
            LifecycleUtil.dispose(copy);
        }
    }

    private static Map<String, String> perRecipient(List<RecipientResult> results, Function<RecipientResult, Optional<String>> value) {
        return results.stream()
            .flatMap(result -> value.apply(result).stream().map(text -> Map.entry(result.recipient(), text)))
            .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue, (first, second) -> first));
    }

    private static List<MailAddress> recipients(Mail mail, List<RecipientResult> results) {
        Set<String> wanted = results.stream().map(RecipientResult::recipient).collect(ImmutableSet.toImmutableSet());
        return mail.getRecipients().stream()
            .filter(recipient -> wanted.contains(recipient.asString()))
            .collect(ImmutableList.toImmutableList());
    }

    private static Set<String> requested(Mail mail, Notify notify) {
        return mail.dsnParameters()
            .map(DsnParameters::getRcptParameters)
            .map(parameters -> parameters.entrySet().stream()
                .filter(entry -> entry.getValue().getNotifyParameter().map(values -> values.contains(notify)).orElse(false))
                .map(entry -> entry.getKey().asString())
                .collect(ImmutableSet.toImmutableSet()))
            .orElse(ImmutableSet.of());
    }

    @Override
    public Collection<ProcessingState> requiredProcessingState() {
        return Stream.of(Optional.of(bounceProcessor), delayedProcessor, relayedProcessor, configuration.getOnSuccess())
            .flatMap(Optional::stream)
            .collect(ImmutableList.toImmutableList());
    }

    @Override
    public void destroy() {
        if (deliveries != null) {
            deliveries.dispose();
            dequeueScheduler.dispose();
            deliveryScheduler.dispose();
        }
        if (queue != null) {
            try {
                queue.close();
            } catch (IOException e) {
                LOGGER.debug("Closing the queue {} failed", configuration.getOutGoingQueueName(), e);
            }
        }
    }

    @Override
    public String getMailetInfo() {
        return "DeliverToNextHop: RemoteDelivery with delivery status notifications (RFC 3461)";
    }
}
