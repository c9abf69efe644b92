package org.msa4james.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.msa4james.it.ExpectedReplies.MESSAGE_ACCEPTED;
import static org.msa4james.it.ExpectedReplies.SEVERAL_AUTHORS_WITHOUT_SENDER;
import static org.msa4james.it.ExpectedReplies.authorNotEntitled;
import static org.msa4james.it.ExpectedReplies.headerDomainNotQualified;
import static org.msa4james.it.ExpectedReplies.headerFieldEightBit;
import static org.msa4james.it.ExpectedReplies.headerFieldInvalid;
import static org.msa4james.it.ExpectedReplies.headerFieldMissing;
import static org.msa4james.it.ExpectedReplies.headerFieldRepeated;
import static org.msa4james.it.ExpectedReplies.recipientOk;
import static org.msa4james.it.ExpectedReplies.senderOk;
import static org.msa4james.it.Fixtures.ALICE;
import static org.msa4james.it.Fixtures.ALICE_ALIAS;
import static org.msa4james.it.Fixtures.BOB;
import static org.msa4james.it.Fixtures.BOB_AT_SALES;
import static org.msa4james.it.Fixtures.CAROL_REMOTE;
import static org.msa4james.it.Fixtures.PASSWORD;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

import javax.mail.Session;
import javax.mail.internet.MimeMessage;

import org.apache.james.core.Username;
import org.assertj.core.api.SoftAssertions;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.subethamail.wiser.WiserMessage;

/**
 * The header rules of a submission, through a real James on the shipped configuration, with the expansion
 * {@code sales=sales.example.test} and bob@example.test having delegated his account to alice:
 * <ul>
 *   <li>HeaderCheckHook (RFC 6409 6.3, 8.1, 4.2): a broken header is refused at the end of DATA, in the session, with
 *       a reply that names the field; the session goes on; nothing of a refused message is delivered or relayed;</li>
 *   <li>port 25 has no header check;</li>
 *   <li>QualifyAddresses (RFC 6409 4.2) in the submission processor expands the single-label domains of the address
 *       fields (this one fails until the mailet is in mailetcontainer.xml).</li>
 * </ul>
 */
class HeaderRulesTest {
    private static final Duration DELIVERY_TIMEOUT = Duration.ofSeconds(20);

    @RegisterExtension
    static MsaJamesExtension james = MsaJamesExtension.withProperties(properties -> properties
        .property("msa.domain.expansions", "sales=sales.example.test"));

    @BeforeAll
    static void bobDelegatesToAlice() {
        james.server().dataProbe().addAuthorizedUser(Username.of(BOB), Username.of(ALICE));
    }

    /** One refused header: the message (built around a unique token) and the exact reply to the end of DATA. */
    private static final class Refusal {
        final String description;
        final Function<String, String> message;
        final String reply;

        Refusal(String description, Function<String, String> message, String reply) {
            this.description = description;
            this.message = message;
            this.reply = reply;
        }
    }

    private static List<Refusal> refusals() {
        return List.of(
            new Refusal("no From",
                token -> "To: " + BOB + "\r\nSubject: " + token + "\r\n\r\nbody\r\n",
                headerFieldMissing("From")),
            new Refusal("Cc without domain",
                token -> "From: " + ALICE + "\r\nTo: " + BOB + "\r\nCc: carol@\r\nSubject: " + token + "\r\n\r\nbody\r\n",
                headerFieldInvalid("Cc", "missing domain")),
            new Refusal("To separated by semicolons",
                token -> "From: " + ALICE + "\r\nTo: " + BOB + "; " + CAROL_REMOTE + "\r\nSubject: " + token + "\r\n\r\nbody\r\n",
                headerFieldInvalid("To", "expected ',' between addresses, found ';'")),
            new Refusal("two From fields",
                token -> "From: " + ALICE + "\r\nFrom: Alice <" + ALICE + ">\r\nTo: " + BOB + "\r\nSubject: " + token + "\r\n\r\nbody\r\n",
                headerFieldRepeated("From", 2)),
            new Refusal("two authors without Sender",
                token -> "From: " + ALICE + ", " + BOB + "\r\nTo: " + BOB + "\r\nSubject: " + token + "\r\n\r\nbody\r\n",
                SEVERAL_AUTHORS_WITHOUT_SENDER),
            new Refusal("raw UTF-8 in Subject",
                token -> "From: " + ALICE + "\r\nTo: " + BOB + "\r\nSubject: Grüße " + token + "\r\n\r\nbody\r\n",
                headerFieldEightBit("Subject")),
            new Refusal("raw UTF-8 in a display name",
                token -> "From: Jörg <" + ALICE + ">\r\nTo: " + BOB + "\r\nSubject: " + token + "\r\n\r\nbody\r\n",
                headerFieldEightBit("From")),
            new Refusal("incomplete domain in To",
                token -> "From: " + ALICE + "\r\nTo: " + BOB + ", bob@squeaky.sales\r\nSubject: " + token + "\r\n\r\nbody\r\n",
                headerDomainNotQualified("To", "squeaky.sales")),
            new Refusal("single label without expansion in Reply-To",
                token -> "From: " + ALICE + "\r\nReply-To: alice@eng\r\nTo: " + BOB + "\r\nSubject: " + token + "\r\n\r\nbody\r\n",
                headerDomainNotQualified("Reply-To", "eng")),
            new Refusal("a From alice may not use",
                token -> "From: Carol <" + CAROL_REMOTE + ">\r\nTo: " + BOB + "\r\nSubject: " + token + "\r\n\r\nbody\r\n",
                authorNotEntitled(CAROL_REMOTE, ALICE)));
    }

