package org.msa4james.encoding;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import java.util.stream.Stream;

import javax.mail.BodyPart;
import javax.mail.Multipart;
import javax.mail.Session;
import javax.mail.internet.MimeMessage;

import org.apache.james.mime4j.dom.Message;
import org.apache.james.mime4j.dom.TextBody;
import org.apache.james.mime4j.message.DefaultMessageBuilder;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import com.google.common.base.Strings;

class EncodingScannerTest {
    private static final EncodingScanner SCANNER = new EncodingScanner();

    /** Lines joined and ended with CRLF. */
    static String crlf(String... lines) {
        return String.join("\r\n", lines) + "\r\n";
    }

    static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    static EncodingPlan scan(String message) throws IOException {
        return scan(utf8(message));
    }

    static EncodingPlan scan(byte[] message) throws IOException {
        return SCANNER.scan(new ByteArrayInputStream(message));
    }

    /** Scans then rewrites, as the mailet does, and returns the output as text (it is US-ASCII where re-encoded). */
    static String rewrite(String message) throws IOException {
        byte[] input = utf8(message);
        EncodingPlan plan = scan(input);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        plan.rewrite(new ByteArrayInputStream(input), out);
        return out.toString(StandardCharsets.UTF_8);
    }

    static String describe(String message) throws IOException {
        return scan(message).parts().toString();
    }

    private static final String HEADER = crlf(
        "From: Alice <alice@example.test>",
        "To: bob@example.test",
        "Date: Sat, 28 Nov 2026 18:55:39 +0000",
        "Message-ID: <4711@example.test>");

    private static final String LINE_OF_1500 = Strings.repeat("0123456789", 150);
    private static final String QP_LINE_OF_1500;

    static {
        String first = Strings.repeat("0123456789", 7) + "01234";
        String second = "56789" + Strings.repeat("0123456789", 7);
        QP_LINE_OF_1500 = Strings.repeat(first + "=\r\n" + second + "=\r\n", 9) + first + "=\r\n" + second;
    }

    @Nested
    class ConformantMessages {
        @Test
        void scanShouldFindNothingInPlainText() throws Exception {
            String message = HEADER + crlf(
                "Subject: Hello",
                "",
                "Hello Bob,",
                "",
                "see you at 10.",
                "-- ",
                "Alice");

            assertThat(scan(message).isEmpty()).isTrue();
            assertThat(rewrite(message)).isEqualTo(message);
        }

        @Test
        void scanShouldFindNothingInAMultipartWithABase64AttachmentAnd8bitText() throws Exception {
            String message = HEADER + crlf(
                "Subject: Report",
                "MIME-Version: 1.0",
                "Content-Type: multipart/mixed; boundary=\"------------7hQ2\"",
                "",
                "This is a multi-part message in MIME format.",
                "--------------7hQ2",
                "Content-Type: text/plain; charset=UTF-8; format=flowed",
                "Content-Transfer-Encoding: 8bit",
                "",
                "Grüße, the report is attached.",
                "",
                "--------------7hQ2",
                "Content-Type: application/pdf; name=\"report.pdf\"",
                "Content-Disposition: attachment; filename=\"report.pdf\"",
                "Content-Transfer-Encoding: base64",
                "",
                "JVBERi0xLjQKJcOkw7zDtsOfCjIgMCBvYmoKPDwvTGVuZ3RoIDMgMCBSL0ZpbHRlci9GbGF0ZURl",
                "Y29kZT4+CnN0cmVhbQp4nDPQM1Qo5ypUMFAw0DMwslAwtTTVMzI3VbAwMdSzUChKLMpMzVHIzCvJ",
                "--------------7hQ2--",
                "");

            assertThat(scan(message).isEmpty()).isTrue();
        }

        @Test
        void scanShouldFindNothingInALineOfExactly998Octets() throws Exception {
            String message = HEADER + crlf("Subject: 998", "", Strings.repeat("a", 998), "end");

            assertThat(scan(message).isEmpty()).isTrue();
        }

