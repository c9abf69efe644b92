package org.msa4james.abuse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import org.junit.jupiter.api.Test;

class SendingLimitsTest {
    private static final SendingLimits.Limit DEFAULT = new SendingLimits.Limit(500, 2000);

    @Test
    void parseOverridesShouldReadEveryEntry() {
        assertThat(SendingLimits.parseOverrides("alice@example.test=1000/5000, Bob@Example.test = 10 / 20 ,"))
            .containsExactlyInAnyOrderEntriesOf(Map.of(
                "alice@example.test", new SendingLimits.Limit(1000, 5000),
                "bob@example.test", new SendingLimits.Limit(10, 20)));
    }

    @Test
    void parseOverridesShouldAcceptNothing() {
        assertThat(SendingLimits.parseOverrides("")).isEmpty();
        assertThat(SendingLimits.parseOverrides(" , ")).isEmpty();
    }

    @Test
    void ofShouldFindAnOverrideWithoutCaseAndElseTheDefault() {
        SendingLimits limits = new SendingLimits(DEFAULT, SendingLimits.parseOverrides("alice@example.test=1/2"));

        assertThat(limits.of("ALICE@example.test")).isEqualTo(new SendingLimits.Limit(1, 2));
        assertThat(limits.of("bob@example.test")).isEqualTo(DEFAULT);
    }

    @Test
    void parseOverridesShouldRefuseAnEntryWithoutLimits() {
        assertThatThrownBy(() -> SendingLimits.parseOverrides("alice@example.test=1000"))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("entry 'alice@example.test=1000' is not user=messages/recipients");
    }

    @Test
    void parseOverridesShouldRefuseAnEntryWithoutUser() {
        assertThatThrownBy(() -> SendingLimits.parseOverrides("=1/2"))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("entry '=1/2' is not user=messages/recipients");
    }

    @Test
    void parseOverridesShouldRefuseALimitThatIsNotPositive() {
        assertThatThrownBy(() -> SendingLimits.parseOverrides("alice@example.test=0/5"))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("entry 'alice@example.test=0/5' has '0' where a positive integer is expected");
    }

    @Test
    void parseOverridesShouldRefuseAUserNamedTwice() {
        assertThatThrownBy(() -> SendingLimits.parseOverrides("alice@example.test=1/5,ALICE@example.test=2/5"))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("entry 'ALICE@example.test=2/5' names a user twice");
    }
}
