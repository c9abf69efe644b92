package org.msa4james.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.msa4james.it.ExpectedReplies.AUTHENTICATION_FAILED;
import static org.msa4james.it.ExpectedReplies.AUTHENTICATION_SUCCESSFUL;
import static org.msa4james.it.ExpectedReplies.MESSAGE_ACCEPTED;
import static org.msa4james.it.ExpectedReplies.recipientOk;
import static org.msa4james.it.ExpectedReplies.senderOk;
import static org.msa4james.it.Fixtures.CAROL_REMOTE;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The AUTH cache of the submission listeners (AuthCacheHook, shipped on 587 and 465) against a real James, over
 * webadmin and real SMTP sessions: a second AUTH is answered from the cache (the metric
 * {@code msa4james.authcache.hits} counts it), and a password change or the deletion of the user through webadmin takes
 * effect at the next AUTH, with James's own replies. Each test has its own user and its own loopback source address,
 * so that the failures it provokes stay under the failure limit of the class's server.
 */
class AuthenticationCacheTest {
    private static final Pattern HITS = Pattern.compile("(?m)^msa4james_authcache_hits_total ([0-9.E]+)$");
    private static final String FIRST_PASSWORD = "first-Pa55word";
    private static final String NEW_PASSWORD = "second-Pa55word";

    @RegisterExtension
    static MsaJamesExtension james = MsaJamesExtension.withDefaults();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void aSecondAuthShouldSucceedFromTheCacheAndTheSessionSubmitAsUsual() throws Exception {
        String user = "dora@example.test";
        assertThat(putUser(user, FIRST_PASSWORD, false)).isEqualTo(204);
        double hitsBefore = hits();

        assertThat(authPlain("127.0.0.41", Listener.SUBMISSION, user, FIRST_PASSWORD)).isEqualTo(AUTHENTICATION_SUCCESSFUL);
        try (SmtpTestClient smtp = connect("127.0.0.41", Listener.SUBMISSION)) {
            smtp.ehloUnderTls();
            assertThat(smtp.authPlain(user, FIRST_PASSWORD).line()).isEqualTo(AUTHENTICATION_SUCCESSFUL);
            assertThat(smtp.mailFrom(user).line()).isEqualTo(senderOk(user));
            assertThat(smtp.rcptTo(CAROL_REMOTE).line()).isEqualTo(recipientOk(CAROL_REMOTE));
            assertThat(smtp.data(TestMessages.message(user, CAROL_REMOTE, TestMessages.uniqueSubject("cached AUTH"))).line()).isEqualTo(MESSAGE_ACCEPTED);
        }

        assertThat(hits() - hitsBefore).as("AUTH answered from the cache").isEqualTo(1);
    }

    @Test
    void authLoginShouldBeCachedToo() throws Exception {
        String user = "erin@example.test";
        assertThat(putUser(user, FIRST_PASSWORD, false)).isEqualTo(204);
        double hitsBefore = hits();

        for (int i = 0; i < 2; i++) {
            try (SmtpTestClient smtp = connect("127.0.0.42", Listener.SUBMISSIONS)) {
                smtp.ehloUnderTls();
                assertThat(smtp.authLogin(user, FIRST_PASSWORD).line()).isEqualTo(AUTHENTICATION_SUCCESSFUL);
            }
        }

        assertThat(hits() - hitsBefore).isEqualTo(1);
    }

    @Test
    void afterAPasswordChangeTheOldPasswordShouldBeRefusedAtOnceAndTheNewOneWork() throws Exception {
        String user = "frank@example.test";
        assertThat(putUser(user, FIRST_PASSWORD, false)).isEqualTo(204);
        for (Listener listener : new Listener[] {Listener.SUBMISSION, Listener.SUBMISSIONS}) {
            assertThat(authPlain("127.0.0.43", listener, user, FIRST_PASSWORD)).isEqualTo(AUTHENTICATION_SUCCESSFUL);
            assertThat(authPlain("127.0.0.43", listener, user, FIRST_PASSWORD)).isEqualTo(AUTHENTICATION_SUCCESSFUL);
        }

        assertThat(putUser(user, NEW_PASSWORD, true)).isEqualTo(204);

        for (Listener listener : new Listener[] {Listener.SUBMISSION, Listener.SUBMISSIONS}) {
            assertThat(authPlain("127.0.0.43", listener, user, FIRST_PASSWORD)).as(listener.name()).isEqualTo(AUTHENTICATION_FAILED);
            assertThat(authPlain("127.0.0.43", listener, user, NEW_PASSWORD)).as(listener.name()).isEqualTo(AUTHENTICATION_SUCCESSFUL);
            assertThat(authPlain("127.0.0.43", listener, user, NEW_PASSWORD)).as(listener.name()).isEqualTo(AUTHENTICATION_SUCCESSFUL);
        }
    }

