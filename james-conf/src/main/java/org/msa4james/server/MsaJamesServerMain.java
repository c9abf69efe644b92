package org.msa4james.server;

import java.nio.file.Path;

import org.apache.james.ExtraProperties;
import org.apache.james.GuiceJamesServer;
import org.apache.james.JamesServerMain;
import org.apache.james.server.core.configuration.Configuration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts James with the msa4james configuration of a James home: {@code java -Dworking.directory=<home>
 * -Dmsa.storage=persistent -Dmsa.data.dir=<dir> org.msa4james.server.MsaJamesServerMain}, as bin/msa4james does.
 * {@code msa.signatures} (MSA_SIGNATURES) says who computes RSA signatures, see {@link NativeSigning}.
 *
 * <p>{@code msa.storage} (MSA_STORAGE) chooses the server, {@code persistent} by default, {@code memory} for a
 * throwaway demo; {@code msa.data.dir} (MSA_DATA_DIR) is the data directory, {@code <home>/var} by default, opened and
 * locked before James starts (see {@link DataDirectory}). A setting or data directory that cannot be used stops the
 * process with exit status 1 and one message naming it.</p>
 */
public final class MsaJamesServerMain {
    private static final Logger LOGGER = LoggerFactory.getLogger(MsaJamesServerMain.class);
    public static final String STORAGE_PROPERTY = "msa.storage";
    public static final String DATA_DIRECTORY_PROPERTY = "msa.data.dir";

    private MsaJamesServerMain() {
    }

    public static void main(String[] args) throws Exception {
        ExtraProperties.initialize();
        String home = System.getProperty(Configuration.WORKING_DIRECTORY);
        if (home == null || home.isBlank()) {
            fail("the system property " + Configuration.WORKING_DIRECTORY + " (the James home) is not set");
        }
        Path homeDirectory = Path.of(home).toAbsolutePath().normalize();
        Storage storage = storage();
        NativeSigning.Mode rsaSigning = rsaSigning();
        Path dataPath = Path.of(System.getProperty(DATA_DIRECTORY_PROPERTY, homeDirectory.resolve("var").toString()));

        DataDirectory dataDirectory = openDataDirectory(dataPath);
        System.setProperty(DATA_DIRECTORY_PROPERTY, dataDirectory.path().toString());
        System.setProperty(STORAGE_PROPERTY, storage.value());
        MsaJamesConfiguration configuration = MsaJamesConfiguration.fromHome(homeDirectory, dataDirectory.path());
        LOGGER.info("Starting the {} server of {}, data in {}", storage.value(), homeDirectory, dataDirectory.path());
        NativeSigning.install(rsaSigning);

        GuiceJamesServer server = MsaServers.create(storage, configuration);
        JamesServerMain.main(server);
    }

    private static Storage storage() {
        try {
            return Storage.parse(STORAGE_PROPERTY + " (MSA_STORAGE)", System.getProperty(STORAGE_PROPERTY, Storage.PERSISTENT.value()));
        } catch (IllegalArgumentException e) {
            fail(e.getMessage());
            throw e;
        }
    }

    private static NativeSigning.Mode rsaSigning() {
        try {
            return NativeSigning.Mode.parse(NativeSigning.PROPERTY + " (MSA_SIGNATURES)",
                System.getProperty(NativeSigning.PROPERTY, "native"));
        } catch (IllegalArgumentException e) {
            fail(e.getMessage());
            throw e;
        }
    }

    private static DataDirectory openDataDirectory(Path dataPath) {
        try {
            return DataDirectory.open(dataPath, DATA_DIRECTORY_PROPERTY + " (MSA_DATA_DIR)");
        } catch (DataDirectory.DataDirectoryException e) {
            fail(e.getMessage());
            throw new IllegalStateException(e);
        }
    }

    /** Reports why James cannot start, on the log and the console, and ends the process with status 1. */
    private static void fail(String reason) {
        LOGGER.error("Cannot start: {}", reason);
        System.err.println("msa4james: cannot start: " + reason);
        System.exit(1);
    }
}
