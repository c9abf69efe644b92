package org.msa4james.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The parts of the Postfix participant that start nothing: what it looks for, and what it says when it is missing. */
class PostfixProcessTest {

    @Test
    void theMessageForAMissingPackageNamesWhatIsMissingAndTheAptGetCommand() {
        String message = PostfixProcess.missingMessage(List.of("opendkim (package opendkim)", "saslpasswd2 (package sasl2-bin)"));

        assertThat(message).contains("missing: opendkim (package opendkim), saslpasswd2 (package sasl2-bin)",
            "apt-get install -y -q postfix opendkim opendkim-tools sasl2-bin libsasl2-modules", "installs nothing");
        assertThat(PostfixProcess.APT_GET).startsWith("DEBIAN_FRONTEND=noninteractive apt-get install");
    }

    @Test
    void everyRequiredProgramAndPluginNamesItsPackage() {
        assertThat(PostfixProcess.REQUIRED_PROGRAMS).extracting(program -> program[0])
            .containsExactly("postfix", "postconf", "opendkim", "opendkim-genkey", "saslpasswd2", "openssl");
        assertThat(PostfixProcess.REQUIRED_PROGRAMS).allSatisfy(program -> assertThat(program[1]).isNotBlank());
        assertThat(PostfixProcess.REQUIRED_SASL_PLUGINS).extracting(plugin -> plugin[1])
            .containsExactly("libsasl2-modules", "libsasl2-modules-db");
    }

    @Test
    void aProgramIsTheFirstExecutableFileOfThatNameInTheDirectories(@TempDir Path directory) throws IOException {
        Path first = Files.createDirectories(directory.resolve("first"));
        Path second = Files.createDirectories(directory.resolve("second"));
        Files.writeString(first.resolve("tool"), "not executable");
        Path executable = Files.writeString(second.resolve("tool"), "#!/bin/sh\n");
        Files.setPosixFilePermissions(executable, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.createDirectories(first.resolve("dir-tool"));

        assertThat(PostfixProcess.findProgram("tool", List.of(first, second))).contains(executable);
        assertThat(PostfixProcess.findProgram("dir-tool", List.of(first, second))).isEmpty();
        assertThat(PostfixProcess.findProgram("absent", List.of(first, second))).isEmpty();
    }

    @Test
    void aTmpfsIsRecognisedInProcMountsAtItsMountPointOnly() {
        String mounts = "/dev/vda / ext4 rw,relatime 0 0\n"
            + "msa4james-postfix-queue /work/target/postfix/postfix-tmpfs-1/queue tmpfs rw,relatime,size=1048576k,mode=755 0 0\n"
            + "tmpfs /dev/shm tmpfs rw 0 0\n"
            + "tmpfs /work/with\\040space/queue tmpfs rw 0 0\n";

        assertThat(PostfixProcess.isTmpfs(mounts, Path.of("/work/target/postfix/postfix-tmpfs-1/queue"))).isTrue();
        assertThat(PostfixProcess.isTmpfs(mounts, Path.of("/work/with space/queue"))).isTrue();
        assertThat(PostfixProcess.isTmpfs(mounts, Path.of("/work/target/postfix/postfix-disk-1/queue"))).isFalse();
        assertThat(PostfixProcess.isTmpfs(mounts, Path.of("/"))).isFalse();
    }

    @Test
    void onlyTheTmpfsVariantWantsATmpfsAndBothAreFoundByName() {
        assertThat(PostfixVariant.DISK.queueOnTmpfs()).isFalse();
        assertThat(PostfixVariant.TMPFS.queueOnTmpfs()).isTrue();
        assertThat(PostfixVariant.find("postfix-disk")).contains(PostfixVariant.DISK);
        assertThat(PostfixVariant.find("postfix-tmpfs")).contains(PostfixVariant.TMPFS);
        assertThat(PostfixVariant.find("postfix")).isEmpty();
        assertThat(Set.of(PostfixVariant.values())).allSatisfy(variant -> assertThat(variant.description()).contains("OpenDKIM"));
    }
}