    @Nested
    class Refusals {
        @ParameterizedTest
        @EnumSource(value = Listener.class, names = {"SUBMISSION", "SUBMISSIONS"})
        void brokenHeadersShouldBeRefusedAtTheEndOfDataAndNothingDelivered(Listener listener) throws Exception {
            int inboxBefore = inboxSize(BOB);
            List<String> refusedTokens = new ArrayList<>();
            String accepted = TestMessages.uniqueSubject("correct after refusals on " + listener);
            SoftAssertions softly = new SoftAssertions();

            try (SmtpTestClient smtp = james.server().connect(listener).authenticated(ALICE, PASSWORD)) {
                for (Refusal refusal : refusals()) {
                    String token = "refused-" + UUID.randomUUID();
                    refusedTokens.add(token);
                    assertThat(smtp.mailFrom(ALICE).line()).as(refusal.description).isEqualTo(senderOk(ALICE));
                    assertThat(smtp.rcptTo(BOB).line()).as(refusal.description).isEqualTo(recipientOk(BOB));
                    assertThat(smtp.rcptTo(CAROL_REMOTE).line()).as(refusal.description).isEqualTo(recipientOk(CAROL_REMOTE));

                    softly.assertThat(smtp.data(refusal.message.apply(token)).line()).as(refusal.description).isEqualTo(refusal.reply);
                }

                // the session goes on: a correct message in the same session is accepted
                assertThat(smtp.mailFrom(ALICE).line()).isEqualTo(senderOk(ALICE));
                assertThat(smtp.rcptTo(BOB).line()).isEqualTo(recipientOk(BOB));
                assertThat(smtp.rcptTo(CAROL_REMOTE).line()).isEqualTo(recipientOk(CAROL_REMOTE));
                assertThat(smtp.data(TestMessages.message(ALICE, BOB, accepted)).line()).isEqualTo(MESSAGE_ACCEPTED);
            }
            softly.assertAll();

            // refused messages never reach the spool; the correct one, sent after them, arrives at both ends
            awaitRelayed(accepted);
            try (ImapTestClient imap = james.server().imap(BOB)) {
                imap.awaitMessage(accepted);
                assertThat(imap.inboxSize()).as("bob's INBOX: only the correct message was added").isEqualTo(inboxBefore + 1);
            }
            assertThat(james.server().relayedMessages())
                .extracting(HeaderRulesTest::data)
                .hasSize(1)
                .allSatisfy(data -> assertThat(data).contains("Subject: " + accepted + "\r\n"))
                .allSatisfy(data -> assertThat(refusedTokens).noneMatch(data::contains));
        }
    }

    @Nested
    class Acceptances {
        @Test
        void fromOfAUserWhoDelegatedToAliceShouldBeAccepted() throws Exception {
            String subject = TestMessages.uniqueSubject("from the delegator");
            submit(Listener.SUBMISSIONS, "From: Bob <" + BOB + ">\r\nTo: " + BOB + "\r\nSubject: " + subject + "\r\n\r\nbody\r\n");

            try (ImapTestClient imap = james.server().imap(BOB)) {
                assertThat(imap.awaitMessage(subject).fromHeaders()).containsExactly("Bob <" + BOB + ">");
            }
        }

        @Test
        void fromOfAnAliasOfAliceShouldBeAccepted() throws Exception {
            String subject = TestMessages.uniqueSubject("from the alias");
            submit(Listener.SUBMISSION, "From: " + ALICE_ALIAS + "\r\nTo: " + BOB + "\r\nSubject: " + subject + "\r\n\r\nbody\r\n");

            try (ImapTestClient imap = james.server().imap(BOB)) {
                assertThat(imap.awaitMessage(subject).fromHeaders()).containsExactly(ALICE_ALIAS);
            }
        }

        @Test
        void coAuthorsWithAliceAmongThemAndASenderShouldBeAccepted() throws Exception {
            String subject = TestMessages.uniqueSubject("co-authors");
            submit(Listener.SUBMISSION, "From: " + CAROL_REMOTE + ", Alice <" + ALICE + ">\r\nSender: " + ALICE + "\r\nTo: " + BOB
                + "\r\nSubject: " + subject + "\r\n\r\nbody\r\n");

            try (ImapTestClient imap = james.server().imap(BOB)) {
                assertThat(imap.awaitMessage(subject).fromHeaders()).containsExactly(CAROL_REMOTE + ", Alice <" + ALICE + ">");
            }
        }

