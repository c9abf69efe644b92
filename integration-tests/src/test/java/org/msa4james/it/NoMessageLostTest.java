package org.msa4james.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.msa4james.it.ExpectedReplies.MESSAGE_ACCEPTED;
import static org.msa4james.it.ExpectedReplies.RESET_OK;
import static org.msa4james.it.ExpectedReplies.recipientOk;
import static org.msa4james.it.ExpectedReplies.senderOk;
import static org.msa4james.it.Fixtures.ALICE;
import static org.msa4james.it.Fixtures.CAROL_REMOTE;
import static org.msa4james.it.Fixtures.PASSWORD;
import static org.msa4james.it.Listener.SUBMISSION;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.subethamail.wiser.WiserMessage;

/**
 * Nothing lost under load: many authenticated submissions over concurrent connections, each relayed through the
 * gateway to the fake remote server (Wiser). Every message James answered 250 must arrive there exactly once:
 * the count and the set of Message-IDs are compared, no duplicate and none missing. Bounded in count and time;
 * the time taken is printed, never asserted.
 */
class NoMessageLostTest {

    private static final int MESSAGES = 10_000;
    private static final int CONNECTIONS = 8;
    /** Bound of the whole run: sending and relaying. */
    private static final Duration RUN_LIMIT = Duration.ofMinutes(8);
    private static final Pattern MESSAGE_ID = Pattern.compile("(?im)^Message-ID:\\s*(<[^>\\r\\n]+>)");

    /** alice sends every message: lift the shipped per-user sending limits (500 messages an hour) for her alone. */
    @RegisterExtension
    static MsaJamesExtension james = MsaJamesExtension.withProperties(builder -> builder
        .property("msa.sending.overrides", ALICE + "=" + 2 * MESSAGES + "/" + 2 * MESSAGES));

    @Test
    void everyAcceptedSubmissionShouldArriveExactlyOnceAtTheNextHop() throws Exception {
        String run = UUID.randomUUID().toString();
        Instant start = Instant.now();
        Instant deadline = start.plus(RUN_LIMIT);
        AtomicInteger sent = new AtomicInteger();
        Set<String> accepted = ConcurrentHashMap.newKeySet();
        List<String> refusals = new ArrayList<>();

        ExecutorService clients = Executors.newFixedThreadPool(CONNECTIONS);
        try {
            List<Future<List<String>>> results = new ArrayList<>();
            for (int connection = 0; connection < CONNECTIONS; connection++) {
                int first = connection * (MESSAGES / CONNECTIONS);
                int count = connection == CONNECTIONS - 1 ? MESSAGES - first : MESSAGES / CONNECTIONS;
                results.add(clients.submit(() -> submitSeries(run, first, count, deadline, sent, accepted)));
            }
            for (Future<List<String>> result : results) {
                refusals.addAll(result.get(RUN_LIMIT.toMillis(), TimeUnit.MILLISECONDS));
            }
        } finally {
            clients.shutdownNow();
            clients.awaitTermination(30, TimeUnit.SECONDS);
        }
        Duration submitting = Duration.between(start, Instant.now());

        Duration left = Duration.between(Instant.now(), deadline);
        Awaitility.await("every accepted message at the next hop")
            .atMost(left.isNegative() ? Duration.ofSeconds(1) : left)
            .pollInterval(Duration.ofMillis(500))
            .until(() -> james.server().relayedMessages().size() >= accepted.size());
        Duration arrival = Duration.between(start, Instant.now());
        // anything relayed twice would arrive shortly after the last one: give it a moment and then count
        Thread.sleep(2_000);

        List<WiserMessage> relayed = james.server().relayedMessages();
        Map<String, Integer> receivedIds = new HashMap<>();
        int withoutId = 0;
        for (WiserMessage message : relayed) {
            Matcher id = MESSAGE_ID.matcher(headerOf(message));
            if (id.find()) {
                receivedIds.merge(id.group(1), 1, Integer::sum);
            } else {
                withoutId++;
            }
        }
        Set<String> duplicates = receivedIds.entrySet().stream()
            .filter(entry -> entry.getValue() > 1).map(Map.Entry::getKey).collect(Collectors.toSet());
        Set<String> missing = new HashSet<>(accepted);
        missing.removeAll(receivedIds.keySet());
        Set<String> unexpected = new HashSet<>(receivedIds.keySet());
        unexpected.removeAll(accepted);

        System.out.printf("NoMessageLostTest: sent %d, accepted %d, received %d, duplicates %d, missing %d"
                + " (%d connections; submitting took %d ms, until the last arrival %d ms, %.0f messages/s)%n",
            sent.get(), accepted.size(), relayed.size(), duplicates.size(), missing.size(), CONNECTIONS,
            submitting.toMillis(), arrival.toMillis(), accepted.size() * 1000.0 / Math.max(1, arrival.toMillis()));

        assertThat(refusals).as("replies other than the expected ones").isEmpty();
        assertThat(sent.get()).isEqualTo(MESSAGES);
        assertThat(accepted).hasSize(MESSAGES);
        assertThat(withoutId).as("relayed messages without a Message-ID").isZero();
        assertThat(duplicates).as("Message-IDs received more than once").isEmpty();
        assertThat(missing).as("accepted but never received").isEmpty();
        assertThat(unexpected).as("received but never accepted").isEmpty();
        assertThat(relayed).hasSize(accepted.size());
    }

    /** One connection: STARTTLS and AUTH once, then MAIL, RCPT, DATA, RSET per message. Returns unexpected replies. */
    private static List<String> submitSeries(String run, int first, int count, Instant deadline,
                                             AtomicInteger sent, Set<String> accepted) throws Exception {
        List<String> unexpected = new ArrayList<>();
        try (SmtpTestClient smtp = james.server().connect(SUBMISSION).authenticated(ALICE, PASSWORD)) {
            for (int i = first; i < first + count && Instant.now().isBefore(deadline); i++) {
                String messageId = "<nolost-" + i + "." + run + "@example.test>";
                expect(unexpected, smtp.mailFrom(ALICE).line(), senderOk(ALICE));
                expect(unexpected, smtp.rcptTo(CAROL_REMOTE).line(), recipientOk(CAROL_REMOTE));
                sent.incrementAndGet();
                String reply = smtp.data(message(i, messageId)).line();
                if (reply.equals(MESSAGE_ACCEPTED)) {
                    accepted.add(messageId);
                } else {
                    unexpected.add(messageId + ": " + reply);
                }
                expect(unexpected, smtp.command("RSET").line(), RESET_OK);
                if (unexpected.size() > 10) {
                    break;
                }
            }
        }
        return unexpected;
    }

    private static void expect(List<String> unexpected, String reply, String expected) {
        if (!reply.equals(expected)) {
            unexpected.add("expected '" + expected + "', got '" + reply + "'");
        }
    }

    private static String message(int number, String messageId) {
        return "From: " + ALICE + "\r\n"
            + "To: " + CAROL_REMOTE + "\r\n"
            + "Subject: no loss " + number + "\r\n"
            + "Date: Sat, 28 Nov 2026 10:00:00 +0000\r\n"
            + "Message-ID: " + messageId + "\r\n"
            + "MIME-Version: 1.0\r\n"
            + "Content-Type: text/plain; charset=us-ascii\r\n"
            + "\r\n"
            + "message " + number + "\r\n";
    }

    private static String headerOf(WiserMessage message) {
        String data = new String(message.getData(), StandardCharsets.US_ASCII);
        int end = data.indexOf("\r\n\r\n");
        return end < 0 ? data : data.substring(0, end);
    }
}
