package org.msa4james.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.msa4james.it.ExpectedReplies.MESSAGE_ACCEPTED;
import static org.msa4james.it.ExpectedReplies.recipientOk;
import static org.msa4james.it.ExpectedReplies.senderOk;
import static org.msa4james.it.Fixtures.ALICE;
import static org.msa4james.it.Fixtures.DAVE_REMOTE;
import static org.msa4james.it.Fixtures.ERIN_REMOTE;
import static org.msa4james.it.Fixtures.PASSWORD;
import static org.msa4james.it.Listener.SUBMISSION;

import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;


import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.subethamail.smtp.RejectException;
import org.subethamail.wiser.Wiser;
import org.subethamail.wiser.WiserMessage;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The next hop is down or refuses for a while: the relay (DeliverToNextHop, James's RemoteDelivery schedule) keeps the
 * mail and retries until it is back, and the mail then arrives once. A permanent refusal (550) produces a delivery
 * status notification in the sender's mailbox, read over IMAP.
 *
 * <p>The relay gateway is a fake remote server of this class's own (not the harness's Wiser), so that it can be
 * stopped, restarted on the same port, and told to answer 4xx; the retry schedule is shortened to one second
 * through msa.relay.delay.time (the shipped one starts at 5 minutes).
 */
class RemoteDeliveryRetryTest {

    private static final String REFUSED_REMOTE = "nobody@example.com";
    private static final String PERMANENT_REFUSAL = "5.1.1 <" + REFUSED_REMOTE + ">: mailbox unavailable";
    private static final String TEMPORARY_REFUSAL = "4.3.2 Try again later";
    private static final Duration DELIVERY_TIMEOUT = Duration.ofSeconds(30);

    private static final int NEXT_HOP_PORT = freePort();
    private static NextHop nextHop;

    @RegisterExtension
    static MsaJamesExtension james = MsaJamesExtension.withProperties(builder -> builder
        .property("msa.relay.gateway", MsaJamesServer.LOOPBACK + ":" + NEXT_HOP_PORT)
        .property("msa.relay.delay.time", "1 second"));

    @BeforeEach
    void startNextHop() {
        nextHop = NextHop.start(NEXT_HOP_PORT);
    }

    @AfterEach
    void stopNextHop() {
        nextHop.stop();
    }

    @AfterAll
    static void stopLastNextHop() {
        if (nextHop != null) {
            nextHop.stop();
        }
    }

    @Test
    void mailShouldBeRetriedWhileTheNextHopAnswers4xxAndArriveOnceItAccepts() throws Exception {
        nextHop.temporarilyRefuse(true);
        String subject = TestMessages.uniqueSubject("retry after 4xx");

        submit(DAVE_REMOTE, subject);

        Awaitility.await("three refused delivery attempts")
            .atMost(DELIVERY_TIMEOUT)
            .pollInterval(Duration.ofMillis(100))
            .until(() -> nextHop.attempts() >= 3);
        assertThat(nextHop.messagesWithSubject(subject)).isEmpty();

        nextHop.temporarilyRefuse(false);

        awaitArrival(subject);
        int attempts = nextHop.attempts();
        Thread.sleep(2_500); // two more retry periods: a mail delivered and still retried would arrive again
        assertThat(nextHop.messagesWithSubject(subject)).hasSize(1);
        assertThat(nextHop.messagesWithSubject(subject).get(0).getEnvelopeReceiver()).isEqualTo(DAVE_REMOTE);
        assertThat(nextHop.attempts()).isEqualTo(attempts);
        System.out.printf("RemoteDeliveryRetryTest: arrived after %d delivery attempts (the last accepted)%n", attempts);
    }

    @Test
    void mailShouldWaitWhileTheNextHopIsDownAndArriveOnceItIsBack() throws Exception {
        nextHop.stop();
        String subject = TestMessages.uniqueSubject("retry after outage");

        submit(ERIN_REMOTE, subject);
        // the mail waits in the outgoing queue for its next attempt (webadmin: GET /mailQueues/outgoing)
        Awaitility.await("the mail waiting in the outgoing queue")
            .atMost(DELIVERY_TIMEOUT)
            .pollInterval(Duration.ofMillis(100))
            .until(() -> outgoingQueueSize() == 1);
        Thread.sleep(3_000); // about three more connection attempts refused by a closed port
        assertThat(outgoingQueueSize()).isEqualTo(1);

        nextHop = NextHop.start(NEXT_HOP_PORT);

        awaitArrival(subject);
        Thread.sleep(2_500);
        assertThat(nextHop.messagesWithSubject(subject)).hasSize(1);
        assertThat(nextHop.messagesWithSubject(subject).get(0).getEnvelopeReceiver()).isEqualTo(ERIN_REMOTE);
    }

