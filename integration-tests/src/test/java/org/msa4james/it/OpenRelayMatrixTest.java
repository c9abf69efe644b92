package org.msa4james.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.DynamicContainer.dynamicContainer;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;
import static org.msa4james.it.ExpectedReplies.AUTHENTICATION_FAILED;
import static org.msa4james.it.ExpectedReplies.AUTHENTICATION_REQUIRED;
import static org.msa4james.it.ExpectedReplies.AUTHENTICATION_SUCCESSFUL;
import static org.msa4james.it.ExpectedReplies.MESSAGE_ACCEPTED;
import static org.msa4james.it.ExpectedReplies.MX_AUTH_UNSUPPORTED;
import static org.msa4james.it.ExpectedReplies.MX_RECIPIENT_SYNTAX_ERROR;
import static org.msa4james.it.ExpectedReplies.NEED_MAIL_BEFORE_RCPT;
import static org.msa4james.it.ExpectedReplies.READY_TO_START_TLS;
import static org.msa4james.it.ExpectedReplies.RECIPIENT_SYNTAX_ERROR;
import static org.msa4james.it.ExpectedReplies.RELAYING_DENIED;
import static org.msa4james.it.ExpectedReplies.recipientOk;
import static org.msa4james.it.ExpectedReplies.senderNotEntitled;
import static org.msa4james.it.ExpectedReplies.senderOk;
import static org.msa4james.it.ExpectedReplies.unexpectedErrorForRecipient;
import static org.msa4james.it.ExpectedReplies.unknownLocalUser;
import static org.msa4james.it.Fixtures.ALICE;
import static org.msa4james.it.Fixtures.BOB;
import static org.msa4james.it.Fixtures.CAROL_REMOTE;
import static org.msa4james.it.Fixtures.DAVE_REMOTE;
import static org.msa4james.it.Fixtures.MALLORY_REMOTE;
import static org.msa4james.it.Fixtures.PASSWORD;

import java.io.EOFException;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import javax.mail.MessagingException;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.subethamail.wiser.WiserMessage;

/**
 * Open-relay matrix: every combination of listener (25, 587, 465), authentication (none, wrong password,
 * right password), sender (alice, a remote address, bob forged by alice, the null sender) and recipient (a local user, a remote
 * address, and address tricks that try to smuggle a remote recipient past a local domain), each a real SMTP session
 * against one James on the shipped configuration.
 *
 * <p>Only two kinds of case may be accepted ({@link #withinPolicy}): an authenticated submission (587 or 465) with a
 * sender alice may use, and mail on port 25 to an existing local user. Every other case must be refused by some command with the exact
 * reply listed in {@link Recipient} and {@link #expectedTranscript}; and at the end the fake remote server (Wiser)
 * must have received exactly the subjects of the authenticated submissions to a remote recipient, nothing else.
 * 4 x 3 x 3 x 11 = 396 sessions; the counts are printed at the end.</p>
 *
 * <p>A {@link TestFactory} rather than a {@code @ParameterizedTest}: {@link MsaJamesExtension} clears the Wiser before
 * each test method, and the final check must see what every case of the matrix let through.</p>
 */
class OpenRelayMatrixTest {

    @RegisterExtension
    static MsaJamesExtension james = MsaJamesExtension.withDefaults();

    /** Bound of one whole session (connect, TLS, AUTH, MAIL, RCPT, DATA); never a performance assertion. */
    private static final Duration SESSION_BOUND = Duration.ofSeconds(20);
    private static final Duration RELAY_BOUND = Duration.ofSeconds(60);
    private static final String WRONG_PASSWORD = "not-" + PASSWORD;

    // every distinct reply the matrix expects is in ExpectedReplies; see there and the javadoc of Recipient

    /** Recorded in a transcript when the server closed the connection instead of answering a command. */
    static final String CONNECTION_CLOSED = "(connection closed by the server)";

    enum Auth {
        NONE, WRONG_PASSWORD, AUTHENTICATED
    }

