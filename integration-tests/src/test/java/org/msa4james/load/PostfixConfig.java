package org.msa4james.load;

import java.nio.file.Path;
import java.util.List;

/**
 * Where a benchmark Postfix keeps its files, and the text of its configuration files: Postfix's main.cf and master.cf,
 * Cyrus SASL's smtpd.conf and OpenDKIM's opendkim.conf. Pure: writes nothing (see {@link PostfixProcess}).
 *
 * <p>Everything is under one private root directory: {@code conf/} (Postfix's config_directory, with {@code sasl/} in
 * it), {@code queue/} (queue_directory; a tmpfs for {@link PostfixVariant#TMPFS}), {@code data/} (data_directory),
 * {@code tls/} (the self-signed certificate and its key), {@code sasl/} (the sasldb with the one user),
 * {@code dkim/} (OpenDKIM's key, configuration and pid file), {@code milter/} (OpenDKIM's socket) and the logs.
 * Postfix listens on 127.0.0.1 only: the submission service on a free port and no port-25 service; it relays every
 * message to the next hop, and passes every message through OpenDKIM.</p>
 *
 * <p>OpenDKIM listens on a Unix-domain socket, as Debian's opendkim does by default, not on a loopback TCP port: with
 * {@code inet:port@127.0.0.1} every message took 88 ms from MAIL to the reply to the end of DATA, against 3 to 5 ms
 * over the Unix socket (measured on the benchmark's machine, Postfix 3.7.11, one client connection, 15 messages in a
 * row). That time is spent waiting, not computing (the CPU per message was not higher), most likely on TCP's delayed
 * acknowledgements of the milter's small packets: it would measure the loopback's timers, not Postfix. A Unix
 * socket path has at most {@value #MAX_SOCKET_PATH} bytes: when the private directory is too deep for that,
 * {@link PostfixProcess} puts the socket in a private directory of the system's temporary directory.</p>
 */
final class PostfixConfig {
    static final String HOST_NAME = "mail.example.test";
    /** The longest path of a Unix-domain socket (Linux's sun_path is 108 bytes, the last one NUL). */
    static final int MAX_SOCKET_PATH = 107;
    /** The DKIM selector of the Postfix instance (the key is generated per run; nobody verifies it). */
    static final String SELECTOR = "postfix";
    /**
     * The header fields OpenDKIM signs: the ones msa4james's DKIMSign signs (see the README's "DKIM signing"), From
     * once more through OversignHeaders, so that both sign the same fields.
     */
    static final String SIGNED_FIELDS = "From,Sender,Reply-To,Subject,Date,Message-ID,To,Cc,MIME-Version,Content-Type,"
        + "Content-Transfer-Encoding,In-Reply-To,References";

    private final Path root;
    private final String user;
    private final int submissionPort;
    private final Path milterSocket;
    private final int nextHopPort;

    /**
     * @param root           the private directory (absolute)
     * @param user           the one SASL user, local@domain; the domain is Postfix's mydomain and OpenDKIM's Domain
     * @param submissionPort the STARTTLS submission port on 127.0.0.1
     * @param milterSocket   OpenDKIM's Unix-domain socket (absolute, at most {@value #MAX_SOCKET_PATH} bytes), in a
     *                       directory of its own
     * @param nextHopPort    the next hop's port on 127.0.0.1
     */
    PostfixConfig(Path root, String user, int submissionPort, Path milterSocket, int nextHopPort) {
        if (!root.isAbsolute()) {
            throw new IllegalArgumentException("the root must be an absolute path (postfix -c needs one): " + root);
        }
        int at = user.lastIndexOf('@');
        if (at < 1 || at == user.length() - 1) {
            throw new IllegalArgumentException("the user must be local@domain, not " + user);
        }
        if (!milterSocket.isAbsolute() || !fitsUnixSocket(milterSocket)) {
            throw new IllegalArgumentException("the milter socket must be an absolute path of at most " + MAX_SOCKET_PATH
                + " bytes: " + milterSocket);
        }
        this.root = root;
        this.user = user;
        this.submissionPort = submissionPort;
        this.milterSocket = milterSocket;
        this.nextHopPort = nextHopPort;
    }