    @Test
    void afterTheUserIsDeletedAuthShouldFail() throws Exception {
        String user = "grace@example.test";
        assertThat(putUser(user, FIRST_PASSWORD, false)).isEqualTo(204);
        assertThat(authPlain("127.0.0.44", Listener.SUBMISSION, user, FIRST_PASSWORD)).isEqualTo(AUTHENTICATION_SUCCESSFUL);
        assertThat(authPlain("127.0.0.44", Listener.SUBMISSION, user, FIRST_PASSWORD)).isEqualTo(AUTHENTICATION_SUCCESSFUL);

        assertThat(send("DELETE", "/users/" + user, null).statusCode()).isEqualTo(204);

        assertThat(authPlain("127.0.0.44", Listener.SUBMISSION, user, FIRST_PASSWORD)).isEqualTo(AUTHENTICATION_FAILED);
        try (SmtpTestClient smtp = connect("127.0.0.44", Listener.SUBMISSION)) {
            smtp.ehloUnderTls();
            assertThat(smtp.authLogin(user, FIRST_PASSWORD).line()).isEqualTo(AUTHENTICATION_FAILED);
        }
    }

    @Test
    void aWrongPasswordShouldGetJamesReplyAndLeaveTheRightOneCached() throws Exception {
        String user = "heidi@example.test";
        assertThat(putUser(user, FIRST_PASSWORD, false)).isEqualTo(204);
        assertThat(authPlain("127.0.0.45", Listener.SUBMISSION, user, FIRST_PASSWORD)).isEqualTo(AUTHENTICATION_SUCCESSFUL);
        double hitsBefore = hits();

        assertThat(authPlain("127.0.0.45", Listener.SUBMISSION, user, "not-the-password")).isEqualTo(AUTHENTICATION_FAILED);
        assertThat(authPlain("127.0.0.45", Listener.SUBMISSION, user, FIRST_PASSWORD)).isEqualTo(AUTHENTICATION_SUCCESSFUL);

        assertThat(hits() - hitsBefore).isEqualTo(1);
    }

    /** One session from {@code localAddress}: EHLO (and STARTTLS), AUTH PLAIN; the reply line to AUTH. */
    private static String authPlain(String localAddress, Listener listener, String user, String password) throws IOException {
        try (SmtpTestClient smtp = connect(localAddress, listener)) {
            smtp.ehloUnderTls();
            return smtp.authPlain(user, password).line();
        }
    }

    private static SmtpTestClient connect(String localAddress, Listener listener) throws IOException {
        int port = james.server().smtpPort(listener);
        return listener.implicitTls()
            ? SmtpTestClient.connectImplicitTlsFrom(localAddress, MsaJamesServer.LOOPBACK, port)
            : SmtpTestClient.connectFrom(localAddress, MsaJamesServer.LOOPBACK, port);
    }

    /** PUT /users/{user}: creates the user; with {@code force}, sets the password of an existing one (James 3.8.1). */
    private int putUser(String user, String password, boolean force) throws Exception {
        return send("PUT", "/users/" + user + (force ? "?force" : ""), "{\"password\":\"" + password + "\"}").statusCode();
    }

    private double hits() throws Exception {
        HttpResponse<String> metrics = send("GET", "/metrics", null);
        assertThat(metrics.statusCode()).isEqualTo(200);
        Matcher value = HITS.matcher(metrics.body());
        return value.find() ? Double.parseDouble(value.group(1)) : 0;
    }

    private HttpResponse<String> send(String method, String path, String json) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(
                URI.create("http://" + MsaJamesServer.LOOPBACK + ":" + james.server().webAdminPort() + path))
            .timeout(Duration.ofSeconds(10));
        if (json == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(json));
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
