package org.msa4james.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.msa4james.it.ExpectedReplies.MESSAGE_ACCEPTED;
import static org.msa4james.it.ExpectedReplies.recipientOk;
import static org.msa4james.it.ExpectedReplies.senderOk;
import static org.msa4james.it.Fixtures.ALICE;
import static org.msa4james.it.Fixtures.BOB;
import static org.msa4james.it.Fixtures.CAROL_REMOTE;
import static org.msa4james.it.Fixtures.DAVE_REMOTE;
import static org.msa4james.it.Fixtures.ERIN_REMOTE;
import static org.msa4james.it.Fixtures.MALLORY_REMOTE;
import static org.msa4james.it.Fixtures.PASSWORD;

import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Delivery status notifications (RFC 3461, RFC 3464) end to end, against a real James with the shipped configuration:
 * submissions with DSN parameters on 587 and 465 (and mail from other servers on 25), a real next hop behind the relay
 * gateway ({@link ScriptedNextHop}: with or without DSN, refusing chosen recipients for good or for a while), and each
 * report read back from the sender's mailbox over IMAP and parsed with JavaMail's MIME parser, field by field.
 *
 * <p>The relay retries every 300 ms here (msa.relay.delay.time), 22 times as shipped. Clients connect from 127.0.0.2,
 * so that a report can be checked not to name the client's address.</p>
 */
class DeliveryStatusNotificationTest {
    /** Long enough for the shipped retry schedule cut short (23 attempts, 300 ms apart) on either storage. */
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    /** Long enough for a report that would follow an event to have been made: it takes well under a second. */
    private static final Duration QUIET = Duration.ofSeconds(3);
    private static final String CLIENT_ADDRESS = "127.0.0.2";
    private static final String REPORTING_MTA = "dns; " + MsaJamesServer.HOSTNAME;
    private static final String NEXT_HOP_MTA = "dns; [" + MsaJamesServer.LOOPBACK + "]";
    private static final String NO_SUCH_USER = "550 5.1.1 <carol@example.com>: no such user";
    private static final String TRY_LATER = "451 4.3.0 Mailbox busy, try again later";

    private static final ScriptedNextHop NEXT_HOP = ScriptedNextHop.start(0);

    @RegisterExtension
    static MsaJamesExtension james = MsaJamesExtension.withProperties(builder -> builder
        .property("msa.relay.gateway", MsaJamesServer.LOOPBACK + ":" + NEXT_HOP.port())
        .property("msa.relay.delay.time", "300 ms"));

    @AfterAll
    static void stopNextHop() {
        NEXT_HOP.close();
    }

    @BeforeEach
    void resetNextHop() {
        NEXT_HOP.reset();
    }

    @Nested
    class Failed {
        @Test
        void aPermanentRefusalByTheNextHopShouldBeReportedWithEveryFieldAndTheMessage() throws Exception {
            NEXT_HOP.refusing(CAROL_REMOTE, NO_SUCH_USER);
            String subject = TestMessages.uniqueSubject("refused for good");

            Instant before = now();
            submit(Listener.SUBMISSION, "", recipients(CAROL_REMOTE, "", DAVE_REMOTE, ""), subject);
            NEXT_HOP.awaitDelivery(subject, TIMEOUT);

            ReceivedReport report = awaitReport("Undeliverable: " + subject);
            assertWellFormed(report, before);
            assertThat(report.perMessageFields().keySet()).containsExactly("Reporting-MTA", "Arrival-Date");
            assertThat(report.perMessageFields().get("Reporting-MTA")).isEqualTo(REPORTING_MTA);
            assertThat(report.recipientFields()).hasSize(1);
            Map<String, String> carol = report.recipientFields().get(0);
            assertThat(carol.keySet())
                .containsExactly("Final-Recipient", "Action", "Status", "Remote-MTA", "Diagnostic-Code", "Last-Attempt-Date");
            assertThat(carol).containsEntry("Final-Recipient", "rfc822; " + CAROL_REMOTE)
                .containsEntry("Action", "failed")
                .containsEntry("Status", "5.1.1")
                .containsEntry("Remote-MTA", NEXT_HOP_MTA)
                .containsEntry("Diagnostic-Code", "smtp; " + NO_SUCH_USER);
            assertBetween(ReceivedReport.dateTime(carol.get("Last-Attempt-Date")), before, now());
            assertThat(report.partType(2)).isEqualTo("message/rfc822");
            assertThat(report.part(2)).contains("Subject: " + subject + "\r\n").contains(TestMessages.body(subject));
            assertThat(report.text())
                .startsWith("This is the mail system at msa.example.test.\n\nYour message could not be delivered to this"
                    + " recipient. The mail system has\ngiven up and will not try again.\n\n")
                .contains("<carol@example.com>: the mailbox does not exist.\n"
                    + "    The mail server [127.0.0.1] answered:\n"
                    + "    " + NO_SUCH_USER + "\n");
            assertThat(NEXT_HOP.awaitDelivery(subject, TIMEOUT).recipients()).containsExactly(DAVE_REMOTE);
        }