        @Test
        void scanShouldFindNothingIn8bitDataDeclared8bit() throws Exception {
            String message = HEADER + crlf("MIME-Version: 1.0", "Content-Type: text/plain; charset=utf-8",
                "Content-Transfer-Encoding: 8BIT", "", "Grüße aus Köln");

            assertThat(scan(message).isEmpty()).isTrue();
        }

        @Test
        void scanShouldFindNothingInAMessageWithoutBody() throws Exception {
            assertThat(scan(HEADER + "Subject: nothing\r\n").isEmpty()).isTrue();
            assertThat(scan("").isEmpty()).isTrue();
        }
    }

    @Nested
    class LongLines {
        @Test
        void rewriteShouldEncodeALineOf1500OctetsWithSoftBreaks() throws Exception {
            String message = HEADER + crlf(
                "Subject: Long line",
                "MIME-Version: 1.0",
                "Content-Type: text/plain; charset=us-ascii",
                "Content-Transfer-Encoding: 7bit",
                "",
                "Before",
                LINE_OF_1500,
                "After");

            assertThat(rewrite(message)).isEqualTo(HEADER + crlf(
                "Subject: Long line",
                "MIME-Version: 1.0",
                "Content-Type: text/plain; charset=us-ascii",
                "Content-Transfer-Encoding: quoted-printable",
                "",
                "Before",
                QP_LINE_OF_1500,
                "After"));
            assertThat(describe(message)).isEqualTo("[part 1 text/plain (7bit): line of 1500 octets]");
        }

        @Test
        void rewriteShouldEncodeALineOf999Octets() throws Exception {
            String message = HEADER + crlf("Subject: 999", "", Strings.repeat("a", 999), "end");

            assertThat(rewrite(message)).isEqualTo(HEADER + crlf("Subject: 999",
                "MIME-Version: 1.0",
                "Content-Transfer-Encoding: quoted-printable",
                "",
                Strings.repeat(Strings.repeat("a", 75) + "=\r\n", 13) + Strings.repeat("a", 24),
                "end"));
            assertThat(describe(message)).isEqualTo("[part 1 text/plain (7bit by default): line of 999 octets]");
        }

        @Test
        void rewriteShouldEncodeALongLineDeclared8bit() throws Exception {
            String message = HEADER + crlf("MIME-Version: 1.0", "Content-Type: text/plain; charset=utf-8",
                "Content-Transfer-Encoding: 8bit", "", "é" + Strings.repeat("a", 1000));

            assertThat(rewrite(message)).isEqualTo(HEADER + crlf("MIME-Version: 1.0", "Content-Type: text/plain; charset=utf-8",
                "Content-Transfer-Encoding: quoted-printable", "",
                "=C3=A9" + Strings.repeat("a", 69) + "=\r\n"
                    + Strings.repeat(Strings.repeat("a", 75) + "=\r\n", 12)
                    + Strings.repeat("a", 31)));
            assertThat(describe(message)).isEqualTo("[part 1 text/plain (8bit): line of 1002 octets]");
        }

        @Test
        void rewriteShouldEncodeALongHtmlLine() throws Exception {
            String html = "<p style=\"color:red\">" + Strings.repeat("x", 1000) + "</p>";
            String message = HEADER + crlf("MIME-Version: 1.0", "Content-Type: text/html; charset=utf-8", "", html);

            assertThat(rewrite(message)).isEqualTo(HEADER + crlf("MIME-Version: 1.0", "Content-Type: text/html; charset=utf-8",
                "Content-Transfer-Encoding: quoted-printable", "",
                "<p style=3D\"color:red\">" + Strings.repeat("x", 52) + "=\r\n"
                    + Strings.repeat(Strings.repeat("x", 75) + "=\r\n", 12)
                    + Strings.repeat("x", 48) + "</p>"));
            assertThat(describe(message)).isEqualTo("[part 1 text/html (7bit by default): line of 1025 octets]");
        }
    }