        @Test
        void encodedWordsAndAnExpandableDomainShouldBeAccepted() throws Exception {
            String subject = TestMessages.uniqueSubject("encoded words");
            submit(Listener.SUBMISSIONS, "From: =?UTF-8?Q?Al=C3=AFce?= <" + ALICE + ">\r\nTo: bob@sales\r\nSubject: " + subject
                + "\r\n\r\nbody\r\n");

            try (ImapTestClient imap = james.server().imap(BOB)) {
                assertThat(imap.awaitMessage(subject).fromHeaders()).containsExactly("=?UTF-8?Q?Al=C3=AFce?= <" + ALICE + ">");
            }
        }

        private void submit(Listener listener, String message) throws Exception {
            try (SmtpTestClient smtp = james.server().connect(listener).authenticated(ALICE, PASSWORD)) {
                assertThat(smtp.mailFrom(ALICE).line()).isEqualTo(senderOk(ALICE));
                assertThat(smtp.rcptTo(BOB).line()).isEqualTo(recipientOk(BOB));
                assertThat(smtp.data(message).line()).isEqualTo(MESSAGE_ACCEPTED);
            }
        }
    }

    @Nested
    class PortTwentyFive {
        @Test
        void mxShouldAcceptAndDeliverBrokenHeadersWithoutChecking() throws Exception {
            String subject = TestMessages.uniqueSubject("broken header on 25");
            String message = "To: bob@squeaky.sales, bob@sales; " + BOB + "\r\n"
                + "Cc: carol@\r\n"
                + "X-Note: Grüße\r\n"
                + "Subject: " + subject + "\r\n"
                + "\r\n"
                + "body\r\n";
            try (SmtpTestClient smtp = james.server().connect(Listener.MX)) {
                smtp.ehlo();
                assertThat(smtp.mailFrom(CAROL_REMOTE).line()).isEqualTo(senderOk(CAROL_REMOTE));
                assertThat(smtp.rcptTo(BOB).line()).isEqualTo(recipientOk(BOB));

                assertThat(smtp.data(message).line()).isEqualTo(MESSAGE_ACCEPTED);
            }

            try (ImapTestClient imap = james.server().imap(BOB)) {
                assertThat(imap.awaitMessage(subject).fromHeaders()).isEmpty();
            }
        }
    }

    /**
     * QualifyAddresses in the submission processor of mailetcontainer.xml, with
     * {@code <domainExpansions>${sys:msa.domain.expansions}</domainExpansions>}. Fails until that mailet is there.
     */
    @Nested
    class Qualification {
        @Test
        void singleLabelDomainsInTheHeaderShouldArriveExpandedWithEverythingElseKept() throws Exception {
            String subject = TestMessages.uniqueSubject("qualified header");
            String message = "From: Alice <" + ALICE + ">\r\n"
                + "To: bob@sales,\r\n Carol <" + CAROL_REMOTE + ">\r\n"
                + "Cc: =?UTF-8?Q?D=C3=A4ve?= <dave@sales> (sales desk), team: erin@sales;\r\n"
                + "Subject: " + subject + "\r\n"
                + "\r\n"
                + "body for bob@sales\r\n";
            try (SmtpTestClient smtp = james.server().connect(Listener.SUBMISSION).authenticated(ALICE, PASSWORD)) {
                assertThat(smtp.mailFrom(ALICE).line()).isEqualTo(senderOk(ALICE));
                assertThat(smtp.rcptTo("bob@sales").line()).isEqualTo(recipientOk(BOB_AT_SALES));
                assertThat(smtp.rcptTo(CAROL_REMOTE).line()).isEqualTo(recipientOk(CAROL_REMOTE));
                assertThat(smtp.data(message).line()).isEqualTo(MESSAGE_ACCEPTED);
            }

            MimeMessage relayed = parse(awaitRelayed(subject));
            assertThat(relayed.getHeader("To")).containsExactly("bob@sales.example.test,\r\n Carol <" + CAROL_REMOTE + ">");
            assertThat(relayed.getHeader("Cc"))
                .containsExactly("=?UTF-8?Q?D=C3=A4ve?= <dave@sales.example.test> (sales desk), team: erin@sales.example.test;");
            assertThat(relayed.getHeader("From")).containsExactly("Alice <" + ALICE + ">");
            assertThat(data(james.server().relayedMessages().get(0))).endsWith("\r\n\r\nbody for bob@sales\r\n");
        }
    }

    // ------------------------------------------------------------------------------------------------ helpers

    private static int inboxSize(String user) throws Exception {
        try (ImapTestClient imap = james.server().imap(user)) {
            return imap.inboxSize();
        }
    }

    private static WiserMessage awaitRelayed(String subject) {
        return Awaitility.await("relayed message '" + subject + "'")
            .atMost(DELIVERY_TIMEOUT)
            .pollInterval(Duration.ofMillis(100))
            .until(() -> james.server().relayedMessages().stream()
                .filter(message -> data(message).contains("Subject: " + subject + "\r\n"))
                .collect(Collectors.toList()), found -> !found.isEmpty())
            .get(0);
    }

    private static String data(WiserMessage message) {
        return new String(message.getData(), StandardCharsets.UTF_8);
    }

    private static MimeMessage parse(WiserMessage message) throws Exception {
        return new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(message.getData()));
    }
}