        @Test
        void recipientsWithTheSameOutcomeShouldShareOneReport() throws Exception {
            NEXT_HOP.refusing(CAROL_REMOTE, NO_SUCH_USER).refusing(ERIN_REMOTE, "550 5.2.1 <erin@example.com>: mailbox disabled");
            String subject = TestMessages.uniqueSubject("two refused");

            submit(Listener.SUBMISSIONS, "", recipients(CAROL_REMOTE, "", ERIN_REMOTE, ""), subject);

            ReceivedReport report = awaitReport("Undeliverable: " + subject);
            assertThat(report.recipientFields())
                .extracting(fields -> fields.get("Final-Recipient") + " " + fields.get("Status") + " " + fields.get("Diagnostic-Code"))
                .containsExactly(
                    "rfc822; carol@example.com 5.1.1 smtp; " + NO_SUCH_USER,
                    "rfc822; erin@example.com 5.2.1 smtp; 550 5.2.1 <erin@example.com>: mailbox disabled");
            Thread.sleep(QUIET.toMillis());
            assertThat(subjectsOf(ALICE)).filteredOn(text -> text.contains(subject)).containsExactly("Undeliverable: " + subject);
        }

        @Test
        void retriesExhaustedShouldBeReportedWithTheLastReply() throws Exception {
            NEXT_HOP.refusingForNow(1_000, TRY_LATER);
            String subject = TestMessages.uniqueSubject("never accepted");

            Instant before = now();
            submit(Listener.SUBMISSION, "", recipients(CAROL_REMOTE, ""), subject);

            ReceivedReport report = awaitReport("Undeliverable: " + subject);
            assertWellFormed(report, before);
            Map<String, String> carol = report.recipientFields().get(0);
            assertThat(carol).containsEntry("Action", "failed")
                .containsEntry("Status", "4.3.0")
                .containsEntry("Remote-MTA", NEXT_HOP_MTA)
                .containsEntry("Diagnostic-Code", "smtp; " + TRY_LATER);
            assertThat(NEXT_HOP.transactions()).as("the first attempt and the 22 retries of the shipped schedule").isEqualTo(23);
            assertThat(subjectsOf(ALICE)).doesNotContain("Delivery delayed: " + subject);
        }

        @Test
        void aLocalDeliveryFailureShouldBeReportedWithoutNextHop() throws Exception {
            assertThat(webAdmin("PUT", "/quota/users/" + BOB + "/count", "0").statusCode()).isEqualTo(204);
            try {
                String subject = TestMessages.uniqueSubject("bob over quota");

                Instant before = now();
                submit(Listener.SUBMISSION, "", recipients(BOB, "NOTIFY=FAILURE"), subject);

                ReceivedReport report = awaitReport("Undeliverable: " + subject);
                assertWellFormed(report, before);
                Map<String, String> bob = report.recipientFields().get(0);
                assertThat(bob.keySet()).containsExactly("Final-Recipient", "Action", "Status", "Last-Attempt-Date");
                assertThat(bob).containsEntry("Final-Recipient", "rfc822; " + BOB)
                    .containsEntry("Action", "failed")
                    .containsEntry("Status", "5.2.2");
                assertThat(report.text()).contains("<bob@example.test>: the mailbox is full.\n");
            } finally {
                webAdmin("DELETE", "/quota/users/" + BOB + "/count", null);
            }
        }

        @Test
        void notifyNeverShouldGiveNoReport() throws Exception {
            NEXT_HOP.refusing(CAROL_REMOTE, NO_SUCH_USER);
            String subject = TestMessages.uniqueSubject("never tell me");

            submit(Listener.SUBMISSION, "", recipients(CAROL_REMOTE, "NOTIFY=NEVER"), subject);

            Awaitility.await("the refusal at the next hop").atMost(TIMEOUT)
                .until(() -> NEXT_HOP.commands().contains("RCPT TO:<carol@example.com> NOTIFY=NEVER"));
            Thread.sleep(QUIET.toMillis());
            assertThat(subjectsOf(ALICE)).noneMatch(text -> text.contains(subject));
        }

        @Test
        void retHdrsShouldReturnTheHeaderWithoutTheBodyAndEnvidAndOrcptShouldBeReported() throws Exception {
            NEXT_HOP.refusing(CAROL_REMOTE, NO_SUCH_USER);
            String subject = TestMessages.uniqueSubject("headers only");

            submit(Listener.SUBMISSION, "RET=HDRS ENVID=QQ+2B314159", recipients(CAROL_REMOTE, "ORCPT=rfc822;carol@example.com"), subject);

            ReceivedReport report = awaitReport("Undeliverable: " + subject);
            assertThat(report.perMessageFields().keySet()).containsExactly("Original-Envelope-Id", "Reporting-MTA", "Arrival-Date");
            assertThat(report.perMessageFields()).containsEntry("Original-Envelope-Id", "QQ+314159");
            assertThat(report.recipientFields().get(0)).containsEntry("Original-Recipient", "rfc822; " + CAROL_REMOTE);
            assertThat(report.recipientFields().get(0).keySet()).first().isEqualTo("Original-Recipient");
            assertThat(report.partCount()).isEqualTo(3);
            assertThat(report.partType(2)).isEqualTo("text/rfc822-headers");
            assertThat(report.part(2)).contains("Subject: " + subject + "\r\n").endsWith("\r\n\r\n")
                .doesNotContain("this is the body of");
            assertThat(report.text().replace('\n', ' ')).contains("the header of your message are attached");
        }
    }