    @Nested
    class EightBitData {
        @Test
        void rewriteShouldEncodeUtf8TextDeclared7bit() throws Exception {
            String message = HEADER + crlf(
                "Subject: Greetings",
                "MIME-Version: 1.0",
                "Content-Type: text/plain; charset=utf-8",
                "Content-Transfer-Encoding: 7bit",
                "",
                "Grüße aus Köln,",
                "",
                "Jürgen");

            assertThat(rewrite(message)).isEqualTo(HEADER + crlf(
                "Subject: Greetings",
                "MIME-Version: 1.0",
                "Content-Type: text/plain; charset=utf-8",
                "Content-Transfer-Encoding: quoted-printable",
                "",
                "Gr=C3=BC=C3=9Fe aus K=C3=B6ln,",
                "",
                "J=C3=BCrgen"));
            assertThat(describe(message)).isEqualTo("[part 1 text/plain (7bit): 8-bit octets in 7bit data]");
        }

        @Test
        void rewriteShouldAddTheEncodingFieldAtTheEndOfAMimeHeaderWithoutOne() throws Exception {
            String message = HEADER + crlf("MIME-Version: 1.0", "Content-Type: text/plain; charset=\"iso-8859-1\"",
                "Subject: no encoding declared", "", "caf\u00e9");

            assertThat(rewrite(message)).isEqualTo(HEADER + crlf("MIME-Version: 1.0", "Content-Type: text/plain; charset=\"iso-8859-1\"",
                "Subject: no encoding declared", "Content-Transfer-Encoding: quoted-printable", "", "caf=C3=A9"));
        }

        @Test
        void rewriteShouldMakeANonMimeMessageMimeWithoutInventingACharset() throws Exception {
            String message = HEADER + crlf("Subject: =?utf-8?q?Caf=C3=A9?=", "", "Café crème");

            assertThat(rewrite(message)).isEqualTo(HEADER + crlf("Subject: =?utf-8?q?Caf=C3=A9?=",
                "MIME-Version: 1.0",
                "Content-Transfer-Encoding: quoted-printable",
                "",
                "Caf=C3=A9 cr=C3=A8me"));
            assertThat(describe(message)).isEqualTo("[part 1 text/plain (7bit by default): 8-bit octets in 7bit data]");
        }

        @Test
        void rewriteShouldKeepTheTrailingWhiteSpaceOfTheSignatureDelimiter() throws Exception {
            String message = HEADER + crlf("MIME-Version: 1.0", "Content-Type: text/plain; charset=utf-8", "",
                "Grüße ", "-- ", "Jürgen\t");

            assertThat(rewrite(message)).isEqualTo(HEADER + crlf("MIME-Version: 1.0", "Content-Type: text/plain; charset=utf-8",
                "Content-Transfer-Encoding: quoted-printable", "",
                "Gr=C3=BC=C3=9Fe=20", "--=20", "J=C3=BCrgen=09"));
        }

        @Test
        void rewriteShouldEncodeNulAndBareCrEvenIn8bit() throws Exception {
            String message = HEADER + crlf("MIME-Version: 1.0", "Content-Type: text/plain", "Content-Transfer-Encoding: 8bit", "",
                "a\u0000b", "progress 10%\rprogress 20%");

            assertThat(rewrite(message)).isEqualTo(HEADER + crlf("MIME-Version: 1.0", "Content-Type: text/plain",
                "Content-Transfer-Encoding: quoted-printable", "", "a=00b", "progress 10%=0Dprogress 20%"));
            assertThat(describe(message)).isEqualTo("[part 1 text/plain (8bit): NUL octets, CR without LF]");
        }

        @Test
        void rewriteShouldReplaceAFoldedEncodingFieldWhole() throws Exception {
            String message = HEADER + crlf("MIME-Version: 1.0", "Content-Transfer-Encoding:", " 7BIT (plain text)",
                "Content-Type: text/plain;", "\tcharset=utf-8", "", "é");

            assertThat(rewrite(message)).isEqualTo(HEADER + crlf("MIME-Version: 1.0", "Content-Transfer-Encoding: quoted-printable",
                "Content-Type: text/plain;", "\tcharset=utf-8", "", "=C3=A9"));
        }
    }

