package org.msa4james.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

/** The fake next hop alone, spoken to over a plain socket. */
class NextHopServerTest {

    private static final String MESSAGE_ID = "<same.1@example.test>";

    @Test
    void countsEveryMessageAndASecondOneWithTheSameMessageIdAsADuplicate() throws Exception {
        try (NextHopServer nextHop = NextHopServer.start()) {
            assertThat(nextHop.port()).isPositive();

            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", nextHop.port()), 10_000);
                socket.setSoTimeout(30_000);
                BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
                OutputStream out = socket.getOutputStream();
                assertThat(reply(in)).startsWith("220 ");
                assertThat(command(out, in, "EHLO client.example.test")).startsWith("250");
                for (int i = 0; i < 2; i++) {
                    assertThat(command(out, in, "MAIL FROM:<alice@example.test>")).startsWith("250");
                    assertThat(command(out, in, "RCPT TO:<load@example.com>")).startsWith("250");
                    assertThat(command(out, in, "DATA")).startsWith("354");
                    assertThat(command(out, in, "From: <alice@example.test>\r\n"
                        + "message-id:\r\n " + MESSAGE_ID + "\r\n"
                        + "Subject: twice\r\n"
                        + "\r\n"
                        + "Message-ID: <not.the.header@example.test>\r\n"
                        + "DKIM-Signature: in the body, not a field\r\n"
                        + "body\r\n"
                        + ".")).startsWith("250");
                }
                assertThat(command(out, in, "QUIT")).startsWith("221");
            }

            assertThat(nextHop.awaitArrival(List.of(MESSAGE_ID), Duration.ofSeconds(10))).isTrue();
            assertThat(nextHop.received()).isEqualTo(2);
            assertThat(nextHop.duplicates()).isEqualTo(1);
            assertThat(nextHop.timesReceived(MESSAGE_ID)).isEqualTo(2);
            assertThat(nextHop.timesReceived("<not.the.header@example.test>")).isZero();
            assertThat(nextHop.withoutMessageId()).isZero();
            assertThat(nextHop.signed()).isZero();
            assertThat(nextHop.missing(List.of(MESSAGE_ID, "<never@example.test>"))).containsExactly("<never@example.test>");
            assertThat(nextHop.awaitArrival(List.of("<never@example.test>"), Duration.ofMillis(50))).isFalse();

            nextHop.reset();

            assertThat(nextHop.received()).isZero();
            assertThat(nextHop.duplicates()).isZero();
            assertThat(nextHop.missing(List.of(MESSAGE_ID))).containsExactly(MESSAGE_ID);
        }
    }

    @Test
    void aDkimSignatureCountsAsAFieldOfTheHeaderOnly() {
        String signed = "DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d=example.test;\r\n\ts=postfix; b=abc\r\n"
            + "Received: from client\r\n\tby mail.example.test\r\n"
            + "Message-ID: <a@b>\r\n\r\n";

        assertThat(NextHopServer.hasField(signed, "DKIM-Signature")).isTrue();
        assertThat(NextHopServer.hasField("dkim-signature : v=1\r\n\r\n", "DKIM-Signature")).isTrue();
        assertThat(NextHopServer.hasField("Subject: x\r\n DKIM-Signature: folded into Subject\r\n\r\n", "DKIM-Signature")).isFalse();
        assertThat(NextHopServer.hasField("X-DKIM-Signature: no\r\n\r\n", "DKIM-Signature")).isFalse();
    }

    @Test
    void theMessageIdIsTheFirstFieldOfThatNameUnfolded() {
        assertThat(NextHopServer.messageIdOf("Subject: x\r\nMessage-ID: <a@b>\r\nMessage-ID: <c@d>\r\n\r\n")).contains("<a@b>");
        assertThat(NextHopServer.messageIdOf("MESSAGE-ID:\r\n\t<a@b>\r\n\r\n")).contains("<a@b>");
        assertThat(NextHopServer.messageIdOf("Subject: no id\r\n\r\n")).isEqualTo(Optional.empty());
        assertThat(NextHopServer.messageIdOf("X-Message-ID: <a@b>\r\n\r\n")).isEqualTo(Optional.empty());
    }

    private static String command(OutputStream out, BufferedReader in, String line) throws IOException {
        out.write((line + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        return reply(in);
    }

    /** The last line of a (possibly multi-line) reply. */
    private static String reply(BufferedReader in) throws IOException {
        for (int i = 0; i < 50; i++) {
            String line = in.readLine();
            if (line == null) {
                throw new IOException("connection closed");
            }
            if (line.length() < 4 || line.charAt(3) == ' ') {
                return line;
            }
        }
        throw new IOException("reply too long");
    }
}