    @Nested
    class Delayed {
        @Test
        void theFirstTemporaryFailureShouldBeReportedOnceWhenDelayIsAskedFor() throws Exception {
            NEXT_HOP.refusingForNow(2, TRY_LATER);
            String subject = TestMessages.uniqueSubject("late");

            Instant before = now();
            submit(Listener.SUBMISSIONS, "", recipients(CAROL_REMOTE, "NOTIFY=FAILURE,DELAY ORCPT=rfc822;carol@example.com"), subject);

            ReceivedReport report = awaitReport("Delivery delayed: " + subject);
            assertWellFormed(report, before);
            Map<String, String> carol = report.recipientFields().get(0);
            assertThat(carol.keySet()).containsExactly("Original-Recipient", "Final-Recipient", "Action", "Status", "Remote-MTA",
                "Diagnostic-Code", "Last-Attempt-Date", "Will-Retry-Until");
            assertThat(carol).containsEntry("Action", "delayed")
                .containsEntry("Status", "4.3.0")
                .containsEntry("Remote-MTA", NEXT_HOP_MTA)
                .containsEntry("Diagnostic-Code", "smtp; " + TRY_LATER);
            Instant lastAttempt = ReceivedReport.dateTime(carol.get("Last-Attempt-Date"));
            assertThat(ReceivedReport.dateTime(carol.get("Will-Retry-Until")))
                .as("22 retries 300 ms apart after the last attempt, to the second")
                .isBetween(lastAttempt.plusMillis(6_600).truncatedTo(ChronoUnit.SECONDS), lastAttempt.plusMillis(6_600 + 1_000));
            assertThat(report.partType(2)).isEqualTo("text/rfc822-headers");

            NEXT_HOP.awaitDelivery(subject, TIMEOUT);
            Thread.sleep(QUIET.toMillis());
            assertThat(NEXT_HOP.transactions()).isEqualTo(3);
            assertThat(subjectsOf(ALICE)).filteredOn(text -> text.contains(subject)).containsExactly("Delivery delayed: " + subject);
        }

        @Test
        void withoutDelayAskedForATemporaryFailureShouldGiveNoReport() throws Exception {
            NEXT_HOP.refusingForNow(1, TRY_LATER);
            String subject = TestMessages.uniqueSubject("late, quietly");

            submit(Listener.SUBMISSION, "", recipients(CAROL_REMOTE, ""), subject);

            NEXT_HOP.awaitDelivery(subject, TIMEOUT);
            Thread.sleep(QUIET.toMillis());
            assertThat(subjectsOf(ALICE)).noneMatch(text -> text.contains(subject));
        }
    }

    @Nested
    class Success {
        @Test
        void localDeliveryShouldBeReportedDeliveredWithTheHeaderOnly() throws Exception {
            String subject = TestMessages.uniqueSubject("delivered here");

            Instant before = now();
            submit(Listener.SUBMISSION, "RET=FULL ENVID=QQ314159", recipients(BOB, "NOTIFY=SUCCESS ORCPT=rfc822;bob@example.test"), subject);

            ReceivedReport report = awaitReport("Delivered: " + subject);
            assertWellFormed(report, before);
            assertThat(report.perMessageFields()).containsEntry("Original-Envelope-Id", "QQ314159");
            Map<String, String> bob = report.recipientFields().get(0);
            assertThat(bob.keySet()).containsExactly("Original-Recipient", "Final-Recipient", "Action", "Status", "Last-Attempt-Date");
            assertThat(bob).containsEntry("Original-Recipient", "rfc822; " + BOB)
                .containsEntry("Final-Recipient", "rfc822; " + BOB)
                .containsEntry("Action", "delivered")
                .containsEntry("Status", "2.0.0");
            assertThat(report.partType(2)).as("RFC 3461 4.3: a report without failure returns the header only")
                .isEqualTo("text/rfc822-headers");
            assertThat(report.text()).contains("Your message was delivered to the mailbox of this recipient.\n\n"
                + "<bob@example.test>: delivered.\n");
            awaitRawMessage(BOB, subject);
        }

