package org.msa4james.report;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class StatusCodesTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "550 5.1.1 <carol@example.com>: no such user|5.1.1",
        "451 4.3.0 Try again later|4.3.0",
        "250 2.6.0 Message accepted|2.6.0",
        "554 5.7.1|5.7.1"})
    void theEnhancedCodeOfAReplyShouldBeFound(String reply, String status) {
        assertThat(StatusCodes.enhancedCode(reply)).contains(status);
        assertThat(StatusCodes.ofReply(reply)).contains(status);
    }

    @Test
    void theEnhancedCodeOfAMultilineReplyShouldBeThatOfItsFirstLine() {
        assertThat(StatusCodes.ofReply("552-5.2.2 Mailbox full\r\n552 5.2.2 Try later")).contains("5.2.2");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "550 No such user here|5.0.0",
        "451 Try again|4.0.0",
        "550 4.2.0 mismatched class|5.0.0",
        "250 OK|2.0.0",
        "421|4.0.0"})
    void aReplyWithoutAnEnhancedCodeOfItsClassShouldGiveItsClass(String reply, String status) {
        assertThat(StatusCodes.enhancedCode(reply)).isEmpty();
        assertThat(StatusCodes.ofReply(reply)).contains(status);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "hello", "5.1.1 no code", "999 x", "55 short"})
    void textThatIsNoReplyShouldGiveNothing(String text) {
        assertThat(StatusCodes.ofReply(text)).isEmpty();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "5.1.1|the mailbox does not exist",
        "5.2.2|the mailbox is full",
        "4.2.2|the mailbox is full",
        "4.4.7|delivery has taken too long",
        "4.4.1|the receiving mail server did not answer",
        "5.7.1|delivery to this recipient is not authorised",
        "5.7.26|the receiving mail server refused the message for a security or policy reason",
        "4.3.0|the receiving mail system has a problem",
        "5.9.9|the mail system reported a problem",
        "2.0.0|the message was accepted",
        "nonsense|the mail system reported a problem"})
    void aStatusShouldBeDescribedInPlainWords(String status, String meaning) {
        assertThat(StatusCodes.describe(status)).isEqualTo(meaning);
    }

    @Test
    void onlyRfc3463CodesShouldBeValid() {
        assertThat(StatusCodes.isValid("5.1.1")).isTrue();
        assertThat(StatusCodes.isValid("4.999.999")).isTrue();
        assertThat(StatusCodes.isValid("3.1.1")).isFalse();
        assertThat(StatusCodes.isValid("5.1")).isFalse();
        assertThat(StatusCodes.isValid("5.1.1000")).isFalse();
        assertThat(StatusCodes.isValid(null)).isFalse();
    }
}
