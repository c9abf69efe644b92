package org.msa4james.mailet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;

import javax.mail.MessagingException;

import org.apache.james.core.Domain;
import org.apache.james.domainlist.lib.DomainListConfiguration;
import org.apache.james.domainlist.memory.MemoryDomainList;
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
import org.msa4james.completion.MessageIdFactory;
import org.msa4james.completion.MessageIdSyntax;

class AddMissingMessageIdTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-28T18:55:39.123Z"), ZoneOffset.UTC);
    /** The left-hand side made at {@link #CLOCK} from the bytes 0x00 to 0x0f. */
    private static final String ID_LEFT = "mx0rt75f.000g40o40k30e209185go38e1s";
    private static final String RECEIVED = "Received: from client.example.test by msa.example.test with ESMTPSA id 1f2e3d;\r\n\tSat, 28 Nov 2026 18:55:39 +0000";
    private static final String FROM = "From: Alice <alice@example.test>";
    private static final String DATE = "Date: Sat, 28 Nov 2026 18:55:39 +0000";
    private static final String SUBJECT = "Subject: Hello";

    /** Bytes 0x00, 0x01, 0x02, ... in order. */
    static final class CountingRandom extends Random {
        private static final long serialVersionUID = 1L;
        private int next;

        @Override
        public void nextBytes(byte[] bytes) {
            for (int i = 0; i < bytes.length; i++) {
                bytes[i] = (byte) next++;
            }
        }
    }

    private CompletionJamesData james;
    private AddMissingMessageId mailet;

    private AddMissingMessageId initialised(FakeMailetConfig.Builder config) throws MessagingException {
        AddMissingMessageId mailet = new AddMissingMessageId(james.domainList, new MessageIdFactory(CLOCK, new CountingRandom()));
        mailet.init(config.mailetName("AddMissingMessageId").build());
        return mailet;
    }

    @BeforeEach
    void setUp() throws Exception {
        james = new CompletionJamesData();
        mailet = initialised(FakeMailetConfig.builder());
    }

    @Nested
    class MissingMessageId {
        @Test
        void serviceShouldAddMessageIdWhenMissing() throws Exception {
            BodyTrapMessage trap = BodyTrapMessage.withHeader(RECEIVED, FROM, DATE, SUBJECT);

            mailet.service(CompletionMails.submission(trap.message()));

            assertThat(trap.headerLines()).containsExactly(RECEIVED, FROM, DATE, SUBJECT, "Message-ID: <" + ID_LEFT + "@example.test>");
        }

        @Test
        void serviceShouldGiveEachMessageItsOwnId() throws Exception {
            AddMissingMessageId secure = new AddMissingMessageId(james.domainList);
            secure.init(FakeMailetConfig.builder().mailetName("AddMissingMessageId").build());
            Set<String> ids = new HashSet<>();

            for (int i = 0; i < 1000; i++) {
                BodyTrapMessage trap = BodyTrapMessage.withHeader(FROM);
                secure.service(CompletionMails.submission(trap.message()));
                String id = trap.message().getHeader("Message-ID")[0];
                assertThat(MessageIdSyntax.problem(id)).isEmpty();
                assertThat(id).endsWith("@example.test>");
                ids.add(id);
            }

            assertThat(ids).hasSize(1000);
        }
    }

    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class InvalidMessageId {
        Stream<Arguments> brokenIds() {
            return Stream.of(
                Arguments.of("Message-ID: 1234.5678@example.test"),
                Arguments.of("Message-ID: <1234 5678@example.test>"),
                Arguments.of("Message-ID: <1234@exa mple.test>"),
                Arguments.of("Message-ID: <12345678>"),
                Arguments.of("Message-ID: <>"),
                Arguments.of("Message-ID: "),
                Arguments.of("Message-ID: <a@example.test> <b@example.test>"),
                Arguments.of("Message-ID: <1234@example.test"),
                Arguments.of("Message-Id: <1234@@example.test>"),
                Arguments.of("message-id: [1234@example.test]"));
        }

        @ParameterizedTest
        @MethodSource("brokenIds")
        void serviceShouldReplaceAnInvalidMessageId(String brokenIdLine) throws Exception {
            BodyTrapMessage trap = BodyTrapMessage.withHeader(RECEIVED, FROM, brokenIdLine, DATE, SUBJECT);

            mailet.service(CompletionMails.submission(trap.message()));

            assertThat(trap.headerLines()).containsExactly(RECEIVED, FROM, DATE, SUBJECT, "Message-ID: <" + ID_LEFT + "@example.test>");
        }

        @Test
        void serviceShouldReplaceTwoMessageIdFieldsByOne() throws Exception {
            BodyTrapMessage trap = BodyTrapMessage.withHeader(FROM, "Message-ID: <a@example.test>", DATE, "Message-ID: <b@example.test>");

            mailet.service(CompletionMails.submission(trap.message()));

            assertThat(trap.headerLines()).containsExactly(FROM, DATE, "Message-ID: <" + ID_LEFT + "@example.test>");
        }
    }

    @Nested
    class ValidMessageId {
        @ParameterizedTest
        @ValueSource(strings = {
            "Message-ID: <1234@local.machine.example>",
            "Message-ID: <CAF=+x_Y-z!#$%&'*/?^`{|}~@mail.gmail.com>",
            "Message-ID: <id@[192.0.2.1]>",
            "Message-ID:\r\n <20261128185539.GA1234@example.test>",
            "Message-ID: <abcd@example.test> (generated)",
            "Message-Id: <\"quoted local\"@example.test>",
            "MESSAGE-ID:<abcd@example.test>"})
        void serviceShouldLeaveAValidMessageIdByteForByte(String idLine) throws Exception {
            BodyTrapMessage trap = BodyTrapMessage.withHeader(RECEIVED, FROM, idLine, DATE, SUBJECT);

            mailet.service(CompletionMails.submission(trap.message()));

            assertThat(trap.headerLines()).containsExactly(RECEIVED, FROM, idLine, DATE, SUBJECT);
        }
    }

    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class RightHandSide {
        private List<String> serviced(AddMissingMessageId mailet, Optional<String> envelopeSender, String... headerLines) throws Exception {
            BodyTrapMessage trap = BodyTrapMessage.withHeader(headerLines);
            mailet.service(CompletionMails.submission(trap.message(), Optional.of("alice@example.test"), Optional.empty(), envelopeSender));
            return trap.headerLines();
        }

        @Test
        void serviceShouldPreferTheConfiguredDomain() throws Exception {
            AddMissingMessageId configured = initialised(FakeMailetConfig.builder().setProperty("domain", "Ids.Example.NET"));

            assertThat(serviced(configured, Optional.of("alice@sales.example.test"), "From: carol@example.com"))
                .containsExactly("From: carol@example.com", "Message-ID: <" + ID_LEFT + "@ids.example.net>");
        }

        @Test
        void serviceShouldTakeTheEnvelopeSenderDomainWhenNoneIsConfigured() throws Exception {
            assertThat(serviced(mailet, Optional.of("alice@sales.example.test"), "From: carol@example.com"))
                .containsExactly("From: carol@example.com", "Message-ID: <" + ID_LEFT + "@sales.example.test>");
        }

        Stream<Arguments> fromFields() {
            return Stream.of(
                Arguments.of("From: carol@example.com", "example.com"),
                Arguments.of("From: =?UTF-8?B?0JDQu9C40YHQsA==?= <alice@Sales.Example.TEST>", "sales.example.test"),
                Arguments.of("From: Team: dave@team.example.com, carol@example.com;", "team.example.com"),
                Arguments.of("From: carol@example.com, dave@other.example.com", "example.com"),
                Arguments.of("From: alice@[192.0.2.1]", "example.test"),
                Arguments.of("From: Alice <alice@example.com", "example.test"),
                Arguments.of("X-No-From: true", "example.test"));
        }

        @ParameterizedTest
        @MethodSource("fromFields")
        void serviceShouldTakeTheFirstFromDomainForTheNullSenderElseTheDefaultDomain(String fromLine, String expectedDomain) throws Exception {
            assertThat(serviced(mailet, Optional.empty(), fromLine))
                .containsExactly(fromLine, "Message-ID: <" + ID_LEFT + "@" + expectedDomain + ">");
        }

        @Test
        void serviceShouldNeverUseTheHostNameOfTheMachine() throws Exception {
            String hostName = java.net.InetAddress.getLocalHost().getHostName();
            Set<String> ids = new HashSet<>();
            for (Optional<String> sender : List.of(Optional.<String>empty(), Optional.of("alice@sales.example.test"))) {
                for (String from : List.of("From: carol@example.com", "From: broken <", "X-No-From: true")) {
                    ids.add(serviced(mailet, sender, from).get(1));
                }
            }

            assertThat(ids).allSatisfy(line -> assertThat(line).doesNotContain("@" + hostName + ">").doesNotContain("localhost"));
        }

        @Test
        void serviceShouldFailWhenNoCandidateIsAHostName() throws Exception {
            MemoryDomainList literalDefault = new MemoryDomainList(org.mockito.Mockito.mock(org.apache.james.dnsservice.api.DNSService.class));
            literalDefault.configure(DomainListConfiguration.builder().defaultDomain(Domain.of("[192.0.2.1]")).autoDetect(false).autoDetectIp(false).build());
            AddMissingMessageId mailet = new AddMissingMessageId(literalDefault, new MessageIdFactory(CLOCK, new CountingRandom()));
            mailet.init(FakeMailetConfig.builder().mailetName("AddMissingMessageId").build());
            FakeMail mail = CompletionMails.submission(BodyTrapMessage.withHeader("From: broken <").message(),
                Optional.of("alice@example.test"), Optional.empty(), Optional.empty());

            assertThatThrownBy(() -> mailet.service(mail))
                .isInstanceOf(MessagingException.class)
                .hasMessage("No host name for the Message-ID of mail mail1: neither the sender's, the From address's nor "
                    + "James's default domain is one; set the parameter 'domain' of org.msa4james.mailet.AddMissingMessageId");
        }
    }

    @Nested
    class NotASubmission {
        @ParameterizedTest
        @ValueSource(strings = {"X-No-Message-ID: true", "Message-ID: 1234@example.test"})
        void serviceShouldLeaveMailRelayedInUntouched(String line) throws Exception {
            BodyTrapMessage trap = BodyTrapMessage.withHeader(RECEIVED, FROM, line, SUBJECT);
            List<String> before = trap.headerLines();

            mailet.service(CompletionMails.relayed(trap.message()));

            assertThat(trap.headerLines()).isEqualTo(before).containsExactly(RECEIVED, FROM, line, SUBJECT);
        }
    }

    @Nested
    class Body {
        @Test
        void serviceShouldNotReadTheBody() throws Exception {
            BodyTrapMessage trap = BodyTrapMessage.withHeader(FROM, "Content-Type: multipart/mixed; boundary=x", "Message-ID: broken");
            FakeMail mail = CompletionMails.submission(trap.message());

            mailet.service(mail);

            assertThat(trap.bodyWasRead()).isFalse();
            assertThat(mail.getMessage().getHeader("Message-ID")).containsExactly("<" + ID_LEFT + "@example.test>");
        }
    }

    @Nested
    class Initialisation {
        @ParameterizedTest
        @ValueSource(strings = {"localhost", "exa mple.com", "[192.0.2.1]", "192.0.2.1", "@example.com"})
        void initShouldRejectADomainThatIsNotAFullyQualifiedHostName(String domain) {
            assertThatThrownBy(() -> initialised(FakeMailetConfig.builder().setProperty("domain", domain)))
                .isInstanceOf(MessagingException.class)
                .hasMessage("Mailet org.msa4james.mailet.AddMissingMessageId: parameter 'domain' is invalid: '" + domain
                    + "' is not a fully qualified host name (letters, digits and hyphens in two or more dot-separated labels, e.g. example.com)");
        }

        @Test
        void initShouldRejectAnUnknownParameter() {
            assertThatThrownBy(() -> initialised(FakeMailetConfig.builder().setProperty("hostname", "example.com")))
                .isInstanceOf(MessagingException.class)
                .hasMessage("Mailet org.msa4james.mailet.AddMissingMessageId: parameter 'hostname' is not a parameter of this mailet; known parameters: domain");
        }

        @Test
        void getMailetInfoShouldDescribeTheMailet() {
            assertThat(mailet.getMailetInfo()).isEqualTo("AddMissingMessageId: adds or repairs the Message-ID field of submissions (RFC 6409 section 8.3)");
        }
    }
}
