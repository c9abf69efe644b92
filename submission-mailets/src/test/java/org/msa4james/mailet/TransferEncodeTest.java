package org.msa4james.mailet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.security.DigestInputStream;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.Enumeration;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import javax.mail.MessagingException;
import javax.mail.Session;
import javax.mail.internet.MimeMessage;

import org.apache.james.core.MailAddress;
import org.apache.james.lifecycle.api.Disposable;
import org.apache.james.server.core.MailImpl;
import org.apache.james.server.core.MimeMessageInputStreamSource;
import org.apache.james.server.core.MimeMessageSource;
import org.apache.james.server.core.MimeMessageWrapper;
import org.apache.mailet.Attribute;
import org.apache.mailet.AttributeName;
import org.apache.mailet.AttributeValue;
import org.apache.mailet.Mail;
import org.apache.mailet.base.test.FakeMail;
import org.apache.mailet.base.test.FakeMailetConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.msa4james.submission.SubmissionAttributes;

import com.google.common.base.Strings;

class TransferEncodeTest {
    private static final Attribute SUBMISSION = new Attribute(SubmissionAttributes.LISTENER, AttributeValue.of("submission"));
    private static final Attribute USER = new Attribute(SubmissionAttributes.USER, AttributeValue.of("alice@example.test"));
    private static final Attribute OTHER = new Attribute(AttributeName.of("org.example.custom"), AttributeValue.of("kept"));

    private static final String HEADER = crlf(
        "From: Alice <alice@example.test>",
        "To: bob@example.test",
        "Subject: Greetings",
        "Date: Sat, 28 Nov 2026 18:55:39 +0000",
        "Message-ID: <4711@example.test>",
        "MIME-Version: 1.0",
        "Content-Type: text/plain; charset=utf-8");

    private static final String EIGHT_BIT_UNDECLARED = HEADER + crlf("", "Grüße aus Köln,", "Jürgen");
    private static final String EIGHT_BIT_ENCODED = HEADER + crlf("Content-Transfer-Encoding: quoted-printable",
        "", "Gr=C3=BC=C3=9Fe aus K=C3=B6ln,", "J=C3=BCrgen");

    private TransferEncode mailet;
    private MailImpl mail;

    static String crlf(String... lines) {
        return String.join("\r\n", lines) + "\r\n";
    }

    @BeforeEach
    void setUp() throws Exception {
        mailet = new TransferEncode();
        mailet.init(FakeMailetConfig.builder().mailetName("TransferEncode").build());
    }

    @AfterEach
    void tearDown() {
        if (mail != null) {
            mail.dispose();
        }
    }

    /** A mail as James's SMTP server makes it: a MimeMessageWrapper over a MimeMessageInputStreamSource. */
    private MailImpl jamesMail(MimeMessageWrapper message, Attribute... attributes) throws Exception {
        mail = MailImpl.builder().name("mail-1")
            .sender("alice@example.test")
            .addRecipient("bob@example.test")
            .addAttribute(OTHER)
            .build();
        for (Attribute attribute : attributes) {
            mail.setAttribute(attribute);
        }
        mail.setMessageNoCopy(message);
        return mail;
    }

    private static MimeMessageWrapper wrapper(String message) throws MessagingException {
        return new MimeMessageWrapper(source(new ByteArrayInputStream(message.getBytes(StandardCharsets.UTF_8))));
    }

    private static MimeMessageInputStreamSource source(InputStream content) throws MessagingException {
        return MimeMessageInputStreamSource.create("test-" + UUID.randomUUID(), content);
    }

