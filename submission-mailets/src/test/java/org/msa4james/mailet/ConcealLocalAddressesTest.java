package org.msa4james.mailet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import javax.mail.MessagingException;

import org.apache.james.core.MailAddress;
import org.apache.james.core.MaybeSender;
import org.apache.james.filesystem.api.FileSystem;
import org.apache.james.server.core.JamesServerResourceLoader;
import org.apache.james.server.core.MailImpl;
import org.apache.james.server.core.MimeMessageSource;
import org.apache.james.server.core.MimeMessageWrapper;
import org.apache.james.server.core.filesystem.FileSystemImpl;
import org.apache.mailet.Attribute;
import org.apache.mailet.AttributeValue;
import org.apache.mailet.Mail;
import org.apache.mailet.base.test.FakeMailetConfig;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.msa4james.concealment.MutableClock;
import org.msa4james.submission.SubmissionAttributes;

class ConcealLocalAddressesTest {
    private static final String MAILET = "Mailet org.msa4james.mailet.ConcealLocalAddresses: ";
    private static final String KEY = "test-trace-key-0123456789abcdefghij";
    /** HMAC-SHA256 of "192.0.2.7|5c72df5d" with KEY, 16 bytes, base32 (computed with Python's hmac). */
    private static final String CLIENT_NAME = "msa-client-qdhxptusxsj2pmff6k7q3ffd5i";
    private static final String SITE_MAP = "# the site's rules\n"
        + "jru@corp.example.test            J.Random.User@example.test\n"
        + "@squeaky.sales.example.test      @example.test\n";

    /** The Received field James 3.8.1 writes for a submission on port 587 (one recipient). */
    private static final String JAMES_RECEIVED = "Received: from mua-7.dyn.example.net (EHLO mua.example.test) ([192.0.2.7])\r\n"
        + "          by msa.example.test (JAMES SMTP Server ) with ESMTPA ID 5c72df5d\r\n"
        + "          for <carol@example.com>;\r\n"
        + "          Sat, 28 Nov 2026 19:02:46 +0000 (UTC)";
    private static final String HIDDEN_RECEIVED = "Received: from " + CLIENT_NAME + "\r\n"
        + "          by msa.example.test (JAMES SMTP Server ) with ESMTPA ID 5c72df5d\r\n"
        + "          for <carol@example.com>;\r\n"
        + "          Sat, 28 Nov 2026 19:02:46 +0000 (UTC)";

    private static final String HEADER = JAMES_RECEIVED + "\r\n"
        + "From: =?UTF-8?Q?J=C3=BCrgen_R=2E_User?= <jru@corp.example.test>\r\n"
        + "Sender: \"J. R. User\" (login) <JRU@corp.example.test>\r\n"
        + "Reply-To: Team: jru@corp.example.test, Bob <bob@squeaky.sales.example.test>;\r\n"
        + "To: jru@corp.example.test, Carol <carol@example.com>\r\n"
        + "Cc: bob@squeaky.sales.example.test\r\n"
        + "Subject: Report\r\n"
        + "Date: Sat, 28 Nov 2026 19:02:40 +0000\r\n"
        + "Message-ID: <20261128190240.1@mua.example.test>\r\n"
        + "X-Originating-IP: [192.0.2.7]\r\n"
        + "User-Agent: Mutt/2.2.12 (2023-09-09)\r\n"
        + "x-originating-ip: [10.1.2.3]\r\n"
        + "MIME-Version: 1.0\r\n"
        + "Content-Type: text/plain; charset=us-ascii\r\n";
    private static final String BODY = "Hello,\r\n\r\nthe report.\r\n";

    @TempDir
    Path workingDirectory;

    private Path mapFile;
    private FileSystem fileSystem;
    private MutableClock clock;
    private Instant fileTime;
    private AtomicInteger sourceOpenings;

    @BeforeEach
    void setUp() throws Exception {
        Files.createDirectories(workingDirectory.resolve("conf"));
        mapFile = workingDirectory.resolve("conf").resolve("address-rewrite.map");
        fileSystem = new FileSystemImpl(new JamesServerResourceLoader(workingDirectory.toString()));
        clock = new MutableClock(Instant.parse("2026-11-28T19:00:00Z"));
        fileTime = Instant.parse("2026-11-28T18:00:00Z");
        sourceOpenings = new AtomicInteger();
        writeMap(SITE_MAP);
    }