        @Test
        void aNextHopWithoutDsnShouldGiveARelayedReportAfterIts250() throws Exception {
            NEXT_HOP.offeringDsn(false);
            String subject = TestMessages.uniqueSubject("relayed");

            Instant before = now();
            submit(Listener.SUBMISSION, "RET=FULL", recipients(CAROL_REMOTE, "NOTIFY=SUCCESS,FAILURE ORCPT=rfc822;carol@example.com"), subject);

            ScriptedNextHop.Delivery delivery = NEXT_HOP.awaitDelivery(subject, TIMEOUT);
            assertThat(delivery.mailCommand()).isEqualTo("MAIL FROM:<alice@example.test>");
            assertThat(delivery.rcptCommands()).containsExactly("RCPT TO:<carol@example.com>");
            ReceivedReport report = awaitReport("Relayed: " + subject);
            assertWellFormed(report, before);
            Map<String, String> carol = report.recipientFields().get(0);
            assertThat(carol.keySet()).containsExactly("Original-Recipient", "Final-Recipient", "Action", "Status", "Remote-MTA",
                "Diagnostic-Code", "Last-Attempt-Date");
            assertThat(carol).containsEntry("Action", "relayed")
                .containsEntry("Status", "2.0.0")
                .containsEntry("Remote-MTA", NEXT_HOP_MTA)
                .containsEntry("Diagnostic-Code", "smtp; 250 2.0.0 Ok: queued as 1");
            assertThat(report.partType(2)).isEqualTo("text/rfc822-headers");
        }

        @Test
        void aNextHopWithDsnShouldGetTheParametersUnchangedAndNoRelayedReportBeSent() throws Exception {
            String subject = TestMessages.uniqueSubject("passed on");
            Map<String, String> recipients = new LinkedHashMap<>();
            recipients.put(CAROL_REMOTE, "NOTIFY=SUCCESS,DELAY ORCPT=rfc822;carol@example.com");
            recipients.put(DAVE_REMOTE, "NOTIFY=NEVER");
            recipients.put("frank+dsn@example.com", "NOTIFY=SUCCESS ORCPT=rfc822;frank+2Bdsn@example.com");
            recipients.put(ERIN_REMOTE, "");

            submit(Listener.SUBMISSIONS, "RET=HDRS ENVID=QQ+2B314159", recipients, subject);

            ScriptedNextHop.Delivery delivery = NEXT_HOP.awaitDelivery(subject, TIMEOUT);
            assertThat(delivery.mailCommand()).isEqualTo("MAIL FROM:<alice@example.test> RET=HDRS ENVID=QQ+2B314159");
            assertThat(delivery.rcptCommands()).containsExactly(
                "RCPT TO:<carol@example.com> NOTIFY=SUCCESS,DELAY ORCPT=rfc822;carol@example.com",
                "RCPT TO:<dave@example.com> NOTIFY=NEVER",
                "RCPT TO:<frank+dsn@example.com> NOTIFY=SUCCESS ORCPT=rfc822;frank+2Bdsn@example.com",
                "RCPT TO:<erin@example.com>");
            Thread.sleep(QUIET.toMillis());
            assertThat(subjectsOf(ALICE)).noneMatch(text -> text.contains(subject));
        }
    }

    @Nested
    class Session {
        /**
         * RFC 6409 section 7: DSN in the EHLO reply of every listener, added to what it offered before (the EHLO of
         * James 3.8.1 with the shipped handlers lists its own keywords, then those of its hooks in chain order). On 587
         * before STARTTLS too: a client reads the reply to its EHLO after STARTTLS (RFC 3207 section 4.2).
         */
        @Test
        void everyListenerShouldOfferDsnBesideWhatItOfferedBefore() throws Exception {
            try (SmtpTestClient mx = connect(Listener.MX)) {
                assertThat(mx.ehlo().ehloKeywords())
                    .containsExactly("PIPELINING", "ENHANCEDSTATUSCODES", "8BITMIME", "DSN", "SIZE", "STARTTLS");
            }
            try (SmtpTestClient submission = connect(Listener.SUBMISSION)) {
                assertThat(submission.ehlo().ehloKeywords())
                    .containsExactly("PIPELINING", "ENHANCEDSTATUSCODES", "8BITMIME", "DSN", "SIZE", "STARTTLS");
                assertThat(submission.ehloUnderTls().ehloKeywords())
                    .containsExactly("AUTH", "AUTH=LOGIN", "PIPELINING", "ENHANCEDSTATUSCODES", "8BITMIME", "DSN", "SIZE");
            }
            try (SmtpTestClient submissions = connect(Listener.SUBMISSIONS)) {
                assertThat(submissions.ehlo().ehloKeywords())
                    .containsExactly("AUTH", "AUTH=LOGIN", "PIPELINING", "ENHANCEDSTATUSCODES", "8BITMIME", "DSN", "SIZE");
            }
        }

