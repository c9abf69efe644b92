package org.msa4james.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

class ReportTextTest {
    private static final Instant ARRIVAL = Instant.parse("2026-11-28T18:55:39.123Z");
    private static final Instant ATTEMPT = Instant.parse("2026-11-28T18:55:41Z");

    @Test
    void aFailureShouldSayWhatHappenedToEachRecipientAndThatNothingMoreWillBeTried() {
        DeliveryReport report = new DeliveryReport(ReportAction.FAILED, "msa.example.test", Optional.empty(), Optional.of(ARRIVAL),
            List.of(RecipientStatus.builder("carol@example.com", "5.1.1", ATTEMPT)
                    .remoteMta(Optional.of("mx.example.com"))
                    .diagnosticCode(Optional.of("550 5.1.1 <carol@example.com>: no such user"))
                    .build(),
                RecipientStatus.builder("bob@example.test", "5.2.2", ATTEMPT).build()));

        assertThat(ReportText.body(report, Optional.of("Quarterly report"), ReportText.Returned.MESSAGE)).isEqualTo(
            "This is the mail system at msa.example.test.\n"
                + "\n"
                + "Your message could not be delivered to these 2 recipients. The mail system\n"
                + "has given up and will not try again.\n"
                + "\n"
                + "<carol@example.com>: the mailbox does not exist.\n"
                + "    The mail server mx.example.com answered:\n"
                + "    550 5.1.1 <carol@example.com>: no such user\n"
                + "\n"
                + "<bob@example.test>: the mailbox is full.\n"
                + "\n"
                + "Your message: \"Quarterly report\", sent Sat, 28 Nov 2026 18:55:39 +0000. The\n"
                + "technical report for mail software and a copy of your message are attached.\n");
        assertThat(ReportText.subject(ReportAction.FAILED, Optional.of("Quarterly report"))).isEqualTo("Undeliverable: Quarterly report");
    }

    @Test
    void aDelayShouldSayUntilWhenDeliveryIsTriedAndThatNothingNeedsToBeDone() {
        DeliveryReport report = new DeliveryReport(ReportAction.DELAYED, "msa.example.test", Optional.empty(), Optional.empty(),
            List.of(RecipientStatus.builder("carol@example.com", "4.3.0", ATTEMPT)
                .remoteMta(Optional.of("127.0.0.1"))
                .diagnosticCode(Optional.of("451 4.3.0 Try again later"))
                .willRetryUntil(Optional.of(Instant.parse("2026-12-02T18:55:41Z")))
                .build()));

        assertThat(ReportText.body(report, Optional.empty(), ReportText.Returned.HEADER)).isEqualTo(
            "This is the mail system at msa.example.test.\n"
                + "\n"
                + "Your message has not been delivered to this recipient yet. The mail system\n"
                + "keeps trying until Wed, 2 Dec 2026 18:55:41 +0000 and will tell you if it\n"
                + "gives up. You do not need to send the message again.\n"
                + "\n"
                + "<carol@example.com>: the receiving mail system has a problem.\n"
                + "    The mail server [127.0.0.1] answered:\n"
                + "    451 4.3.0 Try again later\n"
                + "\n"
                + "Your message had no subject. The technical report for mail software and the\n"
                + "header of your message are attached.\n");
        assertThat(ReportText.subject(ReportAction.DELAYED, Optional.empty())).isEqualTo("Delivery delayed");
    }

    @Test
    void aSuccessShouldSayWhereTheMessageWent() {
        DeliveryReport delivered = new DeliveryReport(ReportAction.DELIVERED, "msa.example.test", Optional.empty(), Optional.empty(),
            List.of(RecipientStatus.builder("bob@example.test", "2.0.0", ATTEMPT).build()));
        DeliveryReport relayed = new DeliveryReport(ReportAction.RELAYED, "msa.example.test", Optional.empty(), Optional.empty(),
            List.of(RecipientStatus.builder("carol@example.com", "2.0.0", ATTEMPT).remoteMta(Optional.of("mx.example.com"))
                .diagnosticCode(Optional.of("250 OK")).build()));

        assertThat(ReportText.body(delivered, Optional.of("Hi"), ReportText.Returned.NOTHING))
            .contains("Your message was delivered to the mailbox of this recipient.\n\n<bob@example.test>: delivered.\n")
            .endsWith("Your message: \"Hi\". The technical report for mail software is attached.\n");
        assertThat(ReportText.body(relayed, Optional.of("Hi"), ReportText.Returned.NOTHING))
            .contains("Your message was handed on to the next mail server for this recipient. That\n"
                + "server does not report delivery, so no further notice will come.\n"
                + "\n"
                + "<carol@example.com>: handed on to mx.example.com.\n"
                + "    The mail server mx.example.com answered:\n"
                + "    250 OK\n");
        assertThat(ReportText.subject(ReportAction.DELIVERED, Optional.of(" Hi "))).isEqualTo("Delivered: Hi");
        assertThat(ReportText.subject(ReportAction.RELAYED, Optional.of("Hi"))).isEqualTo("Relayed: Hi");
        assertThat(ReportText.subject(ReportAction.FAILED, Optional.of("Hi\r\nBcc: mallory@example.com")))
            .isEqualTo("Undeliverable: Hi Bcc: mallory@example.com");
    }
}
