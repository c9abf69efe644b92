package org.msa4james.load;

/**
 * What {@code --variants} names: a {@link JamesVariant} (a James from the assembled home) or a {@link PostfixVariant}
 * (Debian's Postfix with OpenDKIM). Enum constants, so that they can be map keys and compared with ==.
 */
interface BenchmarkVariant {

    /** The name printed in reports and given to {@code --variants}. */
    String variantName();

    String description();
}
