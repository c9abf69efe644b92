package org.msa4james.encoding;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.stream.Stream;

import javax.mail.internet.MimeUtility;

import org.apache.james.mime4j.codec.QuotedPrintableInputStream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import com.google.common.base.Strings;

class QuotedPrintableEncoderTest {
    static String encode(byte[] input) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        QuotedPrintableEncoder encoder = new QuotedPrintableEncoder(out);
        encoder.write(input);
        encoder.finish();
        return out.toString(StandardCharsets.US_ASCII);
    }

    static String encode(String input) throws IOException {
        return encode(input.getBytes(StandardCharsets.UTF_8));
    }

    static byte[] decodeWithJavaMail(String encoded) throws Exception {
        try (InputStream in = MimeUtility.decode(new ByteArrayInputStream(encoded.getBytes(StandardCharsets.US_ASCII)), "quoted-printable")) {
            return in.readAllBytes();
        }
    }

    static byte[] decodeWithMime4j(String encoded) throws IOException {
        try (InputStream in = new QuotedPrintableInputStream(new ByteArrayInputStream(encoded.getBytes(StandardCharsets.US_ASCII)), true)) {
            return in.readAllBytes();
        }
    }

    private static String x(int count) {
        return Strings.repeat("x", count);
    }

    static Stream<Arguments> octets() {
        return Stream.of(
            Arguments.of("printable ASCII is literal", "Hello, world!\r\n", "Hello, world!\r\n"),
            Arguments.of("'=' is encoded", "a=b\r\n", "a=3Db\r\n"),
            Arguments.of("UTF-8 octets are encoded, upper-case hex", "caf\u00e9", "caf=C3=A9"),
            Arguments.of("NUL is encoded", "a\u0000b\r\n", "a=00b\r\n"),
            Arguments.of("DEL and controls are encoded", "a\u007fb\u001bc\r\n", "a=7Fb=1Bc\r\n"),
            Arguments.of("a bare CR is data", "a\rb\r\n", "a=0Db\r\n"),
            Arguments.of("a bare LF is data", "a\nb\r\n", "a=0Ab\r\n"),
            Arguments.of("CR CR LF: the first CR is data", "a\r\r\nb", "a=0D\r\nb"),
            Arguments.of("a CR at the very end is data", "a\r", "a=0D"),
            Arguments.of("empty lines stay", "\r\n\r\na\r\n\r\n", "\r\n\r\na\r\n\r\n"),
            Arguments.of("empty input", "", "")
        );
    }

    @Nested
    class Octets {
        @ParameterizedTest(name = "{0}")
        @MethodSource("org.msa4james.encoding.QuotedPrintableEncoderTest#octets")
        void encodeShouldProduceExactly(String description, String input, String expected) throws Exception {
            assertThat(encode(input)).isEqualTo(expected);
        }
    }

    static Stream<Arguments> whiteSpace() {
        return Stream.of(
            Arguments.of("inner spaces and tabs are literal", "a b\tc  d\r\n", "a b\tc  d\r\n"),
            Arguments.of("a space before a line break is encoded", "trailing \r\n", "trailing=20\r\n"),
            Arguments.of("only the last of several trailing spaces is encoded", "two  \r\n", "two =20\r\n"),
            Arguments.of("a tab before a line break is encoded", "tab\t\r\n", "tab=09\r\n"),
            Arguments.of("a space at the end of the input is encoded", "end ", "end=20"),
            Arguments.of("the signature delimiter keeps its space", "-- \r\nAlice\r\n", "--=20\r\nAlice\r\n"),
            Arguments.of("a space before a bare CR is not trailing", "a \rb", "a =0Db"),
            Arguments.of("a space before a bare LF is not trailing", "a \nb", "a =0Ab"),
            Arguments.of("a space before a CR at the end is not trailing", "a \r", "a =0D")
        );
    }

    @Nested
    class WhiteSpace {
        @ParameterizedTest(name = "{0}")
        @MethodSource("org.msa4james.encoding.QuotedPrintableEncoderTest#whiteSpace")
        void encodeShouldProduceExactly(String description, String input, String expected) throws Exception {
            assertThat(encode(input)).isEqualTo(expected);
        }
    }

    static Stream<Arguments> softLineBreaks() {
        return Stream.of(
            Arguments.of("76 characters before a hard break fit", x(76) + "\r\n", x(76) + "\r\n"),
            Arguments.of("76 characters at the end fit", x(76), x(76)),
            Arguments.of("77 characters: 75 and '=', then the rest", x(77) + "\r\n", x(75) + "=\r\n" + "xx\r\n"),
            Arguments.of("77 characters at the end", x(77), x(75) + "=\r\n" + "xx"),
            Arguments.of("151 characters: 75 and '=', then 76", x(151) + "\r\n", x(75) + "=\r\n" + x(76) + "\r\n"),
            Arguments.of("152 characters: twice 75 and '=', then the rest", x(152) + "\r\n", x(75) + "=\r\n" + x(75) + "=\r\n" + "xx\r\n"),
            Arguments.of("an encoded octet is never split (72)", x(72) + "\u00e9\r\n", x(72) + "=C3=\r\n" + "=A9\r\n"),
            Arguments.of("an encoded octet is never split (73)", x(73) + "\u00e9\r\n", x(73) + "=\r\n" + "=C3=A9\r\n"),
            Arguments.of("an encoded octet is never split (74)", x(74) + "\u00e9\r\n", x(74) + "=\r\n" + "=C3=A9\r\n"),
            Arguments.of("an encoded octet ending at column 76 fits before a hard break", x(73) + "=\r\n", x(73) + "=3D\r\n"),
            Arguments.of("a trailing space pushed to the next line is still encoded", x(75) + " \r\n", x(75) + "=\r\n" + "=20\r\n"),
            Arguments.of("a space may end a soft-broken line, before its '='", x(74) + " yyy\r\n", x(74) + " =\r\n" + "yyy\r\n"),
            Arguments.of("a space may start a continuation line", x(75) + " y\r\n", x(75) + "=\r\n" + " y\r\n"),
            Arguments.of("a continuation line never starts with '-'", x(75) + "--boundary\r\n", x(75) + "=\r\n" + "=2D-boundary\r\n"),
            Arguments.of("a line of the input may start with '-'", "--not-a-boundary\r\n", "--not-a-boundary\r\n"),
            Arguments.of("hard breaks reset the column", x(70) + "\r\n" + x(70) + "\r\n", x(70) + "\r\n" + x(70) + "\r\n")
        );
    }

    @Nested
    class SoftLineBreaks {
        @ParameterizedTest(name = "{0}")
        @MethodSource("org.msa4james.encoding.QuotedPrintableEncoderTest#softLineBreaks")
        void encodeShouldProduceExactly(String description, String input, String expected) throws Exception {
            assertThat(encode(input)).isEqualTo(expected);
        }

        @Test
        void encodeShouldBreakALineOf1500OctetsEvery75Characters() throws Exception {
            String line = Strings.repeat("0123456789", 150);
            String first = Strings.repeat("0123456789", 7) + "01234";
            String second = "56789" + Strings.repeat("0123456789", 7);

            assertThat(encode(line + "\r\n"))
                .isEqualTo(Strings.repeat(first + "=\r\n" + second + "=\r\n", 9) + first + "=\r\n" + second + "\r\n");
        }
    }

    @Nested
    class RoundTrip {
        @Test
        void decodingShouldGiveBackRandomOctetsExactly() throws Exception {
            Random random = new Random(6409);
            for (int round = 0; round < 200; round++) {
                byte[] input = new byte[random.nextInt(3000)];
                for (int i = 0; i < input.length; i++) {
                    // biased towards the interesting octets: CR, LF, space, tab, '=', '-', 8-bit
                    int pick = random.nextInt(12);
                    input[i] = (byte) (pick == 0 ? '\r' : pick == 1 ? '\n' : pick == 2 ? ' ' : pick == 3 ? '\t'
                        : pick == 4 ? '=' : pick == 5 ? '-' : random.nextInt(256));
                }
                String encoded = encode(input);

                assertThat(decodeWithJavaMail(encoded)).isEqualTo(input);
                assertThat(decodeWithMime4j(encoded)).isEqualTo(input);
                assertThat(encoded.split("\r\n", -1)).allSatisfy(encodedLine -> {
                    assertThat(encodedLine.length()).isLessThanOrEqualTo(76);
                    assertThat(encodedLine).doesNotEndWith(" ").doesNotEndWith("\t");
                });
                assertThat(encoded.chars()).allMatch(c -> c >= 32 && c < 127 || c == '\r' || c == '\n' || c == '\t');
            }
        }

        @Test
        void decodingShouldGiveBackTextWithCrlfLinesExactly() throws Exception {
            String text = "Gr\u00fc\u00dfe,\r\n\r\n" + Strings.repeat("lorem ipsum = dolor ", 80) + "\r\n-- \r\nAlice\r\n";
            String encoded = encode(text);

            assertThat(new String(decodeWithJavaMail(encoded), StandardCharsets.UTF_8)).isEqualTo(text);
            assertThat(new String(decodeWithMime4j(encoded), StandardCharsets.UTF_8)).isEqualTo(text);
        }
    }

    @Test
    void finishShouldLeaveTheUnderlyingStreamOpenAndUsable() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        QuotedPrintableEncoder encoder = new QuotedPrintableEncoder(out);
        encoder.write("a ".getBytes(StandardCharsets.US_ASCII));
        encoder.finish();
        out.write("\r\n--b".getBytes(StandardCharsets.US_ASCII));

        assertThat(out.toString(StandardCharsets.US_ASCII)).isEqualTo("a=20\r\n--b");
    }
}
