package org.msa4james.mailet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Stream;

import javax.activation.DataHandler;
import javax.mail.MessagingException;

import org.apache.james.server.core.MimeMessageSource;
import org.apache.james.server.core.MimeMessageWrapper;
import org.apache.mailet.Attribute;
import org.apache.mailet.AttributeValue;
import org.apache.mailet.base.test.FakeMail;
import org.apache.mailet.base.test.FakeMailetConfig;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.msa4james.submission.SubmissionAttributes;

class QualifyAddressesTest {
    private static final String EXPANSIONS = "sales=sales.example.test, eng=eng.example.test";
    private static final String TRACE = "Received: from mua.example.test ([192.0.2.5])\r\n\tby msa.example.test with ESMTPSA; Sat, 28 Nov 2026 10:00:01 +0000";
    private static final String SUBJECT = "Subject: Quarterly report";
    private static final String BODY = "\r\nHello,\r\nthe numbers for bob@sales are attached.\r\n";

    private QualifyAddresses mailet;

    @BeforeEach
    void setUp() throws Exception {
        mailet = new QualifyAddresses();
        mailet.init(config(EXPANSIONS));
    }

    static Stream<Arguments> addressFields() {
        return Stream.of(
            row("bare single label in To",
                "To: bob@sales",
                "To: bob@sales.example.test"),
            row("single labels in Cc among a qualified address",
                "Cc: carol@eng, dave@example.com",
                "Cc: carol@eng.example.test, dave@example.com"),
            row("label in upper case",
                "To: BOB@Sales",
                "To: BOB@sales.example.test"),
            row("display name and angle brackets",
                "To: Bob Smith <bob@sales>",
                "To: Bob Smith <bob@sales.example.test>"),
            row("quoted display name that looks like an address",
                "To: \"bob@sales\" <bob@sales>",
                "To: \"bob@sales\" <bob@sales.example.test>"),
            row("RFC 2047 encoded-word display name",
                "To: =?UTF-8?Q?B=C3=B6b_M=C3=BCller?= <bob@sales>, =?ISO-8859-1?B?Q2Fyb2zo?= <carol@eng>",
                "To: =?UTF-8?Q?B=C3=B6b_M=C3=BCller?= <bob@sales.example.test>, =?ISO-8859-1?B?Q2Fyb2zo?= <carol@eng.example.test>"),
            row("group with members",
                "To: Sales team: bob@sales, Carol <carol@sales>;",
                "To: Sales team: bob@sales.example.test, Carol <carol@sales.example.test>;"),
            row("group and a mailbox after it",
                "Cc: undisclosed-recipients:;, ops@eng",
                "Cc: undisclosed-recipients:;, ops@eng.example.test"),
            row("comments around and inside the address",
                "From: alice@eng (Alice, engineering)",
                "From: alice@eng.example.test (Alice, engineering)"),
            row("comment between the @ and the domain",
                "Reply-To: alice@(desk)eng",
                "Reply-To: alice@(desk)eng.example.test"),
            row("folded multi-line To",
                "To: Bob <bob@sales>,\r\n  Carol <carol@eng>,\r\n\tdave@example.com",
                "To: Bob <bob@sales>,\r\n  Carol <carol@eng>,\r\n\tdave@example.com"
                    .replace("bob@sales", "bob@sales.example.test").replace("carol@eng", "carol@eng.example.test")),
            row("folded right after the colon",
                "Cc:\r\n bob@sales",
                "Cc:\r\n bob@sales.example.test"),
            row("no space after the colon",
                "To:bob@sales",
                "To:bob@sales.example.test"),
            row("Bcc",
                "Bcc: boss@sales",
                "Bcc: boss@sales.example.test"),
            row("Sender",
                "Sender: Secretary <secretary@sales>",
                "Sender: Secretary <secretary@sales.example.test>"),
            row("Resent-To",
                "Resent-To: bob@sales",
                "Resent-To: bob@sales.example.test"),
            row("field name in lower case keeps its case",
                "cc: bob@sales",
                "cc: bob@sales.example.test"),
            row("quoted local part",
                "To: \"bob smith\"@sales",
                "To: \"bob smith\"@sales.example.test"));
    }

