package org.msa4james.mailet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import javax.mail.MessagingException;
import javax.mail.Session;
import javax.mail.internet.MimeMessage;

import org.apache.james.filesystem.api.FileSystem;
import org.apache.james.server.core.JamesServerResourceLoader;
import org.apache.james.server.core.filesystem.FileSystemImpl;
import org.apache.mailet.Attribute;
import org.apache.mailet.AttributeValue;
import org.apache.mailet.Mail;
import org.apache.mailet.base.GenericMailet;
import org.apache.mailet.base.test.FakeMail;
import org.apache.mailet.base.test.FakeMailetConfig;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.msa4james.diagnostics.ClientDiagnostics;
import org.msa4james.submission.SubmissionAttributes;

class CompleteSubmissionTest {
    private static final String TRACE_KEY = "test-trace-key-0123456789abcdefghij";
    /** No Date; From is not the user (alice); a single-label domain; James's Received field; 8-bit text declared 7bit. */
    private static final String MESSAGE = "Received: from mua-7.dyn.example.net (EHLO mua.example.test) ([192.0.2.7])\r\n"
        + "          by msa.example.test (JAMES SMTP Server ) with ESMTPA ID 5c72df5d\r\n"
        + "          for <carol@example.com>;\r\n"
        + "          Sat, 28 Nov 2026 19:02:46 +0000 (UTC)\r\n"
        + "From: Team <team@example.com>\r\n"
        + "To: Bob <bob@sales>, carol@example.com\r\n"
        + "Subject: Report\r\n"
        + "Message-ID: <20261128190240.1@mua.example.test>\r\n"
        + "X-Originating-IP: [192.0.2.7]\r\n"
        + "MIME-Version: 1.0\r\n"
        + "Content-Type: text/plain; charset=utf-8\r\n"
        + "Content-Transfer-Encoding: 7bit\r\n"
        + "\r\n"
        + "Gr\u00fc\u00dfe\r\n";

    @TempDir
    Path workingDirectory;

    private CompletionJamesServices james;
    private FileSystem fileSystem;

    @BeforeEach
    void setUp() throws Exception {
        james = CompletionJamesServices.create();
        Files.createDirectories(workingDirectory.resolve("conf"));
        Files.write(workingDirectory.resolve("conf").resolve("address-rewrite.map"),
            "@sales.example.test @example.test\n".getBytes(StandardCharsets.UTF_8));
        fileSystem = new FileSystemImpl(new JamesServerResourceLoader(workingDirectory.toString()));
    }

    @Test
    void oneStepShouldGiveExactlyWhatTheSixMailetsGiveOneAfterTheOther() throws Exception {
        String[] parameters = {"timeZone", "Europe/Paris", "domainExpansions", "sales=sales.example.test",
            "rewriteMap", "file://conf/address-rewrite.map", "traceKey", TRACE_KEY, "removeHeaders", "X-Originating-IP"};
        FakeMail separately = submissionFrom("192.0.2.7");
        FakeMail together = submissionFrom("192.0.2.7");

        for (GenericMailet mailet : List.of(
                new AddMissingDate(ClientDiagnostics.discarding()),
                new AddMissingMessageId(james.domainList(), ClientDiagnostics.discarding()),
                new QualifyAddresses(ClientDiagnostics.discarding()),
                new AddSender(james.canSendFrom(), james.domainList(), ClientDiagnostics.discarding()),
                new ConcealLocalAddresses(fileSystem),
                new TransferEncode(ClientDiagnostics.discarding()))) {
            mailet.init(config(mailet.getClass().getSimpleName(), ownParameters(mailet.getClass(), parameters)));
            mailet.service(separately);
        }
        CompleteSubmission composite = composite(parameters);
        composite.service(together);

        String expected = written(separately);
        assertThat(written(together)).isEqualTo(expected);
        // and the six did their work
        assertThat(expected)
            .contains("Date: Sat, 28 Nov 2026 19:55:39 +0100\r\n")
            .contains("To: Bob <bob@sales.example.test>, carol@example.com\r\n")
            .contains("Sender: alice@example.test\r\n")
            .contains("Received: from msa-client-")
            .doesNotContain("192.0.2.7")
            .contains("Content-Transfer-Encoding: quoted-printable\r\n");
    }

    @Test
    void theStepsShouldRunInOrderOnEveryMailAndBeDestroyed() throws Exception {
        List<String> calls = new ArrayList<>();
        CompleteSubmission composite = new CompleteSubmission(List.of(recording("first", calls), recording("second", calls)));
        composite.init(config("CompleteSubmission"));

        composite.service(CompletionMails.submission(message()));
        composite.service(CompletionMails.submission(message()));
        composite.destroy();

        assertThat(calls).containsExactly("init first", "init second", "first", "second", "first", "second",
            "destroy first", "destroy second");
    }

