package org.msa4james.smtp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.Mockito.mock;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

import org.apache.commons.configuration2.ex.ConfigurationException;
import org.apache.james.core.MaybeSender;
import org.apache.james.protocols.smtp.SMTPSession;
import org.apache.james.protocols.smtp.hook.HookResult;
import org.apache.james.protocols.smtp.hook.HookReturnCode;
import org.apache.james.queue.api.MailQueueFactory;
import org.apache.james.server.core.JamesServerResourceLoader;
import org.apache.james.server.core.filesystem.FileSystemImpl;
import org.apache.james.smtpserver.SendMailHandler;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.msa4james.abuse.MutableClock;

class StorageGuardTest {
    private static final String ENOUGH = "0";
    private static final String MORE_THAN_ANY_DISK = "1000000TiB";
    private static final HookResult QUEUE_FAILURE = HookResult.builder()
        .hookReturnCode(HookReturnCode.denySoft())
        .smtpDescription("4.0.0 Error processing message.")
        .build();

    @TempDir
    Path home;

    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-04T10:00:00Z"));
    private final SMTPSession session = TestSessions.from("192.0.2.7").authenticatedAs("alice@example.test").build();
    private StorageGuard guard;
    private Path data;

    @BeforeEach
    void dataDirectory() throws IOException {
        data = Files.createDirectories(home.resolve("var"));
        guard = new StorageGuard(new FileSystemImpl(new JamesServerResourceLoader(home.toString())), clock);
    }

    private void init(String... keysAndValues) throws ConfigurationException {
        guard.init(TestSessions.handlerConfiguration(StorageGuard.class, keysAndValues));
    }

    @Nested
    class AtMail {
        @Test
        void mailShouldBeLeftToTheOtherHooksWhileTheDataDirectoryCanStoreIt() throws ConfigurationException {
            init("minimumFreeSpace", ENOUGH);

            assertThat(guard.doMail(session, MaybeSender.nullSender())).isEqualTo(HookResult.DECLINED);
        }

        @Test
        void mailShouldGetAnInsufficientStorageReplyBelowTheMinimumFreeSpace() throws ConfigurationException {
            init("minimumFreeSpace", MORE_THAN_ANY_DISK);

            assertThat(TestSessions.replyLine(guard.doMail(session, MaybeSender.nullSender())))
                .isEqualTo("452 4.3.1 Insufficient system storage: the server cannot store more mail now; try again later");
        }

        @Test
        void mailShouldGetATemporaryFailureWhenTheDataDirectoryIsGone() throws Exception {
            init("minimumFreeSpace", ENOUGH);
            Files.delete(data);
            clock.advance(java.time.Duration.ofSeconds(2));

            assertThat(TestSessions.replyLine(guard.doMail(session, MaybeSender.nullSender())))
                .isEqualTo("451 4.3.0 Mail system unavailable: the server cannot store mail now; try again later");
        }

        @Test
        void theDirectoryParameterShouldNameTheDirectoryChecked() throws Exception {
            Files.createDirectories(home.resolve("elsewhere"));
            init("directory", "file://elsewhere/", "minimumFreeSpace", ENOUGH);
            Files.delete(data);

            assertThat(guard.doMail(session, MaybeSender.nullSender())).isEqualTo(HookResult.DECLINED);
        }

        @Test
        void theRefusalShouldBeNamedForTheRefusalLog() throws ConfigurationException {
            init("minimumFreeSpace", MORE_THAN_ANY_DISK);

            guard.doMail(session, MaybeSender.nullSender());

            assertThat(RefusalRule.take(session)).contains("storage");
        }
    }

    @Nested
    class AfterTheQueueFailed {
        private final SendMailHandler sendMailHandler = new SendMailHandler(mock(MailQueueFactory.class));

        @Test
        void aQueueFailureWithSpaceLeftShouldBecomeMessageNotStored() throws ConfigurationException {
            init("minimumFreeSpace", ENOUGH);

            HookResult result = guard.onHookResult(session, QUEUE_FAILURE, 3, sendMailHandler);

            assertThat(TestSessions.replyLine(result))
                .isEqualTo("451 4.3.0 Requested action aborted: the message could not be stored; try again later");
        }

        @Test
        void aQueueFailureOnAFullDiskShouldBecomeInsufficientStorage() throws ConfigurationException {
            init("minimumFreeSpace", MORE_THAN_ANY_DISK);

            HookResult result = guard.onHookResult(session, QUEUE_FAILURE, 3, sendMailHandler);

            assertThat(TestSessions.replyLine(result))
                .isEqualTo("452 4.3.1 Insufficient system storage: the server cannot store more mail now; try again later");
        }

        @Test
        void aQueuedMessageShouldKeepItsReply() throws ConfigurationException {
            init("minimumFreeSpace", MORE_THAN_ANY_DISK);
            HookResult accepted = HookResult.builder().hookReturnCode(HookReturnCode.ok()).smtpDescription("2.6.0 Message received").build();

            assertThat(guard.onHookResult(session, accepted, 3, sendMailHandler)).isSameAs(accepted);
        }

        @Test
        void theResultsOfOtherHooksShouldBeLeftAlone() throws ConfigurationException {
            init("minimumFreeSpace", MORE_THAN_ANY_DISK);

            assertThat(guard.onHookResult(session, QUEUE_FAILURE, 3, new LineLengthGuard())).isSameAs(QUEUE_FAILURE);
        }
    }

    @Nested
    class Configuration {
        @Test
        void anUnknownParameterShouldStopJamesNamingIt() {
            assertThatThrownBy(() -> init("minimumFreeSpce", "1GiB"))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("Handler org.msa4james.smtp.StorageGuard: parameter 'minimumFreeSpce' is not a parameter of this "
                    + "handler; known parameters: directory, minimumFreeSpace");
        }

        @Test
        void aBadSizeShouldStopJamesNamingTheParameter() {
            assertThatThrownBy(() -> init("minimumFreeSpace", "lots"))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("Handler org.msa4james.smtp.StorageGuard: parameter 'minimumFreeSpace' must be a size such as "
                    + "128MiB or 1GiB, not 'lots'");
        }

        @Test
        void theDefaultsShouldCheckTheDataDirectoryForAtLeast128MiB() throws ConfigurationException {
            init();

            assertThat(guard.check().directory()).isEqualTo(data.toAbsolutePath().normalize());
            assertThat(guard.check().minimumFreeBytes()).isEqualTo(128L << 20);
        }
    }
}