    private void writeMap(String content) throws IOException {
        Files.write(mapFile, content.getBytes(StandardCharsets.UTF_8));
        fileTime = fileTime.plusSeconds(1);
        Files.setLastModifiedTime(mapFile, FileTime.from(fileTime));
    }

    private ConcealLocalAddresses mailet(String... parameters) throws MessagingException {
        FakeMailetConfig.Builder config = FakeMailetConfig.builder().mailetName("ConcealLocalAddresses");
        for (int i = 0; i < parameters.length; i += 2) {
            config.setProperty(parameters[i], parameters[i + 1]);
        }
        ConcealLocalAddresses mailet = new ConcealLocalAddresses(fileSystem, clock);
        mailet.init(config.build());
        return mailet;
    }

    /** As shipped: the map in conf/, the trace key, defaults for the rest. */
    private ConcealLocalAddresses shippedMailet() throws MessagingException {
        return mailet("rewriteMap", "file://conf/address-rewrite.map", "traceKey", KEY);
    }

    /** A message as James spools it: headers parsed on demand from the raw bytes, the body never unless read. */
    private MimeMessageWrapper message(String header) throws MessagingException {
        byte[] raw = (header + "\r\n" + BODY).getBytes(StandardCharsets.ISO_8859_1);
        return new MimeMessageWrapper(new MimeMessageSource() {
            @Override
            public String getSourceId() {
                return "test-source";
            }

            @Override
            public InputStream getInputStream() {
                sourceOpenings.incrementAndGet();
                return new ByteArrayInputStream(raw);
            }

            @Override
            public long getMessageSize() {
                return raw.length;
            }
        });
    }

    private MailImpl submission(String header, String sender) throws Exception {
        MailImpl mail = MailImpl.builder()
            .name("mail-1")
            .sender(sender.isEmpty() ? MaybeSender.nullSender() : MaybeSender.of(new MailAddress(sender)))
            .addRecipients(new MailAddress("jru@corp.example.test"), new MailAddress("carol@example.com"))
            .addAttribute(new Attribute(SubmissionAttributes.LISTENER, AttributeValue.of("submission")))
            .addAttribute(new Attribute(SubmissionAttributes.CLIENT_ADDRESS, AttributeValue.of("192.0.2.7")))
            .addAttribute(new Attribute(SubmissionAttributes.USER, AttributeValue.of("jru@corp.example.test")))
            .addAttribute(new Attribute(Mail.SMTP_SESSION_ID, AttributeValue.of("5c72df5d")))
            .build();
        mail.setMessageNoCopy(message(header));
        return mail;
    }

    private MailImpl submission(String header) throws Exception {
        return submission(header, "jru@corp.example.test");
    }

    private static List<String> headerLines(Mail mail) throws MessagingException {
        return Collections.list(mail.getMessage().getAllHeaderLines());
    }

    private static String senderOf(Mail mail) {
        return mail.getMaybeSender().asString();
    }

    @Nested
    class ShippedConfiguration {
        @Test
        void serviceShouldHideTheClientRewriteTheSenderAndRemoveXOriginatingIp() throws Exception {
            MailImpl mail = submission(HEADER);

            shippedMailet().service(mail);

            assertThat(headerLines(mail)).containsExactly(
                HIDDEN_RECEIVED,
                "From: =?UTF-8?Q?J=C3=BCrgen_R=2E_User?= <J.Random.User@example.test>",
                "Sender: \"J. R. User\" (login) <J.Random.User@example.test>",
                "Reply-To: Team: J.Random.User@example.test, Bob <bob@example.test>;",
                "To: jru@corp.example.test, Carol <carol@example.com>",
                "Cc: bob@squeaky.sales.example.test",
                "Subject: Report",
                "Date: Sat, 28 Nov 2026 19:02:40 +0000",
                "Message-ID: <20261128190240.1@mua.example.test>",
                "User-Agent: Mutt/2.2.12 (2023-09-09)",
                "MIME-Version: 1.0",
                "Content-Type: text/plain; charset=us-ascii");
            assertThat(senderOf(mail)).isEqualTo("J.Random.User@example.test");
        }

