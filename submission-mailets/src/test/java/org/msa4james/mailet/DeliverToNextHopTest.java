package org.msa4james.mailet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.util.EnumSet;

import javax.mail.MessagingException;

import org.apache.james.core.MailAddress;
import org.apache.james.dnsservice.api.DNSService;
import org.apache.james.metrics.tests.RecordingMetricFactory;
import org.apache.james.queue.api.MailQueue;
import org.apache.james.queue.api.MailQueueFactory;
import org.apache.mailet.DsnParameters;
import org.apache.mailet.DsnParameters.Notify;
import org.apache.mailet.DsnParameters.RecipientDsnParameters;
import org.apache.mailet.ProcessingState;
import org.apache.mailet.base.test.FakeMail;
import org.apache.mailet.base.test.FakeMailContext;
import org.apache.mailet.base.test.FakeMailetConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.msa4james.relay.SmtpTransaction;

import reactor.core.publisher.Flux;

class DeliverToNextHopTest {
    private CompletionJamesData james;
    private MailQueueFactory<MailQueue> queues;
    private DeliverToNextHop mailet;

    @BeforeEach
    @SuppressWarnings("unchecked")
    void setUp() throws Exception {
        james = new CompletionJamesData();
        MailQueue queue = mock(MailQueue.class);
        when(queue.deQueue()).thenReturn(Flux.never());
        queues = mock(MailQueueFactory.class);
        when(queues.createQueue(any())).thenReturn(queue);
    }

    @AfterEach
    void destroy() {
        if (mailet != null) {
            mailet.destroy();
        }
    }

    private DeliverToNextHop initialised(String... parameters) throws MessagingException {
        DeliverToNextHop candidate = new DeliverToNextHop(mock(DNSService.class), james.domainList, queues, new RecordingMetricFactory());
        FakeMailetConfig.Builder config = FakeMailetConfig.builder().mailetName("DeliverToNextHop")
            .mailetContext(FakeMailContext.defaultContext());
        for (int i = 0; i < parameters.length; i += 2) {
            config.setProperty(parameters[i], parameters[i + 1]);
        }
        candidate.init(config.build());
        mailet = candidate;
        return candidate;
    }

    @Nested
    class Parameters {
        @Test
        void theShippedParametersShouldBeAccepted() throws Exception {
            DeliverToNextHop deliverToNextHop = initialised("outgoing", "outgoing", "gateway", "127.0.0.1:2525", "heloName", "msa.example.test",
                "delayTime", "3*5 minutes, 3*30 minutes, 16*6 hours", "maxRetries", "22", "maxDnsProblemRetries", "3",
                "deliveryThreads", "10", "sendpartial", "true", "startTLS", "true", "verifyServerIdentity", "false",
                "mail.smtp.ssl.trust", "*", "bounceProcessor", "bounces", "delayedProcessor", "delayed", "relayedProcessor", "relayed");

            assertThat(deliverToNextHop.requiredProcessingState()).containsExactly(
                new ProcessingState("bounces"), new ProcessingState("delayed"), new ProcessingState("relayed"));
        }

        @Test
        void theBounceProcessorShouldBeRequired() {
            assertThatThrownBy(() -> initialised("gateway", "127.0.0.1:2525"))
                .isInstanceOf(MessagingException.class)
                .hasMessage("Mailet org.msa4james.mailet.DeliverToNextHop: parameter 'bounceProcessor' is required");
        }

        @Test
        void anUnknownParameterShouldStopTheMailet() {
            assertThatThrownBy(() -> initialised("bounceProcessor", "bounces", "maxretries", "5"))
                .isInstanceOf(MessagingException.class)
                .hasMessageStartingWith("Mailet org.msa4james.mailet.DeliverToNextHop: parameter 'maxretries' is not a parameter of this mailet; known parameters: outgoing, gateway,")
                .hasMessageEndingWith(", and any starting with 'mail.'");
        }

