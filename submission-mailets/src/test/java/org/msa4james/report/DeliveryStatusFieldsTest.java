package org.msa4james.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

class DeliveryStatusFieldsTest {
    private static final Instant ARRIVAL = Instant.parse("2026-11-28T18:55:39.123Z");
    private static final Instant ATTEMPT = Instant.parse("2026-11-28T18:55:41Z");

    @Test
    void aFailureShouldHaveEveryFieldInTheOrderOfRfc3464() {
        DeliveryReport report = new DeliveryReport(ReportAction.FAILED, "msa.example.test", Optional.of("QQ314159"),
            Optional.of(ARRIVAL), List.of(
                RecipientStatus.builder("carol@example.com", "5.1.1", ATTEMPT)
                    .originalRecipient(Optional.of("carol@example.com"))
                    .remoteMta(Optional.of("mx.example.com"))
                    .diagnosticCode(Optional.of("550 5.1.1 <carol@example.com>: no such user"))
                    .build(),
                RecipientStatus.builder("dave@example.com", "5.2.2", ATTEMPT)
                    .remoteMta(Optional.of("192.0.2.25"))
                    .diagnosticCode(Optional.of("552 5.2.2 Mailbox full"))
                    .build()));

        assertThat(DeliveryStatusFields.render(report)).isEqualTo(
            "Original-Envelope-Id: QQ314159\r\n"
                + "Reporting-MTA: dns; msa.example.test\r\n"
                + "Arrival-Date: Sat, 28 Nov 2026 18:55:39 +0000\r\n"
                + "\r\n"
                + "Original-Recipient: rfc822; carol@example.com\r\n"
                + "Final-Recipient: rfc822; carol@example.com\r\n"
                + "Action: failed\r\n"
                + "Status: 5.1.1\r\n"
                + "Remote-MTA: dns; mx.example.com\r\n"
                + "Diagnostic-Code: smtp; 550 5.1.1 <carol@example.com>: no such user\r\n"
                + "Last-Attempt-Date: Sat, 28 Nov 2026 18:55:41 +0000\r\n"
                + "\r\n"
                + "Final-Recipient: rfc822; dave@example.com\r\n"
                + "Action: failed\r\n"
                + "Status: 5.2.2\r\n"
                + "Remote-MTA: dns; [192.0.2.25]\r\n"
                + "Diagnostic-Code: smtp; 552 5.2.2 Mailbox full\r\n"
                + "Last-Attempt-Date: Sat, 28 Nov 2026 18:55:41 +0000\r\n");
    }

    @Test
    void aDelayShouldSayUntilWhenDeliveryIsRetried() {
        DeliveryReport report = new DeliveryReport(ReportAction.DELAYED, "msa.example.test", Optional.empty(), Optional.empty(),
            List.of(RecipientStatus.builder("carol@example.com", "4.4.1", ATTEMPT)
                .willRetryUntil(Optional.of(Instant.parse("2026-12-02T18:55:41Z")))
                .build()));

        assertThat(DeliveryStatusFields.render(report)).isEqualTo(
            "Reporting-MTA: dns; msa.example.test\r\n"
                + "\r\n"
                + "Final-Recipient: rfc822; carol@example.com\r\n"
                + "Action: delayed\r\n"
                + "Status: 4.4.1\r\n"
                + "Last-Attempt-Date: Sat, 28 Nov 2026 18:55:41 +0000\r\n"
                + "Will-Retry-Until: Wed, 2 Dec 2026 18:55:41 +0000\r\n");
    }

    @Test
    void aLongOrForeignReplyShouldBeOneFoldedLineOfAscii() {
        String reply = "550-5.7.1 The message was refused because it looks like unsolicited mail\r\n"
            + "550 5.7.1 see https://mx.example.com/policy/a-long-path-that-cannot-be-folded-anywhere-at-all \u00e9t\u00e9";
        DeliveryReport report = new DeliveryReport(ReportAction.FAILED, "msa.example.test", Optional.empty(), Optional.empty(),
            List.of(RecipientStatus.builder("carol@example.com", "5.7.1", ATTEMPT).diagnosticCode(Optional.of(reply)).build()));

        assertThat(DeliveryStatusFields.render(report)).contains(
            "Diagnostic-Code: smtp; 550-5.7.1 The message was refused because it looks like\r\n"
                + " unsolicited mail 550 5.7.1 see\r\n"
                + " https://mx.example.com/policy/a-long-path-that-cannot-be-folded-anywhere-at-all\r\n"
                + " ?t?\r\n");
    }

    @Test
    void anIpv6LiteralShouldBeWrittenAsAnAddressLiteral() {
        assertThat(DeliveryStatusFields.mtaName("2001:db8::25")).isEqualTo("[IPv6:2001:db8::25]");
        assertThat(DeliveryStatusFields.mtaName("127.0.0.1")).isEqualTo("[127.0.0.1]");
        assertThat(DeliveryStatusFields.mtaName("mx.example.com")).isEqualTo("mx.example.com");
    }

    @Test
    void aStatusThatDoesNotFitTheActionShouldBeRefused() {
        assertThatThrownBy(() -> new DeliveryReport(ReportAction.DELIVERED, "msa.example.test", Optional.empty(), Optional.empty(),
            List.of(RecipientStatus.builder("carol@example.com", "5.1.1", ATTEMPT).build())))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("status 5.1.1 of carol@example.com does not fit action delivered");
    }
}
