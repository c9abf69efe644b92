package org.msa4james.mailet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.msa4james.mailet.CompletionMails.RECEIVED_AT;

import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import javax.mail.MessagingException;

import org.apache.mailet.base.test.FakeMail;
import org.apache.mailet.base.test.FakeMailetConfig;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class AddSenderTest {
    private static final String RECEIVED = "Received: from client.example.test by msa.example.test with ESMTPSA id 1f2e3d;\r\n\tSat, 28 Nov 2026 18:55:39 +0000";
    private static final String DATE = "Date: Sat, 28 Nov 2026 18:55:39 +0000";
    private static final String SUBJECT = "Subject: Hello";
    private static final String ALICE_AS_SENDER = "Sender: alice@example.test";

    private CompletionJamesData james;
    private AddSender mailet;

    @BeforeEach
    void setUp() throws Exception {
        james = new CompletionJamesData();
        mailet = new AddSender(james.canSendFrom, james.domainList);
        mailet.init(FakeMailetConfig.builder().mailetName("AddSender").build());
    }

    /** The header lines after alice@example.test submitted a message with these header lines. */
    private List<String> submittedByAlice(String... headerLines) throws Exception {
        return submittedBy(Optional.of("alice@example.test"), headerLines);
    }

    private List<String> submittedBy(Optional<String> user, String... headerLines) throws Exception {
        BodyTrapMessage trap = BodyTrapMessage.withHeader(headerLines);
        mailet.service(CompletionMails.submission(trap.message(), user, Optional.of(RECEIVED_AT), Optional.of("alice@example.test")));
        assertThat(trap.bodyWasRead()).isFalse();
        return trap.headerLines();
    }

    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class UserIsAnAuthor {
        Stream<Arguments> fromFieldsWithAlice() {
            return Stream.of(
                Arguments.of("From: alice@example.test"),
                Arguments.of("From: Alice Liddell <alice@example.test>"),
                Arguments.of("From: \"Liddell, Alice\" <ALICE@Example.TEST>"),
                Arguments.of("From: Alice Liddell <a.liddell@example.test>"),
                Arguments.of("From: alice@alias.example.test"),
                Arguments.of("From: =?UTF-8?B?0JDQu9C40YHQsA==?= <alice@example.test>"),
                Arguments.of("From: =?ISO-8859-1?Q?Alice_Lidd=E9ll?= <a.liddell@example.test>"),
                Arguments.of("From: Carol <carol@example.com>, Alice <alice@example.test>"),
                Arguments.of("From: Team: carol@example.com, alice@example.test;"),
                Arguments.of("From: Alice\r\n <alice@example.test>"),
                Arguments.of("From: alice@example.test (Alice in the office)"));
        }

        @ParameterizedTest
        @MethodSource("fromFieldsWithAlice")
        void serviceShouldLeaveTheMessageUntouchedWhenTheUserIsAnAuthor(String fromLine) throws Exception {
            assertThat(submittedByAlice(RECEIVED, fromLine, DATE, SUBJECT)).containsExactly(RECEIVED, fromLine, DATE, SUBJECT);
        }

        @Test
        void serviceShouldKeepTheSenderOfAnAuthor() throws Exception {
            String from = "From: Carol <carol@example.com>, Alice <alice@example.test>";
            String sender = "Sender: Carol <carol@example.com>";

            assertThat(submittedByAlice(from, sender, SUBJECT)).containsExactly(from, sender, SUBJECT);
        }
    }

    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class UserIsNotAnAuthor {
        Stream<Arguments> fromFieldsWithoutAlice() {
            return Stream.of(
                Arguments.of("From: carol@example.com"),
                Arguments.of("From: Bob <bob@example.test>"),
                Arguments.of("From: Alice <alice@example.com>"),
                Arguments.of("From: alice@sales.example.test"),
                Arguments.of("From: =?UTF-8?B?QWxpY2U=?= <bob@example.test>"),
                Arguments.of("From: \"alice@example.test\" <carol@example.com>"),
                Arguments.of("From: Carol <carol@example.com>, Dave <dave@example.com>"),
                Arguments.of("From: Team: carol@example.com, dave@example.com;"),
                Arguments.of("From: undisclosed-recipients:;"),
                Arguments.of("From: Alice <alice@example.test"),
                Arguments.of("From: alice"),
                Arguments.of("From: "),
                Arguments.of("X-No-From: true"));
        }

        @ParameterizedTest
        @MethodSource("fromFieldsWithoutAlice")
        void serviceShouldAddTheUserAsSenderWhenTheUserIsNotAnAuthor(String fromLine) throws Exception {
            assertThat(submittedByAlice(RECEIVED, fromLine, DATE, SUBJECT)).containsExactly(RECEIVED, fromLine, DATE, SUBJECT, ALICE_AS_SENDER);
        }

        @Test
        void serviceShouldAddTheUserAsSenderWhenFromHoldsRawUtf8() throws Exception {
            // Without SMTPUTF8 the header checks refuse such a field; JavaMail reads its bytes as ISO-8859-1, and
            // the strict parser does not take it for an address list.
            BodyTrapMessage trap = BodyTrapMessage.withHeader("From: \u0410\u043b\u0438\u0441\u0430 <alice@example.test>", SUBJECT);
            List<String> before = trap.headerLines();

            mailet.service(CompletionMails.submission(trap.message()));

            assertThat(trap.headerLines()).containsExactly(before.get(0), SUBJECT, ALICE_AS_SENDER);
        }

        @ParameterizedTest
        @ValueSource(strings = {"Sender: carol@example.com", "Sender: Bob <bob@example.test>", "Sender: garbage <",
            "sender: alice@example.test, bob@example.test", "Sender: a.liddell@example.test"})
        void serviceShouldReplaceASenderThatIsNotTheUser(String senderLine) throws Exception {
            String from = "From: Carol <carol@example.com>";

            assertThat(submittedByAlice(RECEIVED, from, senderLine, SUBJECT)).containsExactly(RECEIVED, from, SUBJECT, ALICE_AS_SENDER);
        }

        @Test
        void serviceShouldReplaceSeveralSenderFieldsByOne() throws Exception {
            String from = "From: Carol <carol@example.com>";

            assertThat(submittedByAlice(from, ALICE_AS_SENDER, "Sender: bob@example.test", SUBJECT))
                .containsExactly(from, SUBJECT, ALICE_AS_SENDER);
        }

        @ParameterizedTest
        @ValueSource(strings = {ALICE_AS_SENDER, "Sender: Alice Liddell <Alice@Example.TEST>", "Sender: =?UTF-8?B?0JDQu9C40YHQsA==?= <alice@example.test>"})
        void serviceShouldKeepASenderThatAlreadyNamesTheUser(String senderLine) throws Exception {
            String from = "From: Carol <carol@example.com>";

            assertThat(submittedByAlice(RECEIVED, from, senderLine, SUBJECT)).containsExactly(RECEIVED, from, senderLine, SUBJECT);
        }

        @Test
        void serviceShouldQualifyAUserWithoutDomainWithTheDefaultDomain() throws Exception {
            assertThat(submittedBy(Optional.of("alice"), "From: carol@example.com")).containsExactly("From: carol@example.com", ALICE_AS_SENDER);
            assertThat(submittedBy(Optional.of("alice"), "From: alice@example.test")).containsExactly("From: alice@example.test");
        }
    }

    @Nested
    class Untouched {
        @Test
        void serviceShouldLeaveASubmissionFromATrustedNetworkUntouched() throws Exception {
            assertThat(submittedBy(Optional.empty(), RECEIVED, "From: carol@example.com", SUBJECT))
                .containsExactly(RECEIVED, "From: carol@example.com", SUBJECT);
        }

        @ParameterizedTest
        @ValueSource(strings = {"From: carol@example.com", "From: broken <"})
        void serviceShouldLeaveMailRelayedInUntouched(String fromLine) throws Exception {
            BodyTrapMessage trap = BodyTrapMessage.withHeader(RECEIVED, fromLine, "Sender: dave@example.com", SUBJECT);
            List<String> before = trap.headerLines();

            mailet.service(CompletionMails.relayed(trap.message()));

            assertThat(trap.headerLines()).isEqualTo(before).containsExactly(RECEIVED, fromLine, "Sender: dave@example.com", SUBJECT);
        }
    }

    @Nested
    class Body {
        @Test
        void serviceShouldNotReadTheBody() throws Exception {
            BodyTrapMessage trap = BodyTrapMessage.withHeader("From: carol@example.com", "Content-Type: text/plain; charset=UTF-8");
            FakeMail mail = CompletionMails.submission(trap.message());

            mailet.service(mail);

            assertThat(trap.bodyWasRead()).isFalse();
            assertThat(mail.getMessage().getHeader("Sender")).containsExactly("alice@example.test");
        }
    }

    @Nested
    class Initialisation {
        @Test
        void initShouldRejectAnyParameter() {
            AddSender mailet = new AddSender(james.canSendFrom, james.domainList);

            assertThatThrownBy(() -> mailet.init(FakeMailetConfig.builder().mailetName("AddSender").setProperty("displayName", "true").build()))
                .isInstanceOf(MessagingException.class)
                .hasMessage("Mailet org.msa4james.mailet.AddSender: parameter 'displayName' is not a parameter of this mailet; known parameters: none");
        }

        @Test
        void serviceShouldRefuseAUserNameThatIsNotAnAddress() throws Exception {
            FakeMail mail = CompletionMails.submission(BodyTrapMessage.withHeader("From: carol@example.com").message(),
                Optional.of("alice@example.test@evil"), Optional.of(RECEIVED_AT), Optional.empty());

            assertThatThrownBy(() -> mailet.service(mail))
                .isInstanceOf(MessagingException.class)
                .hasMessage("The authenticated user 'alice@example.test@evil' is not a James user name");
        }

        @Test
        void getMailetInfoShouldDescribeTheMailet() {
            assertThat(mailet.getMailetInfo()).isEqualTo("AddSender: names the authenticated user in Sender when the user is not an author in From (RFC 6409 section 8.1)");
        }
    }
}
