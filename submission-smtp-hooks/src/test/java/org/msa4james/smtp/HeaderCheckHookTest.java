package org.msa4james.smtp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;

import org.apache.commons.configuration2.ex.ConfigurationException;
import org.apache.james.core.Domain;
import org.apache.james.core.MailAddress;
import org.apache.james.core.Username;
import org.apache.james.domainlist.api.DomainList;
import org.apache.james.domainlist.api.DomainListException;
import org.apache.james.protocols.smtp.SMTPSession;
import org.apache.james.protocols.smtp.hook.HookResult;
import org.apache.james.rrt.api.CanSendFrom;
import org.apache.james.server.core.MailImpl;
import org.apache.james.server.core.MimeMessageSource;
import org.apache.james.user.memory.MemoryDelegationStore;
import org.apache.james.user.memory.NaiveDelegationStore;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.reactivestreams.Publisher;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

class HeaderCheckHookTest {
    private static final String ALICE = "alice@example.test";
    private static final String BOB = "bob@example.test";
    private static final String EXPANSIONS = "sales=sales.example.test, corp=example.test";
    /** A header that passes every check for alice; rows change one field of it. */
    private static final String VALID_REST = "To: Bob <bob@example.test>\r\n"
        + "Subject: Quarterly report\r\n"
        + "Date: Sat, 28 Nov 2026 10:00:00 +0000\r\n"
        + "Message-ID: <1234@example.test>\r\n";
    private static final String ACCEPTED = "accepted";

    private InMemoryJamesData data;
    private HeaderCheckHook hook;

    @BeforeEach
    void setUp() throws Exception {
        data = new InMemoryJamesData();
        hook = new HeaderCheckHook(data.domainList, data.canSendFrom, data.delegationStore);
        hook.init(TestSessions.handlerConfiguration(HeaderCheckHook.class, HeaderCheckHook.DOMAIN_EXPANSIONS, EXPANSIONS));
    }