        @ParameterizedTest
        @EnumSource(value = Listener.class, names = {"SUBMISSION", "SUBMISSIONS"})
        void malformedOrRepeatedParametersShouldGet501NamingThemAndTheSessionGoOn(Listener listener) throws Exception {
            String subject = TestMessages.uniqueSubject("after bad parameters");
            try (SmtpTestClient smtp = connect(listener).authenticated(ALICE, PASSWORD)) {
                assertThat(smtp.command("MAIL FROM:<" + ALICE + "> RET=MAYBE").line()).isEqualTo(ExpectedReplies.INVALID_RET);
                assertThat(smtp.command("MAIL FROM:<" + ALICE + "> ENVID=" + "x".repeat(101)).line())
                    .isEqualTo(ExpectedReplies.ENVID_TOO_LONG);
                assertThat(smtp.command("MAIL FROM:<" + ALICE + "> ENVID=a+b").line()).isEqualTo(ExpectedReplies.INVALID_ENVID);
                assertThat(smtp.command("MAIL FROM:<" + ALICE + "> RET=FULL ENVID=x RET=HDRS").line())
                    .isEqualTo(ExpectedReplies.repeatedDsnParameter("RET"));
                assertThat(smtp.command("MAIL FROM:<" + ALICE + "> RET=HDRS").line()).isEqualTo(senderOk(ALICE));
                assertThat(smtp.command("RCPT TO:<" + CAROL_REMOTE + "> NOTIFY=SOMETIMES").line()).isEqualTo(ExpectedReplies.INVALID_NOTIFY);
                assertThat(smtp.command("RCPT TO:<" + CAROL_REMOTE + "> NOTIFY=NEVER,SUCCESS").line())
                    .isEqualTo(ExpectedReplies.NOTIFY_NEVER_COMBINED);
                assertThat(smtp.command("RCPT TO:<" + CAROL_REMOTE + "> ORCPT=carol@example.com").line())
                    .isEqualTo(ExpectedReplies.ORCPT_WITHOUT_TYPE);
                assertThat(smtp.command("RCPT TO:<" + CAROL_REMOTE + "> ORCPT=x400;c=us").line())
                    .isEqualTo(ExpectedReplies.ORCPT_UNSUPPORTED_TYPE);
                assertThat(smtp.command("RCPT TO:<" + CAROL_REMOTE + "> ORCPT=rfc822;carol+example.com").line())
                    .isEqualTo(ExpectedReplies.ORCPT_NOT_XTEXT);
                assertThat(smtp.command("RCPT TO:<" + CAROL_REMOTE + "> ORCPT=rfc822;carol").line())
                    .isEqualTo(ExpectedReplies.ORCPT_NOT_AN_ADDRESS);
                assertThat(smtp.command("RCPT TO:<" + CAROL_REMOTE + "> NOTIFY=SUCCESS NOTIFY=FAILURE").line())
                    .isEqualTo(ExpectedReplies.repeatedDsnParameter("NOTIFY"));
                assertThat(smtp.command("RCPT TO:<" + DAVE_REMOTE + "> NOTIFY=FAILURE ORCPT=rfc822;dave@example.com").line())
                    .isEqualTo(recipientOk(DAVE_REMOTE));
                assertThat(smtp.data(TestMessages.message(ALICE, DAVE_REMOTE, subject)).line()).isEqualTo(MESSAGE_ACCEPTED);
            }

            ScriptedNextHop.Delivery delivery = NEXT_HOP.awaitDelivery(subject, TIMEOUT);
            assertThat(delivery.mailCommand()).isEqualTo("MAIL FROM:<alice@example.test> RET=HDRS");
            assertThat(delivery.rcptCommands()).containsExactly("RCPT TO:<dave@example.com> NOTIFY=FAILURE ORCPT=rfc822;dave@example.com");
        }

        @Test
        void portTwentyFiveShouldCheckTheParametersToo() throws Exception {
            try (SmtpTestClient smtp = connect(Listener.MX)) {
                smtp.ehlo();
                assertThat(smtp.command("MAIL FROM:<" + MALLORY_REMOTE + "> RET=ALL").line()).isEqualTo(ExpectedReplies.INVALID_RET);
                assertThat(smtp.command("MAIL FROM:<" + MALLORY_REMOTE + ">").line()).isEqualTo(senderOk(MALLORY_REMOTE));
                assertThat(smtp.command("RCPT TO:<" + BOB + "> ORCPT=rfc822;").line()).isEqualTo(ExpectedReplies.ORCPT_NOT_XTEXT);
                assertThat(smtp.command("RCPT TO:<" + BOB + "> NOTIFY=DELAY").line()).isEqualTo(recipientOk(BOB));
            }
        }
    }