    @Test
    void permanentRefusalShouldBounceToTheSenderMailbox() throws Exception {
        String subject = TestMessages.uniqueSubject("refused for good");

        submit(REFUSED_REMOTE, subject);

        try (ImapTestClient imap = james.server().imap(ALICE)) {
            ReceivedReport report = ReceivedReport.parse(imap.awaitRawMessage("Undeliverable: " + subject));

            assertThat(report.header("From")).isEqualTo("Mail Delivery System <postmaster@" + Fixtures.DOMAIN + ">");
            assertThat(report.header("Return-Path")).isEqualTo("<>");
            // the human-readable part, then the machine-readable part (RFC 3464), then the original message
            assertThat(report.text()).contains("<" + REFUSED_REMOTE + ">: the mailbox does not exist.\n"
                + "    The mail server [" + MsaJamesServer.LOOPBACK + "] answered:\n"
                + "    550 " + PERMANENT_REFUSAL + "\n");
            assertThat(report.partType(1)).isEqualTo("message/delivery-status");
            assertThat(report.recipientFields()).hasSize(1);
            assertThat(report.recipientFields().get(0))
                .containsEntry("Final-Recipient", "rfc822; " + REFUSED_REMOTE)
                .containsEntry("Action", "failed")
                .containsEntry("Status", "5.1.1")
                .containsEntry("Diagnostic-Code", "smtp; 550 " + PERMANENT_REFUSAL);
            assertThat(report.partType(2)).isEqualTo("message/rfc822");
            assertThat(report.part(2))
                .contains("Subject: " + subject + "\r\n")
                .contains(TestMessages.body(subject));
        }
        assertThat(nextHop.messagesWithSubject(subject)).isEmpty();
        assertThat(nextHop.attempts()).isEqualTo(1);
    }

    private static long outgoingQueueSize() throws IOException, InterruptedException {
        HttpResponse<String> response = HttpClient.newHttpClient().send(
            HttpRequest.newBuilder(URI.create("http://" + MsaJamesServer.LOOPBACK + ":" + james.server().webAdminPort() + "/mailQueues/outgoing"))
                .timeout(Duration.ofSeconds(30)).GET().build(),
            HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return new ObjectMapper().readTree(response.body()).get("size").asLong();
    }

    private static void submit(String recipient, String subject) throws IOException {
        try (SmtpTestClient smtp = james.server().connect(SUBMISSION).authenticated(ALICE, PASSWORD)) {
            assertThat(smtp.mailFrom(ALICE).line()).isEqualTo(senderOk(ALICE));
            assertThat(smtp.rcptTo(recipient).line()).isEqualTo(recipientOk(recipient));
            assertThat(smtp.data(TestMessages.message(ALICE, recipient, subject)).line()).isEqualTo(MESSAGE_ACCEPTED);
        }
    }

    private static void awaitArrival(String subject) {
        Awaitility.await("'" + subject + "' at the next hop")
            .atMost(DELIVERY_TIMEOUT)
            .pollInterval(Duration.ofMillis(100))
            .until(() -> !nextHop.messagesWithSubject(subject).isEmpty());
    }

    private static int freePort() {
        try {
            return AssembledHomeProcess.freePort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * A Wiser that counts the recipients offered to it (one per delivery attempt here), refuses {@link #REFUSED_REMOTE}
     * for good (550) and, when told, every recipient for now (451).
     */
    private static final class NextHop extends Wiser {
        private final AtomicInteger attempts = new AtomicInteger();
        private final AtomicBoolean temporarilyRefusing = new AtomicBoolean();

        private NextHop(int port) {
            super(port);
        }

        static NextHop start(int port) {
            NextHop nextHop = new NextHop(port);
            nextHop.setHostname("next-hop.example.com");
            try {
                nextHop.getServer().setBindAddress(InetAddress.getByName(MsaJamesServer.LOOPBACK));
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            nextHop.start();
            return nextHop;
        }

        void temporarilyRefuse(boolean refuse) {
            temporarilyRefusing.set(refuse);
        }

        int attempts() {
            return attempts.get();
        }

        @Override
        public boolean accept(String from, String recipient) {
            attempts.incrementAndGet();
            if (temporarilyRefusing.get()) {
                throw new RejectException(451, TEMPORARY_REFUSAL);
            }
            if (recipient.equalsIgnoreCase(REFUSED_REMOTE)) {
                throw new RejectException(550, PERMANENT_REFUSAL);
            }
            return true;
        }

        List<WiserMessage> messagesWithSubject(String subject) {
            synchronized (getMessages()) {
                return getMessages().stream()
                    .filter(message -> new String(message.getData(), StandardCharsets.US_ASCII).contains("Subject: " + subject + "\r\n"))
                    .collect(Collectors.toList());
            }
        }

        @Override
        public void stop() {
            if (getServer().isRunning()) {
                super.stop();
            }
        }
    }
}