    @Nested
    class Multiparts {
        private final String alternative = HEADER + crlf(
            "Subject: Alternative",
            "MIME-Version: 1.0",
            "Content-Type: multipart/alternative; boundary=\"=_alt\"",
            "",
            "This is a multi-part message in MIME format.",
            "--=_alt",
            "Content-Type: text/plain; charset=us-ascii",
            "",
            "Short line.",
            Strings.repeat("word ", 220) + "end",
            "--=_alt",
            "Content-Type: text/html; charset=utf-8",
            "Content-Transfer-Encoding: 8bit",
            "",
            "<p>Grüße</p>",
            "--=_alt--",
            "");

        @Test
        void rewriteShouldEncodeOnlyTheLongTextPart() throws Exception {
            assertThat(rewrite(alternative)).isEqualTo(HEADER + crlf(
                "Subject: Alternative",
                "MIME-Version: 1.0",
                "Content-Type: multipart/alternative; boundary=\"=_alt\"",
                "",
                "This is a multi-part message in MIME format.",
                "--=_alt",
                "Content-Type: text/plain; charset=us-ascii",
                "Content-Transfer-Encoding: quoted-printable",
                "",
                "Short line.",
                Strings.repeat(Strings.repeat("word ", 15) + "=\r\n", 14) + Strings.repeat("word ", 10) + "end",
                "--=_alt",
                "Content-Type: text/html; charset=utf-8",
                "Content-Transfer-Encoding: 8bit",
                "",
                "<p>Grüße</p>",
                "--=_alt--",
                ""));
            assertThat(describe(alternative)).isEqualTo("[part 1 text/plain (7bit by default): line of 1103 octets]");
        }

        @Test
        void rewriteShouldKeepLineBreaksBlankLinesAndTheMissingLastLineBreak() throws Exception {
            String message = HEADER + crlf("MIME-Version: 1.0", "Content-Type: multipart/mixed; boundary=b", "",
                "--b", "", "é", "", "", "x", "", "--b", "Content-Type: text/plain", "", "ä", "--b--");

            assertThat(rewrite(message)).isEqualTo(HEADER + crlf("MIME-Version: 1.0", "Content-Type: multipart/mixed; boundary=b", "",
                "--b", "Content-Transfer-Encoding: quoted-printable", "", "=C3=A9", "", "", "x", "",
                "--b", "Content-Type: text/plain", "Content-Transfer-Encoding: quoted-printable", "", "=C3=A4", "--b--"));
            assertThat(describe(message)).isEqualTo("[part 1 text/plain (7bit by default): 8-bit octets in 7bit data,"
                + " part 2 text/plain (7bit by default): 8-bit octets in 7bit data]");
        }

        @Test
        void rewriteShouldLetAnOuterBoundaryCloseAnUnclosedInnerMultipart() throws Exception {
            String message = HEADER + crlf("MIME-Version: 1.0", "Content-Type: multipart/mixed; boundary=\"outer\"", "",
                "--outer", "Content-Type: multipart/alternative; boundary=\"inner\"", "",
                "--inner", "Content-Type: text/plain", "", "café",
                "--outer", "Content-Type: text/plain", "", "thé", "--outer--", "epilogue é");

            assertThat(rewrite(message)).isEqualTo(HEADER + crlf("MIME-Version: 1.0", "Content-Type: multipart/mixed; boundary=\"outer\"", "",
                "--outer", "Content-Type: multipart/alternative; boundary=\"inner\"", "",
                "--inner", "Content-Type: text/plain", "Content-Transfer-Encoding: quoted-printable", "", "caf=C3=A9",
                "--outer", "Content-Type: text/plain", "Content-Transfer-Encoding: quoted-printable", "", "th=C3=A9",
                "--outer--", "epilogue é"));
            assertThat(scan(message).parts()).extracting(ReencodedPart::section).containsExactly("1.1", "2");
        }