    @Test
    void aFailingStepShouldFailTheMailetAndStopTheChain() throws Exception {
        List<String> calls = new ArrayList<>();
        GenericMailet failing = new GenericMailet() {
            @Override
            public void service(Mail mail) throws MessagingException {
                throw new MessagingException("header unreadable");
            }
        };
        CompleteSubmission composite = new CompleteSubmission(List.of(failing, recording("after", calls)));
        composite.init(config("CompleteSubmission"));

        assertThatThrownBy(() -> composite.service(CompletionMails.submission(message())))
            .isInstanceOf(MessagingException.class)
            .hasMessage("header unreadable");
        assertThat(calls).containsExactly("init after");
    }

    @Test
    void anUnknownParameterShouldStopInitNamingItAndTheKnownOnes() {
        assertThatThrownBy(() -> composite("rewriteMap", "file://conf/address-rewrite.map", "traceKey", TRACE_KEY,
                "timezone", "UTC"))
            .isInstanceOf(MessagingException.class)
            .hasMessage("Mailet org.msa4james.mailet.CompleteSubmission: parameter 'timezone' is not a parameter of this "
                + "mailet; known parameters: timeZone, domain, domainExpansions, rewriteMap, reloadInterval, "
                + "hideClientInTrace, traceKey, publicHostName, removeHeaders");
    }

    @Test
    void aBadValueShouldBeReportedByTheMailetThatOwnsTheParameter() {
        assertThatThrownBy(() -> composite("rewriteMap", "file://conf/address-rewrite.map", "traceKey", TRACE_KEY,
                "timeZone", "Mars/Olympus_Mons"))
            .isInstanceOf(MessagingException.class)
            .hasMessage("Mailet org.msa4james.mailet.AddMissingDate: parameter 'timeZone' is invalid: 'Mars/Olympus_Mons' is "
                + "neither an IANA time zone id (e.g. Europe/Paris) nor an offset (e.g. +01:00)");
    }

    private static FakeMail submissionFrom(String clientAddress) throws MessagingException {
        FakeMail mail = CompletionMails.submission(message());
        mail.setAttribute(new Attribute(SubmissionAttributes.CLIENT_ADDRESS, AttributeValue.of(clientAddress)));
        return mail;
    }

    private CompleteSubmission composite(String... parameters) throws MessagingException {
        CompleteSubmission composite = new CompleteSubmission(james.domainList(), james.canSendFrom(), fileSystem,
            ClientDiagnostics.discarding());
        composite.init(config("CompleteSubmission", parameters));
        return composite;
    }

    /** The parameters of the list that belong to that mailet, as the composite hands them over. */
    private static String[] ownParameters(Class<?> mailet, String[] parameters) {
        List<String> own = new ArrayList<>();
        for (int i = 0; i < parameters.length; i += 2) {
            boolean concealment = List.of("rewriteMap", "traceKey", "removeHeaders").contains(parameters[i]);
            boolean owned = (parameters[i].equals("timeZone") && mailet == AddMissingDate.class)
                || (parameters[i].equals("domainExpansions") && mailet == QualifyAddresses.class)
                || (concealment && mailet == ConcealLocalAddresses.class);
            if (owned) {
                own.add(parameters[i]);
                own.add(parameters[i + 1]);
            }
        }
        return own.toArray(new String[0]);
    }

    private static FakeMailetConfig config(String name, String... parameters) {
        FakeMailetConfig.Builder config = FakeMailetConfig.builder().mailetName(name);
        for (int i = 0; i < parameters.length; i += 2) {
            config.setProperty(parameters[i], parameters[i + 1]);
        }
        return config.build();
    }

    private static GenericMailet recording(String name, List<String> calls) {
        return new GenericMailet() {
            @Override
            public void init() {
                calls.add("init " + name);
            }

            @Override
            public void service(Mail mail) {
                calls.add(name);
            }

            @Override
            public void destroy() {
                calls.add("destroy " + name);
            }
        };
    }

    private static MimeMessage message() throws MessagingException {
        return new MimeMessage(Session.getInstance(new java.util.Properties()),
            new ByteArrayInputStream(MESSAGE.getBytes(StandardCharsets.UTF_8)));
    }

    private static String written(Mail mail) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        mail.getMessage().writeTo(bytes);
        return bytes.toString(StandardCharsets.ISO_8859_1);
    }
}
