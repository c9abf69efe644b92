package org.msa4james.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import javax.mail.Session;
import javax.mail.internet.MimeMessage;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The messages the load generator sends: exact size, complete header, 7bit lines of at most 76 characters. */
class GeneratedMessageTest {

    private static LoadSpec spec(int size) {
        return LoadSpec.builder()
            .host("127.0.0.1")
            .port(587)
            .tls(TlsMode.STARTTLS)
            .credentials("alice@example.test", "secret")
            .sender("alice@example.test")
            .recipient("load@example.com")
            .connections(1)
            .totalMessages(1000)
            .messageSize(size)
            .build();
    }

    @ParameterizedTest
    @ValueSource(ints = {512, 1024, 2048, 1000, 1001, 1002, 100 * 1024, 1024 * 1024 + 7})
    void aMessageHasExactlyTheRequestedSizeAndOnlyShortCrlfLines(int size) {
        for (int index : new int[] {0, 8, 98, 998}) {
            byte[] message = LoadGenerator.message(spec(size), "<load.x." + index + "@example.test>", index,
                "Sat, 28 Nov 2026 20:00:00 +0000");

            assertThat(message).hasSize(size);
            String text = new String(message, StandardCharsets.US_ASCII);
            assertThat(text).endsWith("\r\n");
            List<String> badLines = new ArrayList<>();
            for (String line : text.substring(0, text.length() - 2).split("\r\n", -1)) {
                boolean bad = line.length() > 76 || line.startsWith(".") || line.chars().anyMatch(c -> c < 0x20 || c >= 0x7f);
                if (bad && badLines.size() < 5) {
                    badLines.add(line);
                }
            }
            assertThat(badLines).as("lines longer than 76, starting with a dot or with a control character").isEmpty();
        }
    }

    @Test
    void everyBodySizeButOneByteIsMadeOfCrlfLines() {
        for (int size = 0; size < 400; size++) {
            if (size == 1) {
                continue;
            }
            int[] lengths = LoadGenerator.bodyLineLengths(size);
            int total = 0;
            for (int length : lengths) {
                assertThat(length).isBetween(0, 76);
                total += length + 2;
            }
            assertThat(total).as("body of %d bytes", size).isEqualTo(size);
        }
    }

    @Test
    void aMessageIsACompleteRfc5322Message() throws Exception {
        LoadSpec spec = spec(2048);
        String messageId = LoadGenerator.messageId(spec, "run1", 41);
        byte[] bytes = LoadGenerator.message(spec, messageId, 41, "Sat, 28 Nov 2026 20:00:00 +0000");

        MimeMessage message = new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(bytes));

        assertThat(messageId).isEqualTo("<load.run1.41@example.test>");
        assertThat(message.getMessageID()).isEqualTo(messageId);
        assertThat(message.getHeader("From", null)).isEqualTo("<alice@example.test>");
        assertThat(message.getHeader("To", null)).isEqualTo("<load@example.com>");
        assertThat(message.getSubject()).isEqualTo("Load test message 42 of 1000");
        assertThat(message.getHeader("Date", null)).isEqualTo("Sat, 28 Nov 2026 20:00:00 +0000");
        assertThat(message.getSentDate()).isNotNull();
        assertThat(message.getHeader("MIME-Version", null)).isEqualTo("1.0");
        assertThat(message.getContentType()).isEqualTo("text/plain; charset=us-ascii");
        assertThat(message.getEncoding()).isEqualTo("7bit");
        assertThat((String) message.getContent()).startsWith("line 0000001: ");
    }

    @Test
    void aBodyOfOneByteIsAvoidedByLengtheningTheSubject() throws Exception {
        String longRecipient = "r".repeat(300) + "@example.com";
        LoadSpec large = LoadSpec.builder().host("127.0.0.1").port(587).tls(TlsMode.STARTTLS)
            .credentials("alice@example.test", "secret").sender("alice@example.test").recipient(longRecipient)
            .connections(1).totalMessages(1).messageSize(100 * 1024).build();
        String date = "Sat, 28 Nov 2026 20:00:00 +0000";
        String text = new String(LoadGenerator.message(large, "<id@example.test>", 0, date), StandardCharsets.US_ASCII);
        int headerSize = text.indexOf("\r\n\r\n") + 4;
        LoadSpec oneByteMore = LoadSpec.builder().host("127.0.0.1").port(587).tls(TlsMode.STARTTLS)
            .credentials("alice@example.test", "secret").sender("alice@example.test").recipient(longRecipient)
            .connections(1).totalMessages(1).messageSize(headerSize + 1).build();

        byte[] bytes = LoadGenerator.message(oneByteMore, "<id@example.test>", 0, date);

        assertThat(bytes).hasSize(headerSize + 1);
        MimeMessage message = new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(bytes));
        assertThat(message.getSubject()).isEqualTo("Load test message 1 of 1.");
        assertThat(new String(bytes, StandardCharsets.US_ASCII)).endsWith("\r\n\r\n");
    }

    @Test
    void everyMessageOfARunHasItsOwnMessageId() {
        LoadSpec spec = spec(1024);

        assertThat(LoadGenerator.messageId(spec, "r", 0)).isNotEqualTo(LoadGenerator.messageId(spec, "r", 1));
        assertThat(LoadGenerator.messageId(spec, "r", 0)).isNotEqualTo(LoadGenerator.messageId(spec, "s", 0));
    }
}
