package org.msa4james.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ByteSizeTest {
    @Nested
    class Parse {
        @Test
        void parseShouldReadPlainBytesAndEveryUnit() {
            assertThat(ByteSize.parse("0")).isZero();
            assertThat(ByteSize.parse("512")).isEqualTo(512);
            assertThat(ByteSize.parse("512B")).isEqualTo(512);
            assertThat(ByteSize.parse("3KiB")).isEqualTo(3 * 1024);
            assertThat(ByteSize.parse("128MiB")).isEqualTo(128L * 1024 * 1024);
            assertThat(ByteSize.parse("2GiB")).isEqualTo(2L * 1024 * 1024 * 1024);
            assertThat(ByteSize.parse("1TiB")).isEqualTo(1L << 40);
        }

        @Test
        void parseShouldIgnoreCaseAndSpacesAroundTheValue() {
            assertThat(ByteSize.parse(" 64mib ")).isEqualTo(64L << 20);
            assertThat(ByteSize.parse("64 MiB")).isEqualTo(64L << 20);
        }

        @ParameterizedTest
        @ValueSource(strings = {"", "MiB", "-1MiB", "1.5GiB", "12MB", "1 M", "ten", "1234567890123"})
        void parseShouldRefuseWhatIsNotASize(String value) {
            assertThatThrownBy(() -> ByteSize.parse(value))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("must be a size such as 128MiB or 1GiB, not '" + value + "'");
        }

        @Test
        void parseShouldRefuseASizeBeyondALong() {
            assertThatThrownBy(() -> ByteSize.parse("999999999999TiB")).isInstanceOf(ArithmeticException.class);
        }
    }

    @Test
    void formatShouldRoundDownToTheLargestWholeUnit() {
        assertThat(ByteSize.format(0)).isEqualTo("0 bytes");
        assertThat(ByteSize.format(1023)).isEqualTo("1023 bytes");
        assertThat(ByteSize.format(1024)).isEqualTo("1 KiB");
        assertThat(ByteSize.format((117L << 20) + 1000)).isEqualTo("117 MiB");
        assertThat(ByteSize.format(5L << 30)).isEqualTo("5 GiB");
    }
}