    Path root() {
        return root;
    }

    Path configDirectory() {
        return root.resolve("conf");
    }

    /** Cyrus SASL's configuration directory: Debian's Postfix looks in config_directory/sasl, we set the same. */
    Path saslConfigDirectory() {
        return configDirectory().resolve("sasl");
    }

    Path queueDirectory() {
        return root.resolve("queue");
    }

    Path dataDirectory() {
        return root.resolve("data");
    }

    Path tlsDirectory() {
        return root.resolve("tls");
    }

    Path certificate() {
        return tlsDirectory().resolve("cert.pem");
    }

    Path privateKey() {
        return tlsDirectory().resolve("key.pem");
    }

    Path sasldbDirectory() {
        return root.resolve("sasl");
    }

    Path sasldb() {
        return sasldbDirectory().resolve("sasldb2");
    }

    Path dkimDirectory() {
        return root.resolve("dkim");
    }

    /** The key opendkim-genkey writes: {@code <selector>.private}. */
    Path dkimKey() {
        return dkimDirectory().resolve(SELECTOR + ".private");
    }

    Path opendkimConfFile() {
        return dkimDirectory().resolve("opendkim.conf");
    }

    Path postfixLog() {
        return root.resolve("postfix.log");
    }

    Path opendkimLog() {
        return root.resolve("opendkim.log");
    }

    /** Where Postfix's master writes its pid (a line with spaces around the number). */
    Path masterPidFile() {
        return queueDirectory().resolve("pid").resolve("master.pid");
    }

    String domain() {
        return user.substring(user.lastIndexOf('@') + 1);
    }

    /** The part of the user before the last '@' (saslpasswd2's user name; the domain is its realm). */
    String localPart() {
        return user.substring(0, user.lastIndexOf('@'));
    }

    int submissionPort() {
        return submissionPort;
    }

    Path milterSocket() {
        return milterSocket;
    }

    /** Where OpenDKIM's socket goes when the path is short enough: {@code <root>/milter/opendkim.sock}. */
    static Path defaultMilterSocket(Path root) {
        return root.resolve("milter").resolve("opendkim.sock");
    }