        @Test
        void serviceShouldNeverTouchTheRecipients() throws Exception {
            MailImpl mail = submission(HEADER);

            shippedMailet().service(mail);

            assertThat(mail.getRecipients()).containsExactly(new MailAddress("jru@corp.example.test"), new MailAddress("carol@example.com"));
        }

        @Test
        void serviceShouldReadOnlyTheHeader() throws Exception {
            MailImpl mail = submission(HEADER);

            shippedMailet().service(mail);

            assertThat(sourceOpenings).hasValue(1);
            assertThat(((MimeMessageWrapper) mail.getMessage()).isBodyModified()).isFalse();
        }

        @Test
        void serviceShouldOnlyHideAndRemoveWithAnEmptyMap() throws Exception {
            writeMap("# no rules yet\n");
            MailImpl mail = submission(HEADER);

            shippedMailet().service(mail);

            assertThat(headerLines(mail)).containsExactly(
                HIDDEN_RECEIVED,
                "From: =?UTF-8?Q?J=C3=BCrgen_R=2E_User?= <jru@corp.example.test>",
                "Sender: \"J. R. User\" (login) <JRU@corp.example.test>",
                "Reply-To: Team: jru@corp.example.test, Bob <bob@squeaky.sales.example.test>;",
                "To: jru@corp.example.test, Carol <carol@example.com>",
                "Cc: bob@squeaky.sales.example.test",
                "Subject: Report",
                "Date: Sat, 28 Nov 2026 19:02:40 +0000",
                "Message-ID: <20261128190240.1@mua.example.test>",
                "User-Agent: Mutt/2.2.12 (2023-09-09)",
                "MIME-Version: 1.0",
                "Content-Type: text/plain; charset=us-ascii");
            assertThat(senderOf(mail)).isEqualTo("jru@corp.example.test");
        }

        @Test
        void serviceShouldLeaveMailThatIsNotASubmissionUntouched() throws Exception {
            MailImpl mail = MailImpl.builder()
                .name("mail-25")
                .sender("jru@corp.example.test")
                .addRecipient("carol@example.com")
                .addAttribute(new Attribute(Mail.SMTP_SESSION_ID, AttributeValue.of("5c72df5d")))
                .build();
            mail.setMessageNoCopy(message(HEADER));

            shippedMailet().service(mail);

            assertThat(((MimeMessageWrapper) mail.getMessage()).isModified()).isFalse();
            assertThat(sourceOpenings).hasValue(0);
            assertThat(String.join("\r\n", headerLines(mail)) + "\r\n").isEqualTo(HEADER);
            assertThat(senderOf(mail)).isEqualTo("jru@corp.example.test");
        }
    }

    @Nested
    class EnvelopeSender {
        @ParameterizedTest(name = "[{index}] {0} -> {1}")
        @CsvSource({
            "jru@corp.example.test,              J.Random.User@example.test",
            "JRU@CORP.EXAMPLE.TEST,              J.Random.User@example.test",
            "Bob.Smith@squeaky.sales.example.test, Bob.Smith@example.test",
            "carol@example.com,                  carol@example.com",
        })
        void serviceShouldRewriteTheEnvelopeSenderByTheMap(String sender, String expected) throws Exception {
            MailImpl mail = submission(HEADER, sender);

            shippedMailet().service(mail);

            assertThat(senderOf(mail)).isEqualTo(expected);
        }

        @Test
        void serviceShouldKeepTheNullSender() throws Exception {
            MailImpl mail = submission(HEADER, "");

            shippedMailet().service(mail);

            assertThat(mail.getMaybeSender().isNullSender()).isTrue();
            assertThat(headerLines(mail)).contains("From: =?UTF-8?Q?J=C3=BCrgen_R=2E_User?= <J.Random.User@example.test>");
        }
    }

    @Nested
    class AddressFields {
        private List<String> rewritten(String fields) throws Exception {
            MailImpl mail = submission(JAMES_RECEIVED + "\r\n" + fields + "Subject: x\r\n");
            mailet("rewriteMap", "file://conf/address-rewrite.map", "hideClientInTrace", "false").service(mail);
            return headerLines(mail);
        }

