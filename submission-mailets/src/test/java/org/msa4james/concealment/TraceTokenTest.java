package org.msa4james.concealment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TraceTokenTest {
    static final String KEY = "test-trace-key-0123456789abcdefghij";
    private static final String OTHER_KEY = "another-trace-key-0123456789abcdefgh";

    @Nested
    class Tokens {
        /** Expected values computed independently: Python's hmac, hashlib.sha256 and base64.b32encode. */
        @ParameterizedTest(name = "[{index}] {0}|{1}")
        @CsvSource({
            "192.0.2.7,            5c72df5d, qdhxptusxsj2pmff6k7q3ffd5i",
            "192.0.2.8,            5c72df5d, p2337ijphkcvnpnpyux4cdpnnq",
            "192.0.2.7,            5c72df5e, wqbx4vdk5la2nu65q2csl35diq",
            "127.0.0.1,            5c72df5d, chyneqqnphqyve52xbqphvesza",
            "2001:db8:0:0:0:0:0:1, 0a1b2c3d, lpppmvrffraqspcc4bxuyh7j4q",
        })
        void tokenShouldBeTheTruncatedHmacInLowerCaseBase32(String client, String session, String expected) {
            assertThat(TraceToken.withKey(KEY).token(client, session)).isEqualTo(expected);
        }

        @Test
        void tokenShouldBeTheSameForTheSameInputs() {
            assertThat(TraceToken.withKey(KEY).token("192.0.2.7", "5c72df5d"))
                .isEqualTo(TraceToken.withKey(KEY).token("192.0.2.7", "5c72df5d"));
        }

        @Test
        void tokenShouldDependOnTheKey() {
            assertThat(TraceToken.withKey(OTHER_KEY).token("192.0.2.7", "5c72df5d")).isEqualTo("mxb4gy7sfwtcvjjqw53455ngee");
        }

        @Test
        void clientNameShouldPrefixTheToken() {
            assertThat(TraceToken.withKey(KEY).clientName("192.0.2.7", "5c72df5d")).isEqualTo("msa-client-qdhxptusxsj2pmff6k7q3ffd5i");
        }
    }

    @Nested
    class Keys {
        @Test
        void withKeyShouldAcceptExactly32Characters() {
            assertThat(TraceToken.keyProblem("k".repeat(32))).isEmpty();
        }

        @ParameterizedTest(name = "[{index}] {0}")
        @CsvSource(delimiter = '|', quoteCharacter = '\0', value = {
            "short-key                          | must be at least 32 characters long, not 9",
            "kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk     | must be at least 32 characters long, not 31",
            "${sys:msa.trace.key}               | is the unresolved placeholder ${sys:msa.trace.key}: define that property (bin/msa4james does, from conf/trace.key)",
            "0123456789abcdef 0123456789abcdef  | must not contain white space or control characters",
        })
        void withKeyShouldRefuseABadKeyWithoutQuotingIt(String key, String problem) {
            assertThat(TraceToken.keyProblem(key)).contains(problem);
            assertThatThrownBy(() -> TraceToken.withKey(key))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(problem);
        }
    }

    @Nested
    class Addresses {
        @ParameterizedTest(name = "[{index}] {0}")
        @CsvSource({
            "192.0.2.7,              192.0.2.7",
            "::1,                    0:0:0:0:0:0:0:1",
            "2001:DB8::1,            2001:db8:0:0:0:0:0:1",
            "::ffff:192.0.2.7,       192.0.2.7",
        })
        void canonicalAddressShouldWriteAddressesAsJavaAndJamesDo(String address, String expected) {
            assertThat(TraceToken.canonicalAddress(address)).isEqualTo(expected);
        }

        @ParameterizedTest(name = "[{index}] {0}")
        @CsvSource({"mua.example.test", "192.0.2", "999.0.2.7", "localhost", "2001:db8:::1:2:3:4:5:6"})
        void canonicalAddressShouldRefuseWhatIsNotAnIpAddressWithoutALookup(String address) {
            assertThatThrownBy(() -> TraceToken.canonicalAddress(address))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("'" + address + "' is not an IP address");
        }
    }

    @Nested
    class Program {
        @TempDir
        Path directory;

        private final ByteArrayOutputStream out = new ByteArrayOutputStream();
        private final ByteArrayOutputStream err = new ByteArrayOutputStream();

        private int run(String... args) {
            return TraceToken.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        }

        private String out() {
            return out.toString(StandardCharsets.UTF_8);
        }

        private String err() {
            return err.toString(StandardCharsets.UTF_8);
        }

        private Path keyFile(String content) throws Exception {
            Path file = directory.resolve("trace.key");
            Files.writeString(file, content, StandardCharsets.UTF_8);
            return file;
        }

        @Test
        void runShouldPrintTheClientNameOfASession() throws Exception {
            Path key = keyFile(KEY + "\n");

            int status = run("--key-file", key.toString(), "--client", "192.0.2.7", "--session", "5c72df5d");

            assertThat(status).isZero();
            assertThat(out()).isEqualTo("msa-client-qdhxptusxsj2pmff6k7q3ffd5i\n");
            assertThat(err()).isEmpty();
        }

        @Test
        void runShouldWriteTheClientAddressAsJamesDoes() throws Exception {
            Path key = keyFile(KEY + "\r\n");

            int status = run("--session", "0a1b2c3d", "--client", "2001:db8::1", "--key-file", key.toString());

            assertThat(status).isZero();
            assertThat(out()).isEqualTo("msa-client-lpppmvrffraqspcc4bxuyh7j4q\n");
        }

        @Test
        void runShouldConfirmAMatchingToken() throws Exception {
            Path key = keyFile(KEY + "\n");

            int status = run("--key-file", key.toString(), "--client", "192.0.2.7", "--session", "5c72df5d",
                "--token", "msa-client-QDHXPTUSXSJ2PMFF6K7Q3FFD5I");

            assertThat(status).isZero();
            assertThat(out()).isEqualTo("match: msa-client-qdhxptusxsj2pmff6k7q3ffd5i is client 192.0.2.7 in session 5c72df5d\n");
        }

        @Test
        void runShouldReportATokenOfAnotherSession() throws Exception {
            Path key = keyFile(KEY + "\n");

            int status = run("--key-file", key.toString(), "--client", "192.0.2.7", "--session", "5c72df5d",
                "--token", "wqbx4vdk5la2nu65q2csl35diq");

            assertThat(status).isEqualTo(1);
            assertThat(out()).isEqualTo("no match: client 192.0.2.7 in session 5c72df5d is msa-client-qdhxptusxsj2pmff6k7q3ffd5i\n");
        }

        @Test
        void runShouldRefuseAMissingArgument() throws Exception {
            Path key = keyFile(KEY + "\n");

            int status = run("--key-file", key.toString(), "--client", "192.0.2.7");

            assertThat(status).isEqualTo(2);
            assertThat(out()).isEmpty();
            assertThat(err()).startsWith("TraceToken: --session is required\nUsage: java -cp 'extensions-jars/*' org.msa4james.concealment.TraceToken --key-file FILE --client ADDRESS --session ID [--token TOKEN]\n");
        }

        @Test
        void runShouldRefuseAHostName() throws Exception {
            Path key = keyFile(KEY + "\n");

            int status = run("--key-file", key.toString(), "--client", "mua.example.test", "--session", "5c72df5d");

            assertThat(status).isEqualTo(2);
            assertThat(err()).startsWith("TraceToken: --client: 'mua.example.test' is not an IP address\n");
        }

        @Test
        void runShouldRefuseAShortKeyWithoutPrintingIt() throws Exception {
            Path key = keyFile("secret-but-short\n");

            int status = run("--key-file", key.toString(), "--client", "192.0.2.7", "--session", "5c72df5d");

            assertThat(status).isEqualTo(2);
            assertThat(err()).isEqualTo("TraceToken: the key in " + key + " must be at least 32 characters long, not 16\n");
        }

        @Test
        void runShouldReportAMissingKeyFile() {
            Path key = directory.resolve("missing.key");

            int status = run("--key-file", key.toString(), "--client", "192.0.2.7", "--session", "5c72df5d");

            assertThat(status).isEqualTo(2);
            assertThat(err()).isEqualTo("TraceToken: cannot read the key file " + key + ": java.nio.file.NoSuchFileException: " + key + "\n");
        }

        @Test
        void runShouldRefuseAnUnknownArgument() {
            int status = run("--key", KEY);

            assertThat(status).isEqualTo(2);
            assertThat(err()).startsWith("TraceToken: unknown argument '--key'\n");
        }
    }
}
