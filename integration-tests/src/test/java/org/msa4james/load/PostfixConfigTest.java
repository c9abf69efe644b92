package org.msa4james.load;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The benchmark Postfix's configuration files, as text (nothing is started here). */
class PostfixConfigTest {
    private static final Path ROOT = Path.of("/work/target/postfix/postfix-disk-1");
    private static final PostfixConfig CONFIG = new PostfixConfig(ROOT, "alice@example.test", 40587,
        PostfixConfig.defaultMilterSocket(ROOT), 40025);

    @Test
    void everyDirectoryIsUnderThePrivateRoot() {
        assertThat(List.of(CONFIG.configDirectory(), CONFIG.saslConfigDirectory(), CONFIG.queueDirectory(), CONFIG.dataDirectory(),
            CONFIG.certificate(), CONFIG.privateKey(), CONFIG.sasldb(), CONFIG.dkimKey(), CONFIG.opendkimConfFile(), CONFIG.milterSocket(),
            CONFIG.postfixLog(), CONFIG.opendkimLog(), CONFIG.masterPidFile()))
            .allSatisfy(path -> assertThat(path).startsWithRaw(ROOT));
        assertThat(CONFIG.saslConfigDirectory()).isEqualTo(ROOT.resolve("conf/sasl"));
        assertThat(CONFIG.dkimKey()).isEqualTo(ROOT.resolve("dkim/postfix.private"));
    }

    @Test
    void mainCfKeepsEverythingPrivateOnLoopbackAndRelaysToTheNextHop() {
        List<String> lines = lines(CONFIG.mainCf());

        assertThat(lines).contains(
            "queue_directory = " + ROOT.resolve("queue"),
            "data_directory = " + ROOT.resolve("data"),
            "inet_interfaces = 127.0.0.1",
            "myhostname = mail.example.test",
            "mydomain = example.test",
            "mydestination =",
            "relayhost = [127.0.0.1]:40025",
            "smtp_tls_security_level = none",
            "smtpd_tls_cert_file = " + ROOT.resolve("tls/cert.pem"),
            "smtpd_tls_key_file = " + ROOT.resolve("tls/key.pem"),
            "cyrus_sasl_config_path = " + ROOT.resolve("conf/sasl"),
            "smtpd_relay_restrictions = permit_sasl_authenticated, reject",
            "smtpd_milters = unix:" + ROOT.resolve("milter/opendkim.sock"),
            "non_smtpd_milters = $smtpd_milters",
            "milter_default_action = tempfail");
        assertThat(lines).noneMatch(line -> line.startsWith("multi_instance"));
        assertThat(CONFIG.mainCf()).doesNotContain("/etc/postfix", "/var/spool");
    }

    @Test
    void masterCfHasTheSubmissionServiceOnLoopbackAndNoPort25() {
        List<String> services = lines(CONFIG.masterCf()).stream()
            .filter(line -> !line.startsWith("#") && !line.startsWith(" "))
            .collect(Collectors.toList());

        assertThat(services.get(0)).isEqualTo("127.0.0.1:40587 inet n - n - - smtpd");
        assertThat(CONFIG.masterCf()).contains(
            "  -o smtpd_tls_security_level=encrypt\n",
            "  -o smtpd_sasl_auth_enable=yes\n",
            "  -o smtpd_tls_auth_only=yes\n",
            "  -o smtpd_relay_restrictions=permit_sasl_authenticated,reject\n");
        // one inet service only (no "smtp inet ... smtpd" on port 25), and no chroot anywhere (fifth column n)
        assertThat(services).filteredOn(line -> line.split("\\s+")[1].equals("inet")).hasSize(1);
        assertThat(services).allSatisfy(line -> assertThat(line.split("\\s+")[4]).as(line).isEqualTo("n"));
        assertThat(services).extracting(line -> line.split("\\s+")[0])
            .contains("cleanup", "qmgr", "tlsmgr", "rewrite", "smtp", "anvil", "proxymap", "postlog")
            .doesNotContain("local", "virtual");
    }