        @Test
        void serviceShouldKeepDisplayNamesCommentsAndFoldingByteForByte() throws Exception {
            assertThat(rewritten("From: \"User, J. R.\" (via the VPN)\r\n  <jru@corp.example.test> (login)\r\n"))
                .containsExactly(JAMES_RECEIVED,
                    "From: \"User, J. R.\" (via the VPN)\r\n  <J.Random.User@example.test> (login)",
                    "Subject: x");
        }

        @Test
        void serviceShouldKeepRawUtf8DisplayNames() throws Exception {
            String latin1View = new String("From: Jürgen <jru@corp.example.test>\r\n".getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
            String expected = new String("From: Jürgen <J.Random.User@example.test>".getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);

            assertThat(rewritten(latin1View)).containsExactly(JAMES_RECEIVED, expected, "Subject: x");
        }

        @Test
        void serviceShouldRewriteEveryOccurrenceInPlaceKeepingEachFieldNameAsWritten() throws Exception {
            assertThat(rewritten("FROM: jru@corp.example.test\r\nFrom: Bob <bob@squeaky.sales.example.test>\r\n"
                + "REPLY-TO: undisclosed:;\r\n"))
                .containsExactly(JAMES_RECEIVED,
                    "FROM: J.Random.User@example.test",
                    "From: Bob <bob@example.test>",
                    "REPLY-TO: undisclosed:;",
                    "Subject: x");
        }

        @Test
        void serviceShouldKeepEveryFieldWhereItWas() throws Exception {
            assertThat(rewritten("X-Before: 1\r\nReply-To: jru@corp.example.test\r\nX-Between: 2\r\nSender:jru@corp.example.test\r\n"
                + "From:\r\n jru@corp.example.test\r\n"))
                .containsExactly(JAMES_RECEIVED,
                    "X-Before: 1",
                    "Reply-To: J.Random.User@example.test",
                    "X-Between: 2",
                    "Sender:J.Random.User@example.test",
                    "From:\r\n J.Random.User@example.test",
                    "Subject: x");
        }

        @Test
        void serviceShouldLeaveFieldsWithoutMappedAddressesAsTheyAre() throws Exception {
            MailImpl mail = submission(JAMES_RECEIVED + "\r\nFrom:   Carol <carol@example.com>\r\nSubject: x\r\n", "carol@example.com");

            mailet("rewriteMap", "file://conf/address-rewrite.map", "hideClientInTrace", "false").service(mail);

            assertThat(((MimeMessageWrapper) mail.getMessage()).isModified()).isFalse();
            assertThat(headerLines(mail)).containsExactly(JAMES_RECEIVED, "From:   Carol <carol@example.com>", "Subject: x");
        }

        @Test
        void serviceShouldFailOnAnAddressFieldItCannotParse() throws Exception {
            MailImpl mail = submission(JAMES_RECEIVED + "\r\nFrom: J R User <jru@corp.example.test\r\nSubject: x\r\n");

            assertThatThrownBy(() -> shippedMailet().service(mail))
                .isInstanceOf(MessagingException.class)
                .hasMessage("org.msa4james.mailet.ConcealLocalAddresses: mail mail-1: cannot rewrite the From field "
                    + "'J R User <jru@corp.example.test': expected '>' closing the address opened at position 10 at the end at position 32");
        }
    }

    @Nested
    class TraceHiding {
        @Test
        void serviceShouldWriteThePublicHostNameAfterBy() throws Exception {
            MailImpl mail = submission(JAMES_RECEIVED + "\r\nSubject: x\r\n");

            mailet("traceKey", KEY, "publicHostName", "smtp.example.test").service(mail);

            assertThat(headerLines(mail)).containsExactly(
                "Received: from " + CLIENT_NAME + "\r\n"
                    + "          by smtp.example.test (JAMES SMTP Server ) with ESMTPA ID 5c72df5d\r\n"
                    + "          for <carol@example.com>;\r\n"
                    + "          Sat, 28 Nov 2026 19:02:46 +0000 (UTC)",
                "Subject: x");
        }

        @Test
        void serviceShouldLeaveOlderReceivedFieldsInPlace() throws Exception {
            String older = "Received: from [10.0.0.5] by laptop.corp.example.test; Sat, 28 Nov 2026 19:02:40 +0000";
            String oldest = "Received: from localhost by laptop.corp.example.test; Sat, 28 Nov 2026 19:02:39 +0000";
            MailImpl mail = submission(JAMES_RECEIVED + "\r\n" + older + "\r\n" + oldest + "\r\nSubject: x\r\n");

            mailet("traceKey", KEY).service(mail);

            assertThat(headerLines(mail)).containsExactly(HIDDEN_RECEIVED, older, oldest, "Subject: x");
        }

