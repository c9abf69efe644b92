package org.msa4james.durable;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.msa4james.it.ExpectedReplies.MESSAGE_ACCEPTED;
import static org.msa4james.it.ExpectedReplies.recipientOk;
import static org.msa4james.it.ExpectedReplies.senderOk;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import javax.mail.MessagingException;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.msa4james.it.MsaHome;
import org.msa4james.it.SmtpTestClient;
import org.msa4james.it.TestMessages;
import org.subethamail.wiser.Wiser;
import org.subethamail.wiser.WiserMessage;

/**
 * The data directory cannot be used: James either refuses to start, naming it, or answers mail it could not store
 * with a temporary refusal (the client keeps the message and tries again), never with a 250; everything it answered
 * 250 to is delivered.
 */
class StorageFaultsTest {
    private static final String USER = "alice@example.test";
    private static final String PASSWORD = "faults-" + UUID.randomUUID();
    private static final String REMOTE = "carol@example.com";
    private static final String INSUFFICIENT_STORAGE =
        "452 4.3.1 Insufficient system storage: the server cannot store more mail now; try again later";
    private static final String STORAGE_UNAVAILABLE =
        "451 4.3.0 Mail system unavailable: the server cannot store mail now; try again later";
    private static final String NOT_STORED = "451 4.3.0 Requested action aborted: the message could not be stored; try again later";
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @TempDir
    Path temporary;

    private final List<MsaHome> homes = new ArrayList<>();
    private Wiser nextHop;

    @AfterEach
    void cleanUp() throws InterruptedException {
        if (nextHop != null) {
            nextHop.stop();
        }
        for (MsaHome home : homes) {
            home.close();
        }
    }

    private MsaHome home() throws IOException {
        MsaHome home = MsaHome.copy();
        homes.add(home);
        return home;
    }

    @Nested
    class AtStart {
        @Test
        void aDataDirectoryThatIsAFileShouldStopJamesNamingIt() throws Exception {
            Path file = Files.writeString(temporary.resolve("var"), "not a directory");
            MsaHome home = home().environment("MSA_DATA_DIR", file.toString());

            assertThat(home.startExpectingExit()).isEqualTo(1);
            assertThat(home.log()).contains("msa4james: cannot start: msa.data.dir (MSA_DATA_DIR): the data directory " + file
                + " is not a directory\n");
        }

        @Test
        void aDataDirectoryThatCannotBeCreatedShouldStopJamesNamingItAndWhy() throws Exception {
            Path file = Files.writeString(temporary.resolve("file"), "not a directory");
            Path data = file.resolve("var");
            MsaHome home = home().environment("MSA_DATA_DIR", data.toString());

            assertThat(home.startExpectingExit()).isEqualTo(1);
            assertThat(home.log()).contains("msa4james: cannot start: msa.data.dir (MSA_DATA_DIR): cannot create the data directory "
                + data + ": ");
        }

        @Test
        void aSecondServerOnTheSameDataDirectoryShouldRefuseToStartNamingTheLock() throws Exception {
            Path data = temporary.resolve("shared-data");
            MsaHome first = home().environment("MSA_DATA_DIR", data.toString()).start();
            MsaHome second = home().environment("MSA_DATA_DIR", data.toString());

            assertThat(second.startExpectingExit()).isEqualTo(1);
            assertThat(second.log()).contains("msa4james: cannot start: msa.data.dir (MSA_DATA_DIR): the data directory " + data
                + " is in use by another msa4james, process " + first.pid() + " (the lock " + data.resolve("msa4james.lock")
                + " is held); stop it, or give this one another data directory\n");
            assertThat(first.isRunning()).isTrue();
        }
    }

    @Nested
    class WhileRunning {
        @Test
        void belowTheMinimumFreeSpaceMailShouldGetInsufficientStorageOnEveryListener() throws Exception {
            MsaHome home = home().environment("MSA_MIN_FREE_SPACE", "1000000TiB").start();
            home.createUser(USER, PASSWORD);

            try (SmtpTestClient smtp = home.submission(USER, PASSWORD)) {
                assertThat(smtp.mailFrom(USER).line()).isEqualTo(INSUFFICIENT_STORAGE);
            }
            try (SmtpTestClient smtp = SmtpTestClient.connect(MsaHome.LOOPBACK, home.smtpPort())) {
                smtp.ehlo();
                assertThat(smtp.mailFrom("someone@example.net").line()).isEqualTo(INSUFFICIENT_STORAGE);
            }
            assertThat(home.log())
                .contains("Mail will be refused until this is fixed: " + home.dataDirectory())
                .containsPattern("WARN .*Storage: " + home.dataDirectory() + " [0-9]+ [A-Za-z]+ free, less than the minimum of "
                    + "1024000000 GiB: LOW_SPACE; refusing mail until it is fixed")
                .contains("refused rule=storage reply=\"" + INSUFFICIENT_STORAGE + "\" user=" + USER);
        }