    /**
     * Thunderbird's "Delivery Status Notification" option, replayed command for command. Thunderbird 102 and later
     * (mailnews/compose/src/SmtpClient.sys.mjs) send, when the server announces DSN, {@code RET=FULL ENVID=<the
     * Message-ID>} after BODY and SIZE on MAIL and {@code NOTIFY=SUCCESS,FAILURE} on every RCPT (the default
     * preferences), without ORCPT; Thunderbird up to 91 (nsSmtpProtocol.cpp) sent RET and ENVID before BODY and SIZE,
     * and {@code ORCPT=rfc822;<the address in xtext>} after NOTIFY. EHLO names the client's address literal.
     */
    @Nested
    class Thunderbird {
        @ParameterizedTest
        @EnumSource(value = Listener.class, names = {"SUBMISSION", "SUBMISSIONS"})
        void aLocalRecipientShouldGetADeliveredReportAndARemoteOneARelayedReportBehindANextHopWithoutDsn(Listener listener) throws Exception {
            NEXT_HOP.offeringDsn(false);
            String subject = TestMessages.uniqueSubject("Thunderbird receipt");
            String messageId = "<" + java.util.UUID.randomUUID() + "@example.test>";
            String message = thunderbirdMessage(messageId, subject);

            Instant before = now();
            thunderbirdSession(listener,
                "MAIL FROM:<alice@example.test> BODY=8BITMIME SIZE=" + size(message) + " RET=FULL ENVID=" + messageId,
                List.of("RCPT TO:<bob@example.test> NOTIFY=SUCCESS,FAILURE", "RCPT TO:<carol@example.com> NOTIFY=SUCCESS,FAILURE"),
                message);

            ReceivedReport delivered = awaitReport("Delivered: " + subject);
            assertWellFormed(delivered, before);
            assertThat(delivered.perMessageFields()).containsEntry("Original-Envelope-Id", messageId);
            assertThat(delivered.recipientFields()).extracting(fields -> fields.get("Final-Recipient") + " " + fields.get("Action")
                + " " + fields.get("Status")).containsExactly("rfc822; bob@example.test delivered 2.0.0");
            ReceivedReport relayed = awaitReport("Relayed: " + subject);
            assertWellFormed(relayed, before);
            assertThat(relayed.perMessageFields()).containsEntry("Original-Envelope-Id", messageId);
            assertThat(relayed.recipientFields()).extracting(fields -> fields.get("Final-Recipient") + " " + fields.get("Action")
                + " " + fields.get("Status") + " " + fields.get("Remote-MTA"))
                .containsExactly("rfc822; carol@example.com relayed 2.0.0 " + NEXT_HOP_MTA);
            ScriptedNextHop.Delivery delivery = NEXT_HOP.awaitDelivery(subject, TIMEOUT);
            assertThat(delivery.mailCommand()).isEqualTo("MAIL FROM:<alice@example.test>");
            assertThat(delivery.rcptCommands()).containsExactly("RCPT TO:<carol@example.com>");
            awaitRawMessage(BOB, subject);
        }

        @ParameterizedTest
        @EnumSource(value = Listener.class, names = {"SUBMISSION", "SUBMISSIONS"})
        void theRequestOfAnOlderThunderbirdShouldBePassedOnToANextHopWithDsn(Listener listener) throws Exception {
            String subject = TestMessages.uniqueSubject("Thunderbird 91 receipt");
            String messageId = "<" + java.util.UUID.randomUUID() + "@example.test>";
            String message = thunderbirdMessage(messageId, subject);

            Instant before = now();
            thunderbirdSession(listener,
                "MAIL FROM:<alice@example.test> RET=FULL ENVID=" + messageId + " BODY=8BITMIME SIZE=" + size(message),
                List.of("RCPT TO:<bob@example.test> NOTIFY=SUCCESS,FAILURE ORCPT=rfc822;bob@example.test",
                    "RCPT TO:<carol@example.com> NOTIFY=SUCCESS,FAILURE ORCPT=rfc822;carol@example.com"),
                message);

            ReceivedReport delivered = awaitReport("Delivered: " + subject);
            assertWellFormed(delivered, before);
            assertThat(delivered.recipientFields()).hasSize(1);
            assertThat(delivered.recipientFields().get(0))
                .containsEntry("Original-Recipient", "rfc822; bob@example.test")
                .containsEntry("Final-Recipient", "rfc822; bob@example.test")
                .containsEntry("Action", "delivered");
            ScriptedNextHop.Delivery delivery = NEXT_HOP.awaitDelivery(subject, TIMEOUT);
            assertThat(delivery.mailCommand()).isEqualTo("MAIL FROM:<alice@example.test> RET=FULL ENVID=" + messageId);
            assertThat(delivery.rcptCommands())
                .containsExactly("RCPT TO:<carol@example.com> NOTIFY=SUCCESS,FAILURE ORCPT=rfc822;carol@example.com");
            Thread.sleep(QUIET.toMillis());
            assertThat(subjectsOf(ALICE)).filteredOn(text -> text.contains(subject)).containsExactly("Delivered: " + subject);
        }