    /** MAIL FROM; the message's From field is the sender, or alice for the null sender. */
    enum Sender {
        LOCAL(ALICE), REMOTE(MALLORY_REMOTE), FORGED_LOCAL(BOB),
        /** The null reverse-path: RFC 6409 3.2, not by itself a reason to refuse; alice is entitled to it. */
        NULL("");

        final String address;

        Sender(String address) {
            this.address = address;
        }

        String headerFrom() {
            return address.isEmpty() ? ALICE : address;
        }
    }

    /**
     * The recipients, each with the exact RCPT reply on port 25 (MAIL accepted, no authentication) and on 587/465
     * (authenticated as alice, entitled sender), and whether an accepted submission leaves for the remote world.
     */
    enum Recipient {
        /** An existing local user: delivered locally from 25 and from an authenticated submission. */
        LOCAL_USER(BOB, recipientOk(BOB), recipientOk(BOB), false),
        /** A remote address: relaying denied on 25, relayed for an authenticated submission. */
        REMOTE(CAROL_REMOTE, RELAYING_DENIED, recipientOk(CAROL_REMOTE), true),
        /**
         * Percent hack: the domain is local, so James looks for a local user "carol%example.com", finds none and
         * refuses it (ValidRcptHandler), on every listener. James never routes by '%': nothing is relayed.
         */
        PERCENT_HACK("carol%example.com@example.test",
            unknownLocalUser("carol%example.com@example.test"),
            unknownLocalUser("carol%example.com@example.test"), false),
        /**
         * Source route: James's address parser does not take the obsolete route syntax at all, so it is a syntax error
         * on every listener (553 from James on 25, 501 from RecipientSyntaxCmdHandler on 587/465). RFC 5321 4.1.1.3
         * would let a server ignore the route; refusing it is stricter, and the route can never make example.test
         * relay to example.com.
         */
        SOURCE_ROUTE("@example.test:carol@example.com", MX_RECIPIENT_SYNTAX_ERROR, RECIPIENT_SYNTAX_ERROR, false),
        /**
         * A quoted local part containing '@' in a local domain: not a local user, never relayed; James answers a
         * temporary failure (see {@link ExpectedReplies#unexpectedErrorForRecipient}: a defect of James 3.8.1, the
         * condition is permanent) on every listener.
         */
        QUOTED_AT("\"carol@example.com\"@example.test",
            unexpectedErrorForRecipient("\"carol@example.com\"@example.test"),
            unexpectedErrorForRecipient("\"carol@example.com\"@example.test"), false),
        /** A trailing dot is not RFC 5321 domain syntax: a syntax error (553 from James on 25, 501 on 587/465). */
        TRAILING_DOT("carol@example.com.", MX_RECIPIENT_SYNTAX_ERROR, RECIPIENT_SYNTAX_ERROR, false),
        /**
         * Domains are case-insensitive: an upper-case remote address is still remote (denied on 25, relayed for an
         * authenticated submission). James lower-cases the domain, keeps the local part.
         */
        UPPER_CASE("CAROL@EXAMPLE.COM", RELAYING_DENIED, recipientOk("CAROL@example.com"), true),
        /**
         * An address literal: 127.0.0.1 is not a local domain (autodetectIP=false), so it is a remote destination:
         * denied on 25; an authenticated submission may send to it (it leaves through the relay gateway). James's
         * address parser drops the brackets of the literal (echo carol@127.0.0.1).
         */
        IP_LITERAL("carol@[127.0.0.1]", RELAYING_DENIED, recipientOk("carol@127.0.0.1"), true),
        /** A bang path in a local domain: James does no UUCP routing; no such local user, refused on every listener. */
        BANG_PATH("example.com!carol@example.test",
            unknownLocalUser("example.com!carol@example.test"),
            unknownLocalUser("example.com!carol@example.test"), false),
        /** A raw UTF-8 domain without SMTPUTF8 (James offers none): a syntax error on every listener. */
        IDN_UTF8("carol@b\u00fccher.example", MX_RECIPIENT_SYNTAX_ERROR, RECIPIENT_SYNTAX_ERROR, false),
        /**
         * The same domain in punycode: a remote domain, denied on 25. On 587/465 ".example" (RFC 2606) is no public
         * top-level domain, so the domain is not fully qualified (RFC 6409 4.2).
         */
        IDN_PUNYCODE("carol@xn--bcher-kva.example", RELAYING_DENIED,
            ExpectedReplies.recipientDomainNotQualified("xn--bcher-kva.example"), false);

