package org.msa4james.mailet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;

import org.junit.jupiter.api.Test;

/** The trap must spring, or the tests that rely on it prove nothing. */
class BodyTrapMessageTest {

    @Test
    void headerWorkShouldNotTripTheTrap() throws Exception {
        // JavaMail puts a field set anew where its kind belongs in its list of usual fields, above the fields read
        // from the source; addHeaderLine appends at the end.
        BodyTrapMessage trap = BodyTrapMessage.withHeader("From: alice@example.test", "Subject: folded\r\n subject");

        trap.message().setHeader("X-Added", "1");
        trap.message().addHeaderLine("X-Appended: 2");
        trap.message().removeHeader("Subject");

        assertThat(trap.message().getHeader("From")).containsExactly("alice@example.test");
        assertThat(trap.headerLines()).containsExactly("X-Added: 1", "From: alice@example.test", "X-Appended: 2");
        assertThat(trap.bodyWasRead()).isFalse();
    }

    @Test
    void readingTheContentShouldTripTheTrap() {
        BodyTrapMessage trap = BodyTrapMessage.withHeader("From: alice@example.test");

        assertThatThrownBy(() -> trap.message().getContent()).isInstanceOf(AssertionError.class);
        assertThat(trap.bodyWasRead()).isTrue();
    }

    @Test
    void readingTheRawBodyShouldTripTheTrap() {
        BodyTrapMessage trap = BodyTrapMessage.withHeader("From: alice@example.test");

        assertThatThrownBy(() -> trap.message().getRawInputStream().read()).isInstanceOf(AssertionError.class);
        assertThat(trap.bodyWasRead()).isTrue();
    }

    @Test
    void writingTheMessageShouldTripTheTrap() {
        BodyTrapMessage trap = BodyTrapMessage.withHeader("From: alice@example.test");

        assertThatThrownBy(() -> trap.message().writeTo(new ByteArrayOutputStream())).isInstanceOf(AssertionError.class);
        assertThat(trap.bodyWasRead()).isTrue();
    }

    @Test
    void savingChangesShouldTripTheTrap() {
        BodyTrapMessage trap = BodyTrapMessage.withHeader("From: alice@example.test");

        assertThatThrownBy(() -> trap.message().saveChanges())
            .isInstanceOf(AssertionError.class)
            .hasMessage("saveChanges() was called: James saves the message itself when it stores it");
    }
}