    @Test
    void saslReadsThePrivateSasldbWithPlainAndLoginOnly() {
        assertThat(lines(CONFIG.smtpdConf())).containsExactly(
            "pwcheck_method: auxprop",
            "auxprop_plugin: sasldb",
            "sasldb_path: " + ROOT.resolve("sasl/sasldb2"),
            "mech_list: PLAIN LOGIN");
    }

    @Test
    void opendkimSignsRelaxedWithTheGeneratedKeyOnThePrivateSocket() {
        assertThat(lines(CONFIG.opendkimConf())).contains(
            "Socket local:" + ROOT.resolve("milter/opendkim.sock"),
            "Mode s",
            "Domain example.test",
            "Selector postfix",
            "KeyFile " + ROOT.resolve("dkim/postfix.private"),
            "Canonicalization relaxed/relaxed",
            "SignatureAlgorithm rsa-sha256",
            "OversignHeaders From",
            "UserID opendkim:postfix",
            "UMask 007",
            "PidFile " + ROOT.resolve("dkim/opendkim.pid"));
        assertThat(CONFIG.opendkimConf()).contains("SignHeaders From,Sender,Reply-To,Subject,Date,Message-ID,To,Cc,");
    }

    @Test
    void theUserSplitsIntoSaslNameAndRealm() {
        assertThat(CONFIG.localPart()).isEqualTo("alice");
        assertThat(CONFIG.domain()).isEqualTo("example.test");
    }

    @Test
    void aRelativeRootABadUserOrATooLongSocketPathIsRefused() {
        Path socket = PostfixConfig.defaultMilterSocket(ROOT);
        assertThatThrownBy(() -> new PostfixConfig(Path.of("target/postfix"), "alice@example.test", 1, socket, 2))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("absolute");
        assertThatThrownBy(() -> new PostfixConfig(ROOT, "alice", 1, socket, 2))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("local@domain");
        Path deep = Path.of("/" + "d".repeat(100), "opendkim.sock");
        assertThat(PostfixConfig.fitsUnixSocket(deep)).isFalse();
        assertThatThrownBy(() -> new PostfixConfig(ROOT, "alice@example.test", 1, deep, 2))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at most 107 bytes");
        assertThat(PostfixConfig.fitsUnixSocket(Path.of("/" + "d".repeat(106)))).isTrue();
        assertThat(PostfixConfig.fitsUnixSocket(Path.of("/" + "d".repeat(107)))).isFalse();
    }

    /** Where Debian's postconf is installed: it reads both files without a warning (nothing is started). */
    @Test
    void postconfReadsBothFilesWithoutWarning(@TempDir Path directory) throws Exception {
        Optional<Path> postconf = PostfixProcess.findProgram("postconf", List.of(Path.of("/usr/sbin"), Path.of("/usr/bin")));
        assumeThat(postconf).as("postconf installed").isPresent();
        Path root = directory.toAbsolutePath();
        PostfixConfig config = new PostfixConfig(root, "alice@example.test", 40587, PostfixConfig.defaultMilterSocket(root), 40025);
        Files.createDirectories(config.configDirectory());
        Files.writeString(config.configDirectory().resolve("main.cf"), config.mainCf(), UTF_8);
        Files.writeString(config.configDirectory().resolve("master.cf"), config.masterCf(), UTF_8);

        String main = postconf(postconf.get(), config, "-n");
        String master = postconf(postconf.get(), config, "-M");

        assertThat(main).doesNotContain("warning").contains("relayhost = [127.0.0.1]:40025", "inet_interfaces = 127.0.0.1");
        assertThat(master).doesNotContain("warning").contains("127.0.0.1:40587 inet");
    }

    private static String postconf(Path program, PostfixConfig config, String option) throws Exception {
        Process postconf = new ProcessBuilder(program.toString(), "-c", config.configDirectory().toString(), option)
            .redirectErrorStream(true).start();
        String output = new String(postconf.getInputStream().readAllBytes(), UTF_8);
        assertThat(postconf.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(postconf.exitValue()).as(output).isZero();
        return output;
    }

    private static List<String> lines(String text) {
        return Arrays.asList(text.split("\n"));
    }
}