    /** Whether the path fits in a Unix-domain socket address (sun_path: 108 bytes with the final NUL). */
    static boolean fitsUnixSocket(Path socket) {
        return socket.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8).length <= MAX_SOCKET_PATH;
    }

    /** main.cf: private directories, loopback only, relay to the next hop, TLS, Cyrus SASL, OpenDKIM as milter. */
    String mainCf() {
        return lines(
            "# written by the msa4james load benchmark for one run; deleted with its directory",
            "compatibility_level = 3.6",
            "queue_directory = " + queueDirectory(),
            "data_directory = " + dataDirectory(),
            "maillog_file = " + postfixLog(),
            "maillog_file_prefixes = " + root,
            "inet_interfaces = 127.0.0.1",
            "inet_protocols = ipv4",
            "myhostname = " + HOST_NAME,
            "mydomain = " + domain(),
            "myorigin = $mydomain",
            "mynetworks = 127.0.0.1/32",
            "# nothing is delivered here: every recipient is relayed to the next hop",
            "mydestination =",
            "local_recipient_maps =",
            "alias_maps =",
            "alias_database =",
            "relayhost = [127.0.0.1]:" + nextHopPort,
            "smtp_tls_security_level = none",
            "smtpd_tls_cert_file = " + certificate(),
            "smtpd_tls_key_file = " + privateKey(),
            "smtpd_tls_security_level = may",
            "smtpd_sasl_type = cyrus",
            "smtpd_sasl_path = smtpd",
            "cyrus_sasl_config_path = " + saslConfigDirectory(),
            "smtpd_sasl_security_options = noanonymous",
            "smtpd_relay_restrictions = permit_sasl_authenticated, reject",
            "smtpd_sender_login_maps = inline:{ " + user + "=" + user + " }",
            "smtpd_milters = unix:" + milterSocket,
            "non_smtpd_milters = $smtpd_milters",
            "milter_default_action = tempfail",
            "biff = no");
    }

    /**
     * master.cf: the submission service on 127.0.0.1:port (STARTTLS required, AUTH only after it and required to
     * relay, the sender checked against the login), no port-25 service, and Postfix's own services without chroot
     * (chroot n: the files they read are outside any chroot).
     */
    String masterCf() {
        return lines(
            "# service type  private unpriv  chroot  wakeup  maxproc command + args",
            "127.0.0.1:" + submissionPort + " inet n - n - - smtpd",
            "  -o syslog_name=postfix/submission",
            "  -o smtpd_tls_security_level=encrypt",
            "  -o smtpd_tls_auth_only=yes",
            "  -o smtpd_sasl_auth_enable=yes",
            "  -o smtpd_relay_restrictions=permit_sasl_authenticated,reject",
            "  -o smtpd_sender_restrictions=reject_sender_login_mismatch",
            "pickup     unix  n - n 60    1 pickup",
            "cleanup    unix  n - n -     0 cleanup",
            "qmgr       unix  n - n 300   1 qmgr",
            "tlsmgr     unix  - - n 1000? 1 tlsmgr",
            "rewrite    unix  - - n -     - trivial-rewrite",
            "bounce     unix  - - n -     0 bounce",
            "defer      unix  - - n -     0 bounce",
            "trace      unix  - - n -     0 bounce",
            "verify     unix  - - n -     1 verify",
            "flush      unix  n - n 1000? 0 flush",
            "proxymap   unix  - - n -     - proxymap",
            "proxywrite unix  - - n -     1 proxymap",
            "smtp       unix  - - n -     - smtp",
            "relay      unix  - - n -     - smtp",
            "showq      unix  n - n -     - showq",
            "error      unix  - - n -     - error",
            "retry      unix  - - n -     - error",
            "discard    unix  - - n -     - discard",
            "anvil      unix  - - n -     1 anvil",
            "scache     unix  - - n -     1 scache",
            "postlog    unix-dgram n - n - 1 postlogd");
    }

    /** Cyrus SASL's smtpd.conf: passwords from the private sasldb, PLAIN and LOGIN only. */
    String smtpdConf() {
        return lines(
            "pwcheck_method: auxprop",
            "auxprop_plugin: sasldb",
            "sasldb_path: " + sasldb(),
            "mech_list: PLAIN LOGIN");
    }

    /**
     * opendkim.conf: a signing filter on the Unix socket, relaxed/relaxed, RSA-SHA256, the fields msa4james signs; run as
     * user opendkim, group postfix, umask 007, so that the socket is opendkim:postfix 0770 and Postfix's smtpd (user
     * postfix) may connect. Messages from 127.0.0.1 (OpenDKIM's default InternalHosts) are signed.
     */
    String opendkimConf() {
        return lines(
            "Syslog no",
            "Socket local:" + milterSocket,
            "Mode s",
            "Domain " + domain(),
            "Selector " + SELECTOR,
            "KeyFile " + dkimKey(),
            "Canonicalization relaxed/relaxed",
            "SignatureAlgorithm rsa-sha256",
            "SignHeaders " + SIGNED_FIELDS,
            "OversignHeaders From",
            "UserID opendkim:postfix",
            "UMask 007",
            "PidFile " + dkimDirectory().resolve("opendkim.pid"));
    }

    private static String lines(String... lines) {
        return String.join("\n", List.of(lines)) + "\n";
    }
}
