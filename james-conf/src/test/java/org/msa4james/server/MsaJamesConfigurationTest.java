package org.msa4james.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

import org.apache.james.filesystem.api.FileSystem;
import org.apache.james.server.core.filesystem.FileSystemImpl;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MsaJamesConfigurationTest {
    @TempDir
    Path temporary;

    @Test
    void varLocationsShouldResolveToTheDataDirectoryAndTheRestToTheHome() throws Exception {
        Path home = temporary.resolve("home");
        Path data = temporary.resolve("elsewhere/data");
        FileSystem fileSystem = new FileSystemImpl(MsaJamesConfiguration.fromHome(home, data).directories());

        assertThat(fileSystem.getFile("file://var/mail/error/").toPath()).isEqualTo(data.resolve("mail/error"));
        assertThat(fileSystem.getFile("file://conf/smtpserver.xml").toPath()).isEqualTo(home.resolve("conf/smtpserver.xml"));
        assertThat(fileSystem.getFile("file://extensions-jars").toPath()).isEqualTo(home.resolve("extensions-jars"));
    }

    @Test
    void theConfigurationShouldBeReadFromConfOrFromTheClassPath() {
        Path home = temporary.resolve("home");

        assertThat(MsaJamesConfiguration.fromHome(home, home.resolve("var")).configurationPath().asString()).isEqualTo("file://conf/");
        assertThat(MsaJamesConfiguration.fromClasspath(home, home.resolve("var")).configurationPath().asString()).isEqualTo("classpath:");
    }
}
