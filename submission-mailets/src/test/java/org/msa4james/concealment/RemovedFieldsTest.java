package org.msa4james.concealment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RemovedFieldsTest {
    @Test
    void ofShouldDefaultToXOriginatingIp() {
        assertThat(RemovedFields.of(List.of()).names()).containsExactly("X-Originating-IP");
    }

    @Test
    void ofShouldRemoveNothingForNone() {
        assertThat(RemovedFields.of(List.of("NONE")).isEmpty()).isTrue();
    }

    @Test
    void ofShouldKeepTheConfiguredNamesInOrderWithoutDuplicates() {
        assertThat(RemovedFields.of(List.of("X-Originating-IP", "User-Agent", "X-Mailer", "user-agent")).names())
            .containsExactly("X-Originating-IP", "User-Agent", "X-Mailer");
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', value = {
        "From        | 'From' may not be removed (every message must have it)",
        "date        | 'date' may not be removed (every message must have it)",
        "Received    | 'Received' may not be removed (a trace field)",
        "RETURN-PATH | 'RETURN-PATH' may not be removed (a trace field)",
        "X-Mailer:   | 'X-Mailer:' is not a header field name",
        "X-Maïler    | 'X-Maïler' is not a header field name",
        "none        | 'none' must stand alone",
    })
    void ofShouldRefuseNamesThatCannotOrMayNotBeRemoved(String name, String problem) {
        assertThatThrownBy(() -> RemovedFields.of(List.of("User-Agent", name)))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage(problem);
    }
}
