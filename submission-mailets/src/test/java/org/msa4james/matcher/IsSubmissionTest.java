package org.msa4james.matcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import javax.mail.MessagingException;

import org.apache.james.core.MailAddress;
import org.apache.mailet.Attribute;
import org.apache.mailet.AttributeValue;
import org.apache.mailet.base.test.FakeMail;
import org.apache.mailet.base.test.FakeMatcherConfig;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.msa4james.submission.SubmissionAttributes;

class IsSubmissionTest {
    private IsSubmission matcher;
    private MailAddress carol;
    private MailAddress bob;

    @BeforeEach
    void setUp() throws Exception {
        matcher = new IsSubmission();
        matcher.init(FakeMatcherConfig.builder().matcherName("IsSubmission").build());
        carol = new MailAddress("carol@example.com");
        bob = new MailAddress("bob@example.test");
    }

    @Test
    void matchShouldReturnEveryRecipientOfASubmission() throws Exception {
        FakeMail mail = FakeMail.builder().name("m1").recipients(carol, bob)
            .attribute(new Attribute(SubmissionAttributes.LISTENER, AttributeValue.of("submission")))
            .build();

        assertThat(matcher.match(mail)).containsExactly(carol, bob);
    }

    @Test
    void matchShouldReturnNoRecipientForMailWithoutTheMark() throws Exception {
        FakeMail mail = FakeMail.builder().name("m1").recipients(carol, bob)
            .attribute(Attribute.convertToAttribute("org.apache.james.SMTPAuthUser", "alice@example.test"))
            .build();

        assertThat(matcher.match(mail)).isEmpty();
    }

    @Test
    void initShouldRejectACondition() {
        assertThatThrownBy(() -> new IsSubmission().init(FakeMatcherConfig.builder().matcherName("IsSubmission").condition("submissions").build()))
            .isInstanceOf(MessagingException.class)
            .hasMessage("org.msa4james.matcher.IsSubmission takes no condition, got 'submissions'");
    }
}
