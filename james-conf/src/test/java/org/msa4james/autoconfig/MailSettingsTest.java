package org.msa4james.autoconfig;

import static org.assertj.core.api.Assertions.assertThat;
import static org.msa4james.autoconfig.MailService.Protocol.IMAP;
import static org.msa4james.autoconfig.MailService.Protocol.SMTP;
import static org.msa4james.autoconfig.MailService.Security.IMPLICIT_TLS;
import static org.msa4james.autoconfig.MailService.Security.STARTTLS;

import java.util.List;

import org.junit.jupiter.api.Test;

class MailSettingsTest {
    private static final String HOST = "mail.example.test";

    /** The listeners of the shipped configuration: MX (no AUTH), 587, 465, 143, 993. */
    static List<ListenerFacts> shippedListeners(int mx, int submission, int submissions, int imap, int imaps) {
        return List.of(
            new ListenerFacts(SMTP, mx, false, true, false),
            new ListenerFacts(SMTP, submission, false, true, true),
            new ListenerFacts(SMTP, submissions, true, false, true),
            new ListenerFacts(IMAP, imap, false, true, true),
            new ListenerFacts(IMAP, imaps, true, false, true));
    }

    @Test
    void shouldPublishTheSubmissionAndImapListenersImplicitTlsFirst() {
        MailSettings settings = MailSettings.of(HOST, shippedListeners(25, 587, 465, 143, 993));

        assertThat(settings.hostName()).isEqualTo(HOST);
        assertThat(settings.smtp()).containsExactly(new MailService(SMTP, 465, IMPLICIT_TLS), new MailService(SMTP, 587, STARTTLS));
        assertThat(settings.imap()).containsExactly(new MailService(IMAP, 993, IMPLICIT_TLS), new MailService(IMAP, 143, STARTTLS));
        assertThat(settings.mxPorts()).containsExactly(25);
        assertThat(settings.complete()).isTrue();
    }

    @Test
    void shouldPublishTheBoundPortsWhateverTheyAre() {
        MailSettings settings = MailSettings.of(HOST, shippedListeners(2525, 2587, 2465, 2143, 2993));

        assertThat(settings.smtp()).extracting(MailService::port).containsExactly(2465, 2587);
        assertThat(settings.imap()).extracting(MailService::port).containsExactly(2993, 2143);
        assertThat(settings.mxPorts()).containsExactly(2525);
    }

    @Test
    void shouldNeverPublishPort25EvenWithAuthentication() {
        MailSettings settings = MailSettings.of(HOST, List.of(
            new ListenerFacts(SMTP, 25, false, true, true),
            new ListenerFacts(SMTP, 587, false, true, true)));

        assertThat(settings.smtp()).containsExactly(new MailService(SMTP, 587, STARTTLS));
    }

    @Test
    void shouldNeverPublishAListenerWithoutTls() {
        MailSettings settings = MailSettings.of(HOST, List.of(
            new ListenerFacts(SMTP, 2587, false, false, true),
            new ListenerFacts(IMAP, 143, false, false, true)));

        assertThat(settings.smtp()).isEmpty();
        assertThat(settings.imap()).isEmpty();
        assertThat(settings.complete()).isFalse();
    }

    @Test
    void shouldNotPublishAnSmtpListenerWithoutAuthentication() {
        MailSettings settings = MailSettings.of(HOST, List.of(new ListenerFacts(SMTP, 2465, true, false, false)));

        assertThat(settings.smtp()).isEmpty();
        assertThat(settings.mxPorts()).containsExactly(2465);
    }

    @Test
    void severalListenersOfOneKindShouldBeOrderedByPort() {
        MailSettings settings = MailSettings.of(HOST, List.of(
            new ListenerFacts(SMTP, 2587, false, true, true),
            new ListenerFacts(SMTP, 1587, false, true, true),
            new ListenerFacts(SMTP, 3465, true, false, true)));

        assertThat(settings.smtp()).extracting(MailService::port).containsExactly(3465, 1587, 2587);
    }
}
