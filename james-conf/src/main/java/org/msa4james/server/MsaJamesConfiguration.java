package org.msa4james.server;

import java.nio.file.Path;

import org.apache.james.filesystem.api.FileSystem;
import org.apache.james.filesystem.api.JamesDirectoriesProvider;
import org.apache.james.server.core.configuration.Configuration;

import com.google.common.base.MoreObjects;

/**
 * Where James finds its configuration and its files: the James home (working directory) with {@code conf/} and
 * {@code extensions-jars/}, and the data directory, which James's {@code file://var/} locations resolve to (mail
 * repositories, the mail queues, the sieve scripts), so that all data lives under one directory wherever it is.
 */
public final class MsaJamesConfiguration implements Configuration {
    private final ConfigurationPath configurationPath;
    private final Directories directories;

    private MsaJamesConfiguration(ConfigurationPath configurationPath, Directories directories) {
        this.configurationPath = configurationPath;
        this.directories = directories;
    }

    /** The configuration in {@code home/conf}, data in {@code dataDirectory}. */
    public static MsaJamesConfiguration fromHome(Path home, Path dataDirectory) {
        return new MsaJamesConfiguration(new ConfigurationPath(FileSystem.FILE_PROTOCOL_AND_CONF),
            new Directories(home.toAbsolutePath().normalize(), dataDirectory.toAbsolutePath().normalize()));
    }

    /** The configuration files read from the class path (tests), home and data as for {@link #fromHome}. */
    public static MsaJamesConfiguration fromClasspath(Path home, Path dataDirectory) {
        return new MsaJamesConfiguration(new ConfigurationPath(FileSystem.CLASSPATH_PROTOCOL),
            new Directories(home.toAbsolutePath().normalize(), dataDirectory.toAbsolutePath().normalize()));
    }

    @Override
    public ConfigurationPath configurationPath() {
        return configurationPath;
    }

    @Override
    public JamesDirectoriesProvider directories() {
        return directories;
    }

    public Path dataDirectory() {
        return directories.data;
    }

    @Override
    public String toString() {
        return MoreObjects.toStringHelper(this)
            .add("configurationPath", configurationPath.asString())
            .add("directories", directories)
            .toString();
    }

    private static final class Directories implements JamesDirectoriesProvider {
        private final Path home;
        private final Path data;

        private Directories(Path home, Path data) {
            this.home = home;
            this.data = data;
        }

        @Override
        public String getAbsoluteDirectory() {
            return "/";
        }

        @Override
        public String getConfDirectory() {
            return home.resolve("conf") + "/";
        }

        @Override
        public String getVarDirectory() {
            return data + "/";
        }

        @Override
        public String getRootDirectory() {
            return home.toString();
        }

        @Override
        public String toString() {
            return MoreObjects.toStringHelper(this)
                .add("home", home)
                .add("conf", getConfDirectory())
                .add("data", getVarDirectory())
                .toString();
        }
    }
}
