package org.msa4james.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class StorageTest {
    @Test
    void parseShouldReadBothStoragesWhateverTheCase() {
        assertThat(Storage.parse("MSA_STORAGE", "persistent")).isEqualTo(Storage.PERSISTENT);
        assertThat(Storage.parse("MSA_STORAGE", " Memory ")).isEqualTo(Storage.MEMORY);
    }

    @Test
    void parseShouldNameTheSettingAndTheChoices() {
        assertThatThrownBy(() -> Storage.parse("msa.storage (MSA_STORAGE)", "disk"))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("msa.storage (MSA_STORAGE) must be persistent or memory, not 'disk'");
    }
}
