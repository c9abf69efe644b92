package org.msa4james.dropin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.msa4james.it.ExpectedReplies.MESSAGE_ACCEPTED;
import static org.msa4james.it.ExpectedReplies.recipientOk;
import static org.msa4james.it.ExpectedReplies.senderOk;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.msa4james.it.MsaHome;
import org.msa4james.it.RawImapSession;
import org.msa4james.it.SmtpTestClient;
import org.msa4james.it.TestMessages;

/**
 * Many machines know themselves by one label (a container's or a virtual machine's name, or "localhost", the start
 * script's last resort when {@code hostname -f} gives nothing better): the README's run command must start there too,
 * with every part of the configuration that uses the server's name, and the delivery reports name it.
 */
class SingleLabelHostNameTest {
    private static final String PASSWORD = "single-label-" + UUID.randomUUID();
    private static final String ALICE = "alice@example.test";
    private static final String BOB = "bob@example.test";
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private static MsaHome home;

    @BeforeAll
    static void start() throws Exception {
        home = MsaHome.copy().environment("MSA_HOSTNAME", "localhost");
        home.start();
        home.createUser(ALICE, PASSWORD);
        home.createUser(BOB, PASSWORD);
    }

    @AfterAll
    static void removeHome() throws InterruptedException {
        if (home != null) {
            home.close();
        }
    }

    @Test
    void jamesShouldStartGreetAndReportUnderThatName() throws Exception {
        assertThat(home.log()).contains(" as localhost: MX ");
        String subject = "single label " + UUID.randomUUID();
        try (SmtpTestClient smtp = home.submission(ALICE, PASSWORD)) {
            assertThat(smtp.greeting().line()).isEqualTo("220 localhost ESMTP ready");
            assertThat(smtp.mailFrom(ALICE).line()).isEqualTo(senderOk(ALICE));
            assertThat(smtp.command("RCPT TO:<" + BOB + "> NOTIFY=SUCCESS").line()).isEqualTo(recipientOk(BOB));
            assertThat(smtp.data(TestMessages.message(ALICE, BOB, subject)).line()).isEqualTo(MESSAGE_ACCEPTED);
        }

        String report = await("the delivery report in alice's INBOX").atMost(TIMEOUT).pollInterval(Duration.ofMillis(500))
            .until(() -> firstMessage(ALICE), text -> !text.isEmpty());
        assertThat(report).contains("Subject: Delivered: " + subject)
            .contains("\r\nReporting-MTA: dns; localhost\r\n")
            .contains("\r\nFinal-Recipient: rfc822; " + BOB + "\r\nAction: delivered\r\nStatus: 2.0.0\r\n");
    }

    /** The whole first message of the user's INBOX, empty while there is none. */
    private static String firstMessage(String user) throws IOException {
        try (RawImapSession imap = RawImapSession.connectImplicitTls(MsaHome.LOOPBACK, home.imapsPort())) {
            assertThat(imap.command("LOGIN " + user + " " + PASSWORD)).last().asString().endsWith("OK LOGIN completed.");
            if (imap.command("SELECT INBOX").stream().noneMatch(line -> line.matches("\\* [1-9][0-9]* EXISTS"))) {
                return "";
            }
            List<String> lines = imap.command("FETCH 1 BODY.PEEK[]");
            return String.join("\r\n", lines);
        }
    }
}