        @Test
        void rewriteShouldEncodeTheLastPartOfAnUnclosedMultipartUpToTheEnd() throws Exception {
            String message = HEADER + crlf("MIME-Version: 1.0", "Content-Type: multipart/mixed; boundary=b", "",
                "--b", "", "é");

            assertThat(rewrite(message)).isEqualTo(HEADER + crlf("MIME-Version: 1.0", "Content-Type: multipart/mixed; boundary=b", "",
                "--b", "Content-Transfer-Encoding: quoted-printable", "", "=C3=A9"));
        }

        @Test
        void rewriteShouldAcceptTransportPaddingAfterABoundary() throws Exception {
            String message = HEADER + crlf("MIME-Version: 1.0", "Content-Type: multipart/mixed; boundary=b", "",
                "--b \t", "Content-Type: text/plain", "", "é",
                "--b-- ", "", "--b", "", "é in the epilogue");

            assertThat(rewrite(message)).isEqualTo(HEADER + crlf("MIME-Version: 1.0", "Content-Type: multipart/mixed; boundary=b", "",
                "--b \t", "Content-Type: text/plain", "Content-Transfer-Encoding: quoted-printable", "", "=C3=A9",
                "--b-- ", "", "--b", "", "é in the epilogue"));
            assertThat(scan(message).parts()).extracting(ReencodedPart::section).containsExactly("1");
        }

        @Test
        void scanShouldTreatALineThatOnlyStartsWithTheBoundaryAsText() throws Exception {
            String message = HEADER + crlf("MIME-Version: 1.0", "Content-Type: multipart/mixed; boundary=b", "",
                "--b", "Content-Type: application/octet-stream", "", "--bx", "Content-Type: text/plain", "", "é", "--b--");

            assertThat(scan(message).isEmpty()).isTrue();
        }

        @Test
        void rewriteShouldLeavePreambleAndEpilogueAlone() throws Exception {
            String message = HEADER + crlf("MIME-Version: 1.0", "Content-Type: multipart/mixed; boundary=b",
                "", Strings.repeat("p", 1200) + "é", "--b", "", "ok", "--b--", Strings.repeat("e", 1200) + "é");

            assertThat(scan(message).isEmpty()).isTrue();
        }

        @Test
        void rewriteShouldReadPartsOfADigestAsMessages() throws Exception {
            String message = HEADER + crlf("MIME-Version: 1.0", "Content-Type: multipart/digest; boundary=d", "",
                "--d", "", "From: carol@example.test", "Subject: one", "", "café", "--d--");

            assertThat(rewrite(message)).isEqualTo(HEADER + crlf("MIME-Version: 1.0", "Content-Type: multipart/digest; boundary=d", "",
                "--d", "", "From: carol@example.test", "Subject: one", "MIME-Version: 1.0",
                "Content-Transfer-Encoding: quoted-printable", "", "caf=C3=A9", "--d--"));
            assertThat(scan(message).parts()).extracting(ReencodedPart::section).containsExactly("1.1");
        }
    }

    @Nested
    class EmbeddedMessages {
        @Test
        void rewriteShouldEncodeTheTextOfAnEmbeddedMessageAndNotTheMessagePart() throws Exception {
            String message = HEADER + crlf(
                "Subject: Fwd: report",
                "MIME-Version: 1.0",
                "Content-Type: multipart/mixed; boundary=\"outer\"",
                "",
                "--outer",
                "Content-Type: text/plain; charset=us-ascii",
                "",
                "See the forwarded message.",
                "--outer",
                "Content-Type: message/rfc822",
                "Content-Disposition: attachment",
                "",
                "From: carol@example.test",
                "To: alice@example.test",
                "Subject: report",
                "",
                Strings.repeat("r", 1000),
                "--outer--");

            assertThat(rewrite(message)).isEqualTo(HEADER + crlf(
                "Subject: Fwd: report",
                "MIME-Version: 1.0",
                "Content-Type: multipart/mixed; boundary=\"outer\"",
                "",
                "--outer",
                "Content-Type: text/plain; charset=us-ascii",
                "",
                "See the forwarded message.",
                "--outer",
                "Content-Type: message/rfc822",
                "Content-Disposition: attachment",
                "",
                "From: carol@example.test",
                "To: alice@example.test",
                "Subject: report",
                "MIME-Version: 1.0",
                "Content-Transfer-Encoding: quoted-printable",
                "",
                Strings.repeat(Strings.repeat("r", 75) + "=\r\n", 13) + Strings.repeat("r", 25),
                "--outer--"));
            assertThat(describe(message)).isEqualTo("[part 2.1 text/plain (7bit by default): line of 1000 octets]");
        }