        final String address;
        final String mxReply;
        final String submissionReply;
        final boolean remote;

        Recipient(String address, String mxReply, String submissionReply, boolean remote) {
            this.address = address;
            this.mxReply = mxReply;
            this.submissionReply = submissionReply;
            this.remote = remote;
        }
    }

    private static final Set<String> expectedRelayedSubjects = ConcurrentHashMap.newKeySet();
    private static final Set<String> acceptedSubjects = ConcurrentHashMap.newKeySet();
    private static final Set<String> distinctReplies = ConcurrentHashMap.newKeySet();
    private static final AtomicInteger cases = new AtomicInteger();
    private static final AtomicInteger accepted = new AtomicInteger();
    private static final AtomicInteger refused = new AtomicInteger();

    @TestFactory
    Stream<DynamicNode> openRelayMatrix() {
        Stream<DynamicNode> matrix = Arrays.stream(Listener.values())
            .map(listener -> dynamicContainer(portOf(listener) + " (" + listener.jmxName() + ")",
                Arrays.stream(Auth.values()).map(auth -> dynamicContainer(auth.name(),
                    Arrays.stream(Sender.values()).flatMap(sender -> Arrays.stream(Recipient.values())
                        .map(recipient -> matrixCase(listener, auth, sender, recipient)))))));
        return Stream.concat(matrix, Stream.of(dynamicTest("the Wiser received exactly the authenticated remote submissions",
            OpenRelayMatrixTest::onlyAuthenticatedRemoteSubmissionsReachedTheWiser)));
    }

    private static DynamicTest matrixCase(Listener listener, Auth auth, Sender sender, Recipient recipient) {
        String name = portOf(listener) + " " + auth + " MAIL FROM:<" + sender.address + "> RCPT TO:<" + recipient.address + ">";
        return dynamicTest(name, () -> {
            String subject = TestMessages.uniqueSubject("open-relay matrix " + portOf(listener) + " " + auth + " " + sender + " " + recipient);
            List<String> expected = expectedTranscript(listener, auth, sender, recipient);
            String expectedEnd = expected.get(expected.size() - 1);
            boolean expectedAccepted = expectedEnd.equals("DATA " + MESSAGE_ACCEPTED);
            // the oracle itself stays within the policy: only these two kinds of case may ever be accepted,
            // everything else ends with a 4xx or 5xx reply
            assertThat(!expectedAccepted || withinPolicy(listener, auth, sender, recipient)).as("oracle of " + name).isTrue();
            assertThat(expectedAccepted || expectedEnd.matches("[A-Z]+ [45]\\d\\d .*")).as("oracle of " + name).isTrue();
            if (expectedAccepted && recipient.remote) {
                expectedRelayedSubjects.add(subject);
            }
            cases.incrementAndGet();
            String clientAddress = clientAddress(cases.get());
            List<String> observed;
            try {
                observed = assertTimeoutPreemptively(SESSION_BOUND,
                    () -> runSession(clientAddress, listener, auth, sender, recipient, subject), name);
            } catch (Exception e) {
                throw new AssertionError(name + " from " + clientAddress + ": " + e, e);
            }
            observed.forEach(line -> distinctReplies.add(replyKind(line, sender, recipient)));
            if (observed.get(observed.size() - 1).equals("DATA " + MESSAGE_ACCEPTED)) {
                accepted.incrementAndGet();
                acceptedSubjects.add(subject);
            } else {
                refused.incrementAndGet();
            }
            assertThat(observed).as(name).containsExactlyElementsOf(expected);
        });
    }

