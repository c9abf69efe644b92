package org.msa4james.durable;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.msa4james.it.ExpectedReplies.MESSAGE_ACCEPTED;
import static org.msa4james.it.ExpectedReplies.recipientOk;
import static org.msa4james.it.ExpectedReplies.senderOk;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;

import javax.mail.MessagingException;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.msa4james.it.MsaHome;
import org.msa4james.it.SmtpTestClient;
import org.msa4james.it.TestMessages;
import org.subethamail.wiser.Wiser;
import org.subethamail.wiser.WiserMessage;

import com.google.common.collect.ImmutableList;

/**
 * A 250 is a promise (RFC 5321 section 6.1): the assembled home, persistent as shipped, is killed with SIGKILL (no
 * shutdown hook, nothing flushed) right after the last 250 of {@value #MESSAGES} submissions, and every one of them is
 * delivered after the restart. Duplicates (the mail was delivered and the kill came before James recorded it) are
 * allowed by SMTP's at-least-once delivery and counted; a loss fails the test.
 */
class AcceptedMailSurvivesKillTest {
    private static final int MESSAGES = 200;
    private static final int CONNECTIONS = 4;
    private static final String USER = "alice@example.test";
    private static final String PASSWORD = "durable-" + UUID.randomUUID();
    private static final String REMOTE = "carol@example.com";
    private static final Duration DELIVERY_TIMEOUT = Duration.ofSeconds(180);

    private MsaHome home;
    private final List<Wiser> nextHops = new ArrayList<>();

    @BeforeEach
    void copyHome() throws IOException {
        home = MsaHome.copy();
    }

    @AfterEach
    void cleanUp() throws InterruptedException {
        nextHops.forEach(Wiser::stop);
        home.close();
    }

    @Test
    void mailAcceptedWhileTheNextHopIsDownShouldBeDeliveredAfterAKillAndARestart() throws Exception {
        home.start();
        home.createUser(USER, PASSWORD);
        List<String> subjects = submit("next hop down");

        home.kill();
        Wiser nextHop = nextHop(Duration.ZERO);
        home.start();
        home.deliverDelayedMailNow("outgoing");

        Map<String, Long> arrived = awaitEvery(subjects, () -> receivedSubjects(List.of(nextHop)));
        report("next hop down, kill -9 after the last 250", arrived);
    }

    @Test
    void mailBeingRelayedToASlowNextHopShouldBeDeliveredAfterAKillAndARestart() throws Exception {
        Wiser slowNextHop = nextHop(Duration.ofSeconds(3));
        home.start();
        home.createUser(USER, PASSWORD);
        List<String> subjects = submit("slow next hop");
        await("the relay under way").atMost(DELIVERY_TIMEOUT).pollInterval(Duration.ofMillis(20))
            .until(() -> slowNextHop.getMessages().size() >= 10);

        home.kill();
        int beforeKill = slowNextHop.getMessages().size();
        slowNextHop.stop();
        nextHops.remove(slowNextHop);
        List<WiserMessage> relayedBeforeKill = copy(slowNextHop);
        Wiser nextHop = nextHop(Duration.ZERO);
        home.start();
        home.deliverDelayedMailNow("outgoing");

        Map<String, Long> arrived = awaitEvery(subjects, () -> {
            List<String> all = new ArrayList<>(subjectsOf(relayedBeforeKill));
            all.addAll(receivedSubjects(List.of(nextHop)));
            return all;
        });
        assertThat(beforeKill).as("relayed before the kill").isLessThan(MESSAGES);
        report("slow next hop, kill -9 after " + beforeKill + " relayed", arrived);
    }

    /** {@value #MESSAGES} submissions on {@value #CONNECTIONS} connections to 587; each must get the 250. */
    private List<String> submit(String what) throws Exception {
        String run = what + " " + UUID.randomUUID();
        ExecutorService clients = Executors.newFixedThreadPool(CONNECTIONS);
        try {
            List<Future<List<String>>> sent = new ArrayList<>();
            for (int connection = 0; connection < CONNECTIONS; connection++) {
                int first = connection * (MESSAGES / CONNECTIONS);
                sent.add(clients.submit(() -> submitOnOneConnection(run, first, MESSAGES / CONNECTIONS)));
            }
            List<String> subjects = new ArrayList<>();
            for (Future<List<String>> connection : sent) {
                subjects.addAll(connection.get(5, TimeUnit.MINUTES));
            }
            return subjects;
        } finally {
            clients.shutdownNow();
        }
    }