    static Stream<Arguments> brokenHeaders() {
        return Stream.of(
            // structure (RFC 5322 section 3.6)
            row("no From at all (scripts that only set To and Subject)",
                "To: bob@example.test\r\nSubject: cron output\r\n",
                "554 5.6.0 Header field From is missing"),
            row("two From fields (a mail merge that adds its own)",
                "From: alice@example.test\r\nFrom: Alice <alice@example.test>\r\n" + VALID_REST,
                "554 5.6.0 Header field From appears 2 times; RFC 5322 allows it once"),
            row("two Sender fields",
                "From: alice@example.test\r\nSender: alice@example.test\r\nSender: bob@example.test\r\n" + VALID_REST,
                "554 5.6.0 Header field Sender appears 2 times; RFC 5322 allows it once"),
            row("lower-case field names count too",
                "from: alice@example.test\r\nFROM: alice@example.test\r\n" + VALID_REST,
                "554 5.6.0 Header field From appears 2 times; RFC 5322 allows it once"),
            // syntax (RFC 6409 sections 5.1 and 6.3)
            row("From with an unclosed angle bracket",
                "From: Alice <alice@example.test\r\n" + VALID_REST,
                "554 5.6.0 Header field From is not a valid address list: expected '>' closing the address opened at position 7 at the end"),
            row("From with an unclosed quoted display name",
                "From: \"Alice <alice@example.test>\r\n" + VALID_REST,
                "554 5.6.0 Header field From is not a valid address list: quoted string is not closed"),
            row("From with a display name only",
                "From: Alice Liddell\r\n" + VALID_REST,
                "554 5.6.0 Header field From is not a valid address list: 'Alice Liddell' is not an address"),
            row("Cc with a missing domain",
                "From: alice@example.test\r\nCc: bob@\r\n" + VALID_REST,
                "554 5.6.0 Header field Cc is not a valid address list: missing domain"),
            row("To separated by semicolons (Outlook habit)",
                "From: alice@example.test\r\nTo: bob@example.test; carol@example.com\r\nSubject: x\r\n",
                "554 5.6.0 Header field To is not a valid address list: expected ',' between addresses, found ';'"),
            row("To with a bare name among addresses",
                "From: alice@example.test\r\nTo: bob@example.test, carol\r\nSubject: x\r\n",
                "554 5.6.0 Header field To is not a valid address list: 'carol' is not an address"),
            row("an empty To",
                "From: alice@example.test\r\nTo: \r\nSubject: x\r\n",
                "554 5.6.0 Header field To is not a valid address list: no address"),
            row("Reply-To with a double dot in the domain",
                "From: alice@example.test\r\nReply-To: alice@example..test\r\n" + VALID_REST,
                "554 5.6.0 Header field Reply-To is not a valid address list: empty label after 'example.' in the domain"),
            row("Bcc with an unclosed comment",
                "From: alice@example.test\r\nBcc: carol@example.com (Carol\r\n" + VALID_REST,
                "554 5.6.0 Header field Bcc is not a valid address list: comment is not closed with ')'"),
            row("Sender with the null address",
                "From: alice@example.test\r\nSender: <>\r\n" + VALID_REST,
                "554 5.6.0 Header field Sender is not a valid address: empty address '<>'"),
            row("Resent-To with a group that is never closed",
                "From: alice@example.test\r\nResent-To: team: bob@example.test\r\n" + VALID_REST,
                "554 5.6.0 Header field Resent-To is not a valid address list: group 'team' is not closed with ';'"),
            row("syntax is reported before 8-bit text",
                "From: alice@example.test\r\nCc: bob@\r\nSubject: Grüße\r\n",
                "554 5.6.0 Header field Cc is not a valid address list: missing domain"),
            row("a folded field: the reply is still one line",
                "From: alice@example.test\r\nTo: bob@example.test,\r\n  carol@example.com,\r\n\tdave\r\n" + "Subject: x\r\n",
                "554 5.6.0 Header field To is not a valid address list: 'dave' is not an address"),
            // authors (RFC 5322 section 3.6.2)
            row("From with only an empty group",
                "From: undisclosed-senders:;\r\n" + VALID_REST,
                "554 5.6.0 Header field From has no address"),
            row("Sender with two mailboxes",
                "From: alice@example.test\r\nSender: alice@example.test, bob@example.test\r\n" + VALID_REST,
                "554 5.6.0 Header field Sender must hold exactly one address"),
            row("two authors and no Sender",
                "From: alice@example.test, bob@example.test\r\n" + VALID_REST,
                "554 5.6.0 Header field From has several addresses but no Sender field"),
            // 8-bit (no SMTPUTF8 in James 3.8.1)
            row("raw UTF-8 in Subject",
                "From: alice@example.test\r\nTo: bob@example.test\r\nSubject: Grüße aus Köln\r\n",
                "554 5.6.7 Header field Subject contains 8-bit characters; encode them (RFC 2047)"),
            row("raw UTF-8 in a From display name",
                "From: Jörg Müller <alice@example.test>\r\n" + VALID_REST,
                "554 5.6.7 Header field From contains 8-bit characters; encode them (RFC 2047)"),
            row("raw UTF-8 in an extension field, name as written",
                "From: alice@example.test\r\n" + VALID_REST + "x-mailer: Mäiler 1.0\r\n",
                "554 5.6.7 Header field x-mailer contains 8-bit characters; encode them (RFC 2047)"),
            row("raw UTF-8 in a local part",
                "From: alice@example.test\r\nTo: jürgen@example.com\r\nSubject: x\r\n",
                "554 5.6.7 Header field To contains 8-bit characters; encode them (RFC 2047)"),
            // qualification (RFC 6409 section 4.2)
            row("To with an incomplete multi-label domain",
                "From: alice@example.test\r\nTo: bob@squeaky.sales\r\nSubject: x\r\n",
                "554 5.1.2 Header field To has an address with domain 'squeaky.sales' that is not fully qualified"),
            row("Cc with a single label that has no expansion",
                "From: alice@example.test\r\nCc: Carol <carol@eng>\r\n" + VALID_REST,
                "554 5.1.2 Header field Cc has an address with domain 'eng' that is not fully qualified"),
            row("Reply-To on localhost",
                "From: alice@example.test\r\nReply-To: alice@localhost\r\n" + VALID_REST,
                "554 5.1.2 Header field Reply-To has an address with domain 'localhost' that is not fully qualified"),
            row("From with a single label that has no expansion",
                "From: alice@example\r\n" + VALID_REST,
                "554 5.1.2 Header field From has an address with domain 'example' that is not fully qualified"),
            row("unqualified domain inside a group",
                "From: alice@example.test\r\nTo: team: bob@example.test, carol@squeaky;\r\nSubject: x\r\n",
                "554 5.1.2 Header field To has an address with domain 'squeaky' that is not fully qualified"),
            row("Resent-Cc on an internal host name",
                "From: alice@example.test\r\nResent-Cc: ops@build01\r\n" + VALID_REST,
                "554 5.1.2 Header field Resent-Cc has an address with domain 'build01' that is not fully qualified"),
            // entitlement (RFC 6409 section 6.3)
            row("From a remote address alice does not own",
                "From: Carol <carol@example.com>\r\n" + VALID_REST,
                "550 5.7.1 Header field From has <carol@example.com> which alice@example.test may not send as"),
            row("From bob, who did not delegate to alice",
                "From: bob@example.test\r\n" + VALID_REST,
                "550 5.7.1 Header field From has <bob@example.test> which alice@example.test may not send as"),
            row("several authors, none of them alice: the first is named",
                "From: carol@example.com, dave@example.com\r\nSender: alice@example.test\r\n" + VALID_REST,
                "550 5.7.1 Header field From has <carol@example.com> which alice@example.test may not send as"),
            row("a Sender of alice does not make a foreign From hers",
                "From: carol@example.com\r\nSender: alice@example.test\r\n" + VALID_REST,
                "550 5.7.1 Header field From has <carol@example.com> which alice@example.test may not send as"),
            // accepted
            row("alice's own address",
                "From: alice@example.test\r\n" + VALID_REST,
                ACCEPTED),
            row("alice's address in another case, with display name and comment",
                "From: \"Liddell, Alice\" <ALICE@Example.TEST> (work)\r\n" + VALID_REST,
                ACCEPTED),
            row("an alias of alice",
                "From: A. Liddell <a.liddell@example.test>\r\n" + VALID_REST,
                ACCEPTED),
            row("a single label expanded to alice's domain",
                "From: alice@corp\r\n" + VALID_REST,
                ACCEPTED),
            row("several authors, alice among them, with Sender",
                "From: carol@example.com, Alice <alice@example.test>\r\nSender: alice@example.test\r\n" + VALID_REST,
                ACCEPTED),
            row("RFC 2047 encoded words are 7-bit",
                "From: =?UTF-8?Q?J=C3=B6rg?= <alice@example.test>\r\nTo: bob@example.test\r\n"
                    + "Subject: =?UTF-8?B?R3LDvMOfZQ==?=\r\n",
                ACCEPTED),
            row("an empty Bcc (RFC 5322 section 3.6.3)",
                "From: alice@example.test\r\nBcc:\r\n" + VALID_REST,
                ACCEPTED),
            row("undisclosed recipients",
                "From: alice@example.test\r\nTo: undisclosed-recipients:;\r\nSubject: x\r\n",
                ACCEPTED),
            row("expandable single labels, an address literal and a folded list",
                "From: alice@example.test\r\nTo: bob@sales,\r\n Carol <carol@example.com>,\r\n\tpostmaster@[192.0.2.1]\r\n"
                    + "Subject: x\r\n",
                ACCEPTED),
            row("a local domain whose last label is not a public top-level domain",
                "From: alice@example.test\r\nTo: bob@sales.example.test\r\nSubject: x\r\n",
                ACCEPTED),
            row("obsolete syntax: empty list elements and a route",
                "From: alice@example.test\r\nTo: , bob@example.test,, <@relay.example.com:carol@example.com>\r\nSubject: x\r\n",
                ACCEPTED));
    }