        @Test
        void rewriteShouldNumberThePartsOfAnEmbeddedMultipart() throws Exception {
            String message = HEADER + crlf("MIME-Version: 1.0", "Content-Type: multipart/mixed; boundary=outer", "",
                "--outer", "Content-Type: message/rfc822", "",
                "MIME-Version: 1.0", "Content-Type: multipart/alternative; boundary=inner", "",
                "--inner", "Content-Type: text/plain", "", "ok", "--inner", "Content-Type: text/html", "", "<p>é</p>", "--inner--",
                "--outer--");

            assertThat(rewrite(message)).isEqualTo(HEADER + crlf("MIME-Version: 1.0", "Content-Type: multipart/mixed; boundary=outer", "",
                "--outer", "Content-Type: message/rfc822", "",
                "MIME-Version: 1.0", "Content-Type: multipart/alternative; boundary=inner", "",
                "--inner", "Content-Type: text/plain", "", "ok", "--inner", "Content-Type: text/html",
                "Content-Transfer-Encoding: quoted-printable", "", "<p>=C3=A9</p>", "--inner--",
                "--outer--"));
            assertThat(describe(message)).isEqualTo("[part 1.2 text/html (7bit by default): 8-bit octets in 7bit data]");
        }
    }

    static Stream<Arguments> partsToLeaveAlone() {
        String longLine = Strings.repeat("z", 1200);
        return Stream.of(
            Arguments.of("base64 text", crlf("Content-Type: text/plain", "Content-Transfer-Encoding: base64", "", longLine)),
            Arguments.of("quoted-printable text", crlf("Content-Type: text/plain", "Content-Transfer-Encoding: quoted-printable", "", longLine + "é")),
            Arguments.of("binary text", crlf("Content-Type: text/plain", "Content-Transfer-Encoding: binary", "", longLine + "é\u0000")),
            Arguments.of("an unknown encoding", crlf("Content-Type: text/plain", "Content-Transfer-Encoding: x-uuencode", "", longLine)),
            Arguments.of("a non-text part", crlf("Content-Type: application/json", "", longLine + "é")),
            Arguments.of("two encoding fields", crlf("Content-Type: text/plain", "Content-Transfer-Encoding: 7bit",
                "Content-Transfer-Encoding: 8bit", "", longLine)),
            Arguments.of("two content types", crlf("Content-Type: text/plain", "Content-Type: image/png", "", longLine)),
            Arguments.of("an unparsable content type", crlf("Content-Type: text", "", longLine)),
            Arguments.of("a multipart without boundary", crlf("Content-Type: multipart/mixed", "", longLine)),
            Arguments.of("a base64 message/rfc822", crlf("Content-Type: message/rfc822", "Content-Transfer-Encoding: base64", "",
                "Subject: x", "", longLine)),
            Arguments.of("a message/global", crlf("Content-Type: message/global", "", "Subject: é", "", longLine))
        );
    }

    @Nested
    class LeftAlone {
        @ParameterizedTest(name = "{0}")
        @MethodSource("org.msa4james.encoding.EncodingScannerTest#partsToLeaveAlone")
        void scanShouldLeaveAlone(String description, String part) throws Exception {
            String message = HEADER + crlf("MIME-Version: 1.0", "Content-Type: multipart/mixed; boundary=b", "", "--b") + part + "--b--\r\n";

            assertThat(scan(message).isEmpty()).isTrue();
        }
    }