        @Test
        void serviceShouldDependOnTheKey() throws Exception {
            MailImpl mail = submission(JAMES_RECEIVED + "\r\nSubject: x\r\n");

            mailet("traceKey", "another-trace-key-0123456789abcdefgh").service(mail);

            assertThat(headerLines(mail).get(0)).startsWith("Received: from msa-client-mxb4gy7sfwtcvjjqw53455ngee\r\n");
        }

        @Test
        void serviceShouldLeaveTheTraceWhenHidingIsOff() throws Exception {
            MailImpl mail = submission(HEADER);

            mailet("hideClientInTrace", "false").service(mail);

            assertThat(headerLines(mail)).startsWith(JAMES_RECEIVED, "From: =?UTF-8?Q?J=C3=BCrgen_R=2E_User?= <jru@corp.example.test>");
            assertThat(headerLines(mail)).doesNotContain("X-Originating-IP: [192.0.2.7]", "x-originating-ip: [10.1.2.3]");
        }

        @Test
        void serviceShouldAcceptAMessageWithoutReceivedField() throws Exception {
            MailImpl mail = submission("Subject: x\r\nX-Originating-IP: [192.0.2.7]\r\n");

            mailet("traceKey", KEY).service(mail);

            assertThat(headerLines(mail)).containsExactly("Subject: x");
        }

        @Test
        void serviceShouldFailWithoutSessionId() throws Exception {
            MailImpl mail = submission(JAMES_RECEIVED + "\r\nSubject: x\r\n");
            mail.removeAttribute(Mail.SMTP_SESSION_ID);

            assertThatThrownBy(() -> mailet("traceKey", KEY).service(mail))
                .isInstanceOf(MessagingException.class)
                .hasMessage("org.msa4james.mailet.ConcealLocalAddresses: mail mail-1: the mail has no SMTP session id: cannot write the trace token");
        }

        @Test
        void serviceShouldFailWhenTheTopmostReceivedFieldHasNoByClause() throws Exception {
            MailImpl mail = submission("Received: from localhost ([192.0.2.7]); Sat, 28 Nov 2026 19:02:46 +0000\r\nSubject: x\r\n");

            assertThatThrownBy(() -> mailet("traceKey", KEY).service(mail))
                .isInstanceOf(MessagingException.class)
                .hasMessage("org.msa4james.mailet.ConcealLocalAddresses: mail mail-1: cannot hide the client in the topmost Received field: "
                    + "the Received field has no 'by' clause after its 'from' clause: 'from localhost ([192.0.2.7]); Sat, 28 Nov 2026 19:02:46 +0000'");
        }

        @Test
        void serviceShouldFailWhenTheClientAddressWouldRemainVisible() throws Exception {
            MailImpl mail = submission("Received: from localhost\r\n by msa.example.test for [192.0.2.7]; Sat, 28 Nov 2026 19:02:46 +0000\r\nSubject: x\r\n");

            assertThatThrownBy(() -> mailet("traceKey", KEY).service(mail))
                .isInstanceOf(MessagingException.class)
                .hasMessage("org.msa4james.mailet.ConcealLocalAddresses: mail mail-1: the topmost Received field still shows the client "
                    + "address after hiding: 'from " + CLIENT_NAME + "\r\n by msa.example.test for [192.0.2.7]; Sat, 28 Nov 2026 19:02:46 +0000'");
        }
    }

    @Nested
    class HeaderRemoval {
        @Test
        void serviceShouldRemoveEveryOccurrenceOfEveryConfiguredFieldWhateverItsCase() throws Exception {
            MailImpl mail = submission("Subject: x\r\nX-Mailer: Outlook 16\r\nuser-agent: Thunderbird\r\nX-Originating-IP: [192.0.2.7]\r\n"
                + "USER-AGENT: again\r\nX-Other: kept\r\n");

            mailet("traceKey", KEY, "removeHeaders", "X-Originating-IP, User-Agent, X-Mailer").service(mail);

            assertThat(headerLines(mail)).containsExactly("Subject: x", "X-Other: kept");
        }