    private static Arguments row(String description, String header, String expectedReply) {
        return Arguments.of(description, header, expectedReply);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("brokenHeaders")
    void onMessageShouldAnswerEachHeaderWithTheExactReply(String description, String header, String expectedReply) throws Exception {
        HookResult result = hook.onMessage(aliceSession(), mail(header));

        assertThat(reply(result)).isEqualTo(expectedReply);
    }

    @Nested
    class Delegation {
        @Test
        void onMessageShouldAcceptTheAddressOfAUserWhoDelegatedToTheSender() throws Exception {
            delegate(BOB, ALICE);

            HookResult result = hook.onMessage(aliceSession(), mail("From: Bob <bob@example.test>\r\n" + VALID_REST));

            assertThat(result).isEqualTo(HookResult.DECLINED);
        }

        @Test
        void onMessageShouldAcceptAnAliasOfAUserWhoDelegatedToTheSender() throws Exception {
            delegate(ALICE, BOB);

            HookResult result = hook.onMessage(session(BOB), mail("From: a.liddell@example.test\r\n" + VALID_REST));

            assertThat(result).isEqualTo(HookResult.DECLINED);
        }

        @Test
        void onMessageShouldNotLetTheDelegatorSendAsTheDelegate() throws Exception {
            delegate(BOB, ALICE);

            HookResult result = hook.onMessage(session(BOB), mail("From: alice@example.test\r\n" + VALID_REST));

            assertThat(reply(result)).isEqualTo("550 5.7.1 Header field From has <alice@example.test> which bob@example.test may not send as");
        }

        @Test
        void onMessageShouldRefuseOnceTheDelegationIsRemoved() throws Exception {
            delegate(BOB, ALICE);
            Mono.from(data.delegationStore.removeAuthorizedUser(Username.of(BOB), Username.of(ALICE))).block();

            HookResult result = hook.onMessage(aliceSession(), mail("From: bob@example.test\r\n" + VALID_REST));

            assertThat(reply(result)).isEqualTo("550 5.7.1 Header field From has <bob@example.test> which alice@example.test may not send as");
        }

        @Test
        void onMessageShouldTreatAStoreWithoutDelegationAsNoDelegation() throws Exception {
            HeaderCheckHook naive = new HeaderCheckHook(data.domainList, data.canSendFrom, new NaiveDelegationStore());
            naive.init(TestSessions.handlerConfiguration(HeaderCheckHook.class));

            HookResult result = naive.onMessage(aliceSession(), mail("From: bob@example.test\r\n" + VALID_REST));

            assertThat(reply(result)).isEqualTo("550 5.7.1 Header field From has <bob@example.test> which alice@example.test may not send as");
        }

        private void delegate(String baseUser, String delegate) {
            Mono.from(data.delegationStore.addAuthorizedUser(Username.of(baseUser), Username.of(delegate))).block();
        }
    }

    @Nested
    class WithoutEntitlementCheck {
        @Test
        void onMessageShouldAcceptAnyFromWhenTheCheckIsOff() throws Exception {
            hook.init(TestSessions.handlerConfiguration(HeaderCheckHook.class, HeaderCheckHook.CHECK_FROM_ENTITLEMENT, "false"));

            HookResult result = hook.onMessage(aliceSession(), mail("From: Carol <carol@example.com>\r\n" + VALID_REST));

            assertThat(result).isEqualTo(HookResult.DECLINED);
        }

        @Test
        void onMessageShouldStillCheckSyntaxWhenTheCheckIsOff() throws Exception {
            hook.init(TestSessions.handlerConfiguration(HeaderCheckHook.class, HeaderCheckHook.CHECK_FROM_ENTITLEMENT, "false"));

            HookResult result = hook.onMessage(aliceSession(), mail("From: carol@example.com\r\nCc: bob@\r\n" + VALID_REST));

            assertThat(reply(result)).isEqualTo("554 5.6.0 Header field Cc is not a valid address list: missing domain");
        }
    }

    @Nested
    class TrustedNetworkWithoutAuth {
        private final SMTPSession unauthenticated = TestSessions.from("192.0.2.10").withTls("TLSv1.3").build();

        @Test
        void onMessageShouldNotCheckEntitlementWithoutAUser() throws Exception {
            HookResult result = hook.onMessage(unauthenticated, mail("From: Scanner <scanner@example.com>\r\n" + VALID_REST));

            assertThat(result).isEqualTo(HookResult.DECLINED);
        }

        @Test
        void onMessageShouldStillRefuseAMissingFrom() throws Exception {
            HookResult result = hook.onMessage(unauthenticated, mail("To: bob@example.test\r\nSubject: scan\r\n"));

            assertThat(reply(result)).isEqualTo("554 5.6.0 Header field From is missing");
        }

        @Test
        void onMessageShouldStillRefuseEightBitText() throws Exception {
            HookResult result = hook.onMessage(unauthenticated, mail("From: scanner@example.com\r\nTo: bob@example.test\r\nSubject: Überweisung\r\n"));

            assertThat(reply(result)).isEqualTo("554 5.6.7 Header field Subject contains 8-bit characters; encode them (RFC 2047)");
        }

        @Test
        void onMessageShouldStillRefuseAnUnqualifiedDomain() throws Exception {
            HookResult result = hook.onMessage(unauthenticated, mail("From: scanner@printer01\r\nTo: bob@example.test\r\n"));

            assertThat(reply(result)).isEqualTo("554 5.1.2 Header field From has an address with domain 'printer01' that is not fully qualified");
        }
    }

    @Nested
    class RawBytes {
        @Test
        void onMessageShouldRefuseALatin1ByteInAHeader() throws Exception {
            byte[] header = "From: alice@example.test\r\nTo: bob@example.test\r\nSubject: caf\u00e9\r\n\r\nbody\r\n"
                .getBytes(StandardCharsets.ISO_8859_1);

            HookResult result = hook.onMessage(aliceSession(), mail(header));

            assertThat(reply(result)).isEqualTo("554 5.6.7 Header field Subject contains 8-bit characters; encode them (RFC 2047)");
        }

        @Test
        void onMessageShouldAcceptEightBitTextInTheBody() throws Exception {
            HookResult result = hook.onMessage(aliceSession(),
                mail(("From: alice@example.test\r\n" + VALID_REST + "Content-Type: text/plain; charset=utf-8\r\n"
                    + "Content-Transfer-Encoding: 8bit\r\n\r\nGrüße aus Köln\r\n").getBytes(StandardCharsets.UTF_8)));

            assertThat(result).isEqualTo(HookResult.DECLINED);
        }

        @Test
        void onMessageShouldSanitiseAnEightBitFieldNameInTheReply() throws Exception {
            HookResult result = hook.onMessage(aliceSession(), mail("From: alice@example.test\r\n" + VALID_REST + "X-Prüfung: ok\r\n"));

            assertThat(reply(result)).isEqualTo("554 5.6.7 Header field X-Pr??fung contains 8-bit characters; encode them (RFC 2047)");
        }

        @Test
        void onMessageShouldBoundALongParserMessage() throws Exception {
            String longName = "Very Long Display Name ".repeat(20).trim();

            HookResult result = hook.onMessage(aliceSession(), mail("From: alice@example.test\r\nTo: " + longName + "\r\n"));

            assertThat(reply(result))
                .isEqualTo("554 5.6.0 Header field To is not a valid address list: 'Very Long Display Name Very Long Display Name "
                    + "Very Long Display Name Very Long Display Name Very Long Display Name Very Long Display Name Very Long Display ...");
        }

        @Test
        void onMessageShouldReadTheHeaderOnly() throws Exception {
            byte[] header = ("From: alice@example.test\r\n" + VALID_REST + "\r\n").getBytes(StandardCharsets.US_ASCII);
            MailImpl mail = mailFrom(new HeaderOnlySource(header));

            HookResult result = hook.onMessage(aliceSession(), mail);

            assertThat(result).isEqualTo(HookResult.DECLINED);
        }
    }

    @Nested
    class Failures {
        @Test
        void onMessageShouldAnswerTemporaryFailureWhenTheDomainListFails() throws Exception {
            DomainList failing = mock(DomainList.class);
            when(failing.containsDomain(Domain.of("example.test"))).thenThrow(new DomainListException("domain list down"));
            HeaderCheckHook withFailingList = new HeaderCheckHook(failing, data.canSendFrom, data.delegationStore);
            withFailingList.init(TestSessions.handlerConfiguration(HeaderCheckHook.class));

            HookResult result = withFailingList.onMessage(aliceSession(), mail("From: alice@example.test\r\n" + VALID_REST));

            assertThat(reply(result)).isEqualTo("451 4.3.0 Temporary server failure while checking the address; try again later");
        }

        @Test
        void onMessageShouldAnswerTemporaryFailureWhenTheDelegationStoreFails() throws Exception {
            MemoryDelegationStore failing = new MemoryDelegationStore() {
                @Override
                public Publisher<Username> delegatedUsers(Username baseUser) {
                    return Flux.error(new IllegalStateException("delegation store down"));
                }
            };
            HeaderCheckHook withFailingStore = new HeaderCheckHook(data.domainList, data.canSendFrom, failing);
            withFailingStore.init(TestSessions.handlerConfiguration(HeaderCheckHook.class));

            HookResult result = withFailingStore.onMessage(aliceSession(), mail("From: bob@example.test\r\n" + VALID_REST));

            assertThat(reply(result)).isEqualTo("451 4.3.0 Temporary server failure while checking the address; try again later");
        }

        @Test
        void onMessageShouldNotAskTheDelegationStoreForTheUsersOwnAddress() throws Exception {
            MemoryDelegationStore failing = new MemoryDelegationStore() {
                @Override
                public Publisher<Username> delegatedUsers(Username baseUser) {
                    return Flux.error(new IllegalStateException("delegation store down"));
                }
            };
            HeaderCheckHook withFailingStore = new HeaderCheckHook(data.domainList, data.canSendFrom, failing);
            withFailingStore.init(TestSessions.handlerConfiguration(HeaderCheckHook.class));

            HookResult result = withFailingStore.onMessage(aliceSession(), mail("From: alice@example.test\r\n" + VALID_REST));

            assertThat(result).isEqualTo(HookResult.DECLINED);
        }

        @Test
        void onMessageShouldAnswerTemporaryFailureWhenTheRewriteTableFails() throws Exception {
            CanSendFrom failing = mock(CanSendFrom.class);
            when(failing.userCanSendFrom(Username.of(ALICE), Username.of(ALICE))).thenThrow(new IllegalStateException("rrt down"));
            HeaderCheckHook withFailingRrt = new HeaderCheckHook(data.domainList, failing, data.delegationStore);
            withFailingRrt.init(TestSessions.handlerConfiguration(HeaderCheckHook.class));

            HookResult result = withFailingRrt.onMessage(aliceSession(), mail("From: alice@example.test\r\n" + VALID_REST));

            assertThat(reply(result)).isEqualTo("451 4.3.0 Temporary server failure while checking the address; try again later");
        }

        @Test
        void onMessageShouldAnswerTemporaryFailureWhenTheHeaderCannotBeRead() throws Exception {
            MailImpl mail = mailFrom(new MimeMessageSource() {
                @Override
                public String getSourceId() {
                    return "vanished";
                }

                @Override
                public InputStream getInputStream() throws IOException {
                    throw new IOException("spool file vanished");
                }
            });

            HookResult result = hook.onMessage(aliceSession(), mail);

            assertThat(reply(result)).isEqualTo("451 4.3.0 Temporary server failure while reading the message header; try again later");
        }
    }

    @Nested
    class Parameters {
        @Test
        void initShouldRejectAnUnknownParameter() {
            assertThatThrownBy(() -> hook.init(TestSessions.handlerConfiguration(HeaderCheckHook.class, "checkFrom", "true")))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("Handler org.msa4james.smtp.HeaderCheckHook: parameter 'checkFrom' is not a parameter of this handler; "
                    + "known parameters: domainExpansions, additionalTopLevelDomains, checkFromEntitlement");
        }

        @Test
        void initShouldRejectAnEntitlementSwitchThatIsNotABoolean() {
            assertThatThrownBy(() -> hook.init(TestSessions.handlerConfiguration(HeaderCheckHook.class,
                    HeaderCheckHook.CHECK_FROM_ENTITLEMENT, "yes")))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("Handler org.msa4james.smtp.HeaderCheckHook: parameter 'checkFromEntitlement' must be true or false, not 'yes'");
        }

        @Test
        void initShouldRejectAnExpansionOfAnIncompleteDomain() {
            assertThatThrownBy(() -> hook.init(TestSessions.handlerConfiguration(HeaderCheckHook.class,
                    HeaderCheckHook.DOMAIN_EXPANSIONS, "sales=sales")))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("Handler org.msa4james.smtp.HeaderCheckHook: parameter 'domainExpansions' is invalid: "
                    + "'sales' in 'sales=sales' is not a domain name of several labels");
        }

        @Test
        void additionalTopLevelDomainsShouldQualifyAnInternalNamespace() throws Exception {
            hook.init(TestSessions.handlerConfiguration(HeaderCheckHook.class, HeaderCheckHook.ADDITIONAL_TOP_LEVEL_DOMAINS, "corp"));

            HookResult result = hook.onMessage(aliceSession(), mail("From: alice@example.test\r\nTo: ops@build01.corp\r\n"));

            assertThat(result).isEqualTo(HookResult.DECLINED);
        }

        @Test
        void withoutParametersSingleLabelsShouldBeRefused() throws Exception {
            hook.init(TestSessions.handlerConfiguration(HeaderCheckHook.class));

            HookResult result = hook.onMessage(aliceSession(), mail("From: alice@example.test\r\nTo: bob@sales\r\n"));

            assertThat(reply(result)).isEqualTo("554 5.1.2 Header field To has an address with domain 'sales' that is not fully qualified");
        }
    }

    // ------------------------------------------------------------------------------------------------ helpers

    private static SMTPSession aliceSession() {
        return session(ALICE);
    }

    private static SMTPSession session(String user) {
        return TestSessions.from("203.0.113.5").withTls("TLSv1.3").authenticatedAs(user).build();
    }

    private static String reply(HookResult result) {
        if (result.equals(HookResult.DECLINED)) {
            return ACCEPTED;
        }
        return TestSessions.replyLine(result);
    }

    /** A mail as James builds it at the end of DATA: a MimeMessageWrapper over the received bytes (here as UTF-8). */
    private static MailImpl mail(String header) throws Exception {
        return mail((header + "\r\nHello Bob,\r\nthe report is attached.\r\n").getBytes(StandardCharsets.UTF_8));
    }

    private static MailImpl mail(byte[] message) throws Exception {
        return mailFrom(new BytesSource(message));
    }

    private static MailImpl mailFrom(MimeMessageSource source) throws Exception {
        MailImpl mail = MailImpl.builder().name("mail1").sender(ALICE).addRecipient(new MailAddress(BOB)).build();
        mail.setMessageContent(source);
        return mail;
    }

    private static final class BytesSource implements MimeMessageSource {
        private final byte[] bytes;

        BytesSource(byte[] bytes) {
            this.bytes = bytes;
        }

        @Override
        public String getSourceId() {
            return "bytes";
        }

        @Override
        public InputStream getInputStream() {
            return new ByteArrayInputStream(bytes);
        }

        @Override
        public long getMessageSize() {
            return bytes.length;
        }
    }

    /** The header, then a 20 MiB body that fails the test when more than a buffer's worth of it is read. */
    private static final class HeaderOnlySource implements MimeMessageSource {
        private static final int BODY_SIZE = 20 * 1024 * 1024;
        private static final int TOLERATED_READ_AHEAD = 64 * 1024;
        private final byte[] header;

        HeaderOnlySource(byte[] header) {
            this.header = header;
        }

        @Override
        public String getSourceId() {
            return "header-only";
        }

        @Override
        public InputStream getInputStream() {
            return new SequenceInputStream(new ByteArrayInputStream(header), new InputStream() {
                private int read;

                @Override
                public int read() throws IOException {
                    if (read >= TOLERATED_READ_AHEAD) {
                        throw new AssertionError("the body was read beyond " + TOLERATED_READ_AHEAD + " bytes");
                    }
                    read++;
                    return read % 80 == 0 ? '\n' : 'x';
                }
            });
        }

        @Override
        public long getMessageSize() {
            return header.length + (long) BODY_SIZE;
        }
    }
}