    @Nested
    class LineEnds {
        @Test
        void rewriteShouldKeepBareLfAsDataInAnLfOnlyMessage() throws Exception {
            String message = "Subject: lf\nMIME-Version: 1.0\n\ncafé\nline 2\n";

            assertThat(rewrite(message)).isEqualTo("Subject: lf\nMIME-Version: 1.0\nContent-Transfer-Encoding: quoted-printable\n\n"
                + "caf=C3=A9=0Aline 2=0A");
            assertThat(describe(message)).isEqualTo("[part 1 text/plain (7bit by default): 8-bit octets in 7bit data, LF without CR]");
        }

        @Test
        void rewriteShouldLeaveTheLineBreakBeforeADelimiterOutsideTheEncodedBody() throws Exception {
            String message = "MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\n\r\né\n--b--\r\n";

            assertThat(rewrite(message)).isEqualTo("MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n"
                + "--b\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n=C3=A9\n--b--\r\n");
        }

        @Test
        void scanShouldNotCountTheLineBreakBeforeABoundaryAsABareLf() throws Exception {
            String message = "MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\n\r\nok\n--b--\r\n";

            assertThat(scan(message).isEmpty()).isTrue();
        }
    }

    @Nested
    class RoundTrip {
        @Test
        void decodingTheRewrittenPartsShouldGiveBackTheOriginalTextWithJavaMail() throws Exception {
            String plain = "Short line.\r\n" + Strings.repeat("Grüße = ", 200) + "\r\n\r\n-- \r\nJürgen \t";
            String html = "<p>" + Strings.repeat("Köln ", 300) + "</p>";
            String message = HEADER + crlf("MIME-Version: 1.0", "Content-Type: multipart/alternative; boundary=\"=_alt\"", "",
                "--=_alt", "Content-Type: text/plain; charset=utf-8", "Content-Transfer-Encoding: 7bit", "", plain,
                "--=_alt", "Content-Type: text/html; charset=utf-8", "", html, "--=_alt--");

            MimeMessage parsed = new MimeMessage(Session.getInstance(new Properties()),
                new ByteArrayInputStream(rewrite(message).getBytes(StandardCharsets.US_ASCII)));
            Multipart multipart = (Multipart) parsed.getContent();
            BodyPart first = multipart.getBodyPart(0);
            BodyPart second = multipart.getBodyPart(1);

            assertThat(first.getHeader("Content-Transfer-Encoding")).containsExactly("quoted-printable");
            assertThat(decoded(first.getInputStream())).isEqualTo(plain);
            assertThat(decoded(second.getInputStream())).isEqualTo(html);
        }

        @Test
        void decodingTheRewrittenMessageShouldGiveBackTheOriginalTextWithMime4j() throws Exception {
            String text = "Café crème\r\n" + Strings.repeat("x", 2000) + " \r\n=\r\n";
            String message = HEADER + crlf("Subject: non-MIME", "") + text;

            Message parsed = new DefaultMessageBuilder().parseMessage(
                new ByteArrayInputStream(rewrite(message).getBytes(StandardCharsets.US_ASCII)));

            assertThat(parsed.getContentTransferEncoding()).isEqualTo("quoted-printable");
            assertThat(decoded(((TextBody) parsed.getBody()).getInputStream())).isEqualTo(text);
        }

        private String decoded(InputStream in) throws IOException {
            try (in) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
        }
    }

    @Test
    void rewriteShouldRefuseAMessageShorterThanTheScannedOne() throws Exception {
        String message = HEADER + crlf("", "é");
        EncodingPlan plan = scan(message);

        assertThatThrownBy(() -> plan.rewrite(new ByteArrayInputStream(utf8(HEADER)), new ByteArrayOutputStream()))
            .isInstanceOf(IOException.class)
            .hasMessage("The message ended 2 octets before the part to re-encode: it is not the message that was scanned");
    }
}
