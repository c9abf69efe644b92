package org.msa4james.abuse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DurationsTest {
    @Test
    void parseShouldReadEveryUnit() {
        assertThat(Durations.parse("30s")).isEqualTo(Duration.ofSeconds(30));
        assertThat(Durations.parse(" 10m ")).isEqualTo(Duration.ofMinutes(10));
        assertThat(Durations.parse("2h")).isEqualTo(Duration.ofHours(2));
        assertThat(Durations.parse("1d")).isEqualTo(Duration.ofDays(1));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "10", "m", "0m", "-1m", "10 m", "1.5h", "10M", "ten minutes"})
    void parseShouldRefuseWhatIsNotADuration(String value) {
        assertThatThrownBy(() -> Durations.parse(value))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("must be a duration such as 30s, 10m or 1h, not '" + value + "'");
    }

    @Test
    void parseShouldRefuseMoreThanOneDay() {
        assertThatThrownBy(() -> Durations.parse("25h"))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("must be at most 1d, not '25h'");
    }
}