    private static String written(Mail mail) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        mail.getMessage().writeTo(out);
        return out.toString(StandardCharsets.UTF_8);
    }

    @Nested
    class Parameters {
        @Test
        void initShouldRejectAnyParameter() {
            assertThatThrownBy(() -> new TransferEncode().init(FakeMailetConfig.builder().mailetName("TransferEncode")
                .setProperty("maxLineLength", "998").build()))
                .isInstanceOf(MessagingException.class)
                .hasMessage("Mailet org.msa4james.mailet.TransferEncode: parameter 'maxLineLength' is not a parameter of this mailet;"
                    + " known parameters: none");
        }

        @Test
        void initShouldAcceptTheContainerParameters() throws Exception {
            new TransferEncode().init(FakeMailetConfig.builder().mailetName("TransferEncode")
                .setProperty("onMailetException", "propagate").build());
        }

        @Test
        void getMailetInfoShouldDescribeTheMailet() {
            assertThat(mailet.getMailetInfo()).isEqualTo("TransferEncode: re-encodes as quoted-printable the text parts of a submission"
                + " whose lines exceed 998 octets or whose 8-bit data is declared 7bit (RFC 6409 8.4); conformant messages are left byte for byte");
        }
    }

    static Stream<Arguments> conformantMessages() {
        return Stream.of(
            Arguments.of("plain text", HEADER + crlf("", "Hello Bob,", "", "see you at 10.", "-- ", "Alice")),
            Arguments.of("8-bit text declared 8bit", HEADER + crlf("Content-Transfer-Encoding: 8bit", "", "Grüße aus Köln")),
            Arguments.of("a line of 998 octets", HEADER + crlf("", Strings.repeat("a", 998))),
            Arguments.of("a multipart with a base64 attachment", crlf(
                "From: Alice <alice@example.test>",
                "To: bob@example.test",
                "Subject: Report",
                "MIME-Version: 1.0",
                "Content-Type: multipart/mixed; boundary=\"------------7hQ2\"",
                "",
                "This is a multi-part message in MIME format.",
                "--------------7hQ2",
                "Content-Type: text/plain; charset=UTF-8; format=flowed",
                "Content-Transfer-Encoding: 7bit",
                "",
                "The report is attached. ",
                "",
                "--------------7hQ2",
                "Content-Type: application/pdf; name=\"report.pdf\"",
                "Content-Disposition: attachment; filename=\"report.pdf\"",
                "Content-Transfer-Encoding: base64",
                "",
                "JVBERi0xLjQKJcOkw7zDtsOfCjIgMCBvYmoKPDwvTGVuZ3RoIDMgMCBSL0ZpbHRlci9GbGF0ZURl",
                "Y29kZT4+CnN0cmVhbQp4nDPQM1Qo5ypUMFAw0DMwslAwtTTVMzI3VbAwMdSzUChKLMpMzVHIzCvJ",
                "--------------7hQ2--")));
    }

    @Nested
    class Submissions {
        @ParameterizedTest(name = "{0}")
        @MethodSource("org.msa4james.mailet.TransferEncodeTest#conformantMessages")
        void serviceShouldLeaveAConformantMessageUntouched(String description, String message) throws Exception {
            MimeMessageWrapper original = wrapper(message);
            jamesMail(original, SUBMISSION, USER);

            mailet.service(mail);

            assertThat(mail.getMessage()).isSameAs(original);
            assertThat(original.isModified()).isFalse();
            assertThat(written(mail)).isEqualTo(message);
        }

        @Test
        void serviceShouldReencode8bitTextDeclared7bit() throws Exception {
            jamesMail(wrapper(EIGHT_BIT_UNDECLARED), SUBMISSION, USER);

            mailet.service(mail);

            assertThat(written(mail)).isEqualTo(EIGHT_BIT_ENCODED);
        }

        @Test
        void serviceShouldKeepTheEnvelopeAndTheAttributes() throws Exception {
            jamesMail(wrapper(EIGHT_BIT_UNDECLARED), SUBMISSION, USER);

            mailet.service(mail);

            assertThat(mail.getName()).isEqualTo("mail-1");
            assertThat(mail.getMaybeSender().asString()).isEqualTo("alice@example.test");
            assertThat(mail.getRecipients()).containsExactly(new MailAddress("bob@example.test"));
            assertThat(mail.attributes()).containsExactlyInAnyOrder(OTHER, SUBMISSION, USER);
        }

        @Test
        void serviceShouldGiveJamesAMessageItStreamsWithoutCopy() throws Exception {
            jamesMail(wrapper(EIGHT_BIT_UNDECLARED), SUBMISSION);

            mailet.service(mail);

            MimeMessageWrapper replaced = (MimeMessageWrapper) mail.getMessage();
            assertThat(replaced.getSourceId()).startsWith("TransferEncode-");
            assertThat(replaced.isModified()).isFalse();
            assertThat(replaced.getMessageSize()).isEqualTo(EIGHT_BIT_ENCODED.length());
        }

        @Test
        void serviceShouldKeepTheHeaderChangesOfEarlierMailets() throws Exception {
            MimeMessageWrapper original = wrapper(EIGHT_BIT_UNDECLARED);
            original.setHeader("Subject", "Completed");
            jamesMail(original, SUBMISSION);

            mailet.service(mail);

            // JavaMail's setHeader fills its "Subject" placeholder, which James then writes first: the header is taken
            // exactly as James holds it after the earlier mailets
            assertThat(written(mail)).isEqualTo(crlf("Subject: Completed")
                + EIGHT_BIT_ENCODED.replace("Subject: Greetings\r\n", ""));
        }

        @Test
        void serviceShouldReencodeAPlainMimeMessage() throws Exception {
            MimeMessage plain = new MimeMessage(Session.getInstance(new Properties()),
                new ByteArrayInputStream(EIGHT_BIT_UNDECLARED.getBytes(StandardCharsets.UTF_8)));
            FakeMail fakeMail = FakeMail.builder().name("mail-2").mimeMessage(plain).attribute(SUBMISSION).build();

            mailet.service(fakeMail);

            assertThat(written(fakeMail)).isEqualTo(EIGHT_BIT_ENCODED);
        }

        @Test
        void serviceShouldThrowWhenTheMessageCannotBeRead() throws Exception {
            MimeMessageWrapper unreadable = new MimeMessageWrapper(new MimeMessageSource() {
                @Override
                public String getSourceId() {
                    return "unreadable";
                }

                @Override
                public InputStream getInputStream() throws IOException {
                    throw new IOException("disk gone");
                }
            });
            jamesMail(unreadable, SUBMISSION);

            assertThatThrownBy(() -> mailet.service(mail))
                .isInstanceOf(MessagingException.class);
            assertThat(mail.getMessage()).isSameAs(unreadable);
        }
    }

    @Nested
    class OtherMail {
        @Test
        void serviceShouldLeaveMailThatIsNotASubmissionUntouched() throws Exception {
            String message = HEADER + crlf("", Strings.repeat("ü", 1000));
            MimeMessageWrapper original = wrapper(message);
            jamesMail(original);

            mailet.service(mail);

            assertThat(mail.getMessage()).isSameAs(original);
            assertThat(written(mail)).isEqualTo(message);
        }
    }

    @Nested
    class LargeMessages {
        private static final long SIZE = 20L * 1024 * 1024;
        private static final String LINE = "the quick brown fox jumps over the lazy dog, line ";

        /** A generated text/plain message of about 20 MiB; its SHA-256 is known once it has been read. */
        private InputStream generated(String header, String lastLine, MessageDigest digest) {
            Enumeration<InputStream> lines = new Enumeration<>() {
                private long produced;
                private int number;
                private boolean headerDone;
                private boolean lastDone;

                @Override
                public boolean hasMoreElements() {
                    return !lastDone;
                }

                @Override
                public InputStream nextElement() {
                    String text;
                    if (!headerDone) {
                        headerDone = true;
                        text = header;
                    } else if (produced < SIZE) {
                        text = LINE + (++number) + "\r\n";
                    } else {
                        lastDone = true;
                        text = lastLine;
                    }
                    produced += text.length();
                    return new ByteArrayInputStream(text.getBytes(StandardCharsets.US_ASCII));
                }
            };
            return new DigestInputStream(new SequenceInputStream(lines), digest);
        }

        private byte[] sha256(InputStream in) throws Exception {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            try (InputStream stream = new DigestInputStream(in, digest)) {
                stream.transferTo(OutputStream.nullOutputStream());
            }
            return digest.digest();
        }

        private byte[] writtenSha256(Mail mail) throws Exception {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            mail.getMessage().writeTo(new DigestOutputStream(OutputStream.nullOutputStream(), digest));
            return digest.digest();
        }

        @Test
        void serviceShouldReadAConformant20MiBMessageOnceAndChangeNothing() throws Exception {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            CountingSource source = new CountingSource(source(generated(HEADER + "\r\n", "end\r\n", digest)));
            byte[] originalSha256 = digest.digest();
            ObservedMessage original = new ObservedMessage(source);
            jamesMail(original, SUBMISSION);

            mailet.service(mail);

            assertThat(source.getMessageSize()).isGreaterThan(SIZE);
            assertThat(source.read()).isEqualTo(source.getMessageSize());
            assertThat(original.loads).isZero();
            assertThat(original.isModified()).isFalse();
            assertThat(mail.getMessage()).isSameAs(original);
            assertThat(writtenSha256(mail)).isEqualTo(originalSha256);
        }

        @Test
        void serviceShouldRewriteANonConformant20MiBMessageInTwoPasses() throws Exception {
            String longLine = Strings.repeat("y", 2000) + "\r\n";
            CountingSource source = new CountingSource(source(generated(HEADER + "\r\n", longLine, MessageDigest.getInstance("SHA-256"))));
            long size = source.getMessageSize();
            ObservedMessage original = new ObservedMessage(source);
            jamesMail(original, SUBMISSION);

            mailet.service(mail);

            String encodedLongLine = Strings.repeat(Strings.repeat("y", 75) + "=\r\n", 26) + Strings.repeat("y", 50) + "\r\n";
            byte[] expectedSha256 = sha256(generated(HEADER + "Content-Transfer-Encoding: quoted-printable\r\n\r\n", encodedLongLine,
                MessageDigest.getInstance("SHA-256")));
            assertThat(size).isGreaterThan(SIZE);
            assertThat(source.read()).isEqualTo(2 * size);
            assertThat(original.loads).isZero();
            assertThat(writtenSha256(mail)).isEqualTo(expectedSha256);
        }
    }

    /** James's message, counting how often it is parsed whole. */
    private static final class ObservedMessage extends MimeMessageWrapper {
        private int loads;

        ObservedMessage(MimeMessageSource source) {
            super(source);
        }

        @Override
        public void loadMessage() throws MessagingException {
            loads++;
            super.loadMessage();
        }
    }

    /** A message source counting the octets read from it. */
    private static final class CountingSource implements MimeMessageSource, Disposable {
        private final MimeMessageInputStreamSource delegate;
        private final AtomicLong read = new AtomicLong();

        CountingSource(MimeMessageInputStreamSource delegate) {
            this.delegate = delegate;
        }

        long read() {
            return read.get();
        }

        @Override
        public String getSourceId() {
            return delegate.getSourceId();
        }

        @Override
        public InputStream getInputStream() throws IOException {
            return new FilterInputStream(delegate.getInputStream()) {
                @Override
                public int read() throws IOException {
                    int b = super.read();
                    if (b >= 0) {
                        read.incrementAndGet();
                    }
                    return b;
                }

                @Override
                public int read(byte[] buffer, int offset, int length) throws IOException {
                    int count = super.read(buffer, offset, length);
                    if (count > 0) {
                        read.addAndGet(count);
                    }
                    return count;
                }
            };
        }

        @Override
        public long getMessageSize() {
            return delegate.getMessageSize();
        }

        @Override
        public void dispose() {
            delegate.dispose();
        }
    }
}