        @Test
        void aDataDirectoryRemovedUnderJamesShouldGetTemporaryFailures() throws Exception {
            MsaHome home = home().start();
            home.createUser(USER, PASSWORD);
            Path moved = temporary.resolve("moved-away");

            Files.move(home.dataDirectory(), moved);
            try {
                awaitCheck();
                try (SmtpTestClient smtp = home.submission(USER, PASSWORD)) {
                    assertThat(smtp.mailFrom(USER).line()).isEqualTo(STORAGE_UNAVAILABLE);
                }
            } finally {
                Files.move(moved, home.dataDirectory());
            }
            awaitCheck();
            try (SmtpTestClient smtp = home.submission(USER, PASSWORD)) {
                assertThat(smtp.mailFrom(USER).line()).isEqualTo(senderOk(USER));
            }
        }
    }

    /**
     * The data directory on a small file system of its own (a tmpfs of 64 MiB, mounted by the test, which must run as
     * root): filled up for real, then made read-only for real.
     */
    @Nested
    class OnARealFileSystem {
        private static final int SMALL_FILE_SYSTEM_MIB = 64;
        private Path mountPoint;

        @BeforeEach
        void mount() throws Exception {
            mountPoint = Files.createDirectories(temporary.resolve("small-disk"));
            run("mount", "-t", "tmpfs", "-o", "size=" + SMALL_FILE_SYSTEM_MIB + "m", "tmpfs", mountPoint.toString());
        }

        @AfterEach
        void unmount() throws Exception {
            for (MsaHome home : homes) {
                home.close();
            }
            homes.clear();
            run("umount", mountPoint.toString());
        }

        @Test
        void aFullThenReadOnlyDiskShouldGetTemporaryRefusalsAndLoseNothingAnswered250() throws Exception {
            nextHop = new Wiser();
            nextHop.getServer().setBindAddress(InetAddress.getByName(MsaHome.LOOPBACK));
            MsaHome home = home().environment("MSA_DATA_DIR", mountPoint.resolve("var").toString())
                .environment("MSA_MIN_FREE_SPACE", "1MiB");
            nextHop.setPort(home.nextHopPort());
            nextHop.start();
            home.start();
            home.createUser(USER, PASSWORD);
            List<String> accepted = new ArrayList<>();

            accepted.add(submit(home, "before the disk is full", 1));
            await("the first message relayed").atMost(TIMEOUT).until(() -> relayedSubjects().containsAll(accepted));

            Path filler = mountPoint.resolve("filler");
            fillUp(filler);
            awaitCheck();
            try (SmtpTestClient smtp = home.submission(USER, PASSWORD)) {
                assertThat(smtp.mailFrom(USER).line()).isEqualTo(INSUFFICIENT_STORAGE);
            }

            // 2 MiB free: above the minimum, so MAIL is accepted, but too little for a 4 MiB message
            leaveFree(filler, 2L << 20);
            awaitCheck();
            try (SmtpTestClient smtp = home.submission(USER, PASSWORD)) {
                assertThat(smtp.mailFrom(USER).line()).isEqualTo(senderOk(USER));
                assertThat(smtp.rcptTo(REMOTE).line()).isEqualTo(recipientOk(REMOTE));
                assertThat(smtp.data(largeMessage("refused: disk full", 4)).line()).isIn(NOT_STORED, INSUFFICIENT_STORAGE);
            }
            assertThat(home.log()).contains("a message could not be queued");

            // space back: the client's next retry is accepted (a retry may still get a 4xx while the queue recovers)
            Files.delete(filler);
            accepted.add(submitUntilAccepted(home, "after space was freed"));

            // read-only: the data directory's path made a read-only view of itself (a file system with files open for
            // writing cannot be remounted read-only by hand; the kernel does it after disk errors)
            Path data = home.dataDirectory();
            run("mount", "--bind", data.toString(), data.toString());
            try {
                run("mount", "-o", "remount,bind,ro", data.toString());
                awaitCheck();
                try (SmtpTestClient smtp = home.submission(USER, PASSWORD)) {
                    assertThat(smtp.mailFrom(USER).line()).isEqualTo(STORAGE_UNAVAILABLE);
                }
                assertThat(home.log()).containsPattern("WARN .*Storage: " + data + " is not writable: UNAVAILABLE; refusing mail");
            } finally {
                run("umount", data.toString());
            }
            accepted.add(submitUntilAccepted(home, "after the disk was writable again"));

            await("every message answered 250 at the next hop").atMost(TIMEOUT)
                .until(() -> relayedSubjects().containsAll(accepted));
            assertThat(relayedSubjects()).noneMatch(subject -> subject.startsWith("refused"));
            home.stop();
        }