        @Test
        void valuesRemoteDeliveryWouldReplaceSilentlyShouldStopTheMailet() {
            assertThatThrownBy(() -> initialised("bounceProcessor", "bounces", "maxRetries", "many"))
                .hasMessage("Mailet org.msa4james.mailet.DeliverToNextHop: parameter 'maxRetries' must be a whole number, 0 or more, not 'many'");
            assertThatThrownBy(() -> initialised("bounceProcessor", "bounces", "delayTime", "soon"))
                .hasMessageStartingWith("Mailet org.msa4james.mailet.DeliverToNextHop: parameter 'delayTime' is invalid: 'soon' is not a comma-separated list of [attempts*]delay");
            assertThatThrownBy(() -> initialised("bounceProcessor", "bounces", "gateway", "relay.example.com:smtp"))
                .hasMessage("Mailet org.msa4james.mailet.DeliverToNextHop: parameter 'gateway' must be host or host:port (port 1 to 65535), comma separated, not 'relay.example.com:smtp'");
            assertThatThrownBy(() -> initialised("bounceProcessor", "bounces", "startTLS", "yes"))
                .hasMessage("Mailet org.msa4james.mailet.DeliverToNextHop: parameter 'startTLS' must be true or false, not 'yes'");
            assertThatThrownBy(() -> initialised("bounceProcessor", "bounces", "deliveryThreads", "0"))
                .hasMessage("Mailet org.msa4james.mailet.DeliverToNextHop: parameter 'deliveryThreads' must be a positive integer, not '0'");
        }
    }

    @Nested
    class Envelope {
        @Test
        void theDsnParametersShouldBeThoseJamesKeepsWithTheMail() throws Exception {
            MailAddress carol = new MailAddress("carol@example.com");
            MailAddress dave = new MailAddress("dave@example.com");
            MailAddress frank = new MailAddress("frank+dsn@example.com");
            FakeMail mail = FakeMail.builder().name("m").sender("alice@example.test").recipients(carol, dave, frank).build();
            mail.setDsnParameters(DsnParameters.builder()
                .ret(DsnParameters.Ret.HDRS)
                .envId(DsnParameters.EnvId.of("QQ+2B314159"))
                .addRcptParameter(carol, RecipientDsnParameters.of(EnumSet.of(Notify.DELAY, Notify.SUCCESS), carol))
                .addRcptParameter(frank, RecipientDsnParameters.of(frank))
                .build().orElseThrow());

            SmtpTransaction.Envelope envelope = NextHops.envelope(mail);

            assertThat(envelope.recipients()).extracting(SmtpTransaction.Recipient::address)
                .containsExactly("carol@example.com", "dave@example.com", "frank+dsn@example.com");
            assertThat(envelope.mailCommand(true)).isEqualTo("MAIL FROM:<alice@example.test> RET=HDRS ENVID=QQ+2B314159");
            assertThat(envelope.mailCommand(false)).isEqualTo("MAIL FROM:<alice@example.test>");
            assertThat(envelope.recipients().stream().map(recipient -> recipient.rcptCommand(true))).containsExactly(
                "RCPT TO:<carol@example.com> NOTIFY=SUCCESS,DELAY ORCPT=rfc822;carol@example.com",
                "RCPT TO:<dave@example.com>",
                "RCPT TO:<frank+dsn@example.com> ORCPT=rfc822;frank+2Bdsn@example.com");
            assertThat(envelope.recipients().stream().map(recipient -> recipient.rcptCommand(false))).containsExactly(
                "RCPT TO:<carol@example.com>", "RCPT TO:<dave@example.com>", "RCPT TO:<frank+dsn@example.com>");
        }

        @Test
        void theNullSenderShouldBeEmptyBrackets() throws Exception {
            FakeMail mail = FakeMail.builder().name("m").sender(org.apache.james.core.MaybeSender.nullSender())
                .recipient("carol@example.com").build();

            assertThat(NextHops.envelope(mail).mailCommand(true)).isEqualTo("MAIL FROM:<>");
        }
    }
}