    private static Arguments row(String description, String field, String expected) {
        return Arguments.of(description, field, expected);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("addressFields")
    void serviceShouldExpandSingleLabelDomainsAndKeepEverythingElse(String description, String field, String expected) throws Exception {
        RecordingMessage message = message(TRACE, "From: alice@example.test", field, SUBJECT);

        mailet.service(submission(message));

        assertThat(header(message)).isEqualTo(String.join("\r\n", TRACE, "From: alice@example.test", expected, SUBJECT));
    }

    @Nested
    class Untouched {
        @Test
        void serviceShouldNotWriteTheHeaderWhenNoDomainNeedsExpanding() throws Exception {
            RecordingMessage message = message(TRACE, "From: Alice <alice@example.test>",
                "To: bob@sales.example.test, carol@example.com, ops@[192.0.2.1]", "Cc: dave@marketing", "Bcc: x@squeaky.sales", SUBJECT);

            mailet.service(submission(message));

            assertThat(message.writes).isEmpty();
            assertThat(message.isModified()).isFalse();
        }

        @Test
        void serviceShouldLeaveAFieldItCannotParse() throws Exception {
            RecordingMessage message = message("From: alice@example.test", "To: bob@sales; carol@sales", "Cc: Carol <carol@eng", SUBJECT);

            mailet.service(submission(message));

            assertThat(message.writes).isEmpty();
        }

        @Test
        void serviceShouldExpandTheOtherFieldsWhenOneCannotBeParsed() throws Exception {
            RecordingMessage message = message("From: alice@example.test", "To: bob@sales; carol@sales", "Cc: carol@eng", SUBJECT);

            mailet.service(submission(message));

            assertThat(header(message)).isEqualTo(String.join("\r\n",
                "From: alice@example.test", "To: bob@sales; carol@sales", "Cc: carol@eng.example.test", SUBJECT));
        }

        @Test
        void serviceShouldLeaveFieldsThatAreNotAddressFields() throws Exception {
            RecordingMessage message = message("From: alice@example.test", "X-Original-To: bob@sales", "Subject: mail for bob@sales");

            mailet.service(submission(message));

            assertThat(message.writes).isEmpty();
        }

        @Test
        void serviceShouldLeaveMailThatIsNotASubmission() throws Exception {
            RecordingMessage message = message(TRACE, "From: carol@example.com", "To: bob@sales", SUBJECT);

            mailet.service(FakeMail.builder().name("relayed").mimeMessage(message).build());

            assertThat(message.writes).isEmpty();
            assertThat(header(message)).isEqualTo(String.join("\r\n", TRACE, "From: carol@example.com", "To: bob@sales", SUBJECT));
        }

        @Test
        void serviceShouldDoNothingWithoutExpansions() throws Exception {
            QualifyAddresses unconfigured = new QualifyAddresses();
            unconfigured.init(FakeMailetConfig.builder().mailetName("QualifyAddresses").build());
            RecordingMessage message = message("From: alice@example.test", "To: bob@sales", SUBJECT);

            unconfigured.service(submission(message));

            assertThat(message.writes).isEmpty();
            assertThat(message.headerReads).isZero();
        }
    }

    @Nested
    class Placement {
        @Test
        void serviceShouldReplaceEachChangedFieldWhereItStands() throws Exception {
            RecordingMessage message = message(TRACE, "From: alice@eng", "To: bob@sales", SUBJECT, "Cc: carol@example.com");

            mailet.service(submission(message));

            assertThat(header(message)).isEqualTo(String.join("\r\n",
                TRACE, "From: alice@eng.example.test", "To: bob@sales.example.test", SUBJECT, "Cc: carol@example.com"));
            assertThat(message.writes).containsExactly(
                "removeHeader Received", "removeHeader From", "removeHeader To", "removeHeader Subject", "removeHeader Cc",
                "addHeaderLine", "addHeaderLine", "addHeaderLine", "addHeaderLine", "addHeaderLine");
        }

        @Test
        void serviceShouldKeepEveryResentBlockInItsPlace() throws Exception {
            RecordingMessage message = message(
                "Resent-From: alice@example.test", "Resent-To: bob@sales", "Resent-Date: Sat, 28 Nov 2026 10:00:00 +0000",
                TRACE,
                "Resent-From: carol@example.com", "Resent-To: alice@example.test", "Resent-Date: Fri, 27 Nov 2026 09:00:00 +0000",
                "From: dave@example.com", "To: carol@example.com", SUBJECT);

            mailet.service(submission(message));

            assertThat(header(message)).isEqualTo(String.join("\r\n",
                "Resent-From: alice@example.test", "Resent-To: bob@sales.example.test", "Resent-Date: Sat, 28 Nov 2026 10:00:00 +0000",
                TRACE,
                "Resent-From: carol@example.com", "Resent-To: alice@example.test", "Resent-Date: Fri, 27 Nov 2026 09:00:00 +0000",
                "From: dave@example.com", "To: carol@example.com", SUBJECT));
        }

        @Test
        void serviceShouldKeepBothToFieldsWhenTheSecondChanges() throws Exception {
            RecordingMessage message = message("From: alice@example.test", "To: carol@example.com", SUBJECT, "To:  bob@sales");

            mailet.service(submission(message));

            assertThat(header(message)).isEqualTo(String.join("\r\n",
                "From: alice@example.test", "To: carol@example.com", SUBJECT, "To:  bob@sales.example.test"));
        }
    }

    @Nested
    class Parameters {
        @Test
        void initShouldRejectAnUnknownParameter() {
            assertThatThrownBy(() -> new QualifyAddresses().init(FakeMailetConfig.builder()
                    .mailetName("QualifyAddresses").setProperty("expansions", "sales=sales.example.test").build()))
                .isInstanceOf(MessagingException.class)
                .hasMessage("Mailet org.msa4james.mailet.QualifyAddresses: parameter 'expansions' is not a parameter of this mailet; "
                    + "known parameters: domainExpansions");
        }

        @Test
        void initShouldRejectAnExpansionToASingleLabel() {
            assertThatThrownBy(() -> new QualifyAddresses().init(config("sales=sales")))
                .isInstanceOf(MessagingException.class)
                .hasMessage("Mailet org.msa4james.mailet.QualifyAddresses: parameter 'domainExpansions' is invalid: "
                    + "'sales' in 'sales=sales' is not a domain name of several labels");
        }

        @Test
        void initShouldRejectAnEntryWithoutEqualsSign() {
            assertThatThrownBy(() -> new QualifyAddresses().init(config("sales.example.test")))
                .isInstanceOf(MessagingException.class)
                .hasMessage("Mailet org.msa4james.mailet.QualifyAddresses: parameter 'domainExpansions' is invalid: "
                    + "'sales.example.test' is not of the form label=domain");
        }

        @Test
        void initShouldAcceptAnEmptyValue() throws Exception {
            QualifyAddresses empty = new QualifyAddresses();
            empty.init(config(""));
            RecordingMessage message = message("From: alice@example.test", "To: bob@sales");

            empty.service(submission(message));

            assertThat(message.writes).isEmpty();
        }

        @Test
        void mailetInfoShouldNameTheRule() {
            assertThat(mailet.getMailetInfo())
                .isEqualTo("QualifyAddresses: expands single-label domains in the address header fields of submissions (RFC 6409 section 4.2)");
        }
    }

    // ------------------------------------------------------------------------------------------------ helpers

    private static FakeMailetConfig config(String expansions) {
        return FakeMailetConfig.builder()
            .mailetName("QualifyAddresses")
            .setProperty(QualifyAddresses.DOMAIN_EXPANSIONS, expansions)
            .build();
    }

    private static FakeMail submission(RecordingMessage message) throws MessagingException {
        return FakeMail.builder()
            .name("submitted")
            .mimeMessage(message)
            .attribute(new Attribute(SubmissionAttributes.LISTENER, AttributeValue.of("submission")))
            .attribute(new Attribute(SubmissionAttributes.USER, AttributeValue.of("alice@example.test")))
            .build();
    }

    private static String header(RecordingMessage message) throws MessagingException {
        return String.join("\r\n", Collections.list(message.getAllHeaderLines()));
    }

    /** A message as James holds it (MimeMessageWrapper over the received bytes), header lines joined by CRLF. */
    private static RecordingMessage message(String... headerLines) {
        byte[] bytes = (String.join("\r\n", headerLines) + "\r\n" + BODY).getBytes(StandardCharsets.US_ASCII);
        return new RecordingMessage(new MimeMessageSource() {
            @Override
            public String getSourceId() {
                return "received";
            }

            @Override
            public InputStream getInputStream() {
                return new ByteArrayInputStream(bytes);
            }

            @Override
            public long getMessageSize() {
                return bytes.length;
            }
        });
    }

    /** Records every header write, and fails the test on any access to the body. */
    private static final class RecordingMessage extends MimeMessageWrapper {
        final List<String> writes = new ArrayList<>();
        int headerReads;

        RecordingMessage(MimeMessageSource source) {
            super(source);
        }

        @Override
        public java.util.Enumeration<String> getAllHeaderLines() throws MessagingException {
            headerReads++;
            return super.getAllHeaderLines();
        }

        @Override
        public void setHeader(String name, String value) throws MessagingException {
            writes.add("setHeader " + name);
            super.setHeader(name, value);
        }

        @Override
        public void addHeader(String name, String value) throws MessagingException {
            writes.add("addHeader " + name);
            super.addHeader(name, value);
        }

        @Override
        public void removeHeader(String name) throws MessagingException {
            writes.add("removeHeader " + name);
            super.removeHeader(name);
        }

        @Override
        public void addHeaderLine(String line) throws MessagingException {
            writes.add("addHeaderLine");
            super.addHeaderLine(line);
        }

        @Override
        public Object getContent() {
            throw new AssertionError("a header-only mailet read the content");
        }

        @Override
        public InputStream getInputStream() {
            throw new AssertionError("a header-only mailet read the body");
        }

        @Override
        public InputStream getRawInputStream() {
            throw new AssertionError("a header-only mailet read the raw body");
        }

        @Override
        public DataHandler getDataHandler() {
            throw new AssertionError("a header-only mailet read the data handler");
        }

        @Override
        public void writeTo(OutputStream out, String[] ignoreList) {
            throw new AssertionError("a header-only mailet wrote the message");
        }

        @Override
        public void saveChanges() {
            throw new AssertionError("a header-only mailet saved the message");
        }
    }
}