    /**
     * One session: what each command was answered, as "COMMAND reply-line". DATA is only sent when RCPT was accepted;
     * RCPT is sent even after a refused MAIL, as a relay probe would.
     */
    private static List<String> runSession(String clientAddress, Listener listener, Auth auth, Sender sender,
                                           Recipient recipient, String subject) throws Exception {
        List<String> transcript = new ArrayList<>();
        int port = james.server().smtpPort(listener);
        try (SmtpTestClient smtp = listener.implicitTls()
            ? SmtpTestClient.connectImplicitTlsFrom(clientAddress, MsaJamesServer.LOOPBACK, port)
            : SmtpTestClient.connectFrom(clientAddress, MsaJamesServer.LOOPBACK, port)) {
            assertThat(smtp.ehlo().code()).isEqualTo(250);
            if (auth != Auth.NONE) {
                if (!smtp.isTls()) {
                    if (!step(transcript, "STARTTLS", smtp::startTls)) {
                        return transcript;
                    }
                    assertThat(smtp.ehlo().code()).isEqualTo(250);
                }
                String password = auth == Auth.AUTHENTICATED ? PASSWORD : WRONG_PASSWORD;
                if (!step(transcript, "AUTH", () -> smtp.authPlain(ALICE, password))) {
                    return transcript;
                }
            }
            if (!step(transcript, "MAIL", () -> smtp.mailFrom(sender.address))) {
                return transcript;
            }
            if (!step(transcript, "RCPT", () -> smtp.rcptTo(recipient.address))) {
                return transcript;
            }
            if (transcript.get(transcript.size() - 1).startsWith("RCPT 2")) {
                step(transcript, "DATA", () -> smtp.data(TestMessages.message(sender.headerFrom(), headerTo(recipient), subject)));
            }
        }
        return transcript;
    }

    private interface SmtpCommand {
        SmtpReply send() throws IOException;
    }

    /** Sends one command and records its reply; false when the server closed the connection instead of answering. */
    private static boolean step(List<String> transcript, String command, SmtpCommand smtpCommand) throws IOException {
        try {
            transcript.add(command + " " + smtpCommand.send().line());
            return true;
        } catch (EOFException closed) {
            transcript.add(command + " " + CONNECTION_CLOSED);
            return false;
        }
    }

    /**
     * Each case connects from its own loopback address (Linux routes all of 127/8 to the loopback interface), so
     * that no case inherits per-address state from another: the failed-AUTH counter of the abuse limits (its
     * 454 4.7.0 lock-out after a few failures would otherwise refuse every later AUTH of the matrix, the right
     * password included), the per-address connection limit. The abuse limits have tests of their own.
     */
    static String clientAddress(int caseNumber) {
        return "127.77." + (caseNumber / 250) + "." + (1 + caseNumber % 250);
    }

    /**
     * The policy: only an authenticated submission (587 or 465) with a sender the user may use (alice's
     * own address or the null sender), or port 25 mail to a local user, may be accepted.
     */
    static boolean withinPolicy(Listener listener, Auth auth, Sender sender, Recipient recipient) {
        if (listener == Listener.MX) {
            return recipient == Recipient.LOCAL_USER;
        }
        return auth == Auth.AUTHENTICATED && (sender == Sender.LOCAL || sender == Sender.NULL);
    }

    /** The oracle: what each command of the case must be answered. */
    static List<String> expectedTranscript(Listener listener, Auth auth, Sender sender, Recipient recipient) {
        List<String> transcript = new ArrayList<>();
        boolean mx = listener == Listener.MX;
        boolean authenticated = !mx && auth == Auth.AUTHENTICATED;
        if (auth != Auth.NONE) {
            if (!listener.implicitTls()) {
                transcript.add("STARTTLS " + READY_TO_START_TLS);
            }
            transcript.add("AUTH " + (mx ? MX_AUTH_UNSUPPORTED : authenticated ? AUTHENTICATION_SUCCESSFUL : AUTHENTICATION_FAILED));
        }
        String mailReply;
        if (mx) {
            mailReply = senderOk(sender.address);
        } else if (!authenticated) {
            mailReply = AUTHENTICATION_REQUIRED;
        } else if (sender == Sender.LOCAL || sender == Sender.NULL) {
            mailReply = senderOk(sender.address);
        } else {
            mailReply = senderNotEntitled(sender.address, ALICE);
        }
        transcript.add("MAIL " + mailReply);
        if (!mailReply.startsWith("250 ")) {
            transcript.add("RCPT " + NEED_MAIL_BEFORE_RCPT);
            return transcript;
        }
        String rcptReply = mx ? recipient.mxReply : recipient.submissionReply;
        transcript.add("RCPT " + rcptReply);
        if (rcptReply.startsWith("250 ")) {
            transcript.add("DATA " + MESSAGE_ACCEPTED);
        }
        return transcript;
    }

