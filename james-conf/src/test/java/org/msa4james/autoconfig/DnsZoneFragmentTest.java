package org.msa4james.autoconfig;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.xbill.DNS.Master;
import org.xbill.DNS.Record;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;

class DnsZoneFragmentTest {
    private static final String HOST = "mail.example.test";
    private static final MailSettings SHIPPED = MailSettings.of(HOST, MailSettingsTest.shippedListeners(25, 587, 465, 143, 993));
    private static final String DKIM_LINE = "msa._domainkey.example.test. IN TXT ( \"v=DKIM1; k=rsa; \" \"p=" + "A".repeat(255)
        + "\" \"" + "B".repeat(100) + "\" )";

    private static List<String> records(String zone) throws IOException {
        List<String> records = new ArrayList<>();
        try (Master master = new Master(new ByteArrayInputStream(zone.getBytes(UTF_8)), null)) {
            for (Record record = master.nextRecord(); record != null; record = master.nextRecord()) {
                String data = record instanceof TXTRecord ? String.join("|", ((TXTRecord) record).getStrings()) : record.rdataToString();
                records.add(record.getName() + " " + record.getTTL() + " " + Type.string(record.getType()) + " " + data);
            }
        }
        return records;
    }

    @Test
    void shouldListEveryRecordOfTheShippedServerInZoneFileSyntax() throws IOException {
        String zone = DnsZoneFragment.write("example.test", SHIPPED, Optional.of(80), Optional.of(443),
            DnsZoneFragment.DkimKey.of(DkimTxtRecord.parse(DKIM_LINE, "example.test"), "conf/dkim/example.test.dns.txt"));

        assertThat(records(zone)).containsExactly(
            "example.test. 3600 MX 10 mail.example.test.",
            "_submissions._tcp.example.test. 3600 SRV 0 1 465 mail.example.test.",
            "_submission._tcp.example.test. 3600 SRV 10 1 587 mail.example.test.",
            "_imaps._tcp.example.test. 3600 SRV 0 1 993 mail.example.test.",
            "_imap._tcp.example.test. 3600 SRV 10 1 143 mail.example.test.",
            "_pop3._tcp.example.test. 3600 SRV 0 0 0 .",
            "_pop3s._tcp.example.test. 3600 SRV 0 0 0 .",
            "autoconfig.example.test. 3600 CNAME mail.example.test.",
            "autodiscover.example.test. 3600 CNAME mail.example.test.",
            "_autodiscover._tcp.example.test. 3600 SRV 0 0 443 mail.example.test.",
            "msa._domainkey.example.test. 3600 TXT v=DKIM1; k=rsa; |p=" + "A".repeat(253) + "|AA|" + "B".repeat(100),
            "example.test. 3600 TXT v=spf1 a:mail.example.test ~all",
            "_dmarc.example.test. 3600 TXT v=DMARC1; p=none; rua=mailto:postmaster@example.test");
        List<String> lines = zone.lines().collect(Collectors.toList());
        for (int i = 0; i < lines.size(); i++) {
            if (!lines.get(i).startsWith(";")) {
                assertThat(lines.get(i - 1)).as("the comment before %s", lines.get(i)).startsWith("; ");
            }
        }
        assertThat(zone).contains("; MX: other mail servers deliver mail for example.test to mail.example.test on port 25\n");
        assertThat(zone).contains("; DKIM: the public key that verifies this server's signatures on mail from example.test "
            + "(from conf/dkim/example.test.dns.txt)\n");
    }

    @Test
    void shouldSayWhatIsMissingAndWhy() throws IOException {
        MailSettings noMx = MailSettings.of(HOST, MailSettingsTest.shippedListeners(25, 587, 465, 143, 993).subList(1, 5));

        String zone = DnsZoneFragment.write("example.org", noMx, Optional.empty(), Optional.empty(),
            DnsZoneFragment.DkimKey.none("conf/dkim/example.org.dns.txt does not exist"));

        assertThat(records(zone)).extracting(record -> record.split(" ")[0] + " " + record.split(" ")[2]).containsExactly(
            "_submissions._tcp.example.org. SRV", "_submission._tcp.example.org. SRV", "_imaps._tcp.example.org. SRV",
            "_imap._tcp.example.org. SRV", "_pop3._tcp.example.org. SRV", "_pop3s._tcp.example.org. SRV",
            "example.org. TXT", "_dmarc.example.org. TXT");
        assertThat(zone)
            .contains("; MX: not listed, this server runs no MX listener (SMTP without AUTH): point it at the server that receives "
                + "mail for example.org\n")
            .contains("; autoconfig, autodiscover: not listed, the self-configuration listener is off (MSA_AUTOCONFIG_PORT=0 and "
                + "MSA_AUTOCONFIGS_PORT=0)\n")
            .contains("; DKIM: not listed, conf/dkim/example.org.dns.txt does not exist\n");
    }

    @Test
    void shouldPublishTheBoundPortsAndSayWhenAReverseProxyIsNeeded() throws IOException {
        MailSettings moved = MailSettings.of(HOST, MailSettingsTest.shippedListeners(2525, 2587, 2465, 2143, 2993));

        String zone = DnsZoneFragment.write("example.test", moved, Optional.of(8080), Optional.empty(),
            DnsZoneFragment.DkimKey.none("none"));

        assertThat(records(zone)).contains("_submissions._tcp.example.test. 3600 SRV 0 1 2465 mail.example.test.",
            "_imap._tcp.example.test. 3600 SRV 10 1 2143 mail.example.test.", "autoconfig.example.test. 3600 CNAME mail.example.test.");
        assertThat(records(zone)).noneMatch(record -> record.startsWith("_autodiscover."));
        assertThat(zone)
            .contains("(this server's MX listener is on port 2525: port 25 of mail.example.test must reach it)")
            .contains("from this server (HTTP 8080; clients use ports 80 and 443 only, so a reverse proxy there must reach it)")
            .contains("(its HTTPS is off: put a reverse proxy with a certificate in front)");
    }

    @Test
    void aLongSpfRecordShouldBeCutInto255OctetStrings() throws IOException {
        String longHost = ("h".repeat(63) + ".").repeat(3) + "h".repeat(61);
        MailSettings settings = MailSettings.of(longHost, MailSettingsTest.shippedListeners(25, 587, 465, 143, 993));

        String zone = DnsZoneFragment.write("example.test", settings, Optional.empty(), Optional.empty(), DnsZoneFragment.DkimKey.none("x"));

        String spf = records(zone).stream().filter(record -> record.startsWith("example.test. 3600 TXT")).findFirst().orElseThrow();
        assertThat(spf.substring("example.test. 3600 TXT ".length()).split("\\|"))
            .containsExactly(("v=spf1 a:" + longHost + " ~all").substring(0, 255), ("v=spf1 a:" + longHost + " ~all").substring(255));
    }
}
