package org.msa4james.dkim;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DkimKeyToolTest {
    private static final String USAGE_HINT = "Run DkimKeyTool --help for the usage.";
    private static final String DOMAIN_RULE = "(labels of 1 to 63 letters, digits or hyphens, not starting or ending with a "
        + "hyphen, separated by dots, at most 253 characters, no trailing dot)";
    private static final String SELECTOR_RULE = "(labels of 1 to 63 letters, digits or hyphens, not starting or ending with a "
        + "hyphen, separated by dots; e.g. msa or msa2026)";
    private static KeyPair fixedPair;

    @TempDir
    Path temporary;
    private Path directory;

    @BeforeAll
    static void generateFixedKey() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        fixedPair = generator.generateKeyPair();
    }

    @BeforeEach
    void setUp() {
        directory = temporary.resolve("dkim");
    }

    @Nested
    class Generation {
        @Test
        void runShouldWriteThePemKeyAndTheDnsRecord() throws Exception {
            Result result = runWithFixedKey("--domain", "example.test", "--selector", "msa", "--directory", directory.toString());

            String expectedRecord = expectedRecordLine("msa", "example.test", fixedPair.getPublic());
            assertThat(result.status).isEqualTo(DkimKeyTool.OK);
            assertThat(read(directory.resolve("example.test.pem"))).isEqualTo(expectedPem(fixedPair));
            assertThat(read(directory.resolve("example.test.dns.txt"))).isEqualTo(expectedRecord + "\n");
            assertThat(result.out).isEqualTo(
                "Generated a 2048-bit RSA DKIM key for example.test in " + directory.resolve("example.test.pem") + " (mode 0600).\n"
                    + "Publish this DNS TXT record (also in " + directory.resolve("example.test.dns.txt")
                    + "); until it is published, receivers cannot verify the signatures:\n"
                    + expectedRecord + "\n");
            assertThat(result.err).isEmpty();
        }

        @Test
        void keyShouldBeReadableByTheOwnerOnlyAndTheRecordByAll() throws Exception {
            runWithFixedKey("--domain", "example.test", "--selector", "msa", "--directory", directory.toString());

            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(directory.resolve("example.test.pem"))))
                .isEqualTo("rw-------");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(directory.resolve("example.test.dns.txt"))))
                .isEqualTo("rw-r--r--");
        }

        @Test
        void runShouldCreateMissingDirectoriesForTheOwnerOnly() throws Exception {
            Path nested = temporary.resolve("conf").resolve("dkim");

            Result result = runWithFixedKey("--domain", "example.test", "--selector", "msa", "--directory", nested.toString());

            assertThat(result.status).isEqualTo(DkimKeyTool.OK);
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(nested))).isEqualTo("rwx------");
            assertThat(nested.resolve("example.test.pem")).isRegularFile();
        }

        @Test
        void runShouldUseAnExistingDirectoryAsItIs() throws Exception {
            Files.createDirectories(directory);
            Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwxr-x---"));

            Result result = runWithFixedKey("--domain", "example.test", "--selector", "msa", "--directory", directory.toString());

            assertThat(result.status).isEqualTo(DkimKeyTool.OK);
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(directory))).isEqualTo("rwxr-x---");
        }

        @Test
        void runShouldAcceptOptionsWithAnEqualsSignInAnyOrder() throws Exception {
            Result result = runWithFixedKey("--directory=" + directory, "--selector=s2026", "--domain=example.org");

            assertThat(result.status).isEqualTo(DkimKeyTool.OK);
            assertThat(read(directory.resolve("example.org.dns.txt")))
                .isEqualTo(expectedRecordLine("s2026", "example.org", fixedPair.getPublic()) + "\n");
        }

        @Test
        void generatedKeyShouldBeA2048BitRsaKeyWhosePublicHalfIsInTheRecord() throws Exception {
            Result result = run(new DkimKeyTool(), "--domain", "example.test", "--selector", "msa", "--directory", directory.toString());

            assertThat(result.status).isEqualTo(DkimKeyTool.OK);
            RSAPrivateCrtKey key = parsePemWithTheJdk(read(directory.resolve("example.test.pem")));
            assertThat(key.getModulus().bitLength()).isEqualTo(2048);
            assertThat(key.getPublicExponent().intValue()).isEqualTo(65537);

            RSAPublicKey published = publicKeyOfRecord(read(directory.resolve("example.test.dns.txt")));
            assertThat(published.getModulus()).isEqualTo(key.getModulus());
            assertThat(published.getPublicExponent()).isEqualTo(key.getPublicExponent());
        }

        @Test
        void twoRunsShouldGenerateTwoDifferentKeys() throws Exception {
            run(new DkimKeyTool(), "--domain", "example.test", "--selector", "msa", "--directory", directory.toString());
            run(new DkimKeyTool(), "--domain", "example.org", "--selector", "msa", "--directory", directory.toString());

            assertThat(read(directory.resolve("example.test.pem"))).isNotEqualTo(read(directory.resolve("example.org.pem")));
        }
    }

    @Nested
    class Overwrite {
        @Test
        void runShouldRefuseToOverwriteAnExistingKey() throws Exception {
            Files.createDirectories(directory);
            Path key = directory.resolve("example.test.pem");
            Files.writeString(key, "the administrator's key\n");

            Result result = runWithFixedKey("--domain", "example.test", "--selector", "msa", "--directory", directory.toString());

            assertThat(result.status).isEqualTo(DkimKeyTool.KEY_EXISTS);
            assertThat(result.err).isEqualTo("DkimKeyTool: " + key + " exists already; it is not overwritten. To print the DNS "
                + "record of the existing key use --print-dns; to replace the key, move its .pem and .dns.txt files away first.\n");
            assertThat(result.out).isEmpty();
            assertThat(read(key)).isEqualTo("the administrator's key\n");
            assertThat(directory.resolve("example.test.dns.txt")).doesNotExist();
        }

        @Test
        void runShouldRefuseWhenOnlyTheRecordFileExists() throws Exception {
            Files.createDirectories(directory);
            Path record = directory.resolve("example.test.dns.txt");
            Files.writeString(record, "old record\n");

            Result result = runWithFixedKey("--domain", "example.test", "--selector", "msa", "--directory", directory.toString());

            assertThat(result.status).isEqualTo(DkimKeyTool.KEY_EXISTS);
            assertThat(result.err).startsWith("DkimKeyTool: " + record + " exists already; it is not overwritten.");
            assertThat(directory.resolve("example.test.pem")).doesNotExist();
            assertThat(read(record)).isEqualTo("old record\n");
        }

        @Test
        void secondRunShouldKeepTheFirstKey() throws Exception {
            run(new DkimKeyTool(), "--domain", "example.test", "--selector", "msa", "--directory", directory.toString());
            String first = read(directory.resolve("example.test.pem"));
            String firstRecord = read(directory.resolve("example.test.dns.txt"));

            Result second = run(new DkimKeyTool(), "--domain", "example.test", "--selector", "other", "--directory", directory.toString());

            assertThat(second.status).isEqualTo(DkimKeyTool.KEY_EXISTS);
            assertThat(read(directory.resolve("example.test.pem"))).isEqualTo(first);
            assertThat(read(directory.resolve("example.test.dns.txt"))).isEqualTo(firstRecord);
        }
    }

    @Nested
    class PrintDns {
        @Test
        void printDnsShouldPrintTheRecordFileOfTheExistingKey() throws Exception {
            run(new DkimKeyTool(), "--domain", "example.test", "--selector", "msa", "--directory", directory.toString());

            Result result = run(new DkimKeyTool(), "--print-dns", "--domain", "example.test", "--selector", "msa", "--directory", directory.toString());

            assertThat(result.status).isEqualTo(DkimKeyTool.OK);
            assertThat(result.out).isEqualTo(read(directory.resolve("example.test.dns.txt")));
            assertThat(result.err).isEmpty();
        }

        @Test
        void printDnsShouldDeriveTheRecordForAnotherSelectorAndWriteNothing() throws Exception {
            runWithFixedKey("--domain", "example.test", "--selector", "msa", "--directory", directory.toString());
            String record = read(directory.resolve("example.test.dns.txt"));

            Result result = run(new DkimKeyTool(), "--domain", "example.test", "--selector", "msa2026", "--directory", directory.toString(), "--print-dns");

            assertThat(result.status).isEqualTo(DkimKeyTool.OK);
            assertThat(result.out).isEqualTo(expectedRecordLine("msa2026", "example.test", fixedPair.getPublic()) + "\n");
            assertThat(read(directory.resolve("example.test.dns.txt"))).isEqualTo(record);
            try (var files = Files.list(directory)) {
                assertThat(files).hasSize(2);
            }
        }

        @Test
        void printDnsShouldFailWithoutKey() {
            Result result = run(new DkimKeyTool(), "--print-dns", "--domain", "example.test", "--selector", "msa", "--directory", directory.toString());

            assertThat(result.status).isEqualTo(DkimKeyTool.FAILED);
            assertThat(result.err).isEqualTo("DkimKeyTool: there is no DKIM key " + directory.resolve("example.test.pem")
                + " (run without --print-dns to generate it)\n");
            assertThat(result.out).isEmpty();
            assertThat(directory).doesNotExist();
        }

        @Test
        void printDnsShouldFailOnAKeyItCannotUse() throws Exception {
            Files.createDirectories(directory);
            Path key = directory.resolve("example.test.pem");
            Files.writeString(key, "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA\n-----END RSA PRIVATE KEY-----\n");

            Result result = run(new DkimKeyTool(), "--print-dns", "--domain", "example.test", "--selector", "msa", "--directory", directory.toString());

            assertThat(result.status).isEqualTo(DkimKeyTool.FAILED);
            assertThat(result.err).isEqualTo("DkimKeyTool: " + key + " is not a usable DKIM key: it holds a PKCS#1 'RSA PRIVATE KEY'; "
                + "convert it to PKCS#8 with: openssl pkcs8 -topk8 -nocrypt -in OLD.pem -out NEW.pem\n");
        }
    }

    @Nested
    class Arguments {
        @ParameterizedTest(name = "[{index}] {1}")
        @CsvSource(delimiter = '|', value = {
            "''                                                                      | --domain is required",
            "--domain example.test --selector msa                                    | --directory is required",
            "--selector msa --directory DIR                                          | --domain is required",
            "--domain example.test --directory DIR                                   | --selector is required",
            "--domain                                                                | --domain needs a value",
            "--domain --selector msa --directory DIR                                 | --domain needs a value",
            "--domain example.test --domain example.org --selector msa --directory DIR | --domain is given twice",
            "--print-dns --print-dns --domain example.test --selector msa --directory DIR | --print-dns is given twice",
            "--domain example.test --selector msa --directory DIR --bits 1024        | unknown option '--bits'",
            "-d example.test                                                         | unknown option '-d'",
            "example.test msa DIR                                                    | unexpected argument 'example.test' (every value follows its option, e.g. --domain example.test)",
            "--domain exa_mple.test --selector msa --directory DIR                   | --domain: 'exa_mple.test' is not a domain name DOMAIN_RULE",
            "--domain example.test. --selector msa --directory DIR                   | --domain: 'example.test.' is not a domain name DOMAIN_RULE",
            "--domain 192.0.2.1 --selector msa --directory DIR                       | --domain: '192.0.2.1' is an address, not a domain name",
            "--domain example.test --selector msa_1 --directory DIR                  | --selector: 'msa_1' is not a DKIM selector SELECTOR_RULE",
            "--domain example.test --selector= --directory DIR                       | --selector: '' is not a DKIM selector SELECTOR_RULE",
            "--domain example.test --selector msa --directory=                       | --directory: the directory name is empty",
        })
        void runShouldRefuseBadArgumentsAndWriteNothing(String arguments, String message) throws Exception {
            Files.createDirectories(directory);

            Result result = runWithFixedKey(split(arguments));

            assertThat(result.status).isEqualTo(DkimKeyTool.BAD_ARGUMENTS);
            String expected = message.replace("DOMAIN_RULE", DOMAIN_RULE).replace("SELECTOR_RULE", SELECTOR_RULE);
            assertThat(result.err).isEqualTo("DkimKeyTool: " + expected + "\n" + USAGE_HINT + "\n");
            assertThat(result.out).isEmpty();
            try (var files = Files.list(directory)) {
                assertThat(files).isEmpty();
            }
        }

        @Test
        void runShouldRefuseADirectoryThatIsAFile() throws Exception {
            Path file = temporary.resolve("file");
            Files.writeString(file, "");

            Result result = runWithFixedKey("--domain", "example.test", "--selector", "msa", "--directory", file.toString());

            assertThat(result.status).isEqualTo(DkimKeyTool.BAD_ARGUMENTS);
            assertThat(result.err).isEqualTo("DkimKeyTool: --directory: '" + file + "' exists and is not a directory\n" + USAGE_HINT + "\n");
        }

        @Test
        void helpShouldPrintTheUsage() {
            Result result = runWithFixedKey("--help");

            assertThat(result.status).isEqualTo(DkimKeyTool.OK);
            assertThat(result.out).isEqualTo(DkimKeyTool.USAGE).startsWith("Usage: DkimKeyTool --domain DOMAIN --selector SELECTOR "
                + "--directory DIRECTORY [--print-dns]\n");
            assertThat(result.err).isEmpty();
        }

        @Test
        void shortHelpShouldWinOverOtherArguments() {
            Result result = runWithFixedKey("--domain", "bad_domain", "-h");

            assertThat(result.status).isEqualTo(DkimKeyTool.OK);
            assertThat(result.out).isEqualTo(DkimKeyTool.USAGE);
        }

        private String[] split(String arguments) {
            List<String> result = new ArrayList<>();
            for (String argument : arguments.trim().split("\\s+")) {
                if (!argument.isEmpty()) {
                    result.add(argument.replace("DIR", directory.toString()));
                }
            }
            return result.toArray(String[]::new);
        }
    }

    // ------------------------------------------------------------------------------------------------ helpers

    private static final class Result {
        private final int status;
        private final String out;
        private final String err;

        private Result(int status, String out, String err) {
            this.status = status;
            this.out = out;
            this.err = err;
        }
    }

    private static Result runWithFixedKey(String... args) {
        return run(new DkimKeyTool(() -> fixedPair), args);
    }

    private static Result run(DkimKeyTool tool, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status;
        try (PrintStream outStream = new PrintStream(out, true, StandardCharsets.UTF_8);
             PrintStream errStream = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            status = tool.run(args, outStream, errStream);
        }
        return new Result(status, out.toString(StandardCharsets.UTF_8).replace(System.lineSeparator(), "\n"),
            err.toString(StandardCharsets.UTF_8).replace(System.lineSeparator(), "\n"));
    }

    private static String read(Path file) throws Exception {
        return Files.readString(file, US_ASCII);
    }

    /** PEM written independently of the tool: base64 of the PKCS#8 DER cut every 64 characters. */
    private static String expectedPem(KeyPair pair) {
        String base64 = Base64.getEncoder().encodeToString(pair.getPrivate().getEncoded());
        StringBuilder pem = new StringBuilder("-----BEGIN PRIVATE KEY-----\n");
        for (int start = 0; start < base64.length(); start += 64) {
            pem.append(base64, start, Math.min(base64.length(), start + 64)).append('\n');
        }
        return pem.append("-----END PRIVATE KEY-----\n").toString();
    }

    /** The record written independently of the tool, for a 2048-bit key: "p=" and 392 characters make 255 + 139. */
    private static String expectedRecordLine(String selector, String domain, java.security.PublicKey publicKey) {
        String publicKeyTag = "p=" + Base64.getEncoder().encodeToString(publicKey.getEncoded());
        assertThat(publicKeyTag).hasSize(394);
        return selector + "._domainkey." + domain + ". IN TXT ( \"v=DKIM1; k=rsa; \" \"" + publicKeyTag.substring(0, 255) + "\" \""
            + publicKeyTag.substring(255) + "\" )";
    }

    private static RSAPrivateCrtKey parsePemWithTheJdk(String pem) throws Exception {
        String base64 = pem.replace("-----BEGIN PRIVATE KEY-----", "").replace("-----END PRIVATE KEY-----", "").replaceAll("\\s", "");
        return (RSAPrivateCrtKey) KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64)));
    }

    /** Reads a one-line zone file TXT record as a DNS client would: joins its quoted strings, then reads the p= tag. */
    private static RSAPublicKey publicKeyOfRecord(String zoneFileLine) throws Exception {
        Matcher strings = Pattern.compile("\"([^\"]*)\"").matcher(zoneFileLine);
        StringBuilder value = new StringBuilder();
        while (strings.find()) {
            assertThat(strings.group(1).length()).isLessThanOrEqualTo(255);
            value.append(strings.group(1));
        }
        assertThat(value.toString()).startsWith("v=DKIM1; k=rsa; p=");
        byte[] der = Base64.getDecoder().decode(value.substring("v=DKIM1; k=rsa; p=".length()));
        return (RSAPublicKey) KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(der));
    }
}