        @Test
        void serviceShouldRemoveOnlyTheListedFieldsWhenTheListReplacesTheDefault() throws Exception {
            MailImpl mail = submission("Subject: x\r\nX-Originating-IP: [192.0.2.7]\r\nUser-Agent: Thunderbird\r\n");

            mailet("traceKey", KEY, "removeHeaders", "User-Agent").service(mail);

            assertThat(headerLines(mail)).containsExactly("Subject: x", "X-Originating-IP: [192.0.2.7]");
        }

        @Test
        void serviceShouldRemoveNothingWithNone() throws Exception {
            MailImpl mail = submission("Subject: x\r\nX-Originating-IP: [192.0.2.7]\r\n");

            mailet("traceKey", KEY, "removeHeaders", "none").service(mail);

            assertThat(((MimeMessageWrapper) mail.getMessage()).isModified()).isFalse();
            assertThat(headerLines(mail)).containsExactly("Subject: x", "X-Originating-IP: [192.0.2.7]");
        }
    }

    @Nested
    class Reload {
        @Test
        void serviceShouldApplyAnEditedMapAfterTheReloadInterval() throws Exception {
            ConcealLocalAddresses mailet = mailet("rewriteMap", "file://conf/address-rewrite.map", "traceKey", KEY, "reloadInterval", "30");
            MailImpl before = submission(HEADER);
            mailet.service(before);

            writeMap("jru@corp.example.test Jay.User@example.test\n");
            clock.advance(Duration.ofSeconds(29));
            MailImpl tooEarly = submission(HEADER);
            mailet.service(tooEarly);
            clock.advance(Duration.ofSeconds(1));
            MailImpl after = submission(HEADER);
            mailet.service(after);

            assertThat(senderOf(before)).isEqualTo("J.Random.User@example.test");
            assertThat(senderOf(tooEarly)).isEqualTo("J.Random.User@example.test");
            assertThat(senderOf(after)).isEqualTo("Jay.User@example.test");
            assertThat(headerLines(after)).contains(
                "From: =?UTF-8?Q?J=C3=BCrgen_R=2E_User?= <Jay.User@example.test>",
                "Reply-To: Team: Jay.User@example.test, Bob <bob@squeaky.sales.example.test>;");
        }

        @Test
        void serviceShouldKeepThePreviousMapWhenAnEditIsBroken() throws Exception {
            ConcealLocalAddresses mailet = shippedMailet();

            writeMap(SITE_MAP + "jru@corp.example.test\n");
            clock.advance(Duration.ofSeconds(ConcealLocalAddresses.DEFAULT_RELOAD_SECONDS));
            MailImpl mail = submission(HEADER);
            mailet.service(mail);

            assertThat(senderOf(mail)).isEqualTo("J.Random.User@example.test");
        }
    }

    @Nested
    class MapLocation {
        @Test
        void initShouldResolveAPathRelativeToTheWorkingDirectory() throws Exception {
            ConcealLocalAddresses mailet = mailet("rewriteMap", "conf/address-rewrite.map", "traceKey", KEY);

            assertThat(mailet.getMailetInfo()).isEqualTo("ConcealLocalAddresses: rewrite map " + mapFile.toAbsolutePath()
                + ", client hidden in Received: true, removed fields: X-Originating-IP (RFC 6409 section 8.8)");
        }

        @Test
        void initShouldAcceptAnAbsolutePathAndAnAbsoluteFileUrl() throws Exception {
            assertThat(mailet("rewriteMap", mapFile.toAbsolutePath().toString(), "traceKey", KEY).getMailetInfo())
                .contains("rewrite map " + mapFile.toAbsolutePath() + ",");
            assertThat(mailet("rewriteMap", "file://" + mapFile.toAbsolutePath(), "traceKey", KEY).getMailetInfo())
                .contains("rewrite map " + mapFile.toAbsolutePath() + ",");
        }

        @Test
        void getMailetInfoShouldSayWhatIsConfigured() throws Exception {
            assertThat(mailet("hideClientInTrace", "false", "removeHeaders", "none").getMailetInfo())
                .isEqualTo("ConcealLocalAddresses: rewrite map none, client hidden in Received: false, removed fields: none (RFC 6409 section 8.8)");
        }
    }

