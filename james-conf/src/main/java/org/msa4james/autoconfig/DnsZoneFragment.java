package org.msa4james.autoconfig;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The DNS records an administrator adds to the zone of a local domain so that mail clients find the server by
 * themselves and receivers trust its mail, as a zone-file fragment (RFC 1035 section 5): every name absolute (with
 * the final dot), a TTL on every record (a fragment must not depend on the zone's {@code $TTL}), TXT strings of at
 * most {@value #MAX_STRING} octets, and a one-line {@code ;} comment before each record saying what it is for.
 *
 * <ul>
 *   <li>MX: where other servers deliver mail for the domain (this server, when it runs an MX listener);</li>
 *   <li>SRV (RFC 6186, RFC 8314 section 5.1): {@code _submissions}, {@code _submission}, {@code _imaps}, {@code _imap}
 *   with the ports the listeners are bound to, implicit TLS preferred (priority 0, STARTTLS 10); {@code _pop3} and
 *   {@code _pop3s} with the target {@code .}, "not offered" (RFC 2782);</li>
 *   <li>{@code autoconfig} and {@code autodiscover} CNAMEs to this server and the {@code _autodiscover} SRV, when its
 *   self-configuration listener is on;</li>
 *   <li>the DKIM key record, when {@code conf/dkim/<domain>.dns.txt} holds one;</li>
 *   <li>a suggested SPF and DMARC record.</li>
 * </ul>
 */
public final class DnsZoneFragment {
    static final int MAX_STRING = 255;
    static final int TTL = 3600;
    private static final int IMPLICIT_TLS_PRIORITY = 0;
    private static final int STARTTLS_PRIORITY = 10;
    private static final int STANDARD_MX_PORT = 25;
    private static final int STANDARD_HTTP_PORT = 80;
    private static final int STANDARD_HTTPS_PORT = 443;

    private final String domain;
    private final String host;
    private final StringBuilder zone = new StringBuilder();

    private DnsZoneFragment(String domain, String hostName) {
        this.domain = domain + ".";
        this.host = hostName.toLowerCase(Locale.ROOT) + ".";
    }

    /**
     * @param domain the local domain, in lower case, without the final dot
     * @param settings the running listeners and the published host name
     * @param httpPort the self-configuration listener's plain HTTP port, if on
     * @param httpsPort its HTTPS port, if on
     * @param dkim the domain's DKIM record, or why there is none
     */
    public static String write(String domain, MailSettings settings, Optional<Integer> httpPort, Optional<Integer> httpsPort,
                               DkimKey dkim) {
        DnsZoneFragment fragment = new DnsZoneFragment(domain, settings.hostName());
        fragment.header();
        fragment.mx(settings.mxPorts());
        fragment.srv(settings);
        fragment.autoconfig(httpPort, httpsPort);
        fragment.dkim(dkim);
        fragment.policies();
        return fragment.zone.toString();
    }

    private void header() {
        comment("DNS records of " + name(domain) + " for the mail server " + name(host) + ", in zone-file syntax.");
        comment(name(host) + " itself needs an A (and AAAA) record with the server's public address: this server "
            + "cannot know it.");
    }

    private void mx(List<Integer> mxPorts) {
        if (mxPorts.isEmpty()) {
            comment("MX: not listed, this server runs no MX listener (SMTP without AUTH): point it at the server that "
                + "receives mail for " + name(domain));
            return;
        }
        String note = mxPorts.contains(STANDARD_MX_PORT) ? ""
            : " (this server's MX listener is on port " + join(mxPorts) + ": port 25 of " + name(host) + " must reach it)";
        comment("MX: other mail servers deliver mail for " + name(domain) + " to " + name(host) + " on port 25" + note);
        record(domain, "MX", "10 " + host);
    }

    private void srv(MailSettings settings) {
        for (MailService service : settings.smtp()) {
            comment(service.implicitTls()
                ? "RFC 8314: mail clients submit mail over implicit TLS on port " + service.port() + " (preferred)"
                : "RFC 6186: mail clients submit mail with STARTTLS on port " + service.port());
            srvRecord(service.implicitTls() ? "_submissions" : "_submission", service);
        }
        for (MailService service : settings.imap()) {
            comment(service.implicitTls()
                ? "RFC 8314: mail clients read mail over IMAP with implicit TLS on port " + service.port() + " (preferred)"
                : "RFC 6186: mail clients read mail over IMAP with STARTTLS on port " + service.port());
            srvRecord(service.implicitTls() ? "_imaps" : "_imap", service);
        }
        if (settings.smtp().isEmpty() || settings.imap().isEmpty()) {
            comment("this server runs no " + (settings.smtp().isEmpty() ? "SMTP submission" : "IMAP")
                + " listener with TLS: no SRV record for it");
        }
        comment("RFC 6186: no POP3 on this server (the target \".\" says so), so clients do not try it");
        record("_pop3._tcp." + domain, "SRV", "0 0 0 .");
        comment("RFC 6186: no POP3 over TLS either");
        record("_pop3s._tcp." + domain, "SRV", "0 0 0 .");
    }

    private void srvRecord(String service, MailService listener) {
        int priority = listener.implicitTls() ? IMPLICIT_TLS_PRIORITY : STARTTLS_PRIORITY;
        record(service + "._tcp." + domain, "SRV", priority + " 1 " + listener.port() + " " + host);
    }

    private void autoconfig(Optional<Integer> httpPort, Optional<Integer> httpsPort) {
        if (httpPort.isEmpty() && httpsPort.isEmpty()) {
            comment("autoconfig, autodiscover: not listed, the self-configuration listener is off "
                + "(MSA_AUTOCONFIG_PORT=0 and MSA_AUTOCONFIGS_PORT=0)");
            return;
        }
        boolean standardPorts = httpPort.map(port -> port == STANDARD_HTTP_PORT).orElse(true)
            && httpsPort.map(port -> port == STANDARD_HTTPS_PORT).orElse(true);
        String ports = (httpPort.map(port -> "HTTP " + port).orElse("") + " "
            + httpsPort.map(port -> "HTTPS " + port).orElse("")).trim().replace(" HTTPS", ", HTTPS");
        String proxy = standardPorts ? "" : "; clients use ports 80 and 443 only, so a reverse proxy there must reach it";
        comment("Thunderbird, Evolution, KMail fetch http(s)://autoconfig." + name(domain)
            + "/mail/config-v1.1.xml from this server (" + ports + proxy + ")");
        record("autoconfig." + domain, "CNAME", host);
        comment("Outlook posts to https://autodiscover." + name(domain) + "/autodiscover/autodiscover.xml on this server"
            + (httpsPort.isPresent() ? "" : " (its HTTPS is off: put a reverse proxy with a certificate in front)"));
        record("autodiscover." + domain, "CNAME", host);
        httpsPort.ifPresent(port -> {
            comment("Outlook, when autodiscover." + name(domain) + " does not answer: Autodiscover over HTTPS at "
                + name(host) + " port " + port);
            record("_autodiscover._tcp." + domain, "SRV", "0 0 " + port + " " + host);
        });
    }

    private void dkim(DkimKey dkim) {
        if (dkim.record().isEmpty()) {
            comment("DKIM: not listed, " + dkim.reason());
            return;
        }
        DkimTxtRecord record = dkim.record().get();
        comment("DKIM: the public key that verifies this server's signatures on mail from " + name(domain)
            + " (from " + dkim.reason() + ")");
        record(record.ownerName(), "TXT", strings(record.strings()));
    }

    private void policies() {
        comment("SPF (suggested): " + name(host) + " sends the mail of " + name(domain) + "; add any other sender "
            + "(a relay gateway), then turn ~all into -all");
        record(domain, "TXT", strings(List.of("v=spf1 a:" + host.substring(0, host.length() - 1) + " ~all")));
        comment("DMARC (suggested): reports to postmaster@" + name(domain) + " (make sure it is delivered), no action "
            + "yet (p=none); raise to p=quarantine, then p=reject, once the reports show only your own mail");
        record("_dmarc." + domain, "TXT", strings(List.of("v=DMARC1; p=none; rua=mailto:postmaster@" + name(domain))));
    }

    private void comment(String text) {
        zone.append("; ").append(text.replaceAll("[\\r\\n]+", " ")).append('\n');
    }

    private void record(String owner, String type, String data) {
        zone.append(owner).append(' ').append(TTL).append(" IN ").append(type).append(' ').append(data).append('\n');
    }

    /** The quoted strings of a TXT record, in parentheses when there are several. */
    private static String strings(List<String> values) {
        List<String> quoted = values.stream()
            .flatMap(value -> characterStrings(value).stream())
            .map(value -> "\"" + value + "\"")
            .collect(Collectors.toList());
        return quoted.size() == 1 ? quoted.get(0) : "( " + String.join(" ", quoted) + " )";
    }

    /** {@code value} cut into character strings of at most {@value #MAX_STRING} octets (RFC 1035 section 3.3). */
    static List<String> characterStrings(String value) {
        if (value.isEmpty()) {
            return List.of(value);
        }
        List<String> pieces = new ArrayList<>();
        for (int start = 0; start < value.length(); start += MAX_STRING) {
            pieces.add(value.substring(start, Math.min(value.length(), start + MAX_STRING)));
        }
        return pieces;
    }

    private static String name(String absolute) {
        return absolute.substring(0, absolute.length() - 1);
    }

    private static String join(List<Integer> ports) {
        return ports.stream().map(String::valueOf).collect(Collectors.joining(", "));
    }

    /** The DKIM record of the domain, or why none is listed. */
    public static final class DkimKey {
        private final Optional<DkimTxtRecord> record;
        private final String reason;

        private DkimKey(Optional<DkimTxtRecord> record, String reason) {
            this.record = record;
            this.reason = reason;
        }

        /** {@code source}: where the record was read, e.g. {@code conf/dkim/example.test.dns.txt}. */
        public static DkimKey of(DkimTxtRecord record, String source) {
            return new DkimKey(Optional.of(record), source);
        }

        /** {@code reason}: why there is none, e.g. {@code conf/dkim/example.org.dns.txt does not exist}. */
        public static DkimKey none(String reason) {
            return new DkimKey(Optional.empty(), reason);
        }

        Optional<DkimTxtRecord> record() {
            return record;
        }

        String reason() {
            return reason;
        }
    }
}
