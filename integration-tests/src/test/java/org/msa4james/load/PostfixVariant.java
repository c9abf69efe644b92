package org.msa4james.load;

import java.util.Arrays;
import java.util.Optional;

/**
 * Debian's Postfix with OpenDKIM signing, as the benchmark's point of comparison: the same submission port role
 * (STARTTLS required, AUTH PLAIN over Cyrus SASL, relay for authenticated clients only), the same user, messages and
 * next hop as the James variants. Not in the default set of variants: name them with {@code --variants}.
 * See {@link PostfixProcess}.
 */
public enum PostfixVariant implements BenchmarkVariant {
    /** (pd) The queue on disk: Postfix as shipped, every accepted message fsync'ed before the 250. */
    DISK("postfix-disk", "Postfix 3.7 + OpenDKIM, queue on disk (Postfix's fsync'ed queue)", false),
    /** (pt) The queue on a tmpfs the benchmark mounts: no disk write, as msa4james on the memory server. */
    TMPFS("postfix-tmpfs", "Postfix 3.7 + OpenDKIM, queue on a tmpfs mounted by the benchmark", true);

    private final String variantName;
    private final String description;
    private final boolean queueOnTmpfs;

    PostfixVariant(String variantName, String description, boolean queueOnTmpfs) {
        this.variantName = variantName;
        this.description = description;
        this.queueOnTmpfs = queueOnTmpfs;
    }

    @Override
    public String variantName() {
        return variantName;
    }

    @Override
    public String description() {
        return description;
    }

    /** Whether the queue directory is a tmpfs mounted for the run. */
    boolean queueOnTmpfs() {
        return queueOnTmpfs;
    }

    static Optional<PostfixVariant> find(String name) {
        return Arrays.stream(values()).filter(variant -> variant.variantName.equals(name)).findFirst();
    }
}
