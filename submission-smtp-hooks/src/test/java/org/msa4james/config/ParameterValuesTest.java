package org.msa4james.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ParameterValuesTest {

    @ParameterizedTest
    @CsvSource({"true, true", "TRUE, true", "False, false", "' false ', false"})
    void parseBooleanShouldReadTrueAndFalseInAnyCase(String value, boolean expected) {
        assertThat(ParameterValues.parseBoolean(value)).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"yes", "1", "on", ""})
    void parseBooleanShouldRefuseAnythingElse(String value) {
        assertThatThrownBy(() -> ParameterValues.parseBoolean(value))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("must be true or false, not '" + value + "'");
    }

    @ParameterizedTest
    @CsvSource({"1, 1", "100, 100", "' 7 ', 7", "2147483647, 2147483647"})
    void parsePositiveIntShouldReadPositiveIntegers(String value, int expected) {
        assertThat(ParameterValues.parsePositiveInt(value)).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "-5", "ten", "1.5", "2147483648", ""})
    void parsePositiveIntShouldRefuseAnythingElse(String value) {
        assertThatThrownBy(() -> ParameterValues.parsePositiveInt(value))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("must be a positive integer, not '" + value + "'");
    }
}