        private void thunderbirdSession(Listener listener, String mail, List<String> rcpts, String message) throws Exception {
            String hello = "EHLO [" + CLIENT_ADDRESS + "]";
            try (SmtpTestClient smtp = connect(listener)) {
                SmtpReply ehlo = smtp.command(hello);
                if (!smtp.isTls()) {
                    assertThat(ehlo.ehloKeywords()).contains("STARTTLS");
                    assertThat(smtp.startTls().line()).isEqualTo(ExpectedReplies.READY_TO_START_TLS);
                    ehlo = smtp.command(hello);
                }
                assertThat(ehlo.ehloKeywords()).contains("DSN", "8BITMIME", "SIZE", "AUTH");
                assertThat(smtp.authPlain(ALICE, PASSWORD).line()).isEqualTo(ExpectedReplies.AUTHENTICATION_SUCCESSFUL);
                assertThat(smtp.command(mail).line()).isEqualTo(senderOk(ALICE));
                for (String rcpt : rcpts) {
                    String recipient = rcpt.substring(rcpt.indexOf('<') + 1, rcpt.indexOf('>'));
                    assertThat(smtp.command(rcpt).line()).isEqualTo(recipientOk(recipient));
                }
                assertThat(smtp.data(message).line()).isEqualTo(MESSAGE_ACCEPTED);
            }
        }

        /** A message as Thunderbird 115 writes it, in its order of header fields. */
        private String thunderbirdMessage(String messageId, String subject) {
            return "Message-ID: " + messageId + "\r\n"
                + "Date: Sat, 28 Nov 2026 19:00:00 +0100\r\n"
                + "MIME-Version: 1.0\r\n"
                + "User-Agent: Mozilla Thunderbird\r\n"
                + "Content-Language: en-US\r\n"
                + "To: bob@example.test, carol@example.com\r\n"
                + "From: Alice <alice@example.test>\r\n"
                + "Subject: " + subject + "\r\n"
                + "Content-Type: text/plain; charset=UTF-8; format=flowed\r\n"
                + "Content-Transfer-Encoding: 7bit\r\n"
                + "\r\n"
                + "Hello Bob, hello Carol,\r\n"
                + "\r\n"
                + "see you tomorrow.\r\n"
                + "\r\n"
                + "-- \r\n"
                + "Alice\r\n";
        }

        private int size(String message) {
            return message.getBytes(java.nio.charset.StandardCharsets.US_ASCII).length;
        }
    }

    @Nested
    class Loops {
        @Test
        void aReportWhoseOwnDeliveryFailsShouldCauseNoFurtherReport() throws Exception {
            NEXT_HOP.refusing(MALLORY_REMOTE, "550 5.1.1 <mallory@example.com>: no such user");
            String subject = TestMessages.uniqueSubject("report to a gone sender");

            try (SmtpTestClient smtp = SmtpTestClient.connectFrom(CLIENT_ADDRESS, MsaJamesServer.LOOPBACK,
                    james.server().smtpPort(Listener.MX))) {
                assertThat(smtp.ehlo().ehloKeywords()).contains("DSN");
                assertThat(smtp.command("MAIL FROM:<" + MALLORY_REMOTE + "> RET=HDRS").line()).isEqualTo(senderOk(MALLORY_REMOTE));
                assertThat(smtp.command("RCPT TO:<" + BOB + "> NOTIFY=SUCCESS").line()).isEqualTo(recipientOk(BOB));
                assertThat(smtp.data(TestMessages.message(MALLORY_REMOTE, BOB, subject)).line()).isEqualTo(MESSAGE_ACCEPTED);
            }

            Awaitility.await("the report refused by the next hop").atMost(TIMEOUT)
                .until(() -> NEXT_HOP.commands().contains("RCPT TO:<mallory@example.com>"));
            assertThat(NEXT_HOP.commands()).containsExactly("MAIL FROM:<>", "RCPT TO:<mallory@example.com>");
            Thread.sleep(QUIET.toMillis());
            assertThat(NEXT_HOP.commands()).as("nothing more left for the next hop").hasSize(2);
            assertThat(NEXT_HOP.deliveries()).isEmpty();
            assertThat(subjectsOf(BOB)).filteredOn(text -> text.contains(subject)).containsExactly(subject);
        }
    }

    // ------------------------------------------------------------------------------------------------ helpers

    /** Submits, as alice from {@link #CLIENT_ADDRESS}, with these MAIL parameters and recipients (each with its RCPT parameters). */
    static void submit(Listener listener, String mailParameters, Map<String, String> recipients, String subject) throws IOException {
        try (SmtpTestClient smtp = connect(listener).authenticated(ALICE, PASSWORD)) {
            assertThat(smtp.command(("MAIL FROM:<" + ALICE + "> " + mailParameters).trim()).line()).isEqualTo(senderOk(ALICE));
            for (Map.Entry<String, String> recipient : recipients.entrySet()) {
                assertThat(smtp.command(("RCPT TO:<" + recipient.getKey() + "> " + recipient.getValue()).trim()).line())
                    .isEqualTo(recipientOk(recipient.getKey()));
            }
            String to = String.join(", ", recipients.keySet());
            assertThat(smtp.data(TestMessages.message(ALICE, to, subject)).line()).isEqualTo(MESSAGE_ACCEPTED);
        }
    }

    /** Recipients and their RCPT parameters, in the order given. */
    static Map<String, String> recipients(String... recipientsAndParameters) {
        Map<String, String> recipients = new LinkedHashMap<>();
        for (int i = 0; i < recipientsAndParameters.length; i += 2) {
            recipients.put(recipientsAndParameters[i], recipientsAndParameters[i + 1]);
        }
        return recipients;
    }