    private static void onlyAuthenticatedRemoteSubmissionsReachedTheWiser() throws Exception {
        Awaitility.await("every authenticated remote submission at the Wiser")
            .atMost(RELAY_BOUND)
            .pollInterval(Duration.ofMillis(200))
            .untilAsserted(() -> assertThat(relayedSubjects()).containsAll(expectedRelayedSubjects));

        // a sentinel sent after the whole matrix through the same spool and gateway: once it is at the Wiser,
        // anything a case of the matrix had queued would have left too
        String sentinel = TestMessages.uniqueSubject("open-relay matrix sentinel");
        try (SmtpTestClient smtp = james.server().connect(Listener.SUBMISSIONS).authenticated(ALICE, PASSWORD)) {
            assertThat(smtp.mailFrom(ALICE).line()).isEqualTo(senderOk(ALICE));
            assertThat(smtp.rcptTo(DAVE_REMOTE).line()).isEqualTo(recipientOk(DAVE_REMOTE));
            assertThat(smtp.data(TestMessages.message(ALICE, DAVE_REMOTE, sentinel)).line()).isEqualTo(MESSAGE_ACCEPTED);
        }
        Awaitility.await("the sentinel at the Wiser")
            .atMost(RELAY_BOUND)
            .pollInterval(Duration.ofMillis(200))
            .until(() -> relayedSubjects().contains(sentinel));

        Set<String> relayed = relayedSubjects();
        relayed.remove(sentinel);
        Set<String> unexpected = relayed.stream()
            .filter(subject -> !expectedRelayedSubjects.contains(subject))
            .collect(Collectors.toCollection(TreeSet::new));
        System.out.println("open-relay matrix: " + cases.get() + " cases, " + accepted.get() + " accepted, "
            + refused.get() + " refused, " + unexpected.size() + " relayed unexpectedly ("
            + expectedRelayedSubjects.size() + " authenticated remote submissions relayed as expected)");
        System.out.println("open-relay matrix: distinct replies observed:");
        distinctReplies.stream().sorted().forEach(reply -> System.out.println("  " + reply));

        assertThat(cases.get()).isEqualTo(Listener.values().length * Auth.values().length * Sender.values().length
            * Recipient.values().length);
        assertThat(unexpected).as("relayed although no case expected it").isEmpty();
        assertThat(relayed).isEqualTo(expectedRelayedSubjects);
        assertThat(acceptedSubjects).containsAll(expectedRelayedSubjects);
    }

    /** A transcript line with the case's own addresses replaced, so that equal kinds of reply count once. */
    private static String replyKind(String line, Sender sender, Recipient recipient) {
        if (line.startsWith("MAIL ") && !sender.address.isEmpty()) {
            return line.replace("<" + sender.address + ">", "<sender>");
        }
        if (line.startsWith("RCPT ")) {
            return line.replace(recipient.address, "recipient");
        }
        return line;
    }

    /** The To field: a plain address (the envelope carries the trick; a header field may not, RFC 5322). */
    private static String headerTo(Recipient recipient) {
        return recipient.remote ? CAROL_REMOTE : BOB;
    }

    private static Set<String> relayedSubjects() {
        Set<String> subjects = ConcurrentHashMap.newKeySet();
        for (WiserMessage message : james.server().relayedMessages()) {
            try {
                subjects.add(message.getMimeMessage().getSubject());
            } catch (MessagingException e) {
                throw new IllegalStateException("unreadable message at the Wiser", e);
            }
        }
        return subjects;
    }

    private static int portOf(Listener listener) {
        switch (listener) {
            case MX:
                return 25;
            case SUBMISSION:
                return 587;
            default:
                return 465;
        }
    }
}
