package org.msa4james.durable;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.msa4james.it.ExpectedReplies.AUTHENTICATION_FAILED;
import static org.msa4james.it.ExpectedReplies.AUTHENTICATION_SUCCESSFUL;
import static org.msa4james.it.ExpectedReplies.MESSAGE_ACCEPTED;
import static org.msa4james.it.ExpectedReplies.authorNotEntitled;
import static org.msa4james.it.ExpectedReplies.recipientOk;
import static org.msa4james.it.ExpectedReplies.senderNotEntitled;
import static org.msa4james.it.ExpectedReplies.senderOk;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.msa4james.it.MsaHome;
import org.msa4james.it.RawImapSession;
import org.msa4james.it.SmtpTestClient;
import org.msa4james.it.TestMessages;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The assembled home, persistent as shipped, is stopped cleanly (SIGTERM) and started again, then killed (SIGKILL)
 * and started again; after each restart everything an administrator and the users set up is still there and still
 * applies: passwords, domains, aliases, delegations (the sender entitlement and header-From checks answer as before),
 * bob's INBOX with the same messages, UIDs and flags, the mail in the error repository (reprocessed at the end), the
 * client diagnostics.
 *
 * <p>The steps run in order on one home: each depends on the state the previous ones left.</p>
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RestartKeepsStateTest {
    private static final String PASSWORD = "restart-" + UUID.randomUUID();
    private static final String ALICE = "alice@example.test";
    private static final String ALICE_ALIAS = "a.liddell@example.test";
    private static final String BOB = "bob@example.test";
    private static final String CAROL = "carol@example.test";
    private static final String DAVE = "dave@example.test";
    private static final String ERIN_OTHER_DOMAIN = "erin@example.org";
    private static final String ERROR_REPOSITORY = URLEncoder.encode("var/mail/error", UTF_8);
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = new ObjectMapper();

    private static MsaHome home;
    /** bob's INBOX as IMAP shows it after the first run: the UIDVALIDITY line and one FETCH line per message. */
    private static List<String> bobsInbox;
    private static String overQuotaSubject;

    @BeforeAll
    static void startAndProvision() throws Exception {
        home = MsaHome.copy();
        home.start();
        for (String user : List.of(ALICE, BOB, CAROL, DAVE)) {
            home.createUser(user, PASSWORD);
        }
        home.webadmin("PUT", "/domains/example.org", null, 204);
        home.createUser(ERIN_OTHER_DOMAIN, PASSWORD);
        home.webadmin("PUT", "/address/aliases/" + ALICE + "/sources/" + ALICE_ALIAS, null, 204);
        home.webadmin("PUT", "/users/" + ALICE + "/authorizedUsers/" + BOB, null, 200);
        home.webadmin("PUT", "/quota/users/" + DAVE + "/count", "0", 204);
    }

    @AfterAll
    static void removeHome() throws InterruptedException {
        if (home != null) {
            home.close();
        }
    }

    @Test
    @Order(1)
    void firstRunShouldDeliverToBobKeepAnUndeliverableMailAndRecordADefect() throws Exception {
        for (int i = 1; i <= 3; i++) {
            submit(ALICE, BOB, TestMessages.message(ALICE, BOB, "restart #" + i + " " + UUID.randomUUID()));
        }
        submit(ALICE, BOB, withoutDate(ALICE, BOB, "no date " + UUID.randomUUID()));
        overQuotaSubject = "over quota " + UUID.randomUUID();
        submit(ALICE, DAVE, TestMessages.message(ALICE, DAVE, overQuotaSubject));

        await("4 messages in bob's INBOX").atMost(TIMEOUT).until(() -> inbox(BOB).size() == 1 + 4);
        try (RawImapSession imap = imap(BOB)) {
            imap.command("SELECT INBOX");
            assertThat(imap.command("UID STORE 2 +FLAGS (\\Flagged)")).last().asString().endsWith(" OK STORE completed.");
        }
        await("the over-quota mail in the error repository").atMost(TIMEOUT).until(() -> errorRepositoryKeys().size() == 1);
        bobsInbox = inbox(BOB);
        assertThat(bobsInbox.get(0)).matches("\\* OK \\[UIDVALIDITY [0-9]+\\].*");
        assertThat(bobsInbox.subList(1, 5)).containsExactly(
            "* 1 FETCH (FLAGS () UID 1)", "* 2 FETCH (FLAGS (\\Flagged) UID 2)", "* 3 FETCH (FLAGS () UID 3)",
            "* 4 FETCH (FLAGS () UID 4)");
        assertThat(diagnostics()).containsExactly(ALICE + " missing-date 1");
    }

    @Test
    @Order(2)
    void afterACleanRestartEverythingShouldStillApply() throws Exception {
        home.stop();
        home.start();

        assertEverythingStillApplies();
        // the first run's entry, and those of the checks just made: a wrong password, a Sender added, a From refused
        assertThat(diagnostics()).containsExactly("127.0.0.1 auth-failed 1", ALICE + " missing-date 1",
            BOB + " sender-added 1", CAROL + " from-not-entitled 1");
    }

    @Test
    @Order(3)
    void afterAKillEverythingShouldStillApplyAndTheErrorRepositoryBeReprocessable() throws Exception {
        submit(BOB, CAROL, withoutDate(BOB, CAROL, "second run " + UUID.randomUUID()));
        // the diagnostics reach the disk within a second (FileDiagnosticsStore): wait for it, then kill
        Path diagnosticsFile = home.dataDirectory().resolve("diagnostics/entries.jsonl");
        // bob has an entry already (sender-added): wait for the new one, his missing Date
        await("the new diagnostic written").atMost(TIMEOUT)
            .until(() -> Files.exists(diagnosticsFile) && Files.readAllLines(diagnosticsFile, UTF_8).stream()
                .anyMatch(line -> line.contains("\"subject\":\"" + BOB + "\"") && line.contains("\"defect\":\"missing-date\"")));

        home.kill();
        home.start();

        assertEverythingStillApplies();
        // every count recorded before the kill, plus the checks made again since
        assertThat(diagnostics()).containsExactly("127.0.0.1 auth-failed 2", ALICE + " missing-date 1",
            BOB + " missing-date 1", BOB + " sender-added 2", CAROL + " from-not-entitled 2");

        home.webadmin("DELETE", "/quota/users/" + DAVE + "/count", null, 204);
        String reprocess = home.webadmin("PATCH", "/mailRepositories/" + ERROR_REPOSITORY + "/mails?action=reprocess&processor=transport", null, 201);
        String taskId = JSON.readTree(reprocess).get("taskId").asText();
        assertThat(JSON.readTree(home.webadmin("GET", "/tasks/" + taskId + "/await", null, 200)).get("status").asText()).isEqualTo("completed");
        await("the reprocessed mail in dave's INBOX").atMost(TIMEOUT).until(() -> headers(DAVE).contains("Subject: " + overQuotaSubject));
        assertThat(errorRepositoryKeys()).isEmpty();
    }

    private void assertEverythingStillApplies() throws Exception {
        try (SmtpTestClient smtp = SmtpTestClient.connect(MsaHome.LOOPBACK, home.submissionPort())) {
            smtp.ehloUnderTls();
            assertThat(smtp.authPlain(ALICE, "wrong-" + PASSWORD).line()).isEqualTo(AUTHENTICATION_FAILED);
            assertThat(smtp.authPlain(ALICE, PASSWORD).line()).isEqualTo(AUTHENTICATION_SUCCESSFUL);
            // the alias is alice's; bob's address is not
            assertThat(smtp.mailFrom(ALICE_ALIAS).line()).isEqualTo(senderOk(ALICE_ALIAS));
            assertThat(smtp.command("RSET").code()).isEqualTo(250);
            assertThat(smtp.mailFrom(BOB).line()).isEqualTo(senderNotEntitled(BOB, ALICE));
            // the second domain is still local, erin still a user of it
            assertThat(smtp.mailFrom(ALICE).line()).isEqualTo(senderOk(ALICE));
            assertThat(smtp.rcptTo(ERIN_OTHER_DOMAIN).line()).isEqualTo(recipientOk(ERIN_OTHER_DOMAIN));
        }
        // alice delegated to bob: bob may write From: alice; carol may not
        try (SmtpTestClient smtp = home.submission(BOB, PASSWORD)) {
            assertThat(smtp.mailFrom(BOB).line()).isEqualTo(senderOk(BOB));
            assertThat(smtp.rcptTo(CAROL).line()).isEqualTo(recipientOk(CAROL));
            assertThat(smtp.data(TestMessages.message(ALICE, CAROL, "delegated " + UUID.randomUUID())).line()).isEqualTo(MESSAGE_ACCEPTED);
        }
        try (SmtpTestClient smtp = home.submission(CAROL, PASSWORD)) {
            assertThat(smtp.mailFrom(CAROL).line()).isEqualTo(senderOk(CAROL));
            assertThat(smtp.rcptTo(BOB).line()).isEqualTo(recipientOk(BOB));
            assertThat(smtp.data(TestMessages.message(ALICE, BOB, "not delegated " + UUID.randomUUID())).line())
                .isEqualTo(authorNotEntitled(ALICE, CAROL));
        }
        assertThat(inbox(BOB)).isEqualTo(bobsInbox);
        assertThat(errorRepositoryKeys()).hasSize(1);
    }

    private static void submit(String user, String recipient, String message) throws IOException {
        try (SmtpTestClient smtp = home.submission(user, PASSWORD)) {
            assertThat(smtp.mailFrom(user).line()).isEqualTo(senderOk(user));
            assertThat(smtp.rcptTo(recipient).line()).isEqualTo(recipientOk(recipient));
            assertThat(smtp.data(message).line()).isEqualTo(MESSAGE_ACCEPTED);
        }
    }

    private static String withoutDate(String from, String to, String subject) {
        return "From: " + from + "\r\nTo: " + to + "\r\nSubject: " + subject + "\r\nMessage-ID: <" + UUID.randomUUID()
            + "@example.test>\r\n\r\n" + TestMessages.body(subject);
    }

    private static RawImapSession imap(String user) throws IOException {
        RawImapSession imap = RawImapSession.connectImplicitTls(MsaHome.LOOPBACK, home.imapsPort());
        assertThat(imap.command("LOGIN " + user + " " + PASSWORD)).last().asString().endsWith("OK LOGIN completed.");
        return imap;
    }

    /** The UIDVALIDITY line of SELECT INBOX, then the FETCH line (FLAGS, UID) of each message. */
    private static List<String> inbox(String user) throws IOException {
        try (RawImapSession imap = imap(user)) {
            List<String> result = new ArrayList<>();
            imap.command("SELECT INBOX").stream().filter(line -> line.contains("[UIDVALIDITY")).forEach(result::add);
            imap.command("FETCH 1:* (FLAGS UID)").stream().filter(line -> line.startsWith("* ") && line.contains(" FETCH (")).forEach(result::add);
            return result;
        }
    }

    /** The Subject fields of every message of the user's INBOX, as IMAP returns them. */
    private static String headers(String user) throws IOException {
        try (RawImapSession imap = imap(user)) {
            if (!imap.command("SELECT INBOX").stream().anyMatch(line -> line.matches("\\* [1-9][0-9]* EXISTS"))) {
                return "";
            }
            return String.join("\n", imap.command("FETCH 1:* (BODY.PEEK[HEADER.FIELDS (SUBJECT)])"));
        }
    }

    private static List<String> errorRepositoryKeys() throws IOException, InterruptedException {
        List<String> keys = new ArrayList<>();
        JSON.readTree(home.webadmin("GET", "/mailRepositories/" + ERROR_REPOSITORY + "/mails", null, 200)).forEach(key -> keys.add(key.asText()));
        return keys;
    }

    /** "user defect count" for each entry of GET /submission/diagnostics. */
    private static List<String> diagnostics() throws IOException, InterruptedException {
        JsonNode entries = JSON.readTree(home.webadmin("GET", "/submission/diagnostics", null, 200));
        List<String> result = new ArrayList<>();
        entries.forEach(entry -> result.add(entry.get("user").asText() + " " + entry.get("defect").asText() + " " + entry.get("count").asLong()));
        return result.stream().sorted().collect(Collectors.toList());
    }
}
