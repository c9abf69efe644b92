package org.msa4james.mailet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;

import javax.mail.MessagingException;

import org.apache.james.core.MailAddress;
import org.apache.james.core.builder.MimeMessageBuilder;
import org.apache.james.core.quota.QuotaCountLimit;
import org.apache.james.core.quota.QuotaCountUsage;
import org.apache.james.mailbox.exception.MailboxException;
import org.apache.james.mailbox.exception.OverQuotaException;
import org.apache.james.transport.mailets.delivery.MailStore;
import org.apache.mailet.DsnParameters;
import org.apache.mailet.DsnParameters.Notify;
import org.apache.mailet.DsnParameters.RecipientDsnParameters;
import org.apache.mailet.Mail;
import org.apache.mailet.base.test.FakeMail;
import org.apache.mailet.base.test.FakeMailContext;
import org.apache.mailet.base.test.FakeMailetConfig;
import org.junit.jupiter.api.Test;
import org.msa4james.dsn.DsnAttributes;
import org.reactivestreams.Publisher;

import reactor.core.publisher.Mono;

class DeliverToMailboxTest {
    private static final Instant NOW = Instant.parse("2026-11-28T19:00:00Z");
    private static final MailAddress BOB = address("bob@example.test");
    private static final MailAddress CAROL = address("carol@example.test");
    private static final MailAddress DAVE = address("dave@example.test");

    /** Stores for everyone but the recipients it is told to fail for, with the exception given. */
    private static final class Mailboxes implements MailStore {
        private final Map<MailAddress, MailboxException> failures;
        private final List<MailAddress> stored = Collections.synchronizedList(new ArrayList<>());

        Mailboxes(Map<MailAddress, MailboxException> failures) {
            this.failures = failures;
        }

        @Override
        public Publisher<Void> storeMail(MailAddress recipient, Mail mail) {
            MailboxException failure = failures.get(recipient);
            if (failure != null) {
                return Mono.error(failure);
            }
            stored.add(recipient);
            return Mono.empty();
        }
    }

    private final FakeMailContext context = FakeMailContext.defaultContext();

    private DeliverToMailbox mailet(MailStore store, String... parameters) throws MessagingException {
        DeliverToMailbox mailet = new DeliverToMailbox(store, Clock.fixed(NOW, ZoneOffset.UTC));
        FakeMailetConfig.Builder config = FakeMailetConfig.builder().mailetName("DeliverToMailbox").mailetContext(context);
        for (int i = 0; i < parameters.length; i += 2) {
            config.setProperty(parameters[i], parameters[i + 1]);
        }
        mailet.init(config.build());
        return mailet;
    }

    @Test
    void theRecipientsItCouldNotStoreForShouldGoToTheErrorProcessorWithTheirStatusAndDsnParameters() throws Exception {
        Mailboxes mailboxes = new Mailboxes(Map.of(CAROL, overQuota(),
            DAVE, new MailboxException("storage down")));
        FakeMail mail = mail(BOB, CAROL, DAVE);
        DsnParameters dsn = DsnParameters.builder()
            .addRcptParameter(CAROL, RecipientDsnParameters.of(EnumSet.of(Notify.FAILURE), CAROL)).build().orElseThrow();
        mail.setDsnParameters(dsn);

        mailet(mailboxes, "consume", "false", "retries", "1").service(mail);

        assertThat(mailboxes.stored).containsExactly(BOB);
        assertThat(mail.getRecipients()).containsExactly(BOB);
        assertThat(mail.getState()).isNotEqualTo(Mail.GHOST);
        assertThat(DsnAttributes.instant(mail, DsnAttributes.LAST_ATTEMPT_DATE)).contains(NOW);
        assertThat(context.getSentMails()).hasSize(1);
        FakeMailContext.SentMail failed = context.getSentMails().get(0);
        assertThat(failed.getState()).isEqualTo(Mail.ERROR);
        assertThat(failed.getRecipients()).containsExactly(CAROL, DAVE);
        assertThat(failed.getSender()).isEqualTo(address("alice@example.test"));
        Mail sent = FakeMail.builder().name("sent").attributes(failed.getAttributes().values()).build();
        assertThat(DsnAttributes.perRecipient(sent, DsnAttributes.STATUS))
            .containsExactlyInAnyOrderEntriesOf(Map.of("carol@example.test", "5.2.2", "dave@example.test", "5.3.0"));
        assertThat(DsnAttributes.instant(sent, DsnAttributes.LAST_ATTEMPT_DATE)).contains(NOW);
        assertThat(DsnAttributes.instant(sent, DsnAttributes.ARRIVAL_DATE)).contains(NOW.minusSeconds(5));
        assertThat(sent.dsnParameters()).contains(dsn);
    }

    @Test
    void aMailDeliveredToEveryoneShouldEndHereByDefault() throws Exception {
        Mailboxes mailboxes = new Mailboxes(Map.of());
        FakeMail mail = mail(BOB, CAROL);

        mailet(mailboxes).service(mail);

        assertThat(mailboxes.stored).containsExactly(BOB, CAROL);
        assertThat(mail.getState()).isEqualTo(Mail.GHOST);
        assertThat(context.getSentMails()).isEmpty();
    }

    @Test
    void aMailDeliveredToNobodyShouldEndHereEvenWithoutConsume() throws Exception {
        FakeMail mail = mail(CAROL);

        mailet(new Mailboxes(Map.of(CAROL, overQuota())), "consume", "false",
            "errorProcessor", "local-delivery-failed", "retries", "1").service(mail);

        assertThat(mail.getState()).isEqualTo(Mail.GHOST);
        assertThat(context.getSentMails()).extracting(FakeMailContext.SentMail::getState).containsExactly("local-delivery-failed");
    }

    @Test
    void theStatusShouldSayWhenTheMailboxIsFull() {
        assertThat(DeliverToMailbox.status(new RuntimeException(overQuota()))).isEqualTo("5.2.2");
        assertThat(DeliverToMailbox.status(new MailboxException("down"))).isEqualTo("5.3.0");
    }

    @Test
    void aBadParameterShouldStopTheMailet() {
        assertThatThrownBy(() -> mailet(new Mailboxes(Map.of()), "retries", "none"))
            .isInstanceOf(MessagingException.class)
            .hasMessage("Mailet org.msa4james.mailet.DeliverToMailbox: parameter 'retries' must be a positive integer, not 'none'");
        assertThatThrownBy(() -> mailet(new Mailboxes(Map.of()), "folder", "Archive"))
            .isInstanceOf(MessagingException.class)
            .hasMessageStartingWith("Mailet org.msa4james.mailet.DeliverToMailbox: parameter 'folder' is not a parameter of this mailet");
    }

    private static OverQuotaException overQuota() {
        return new OverQuotaException("over quota", QuotaCountLimit.count(1), QuotaCountUsage.count(1));
    }

    private static FakeMail mail(MailAddress... recipients) throws Exception {
        FakeMail mail = FakeMail.builder().name("mail1").sender("alice@example.test").recipients(recipients)
            .mimeMessage(MimeMessageBuilder.mimeMessageBuilder().setSubject("Hi").setText("Hello"))
            .build();
        DsnAttributes.setInstant(mail, DsnAttributes.ARRIVAL_DATE, NOW.minusSeconds(5));
        return mail;
    }

    private static MailAddress address(String address) {
        try {
            return new MailAddress(address);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }
}