    private List<String> submitOnOneConnection(String run, int first, int count) throws IOException {
        List<String> subjects = new ArrayList<>();
        try (SmtpTestClient smtp = home.submission(USER, PASSWORD)) {
            for (int i = first; i < first + count; i++) {
                String subject = run + " #" + i;
                assertThat(smtp.mailFrom(USER).line()).isEqualTo(senderOk(USER));
                assertThat(smtp.rcptTo(REMOTE).line()).isEqualTo(recipientOk(REMOTE));
                assertThat(smtp.data(TestMessages.message(USER, REMOTE, subject)).line()).isEqualTo(MESSAGE_ACCEPTED);
                subjects.add(subject);
            }
        }
        return subjects;
    }

    /** A next hop on the home's relay gateway port that takes {@code delay} over each message. */
    private Wiser nextHop(Duration delay) throws IOException {
        Wiser wiser = new Wiser() {
            @Override
            public void deliver(String from, String recipient, InputStream data) throws IOException {
                try {
                    Thread.sleep(delay.toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted", e);
                }
                super.deliver(from, recipient, data);
            }
        };
        wiser.setHostname("relay.example.com");
        wiser.getServer().setBindAddress(InetAddress.getByName(MsaHome.LOOPBACK));
        wiser.setPort(home.nextHopPort());
        wiser.start();
        nextHops.add(wiser);
        return wiser;
    }

    private interface Received {
        List<String> subjects() throws Exception;
    }

    /** Waits until every subject arrived; returns how often each arrived. */
    private Map<String, Long> awaitEvery(List<String> subjects, Received received) {
        assertThat(subjects).hasSize(MESSAGES).doesNotHaveDuplicates();
        try {
            await("all " + MESSAGES + " accepted messages at the next hop").atMost(DELIVERY_TIMEOUT)
                .pollInterval(Duration.ofMillis(500))
                .until(() -> received.subjects().containsAll(subjects));
        } catch (RuntimeException e) {
            throw new AssertionError("accepted mail was lost: " + missing(subjects, received) + "\n" + home.tail(60), e);
        }
        try {
            Map<String, Long> arrived = received.subjects().stream()
                .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
            assertThat(arrived.keySet()).containsExactlyInAnyOrderElementsOf(subjects);
            return arrived;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String missing(List<String> subjects, Received received) {
        try {
            List<String> got = received.subjects();
            List<String> missing = subjects.stream().filter(subject -> !got.contains(subject)).collect(Collectors.toList());
            return missing.size() + " of " + subjects.size() + " missing, e.g. " + missing.subList(0, Math.min(5, missing.size()));
        } catch (Exception e) {
            return e.toString();
        }
    }

    /**
     * Prints the counts, and checks that no mailet failed on the way: a mail James could not process goes to the
     * error repository instead of the next hop (after a restart, a store configured after the spooler started would).
     */
    private void report(String scenario, Map<String, Long> arrived) {
        assertThat(home.log()).as("a mailet failed (the mail went to the error repository)").doesNotContain("Exception calling");
        long duplicates = arrived.values().stream().mapToLong(count -> count - 1).sum();
        System.out.println("AcceptedMailSurvivesKillTest: " + scenario + ": " + arrived.size() + " of " + MESSAGES
            + " delivered, " + duplicates + " duplicate(s), 0 lost");
    }

    private static List<String> receivedSubjects(List<Wiser> wisers) {
        List<WiserMessage> messages = new ArrayList<>();
        for (Wiser wiser : wisers) {
            messages.addAll(copy(wiser));
        }
        return subjectsOf(messages);
    }

    private static List<WiserMessage> copy(Wiser wiser) {
        synchronized (wiser.getMessages()) {
            return ImmutableList.copyOf(wiser.getMessages());
        }
    }

    private static List<String> subjectsOf(List<WiserMessage> messages) {
        return messages.stream()
            .map(message -> {
                try {
                    return message.getMimeMessage().getSubject();
                } catch (MessagingException e) {
                    throw new IllegalStateException(e);
                }
            })
            .collect(Collectors.toList());
    }
}
