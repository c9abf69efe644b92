package org.msa4james.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.msa4james.it.ExpectedReplies.MESSAGE_ACCEPTED;
import static org.msa4james.it.ExpectedReplies.recipientOk;
import static org.msa4james.it.ExpectedReplies.senderOk;
import static org.msa4james.it.Fixtures.ALICE;
import static org.msa4james.it.Fixtures.BOB;
import static org.msa4james.it.Fixtures.PASSWORD;
import static org.msa4james.it.Listener.SUBMISSION;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A mailet that fails sends the mail to the "error" processor, which tells the sender and keeps the mail in the
 * error repository (file://var/mail/error/), where an administrator sees it and reprocesses it through James's
 * webadmin: nothing is dropped.
 *
 * <p>The failure is real and needs no test configuration: the recipient's mailbox is over its quota (set through
 * webadmin), so the local delivery cannot store the mail and hands it to the error processor. Once the quota is lifted,
 * the mail is reprocessed from the repository into the "transport" processor and delivered.
 */
class ErrorRepositoryTest {

    private static final String ERROR_REPOSITORY = "file://var/mail/error/";
    /** webadmin names a repository by its path, without protocol or trailing slash, URL-encoded ("var%2Fmail%2Ferror"). */
    private static final String ERROR_REPOSITORY_PATH = "var/mail/error";
    private static final String ENCODED_ERROR_REPOSITORY = URLEncoder.encode(ERROR_REPOSITORY_PATH, StandardCharsets.UTF_8);
    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    @RegisterExtension
    static MsaJamesExtension james = MsaJamesExtension.withDefaults();

    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper json = new ObjectMapper();

    @AfterEach
    void liftQuota() throws Exception {
        send("DELETE", "/quota/users/" + BOB + "/count", null);
    }

    @Test
    void mailThatAMailetCannotHandleShouldBeKeptInTheErrorRepositoryAndBeReprocessable() throws Exception {
        assertThat(send("PUT", "/quota/users/" + BOB + "/count", "0").statusCode()).isEqualTo(204);
        String subject = TestMessages.uniqueSubject("over quota");

        try (SmtpTestClient smtp = james.server().connect(SUBMISSION).authenticated(ALICE, PASSWORD)) {
            assertThat(smtp.mailFrom(ALICE).line()).isEqualTo(senderOk(ALICE));
            assertThat(smtp.rcptTo(BOB).line()).isEqualTo(recipientOk(BOB));
            assertThat(smtp.data(TestMessages.message(ALICE, BOB, subject)).line()).isEqualTo(MESSAGE_ACCEPTED);
        }

        // visible through webadmin: the repository, its mail, the mail's envelope and error
        List<String> keys = Awaitility.await("the mail in " + ERROR_REPOSITORY)
            .atMost(TIMEOUT)
            .pollInterval(Duration.ofMillis(200))
            .until(this::errorRepositoryKeys, found -> !found.isEmpty());
        assertThat(keys).hasSize(1);
        JsonNode repositories = getJson("/mailRepositories");
        System.out.println("ErrorRepositoryTest: GET /mailRepositories " + repositories);
        assertThat(repositories.findValuesAsText("repository")).contains(ERROR_REPOSITORY_PATH);
        assertThat(repositories.findValuesAsText("path")).contains(ENCODED_ERROR_REPOSITORY);
        JsonNode mail = getJson("/mailRepositories/" + ENCODED_ERROR_REPOSITORY + "/mails/" + URLEncoder.encode(keys.get(0), StandardCharsets.UTF_8));
        assertThat(mail.get("sender").asText()).isEqualTo(ALICE);
        assertThat(mail.get("recipients").toString()).isEqualTo("[\"" + BOB + "\"]");
        assertThat(mail.get("state").asText()).isEqualTo("error");
        System.out.println("ErrorRepositoryTest: webadmin shows " + mail);
        HttpResponse<String> eml = http.send(HttpRequest.newBuilder(webAdmin("/mailRepositories/" + ENCODED_ERROR_REPOSITORY + "/mails/" + URLEncoder.encode(keys.get(0), StandardCharsets.UTF_8)))
            .header("Accept", "message/rfc822").GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(eml.body()).contains("Subject: " + subject + "\r\n").contains(TestMessages.body(subject));

        try (ImapTestClient imap = james.server().imap(BOB)) {
            assertThat(imap.findBySubject(subject)).isEmpty();
        }
        // the error processor tells the sender: a "failed" delivery status notification, mailbox full
        try (ImapTestClient imap = james.server().imap(ALICE)) {
            ReceivedReport report = ReceivedReport.parse(imap.awaitRawMessage("Undeliverable: " + subject));
            assertThat(report.recipientFields()).hasSize(1);
            assertThat(report.recipientFields().get(0))
                .containsEntry("Final-Recipient", "rfc822; " + BOB)
                .containsEntry("Action", "failed")
                .containsEntry("Status", "5.2.2");
        }

        // the administrator lifts the quota and reprocesses the repository into "transport"
        assertThat(send("DELETE", "/quota/users/" + BOB + "/count", null).statusCode()).isEqualTo(204);
        HttpResponse<String> reprocess = send("PATCH",
            "/mailRepositories/" + ENCODED_ERROR_REPOSITORY + "/mails?action=reprocess&processor=transport", null);
        assertThat(reprocess.statusCode()).as(reprocess.body()).isEqualTo(201);
        String taskId = json.readTree(reprocess.body()).get("taskId").asText();
        JsonNode task = getJson("/tasks/" + taskId + "/await");
        assertThat(task.get("status").asText()).as(task.toString()).isEqualTo("completed");
        assertThat(task.get("type").asText()).isEqualTo("reprocessing-all");

        try (ImapTestClient imap = james.server().imap(BOB)) {
            ImapTestClient.ReceivedMessage delivered = imap.awaitMessage(subject);
            assertThat(delivered.rawBody()).isEqualTo(TestMessages.body(subject).getBytes(StandardCharsets.US_ASCII));
            assertThat(imap.inboxSize()).isEqualTo(1);
        }
        assertThat(errorRepositoryKeys()).isEmpty();
    }

    private List<String> errorRepositoryKeys() throws IOException, InterruptedException {
        HttpResponse<String> response = send("GET", "/mailRepositories/" + ENCODED_ERROR_REPOSITORY + "/mails", null);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        List<String> keys = new ArrayList<>();
        json.readTree(response.body()).forEach(key -> keys.add(key.asText()));
        return keys;
    }

    private JsonNode getJson(String path) throws IOException, InterruptedException {
        HttpResponse<String> response = send("GET", path, null);
        assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(200);
        return json.readTree(response.body());
    }

    private HttpResponse<String> send(String method, String path, String body) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(webAdmin(path))
            .timeout(Duration.ofSeconds(30))
            .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
            .build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static URI webAdmin(String path) {
        return URI.create("http://" + MsaJamesServer.LOOPBACK + ":" + james.server().webAdminPort() + path);
    }
}