        private String submit(MsaHome home, String what, int mebibytes) throws IOException {
            String subject = what + " " + UUID.randomUUID();
            try (SmtpTestClient smtp = home.submission(USER, PASSWORD)) {
                assertThat(smtp.mailFrom(USER).line()).isEqualTo(senderOk(USER));
                assertThat(smtp.rcptTo(REMOTE).line()).isEqualTo(recipientOk(REMOTE));
                assertThat(smtp.data(largeMessage(subject, mebibytes)).line()).isEqualTo(MESSAGE_ACCEPTED);
            }
            return subject;
        }

        /** Submits like a client that retries after a temporary refusal, until the message is accepted. */
        private String submitUntilAccepted(MsaHome home, String what) {
            List<String> refusals = new ArrayList<>();
            String subject = what + " " + UUID.randomUUID();
            await("a retry accepted " + what).atMost(TIMEOUT).pollInterval(Duration.ofMillis(1_200)).until(() -> {
                try (SmtpTestClient smtp = home.submission(USER, PASSWORD)) {
                    String mail = smtp.mailFrom(USER).line();
                    if (!mail.equals(senderOk(USER))) {
                        assertThat(mail).isIn(INSUFFICIENT_STORAGE, STORAGE_UNAVAILABLE);
                        refusals.add(mail);
                        return false;
                    }
                    assertThat(smtp.rcptTo(REMOTE).line()).isEqualTo(recipientOk(REMOTE));
                    String end = smtp.data(largeMessage(subject, 1)).line();
                    if (!end.equals(MESSAGE_ACCEPTED)) {
                        assertThat(end).isIn(NOT_STORED, INSUFFICIENT_STORAGE);
                        refusals.add(end);
                        return false;
                    }
                    return true;
                }
            });
            System.out.println("StorageFaultsTest: " + what + ": accepted after " + refusals.size() + " temporary refusal(s) " + refusals);
            return subject;
        }

        private List<String> relayedSubjects() {
            List<WiserMessage> messages;
            synchronized (nextHop.getMessages()) {
                messages = new ArrayList<>(nextHop.getMessages());
            }
            return messages.stream().map(message -> {
                try {
                    return message.getMimeMessage().getSubject();
                } catch (MessagingException e) {
                    throw new IllegalStateException(e);
                }
            }).collect(Collectors.toList());
        }
    }

    /** A plain text message of about {@code mebibytes} MiB, 76-character lines. */
    private static String largeMessage(String subject, int mebibytes) {
        StringBuilder body = new StringBuilder(TestMessages.message(USER, REMOTE, subject));
        String line = "x".repeat(76) + "\r\n";
        for (long written = 0; written < ((long) mebibytes << 20); written += line.length()) {
            body.append(line);
        }
        return body.toString();
    }

    /** The storage check keeps its answer for a second: wait past it. */
    private static void awaitCheck() throws InterruptedException {
        TimeUnit.MILLISECONDS.sleep(1_200);
    }

    /** Writes zeros to {@code file} until the file system is full. */
    private static void fillUp(Path file) throws IOException {
        byte[] block = new byte[1 << 20];
        try (OutputStream out = Files.newOutputStream(file)) {
            while (true) {
                out.write(block);
            }
        } catch (IOException e) {
            if (!String.valueOf(e.getMessage()).contains("No space left on device")) {
                throw e;
            }
        }
    }

    /** Shrinks {@code filler} until its file system has at least {@code bytes} free (James may write meanwhile). */
    private static void leaveFree(Path filler, long bytes) throws IOException, InterruptedException {
        for (int attempt = 0; attempt < 20; attempt++) {
            long free = filler.getParent().toFile().getUsableSpace();
            if (free >= bytes) {
                return;
            }
            try (FileChannel channel = FileChannel.open(filler, StandardOpenOption.WRITE)) {
                channel.truncate(Math.max(0, channel.size() - (bytes - free)));
            }
            TimeUnit.MILLISECONDS.sleep(100);
        }
        throw new IllegalStateException("could not free " + bytes + " bytes on " + filler.getParent());
    }

    private static void run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), UTF_8);
        if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed (this test mounts a small file system and "
                + "must run as root): " + output);
        }
    }
}