    static SmtpTestClient connect(Listener listener) throws IOException {
        int port = james.server().smtpPort(listener);
        return listener.implicitTls()
            ? SmtpTestClient.connectImplicitTlsFrom(CLIENT_ADDRESS, MsaJamesServer.LOOPBACK, port)
            : SmtpTestClient.connectFrom(CLIENT_ADDRESS, MsaJamesServer.LOOPBACK, port);
    }

    static ReceivedReport awaitReport(String subject) throws Exception {
        return ReceivedReport.parse(awaitRawMessage(ALICE, subject));
    }

    /**
     * Polls the user's INBOX until a message with that Subject is there, with a new IMAP session for each poll: James's
     * memory IMAP server may answer "BAD FETCH failed. Invalid messageset." to a session that raced with a delivery.
     */
    static byte[] awaitRawMessage(String user, String subject) {
        return Awaitility.await("'" + subject + "' in the INBOX of " + user)
            .atMost(TIMEOUT)
            .pollInterval(Duration.ofMillis(250))
            .ignoreExceptionsInstanceOf(javax.mail.MessagingException.class)
            .until(() -> {
                try (ImapTestClient imap = james.server().imap(user)) {
                    return imap.findRawBySubject(subject);
                }
            }, java.util.Optional::isPresent)
            .orElseThrow();
    }

    /** The Subjects of the user's INBOX, read in one IMAP session (again in a new one after a race, see above). */
    static List<String> subjectsOf(String user) {
        return Awaitility.await("the Subjects of the INBOX of " + user)
            .atMost(TIMEOUT)
            .pollInterval(Duration.ofMillis(250))
            .ignoreExceptionsInstanceOf(javax.mail.MessagingException.class)
            .until(() -> {
                try (ImapTestClient imap = james.server().imap(user)) {
                    return imap.subjects();
                }
            }, subjects -> true);
    }

    /**
     * A report is a well-formed message of its own: from the null sender to alice, from the postmaster, with a Date of
     * its making, a Message-ID of the default domain, Auto-Submitted, three parts; it names the server by its public
     * name, and neither the machine's host name nor the client's address.
     */
    static void assertWellFormed(ReceivedReport report, Instant before) throws Exception {
        Instant after = now();
        assertThat(report.header("Return-Path")).isEqualTo("<>");
        assertThat(report.header("From")).isEqualTo("Mail Delivery System <postmaster@example.test>");
        assertThat(report.header("To")).isEqualTo(ALICE);
        assertThat(report.header("Auto-Submitted")).isEqualTo("auto-replied");
        assertThat(report.header("MIME-Version")).isEqualTo("1.0");
        assertThat(report.header("Message-ID")).matches("<[0-9a-z]+\\.[0-9a-v]{26}@example\\.test>");
        assertBetween(report.date(), before, after);
        assertThat(report.contentType().getBaseType()).isEqualTo("multipart/report");
        assertThat(report.contentType().getParameter("report-type")).isEqualTo("delivery-status");
        assertThat(report.partCount()).isEqualTo(3);
        assertThat(report.partType(0)).isEqualTo("text/plain");
        assertThat(report.partType(1)).isEqualTo("message/delivery-status");
        assertThat(report.perMessageFields()).containsEntry("Reporting-MTA", REPORTING_MTA);
        assertBetween(ReceivedReport.dateTime(report.perMessageFields().get("Arrival-Date")), before, after);
        // the words, the fields and the header of the report (the Message-ID was checked above, whole)
        String reportText = report.text() + report.part(1) + report.header("From") + report.header("To");
        assertThat(reportText).doesNotContain(CLIENT_ADDRESS);
        for (String machineName : List.of("localhost", InetAddress.getLocalHost().getHostName(),
                InetAddress.getLocalHost().getCanonicalHostName())) {
            if (!machineName.equals(MsaJamesServer.HOSTNAME)) {
                assertThat(reportText).as("the machine's name %s", machineName)
                    .doesNotContainPattern("(?<![A-Za-z0-9.-])" + java.util.regex.Pattern.quote(machineName) + "(?![A-Za-z0-9-])");
            }
        }
    }

    /** Within the interval, to the second (report dates have no fraction). */
    static void assertBetween(Instant instant, Instant before, Instant after) {
        assertThat(instant).isBetween(before.truncatedTo(ChronoUnit.SECONDS), after);
    }

    static Instant now() {
        return Instant.now();
    }

    static HttpResponse<String> webAdmin(String method, String path, String body) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://" + MsaJamesServer.LOOPBACK + ":"
                + james.server().webAdminPort() + path))
            .timeout(Duration.ofSeconds(30))
            .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
            .build();
        return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
    }

    static String keywords(SmtpReply reply) {
        return reply.ehloKeywords().stream().collect(Collectors.joining(" "));
    }
}
