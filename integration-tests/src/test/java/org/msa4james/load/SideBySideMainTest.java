package org.msa4james.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;

/** The benchmark's options and variant names (nothing is started here). */
class SideBySideMainTest {

    @Test
    void byDefaultEveryJamesVariantRunsAndNoPostfix() {
        SideBySideMain.Options options = SideBySideMain.Options.parse(new String[0]);

        assertThat(options.variants).containsExactlyElementsOf(SideBySideMain.ALL);
        assertThat(options.variants).noneMatch(variant -> variant instanceof PostfixVariant);
    }

    @Test
    void thePostfixVariantsAreNamedLikeTheOthers() {
        SideBySideMain.Options options = SideBySideMain.Options.parse(new String[] {
            "--variants", "msa4james, postfix-disk,postfix-tmpfs,msa4james-memory,postfix-disk", "--rounds", "1",
            "--warm-up-rounds", "1", "--no-heap"});

        assertThat(options.variants).containsExactly(JamesVariant.MSA4JAMES, PostfixVariant.DISK, PostfixVariant.TMPFS,
            JamesVariant.MSA4JAMES_MEMORY);
        assertThat(options.rounds).isEqualTo(1);
        assertThat(options.warmUpRounds).isEqualTo(1);
        assertThat(options.heapRepeats).isZero();
    }

    @Test
    void anUnknownVariantIsRefusedWithEveryName() {
        assertThatThrownBy(() -> SideBySideMain.Options.parse(new String[] {"--variants", "postfix"}))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("unknown variant 'postfix'")
            .hasMessageContaining("msa4james-memory")
            .hasMessageContaining("plain")
            .hasMessageContaining("postfix-disk, postfix-tmpfs");
    }

    @Test
    void aVariantIsFoundByItsName() {
        assertThat(SideBySideMain.variantByName("postfix-tmpfs")).isSameAs(PostfixVariant.TMPFS);
        assertThat(SideBySideMain.variantByName("plain")).isSameAs(JamesVariant.PLAIN);
    }

    @Test
    void theRoundOrderTurnsForAnyKindOfVariant() {
        List<BenchmarkVariant> variants = List.of(JamesVariant.MSA4JAMES, JamesVariant.MSA4JAMES_MEMORY, PostfixVariant.DISK,
            PostfixVariant.TMPFS);

        assertThat(SideBySideMain.roundOrder(variants, 0)).containsExactlyElementsOf(variants);
        assertThat(SideBySideMain.roundOrder(variants, 1)).containsExactly(PostfixVariant.TMPFS, PostfixVariant.DISK,
            JamesVariant.MSA4JAMES_MEMORY, JamesVariant.MSA4JAMES);
        assertThat(SideBySideMain.roundOrder(variants, 2)).containsExactly(JamesVariant.MSA4JAMES_MEMORY, PostfixVariant.DISK,
            PostfixVariant.TMPFS, JamesVariant.MSA4JAMES);
    }
}