    @Nested
    class InitErrors {
        @ParameterizedTest(name = "[{index}] {0}={1}")
        @CsvSource(delimiter = '|', quoteCharacter = '\0', value = {
            "rewriteMaps       | file://conf/address-rewrite.map | parameter 'rewriteMaps' is not a parameter of this mailet; known parameters: rewriteMap, reloadInterval, hideClientInTrace, traceKey, publicHostName, removeHeaders",
            "traceKey          | short-key                       | parameter 'traceKey' must be at least 32 characters long, not 9",
            "traceKey          | ${sys:msa.trace.key}            | parameter 'traceKey' is the unresolved placeholder ${sys:msa.trace.key}: define that property (bin/msa4james does, from conf/trace.key)",
            "hideClientInTrace | yes                             | parameter 'hideClientInTrace' must be true or false, not 'yes'",
            "publicHostName    | msa                             | parameter 'publicHostName' must be a fully qualified host name, not 'msa'",
            "publicHostName    | smtp_1.example.test             | parameter 'publicHostName' must be a fully qualified host name, not 'smtp_1.example.test'",
            "reloadInterval    | 0                               | parameter 'reloadInterval' must be a positive integer, not '0'",
            "reloadInterval    | 10s                             | parameter 'reloadInterval' must be a positive integer, not '10s'",
            "removeHeaders     | X-Mailer, From                  | parameter 'removeHeaders' is invalid: 'From' may not be removed (every message must have it)",
            "removeHeaders     | Received                        | parameter 'removeHeaders' is invalid: 'Received' may not be removed (a trace field)",
        })
        void initShouldRefuseABadParameterNamingIt(String parameter, String value, String problem) {
            assertThatThrownBy(() -> mailet("rewriteMap", "file://conf/address-rewrite.map", "traceKey", KEY, parameter, value))
                .isInstanceOf(MessagingException.class)
                .hasMessage(MAILET + problem);
        }

        @Test
        void initShouldRequireTheTraceKeyWhenHidingTheClient() {
            assertThatThrownBy(() -> mailet("rewriteMap", "file://conf/address-rewrite.map"))
                .isInstanceOf(MessagingException.class)
                .hasMessage(MAILET + "parameter 'traceKey' is required when hideClientInTrace is true (at least 32 characters)");
        }

        @Test
        void initShouldRefuseAPublicHostNameWhenNotHidingTheClient() {
            assertThatThrownBy(() -> mailet("hideClientInTrace", "false", "publicHostName", "smtp.example.test"))
                .isInstanceOf(MessagingException.class)
                .hasMessage(MAILET + "parameter 'publicHostName' only applies when hideClientInTrace is true");
        }

        @Test
        void initShouldRefuseAReloadIntervalWithoutMap() {
            assertThatThrownBy(() -> mailet("traceKey", KEY, "reloadInterval", "5"))
                .isInstanceOf(MessagingException.class)
                .hasMessage(MAILET + "parameter 'reloadInterval' only applies with a rewriteMap");
        }

        @Test
        void initShouldRefuseAMissingMapFile() {
            assertThatThrownBy(() -> mailet("rewriteMap", "file://conf/missing.map", "traceKey", KEY))
                .isInstanceOf(MessagingException.class)
                .hasMessage(MAILET + "parameter 'rewriteMap' is invalid: " + workingDirectory.toAbsolutePath().resolve("conf/missing.map") + ": no such file");
        }

        @Test
        void initShouldRefuseAMapWithAnErrorNamingFileAndLine() throws Exception {
            writeMap("# map\njru@corp.example.test J.Random.User@example.test\n\njru@corp.example.test @example.test\n");

            assertThatThrownBy(() -> shippedMailet())
                .isInstanceOf(MessagingException.class)
                .hasMessage(MAILET + "parameter 'rewriteMap' is invalid: " + mapFile.toAbsolutePath()
                    + ", line 4: the replacement of an address must be an address, not '@example.test'");
        }

        @Test
        void initShouldRefuseAClasspathMapThatDoesNotExist() {
            assertThatThrownBy(() -> mailet("rewriteMap", "classpath://no-such.map", "traceKey", KEY))
                .isInstanceOf(MessagingException.class)
                .hasMessage(MAILET + "parameter 'rewriteMap' names no file: class path resource [no-such.map] cannot be resolved to URL because it does not exist");
        }
    }
}
