package org.msa4james.server;

import java.nio.file.Path;

/** A separate process that holds a data directory's lock until it is killed (DataDirectoryTest). */
public final class LockHolder {
    static final String LOCKED = "locked";

    private LockHolder() {
    }

    public static void main(String[] args) throws Exception {
        DataDirectory directory = DataDirectory.open(Path.of(args[0]), "test");
        System.out.println(LOCKED);
        System.out.flush();
        Thread.sleep(120_000);
        directory.close();
    }
}
