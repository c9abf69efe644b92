package org.msa4james.server;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** Where the server keeps users, domains, mailboxes and queued mail: the value of {@code msa.storage} (MSA_STORAGE). */
public enum Storage {
    /** JPA on embedded Derby, directory mail queues, files: everything under the data directory survives a crash. */
    PERSISTENT("persistent"),
    /** James's memory server: everything but the mail repositories lives in the heap and is lost at a restart. */
    MEMORY("memory");

    private final String value;

    Storage(String value) {
        this.value = value;
    }

    public String value() {
        return value;
    }

    /** The storage named {@code value} (case-insensitive); a message naming {@code setting} otherwise. */
    public static Storage parse(String setting, String value) {
        String wanted = value.trim().toLowerCase(Locale.ROOT);
        return Arrays.stream(values())
            .filter(storage -> storage.value.equals(wanted))
            .findFirst()
            .orElseThrow(() -> new IllegalArgumentException(setting + " must be "
                + Arrays.stream(values()).map(Storage::value).collect(Collectors.joining(" or ")) + ", not '" + value + "'"));
    }
}
