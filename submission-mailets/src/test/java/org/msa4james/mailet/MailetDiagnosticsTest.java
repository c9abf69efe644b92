package org.msa4james.mailet;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Properties;
import java.util.stream.Collectors;

import javax.mail.Session;
import javax.mail.internet.MimeMessage;

import org.apache.james.metrics.tests.RecordingMetricFactory;
import org.apache.mailet.Attribute;
import org.apache.mailet.AttributeValue;
import org.apache.mailet.Mail;
import org.apache.mailet.base.test.FakeMail;
import org.apache.mailet.base.test.FakeMailetConfig;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.msa4james.diagnostics.ClientDiagnostics;
import org.msa4james.diagnostics.DiagnosticEntry;
import org.msa4james.diagnostics.DiagnosticFilter;
import org.msa4james.diagnostics.InMemoryDiagnosticsStore;

/** What the completion mailets record in the client diagnostics, and that no message content gets there. */
class MailetDiagnosticsTest {
    private static final Instant NOW = Instant.parse("2026-11-28T10:00:00Z");
    private static final String SECRET = "Subject: secret-4711 quarterly figures";

    private final InMemoryDiagnosticsStore store = new InMemoryDiagnosticsStore();
    private final RecordingMetricFactory metrics = new RecordingMetricFactory();
    private final ClientDiagnostics diagnostics = new ClientDiagnostics(store, metrics, Clock.fixed(NOW, ZoneOffset.UTC));
    private AddMissingDate addMissingDate;
    private AddMissingMessageId addMissingMessageId;

    @BeforeEach
    void setUp() throws Exception {
        addMissingDate = new AddMissingDate(Clock.fixed(NOW, ZoneOffset.UTC), diagnostics);
        addMissingDate.init(FakeMailetConfig.builder().mailetName("AddMissingDate").build());
        addMissingMessageId = new AddMissingMessageId(new CompletionJamesData().domainList, diagnostics);
        addMissingMessageId.init(FakeMailetConfig.builder().mailetName("AddMissingMessageId").build());
    }

    @Nested
    class Date {
        @Test
        void missingDateShouldBeRecordedWithTheUserAgent() throws Exception {
            addMissingDate.service(submission("From: alice@example.test", "User-Agent: Thunderbird/115", SECRET));

            assertThat(entries()).containsExactly("alice@example.test | Thunderbird/115 | missing-date | 1");
            assertThat(metrics.countFor("msa4james.diagnostics.missing-date")).isEqualTo(1);
        }

        @Test
        void invalidDateShouldBeRecordedWithTheEhloName() throws Exception {
            FakeMail mail = submission("From: alice@example.test", "Date: yesterday", SECRET);
            mail.setAttribute(new Attribute(Mail.SMTP_HELO, AttributeValue.of("pc1.example.test")));

            addMissingDate.service(mail);

            assertThat(entries()).containsExactly("alice@example.test | pc1.example.test | invalid-date | 1");
        }

        @Test
        void validDateShouldRecordNothing() throws Exception {
            addMissingDate.service(submission("From: alice@example.test", "Date: Sat, 28 Nov 2026 10:00:00 +0000"));

            assertThat(entries()).isEmpty();
        }

        @Test
        void relayedMailShouldRecordNothing() throws Exception {
            addMissingDate.service(CompletionMails.relayed(BodyTrapMessage.withHeader("From: carol@example.com").message()));

            assertThat(entries()).isEmpty();
        }
    }

    @Nested
    class MessageId {
        @Test
        void missingMessageIdShouldBeRecordedWithTheXMailer() throws Exception {
            addMissingMessageId.service(submission("From: alice@example.test", "X-Mailer: Printer 3000", SECRET));
            addMissingMessageId.service(submission("From: alice@example.test", "X-Mailer: Printer 3000", SECRET));

            assertThat(entries()).containsExactly("alice@example.test | Printer 3000 | missing-message-id | 2");
        }

        @Test
        void invalidMessageIdShouldBeRecordedAsInvalid() throws Exception {
            addMissingMessageId.service(submission("From: alice@example.test", "Message-ID: no-angle-brackets"));

            assertThat(entries()).containsExactly("alice@example.test | unknown | invalid-message-id | 1");
        }
    }

    @Nested
    class OtherRepairs {
        @Test
        void addedSenderShouldBeRecorded() throws Exception {
            CompletionJamesData data = new CompletionJamesData();
            AddSender mailet = new AddSender(data.canSendFrom, data.domainList, diagnostics);
            mailet.init(FakeMailetConfig.builder().mailetName("AddSender").build());

            mailet.service(submission("From: Carol <carol@example.com>", "User-Agent: Thunderbird/115"));

            assertThat(entries()).containsExactly("alice@example.test | Thunderbird/115 | sender-added | 1");
        }

        @Test
        void expandedDomainShouldBeRecorded() throws Exception {
            QualifyAddresses mailet = new QualifyAddresses(diagnostics);
            mailet.init(FakeMailetConfig.builder().mailetName("QualifyAddresses")
                .setProperty("domainExpansions", "sales=sales.example.test").build());

            mailet.service(submission("From: alice@example.test", "To: bob@sales", "X-Mailer: Printer 3000"));

            assertThat(entries()).containsExactly("alice@example.test | Printer 3000 | unqualified-domain | 1");
        }

        @Test
        void reencodedLongLinesShouldBeRecorded() throws Exception {
            TransferEncode mailet = new TransferEncode(diagnostics);
            mailet.init(FakeMailetConfig.builder().mailetName("TransferEncode").build());
            MimeMessage message = new MimeMessage(Session.getInstance(new Properties()),
                new ByteArrayInputStream(("From: alice@example.test\r\nUser-Agent: Thunderbird/115\r\n"
                    + "Content-Type: text/plain\r\n\r\n" + "y".repeat(2000) + "\r\n")
                    .getBytes(StandardCharsets.US_ASCII)));

            mailet.service(CompletionMails.submission(message));

            assertThat(entries()).containsExactly("alice@example.test | Thunderbird/115 | long-lines-reencoded | 1");
        }
    }

    @Test
    void messageContentShouldNeverEnterTheStore() throws Exception {
        addMissingDate.service(submission("From: Secret Person <alice@example.test>", "User-Agent: Thunderbird/115", SECRET));
        addMissingMessageId.service(submission("From: Secret Person <alice@example.test>", "User-Agent: Thunderbird/115", SECRET));

        assertThat(store.list(DiagnosticFilter.ALL).toString())
            .doesNotContain("secret-4711")
            .doesNotContain("Secret Person");
        assertThat(entries()).containsExactly(
            "alice@example.test | Thunderbird/115 | missing-date | 1",
            "alice@example.test | Thunderbird/115 | missing-message-id | 1");
    }

    private static FakeMail submission(String... headerLines) throws Exception {
        return CompletionMails.submission(BodyTrapMessage.withHeader(headerLines).message());
    }

    private List<String> entries() {
        return store.list(DiagnosticFilter.ALL).stream()
            .map(MailetDiagnosticsTest::format)
            .collect(Collectors.toList());
    }

    private static String format(DiagnosticEntry entry) {
        assertThat(entry.firstSeen()).isEqualTo(NOW);
        return entry.key().subject() + " | " + entry.key().clientSoftware() + " | " + entry.key().defect().id() + " | "
            + entry.count();
    }
}
