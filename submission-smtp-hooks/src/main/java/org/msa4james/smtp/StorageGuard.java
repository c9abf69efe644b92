package org.msa4james.smtp;

import java.io.File;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import javax.inject.Inject;

import org.apache.commons.configuration2.Configuration;
import org.apache.commons.configuration2.ex.ConfigurationException;
import org.apache.james.core.MaybeSender;
import org.apache.james.filesystem.api.FileSystem;
import org.apache.james.protocols.smtp.SMTPSession;
import org.apache.james.protocols.smtp.hook.Hook;
import org.apache.james.protocols.smtp.hook.HookResult;
import org.apache.james.protocols.smtp.hook.HookResultHook;
import org.apache.james.protocols.smtp.hook.HookReturnCode;
import org.apache.james.protocols.smtp.hook.MailHook;
import org.apache.james.smtpserver.SendMailHandler;
import org.msa4james.smtp.reply.StorageReplies;
import org.msa4james.storage.ByteSize;
import org.msa4james.storage.StorageCheck;
import org.msa4james.storage.StorageState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers a transaction with a temporary refusal when the server could not keep the message, so that the client keeps
 * it and tries again later, instead of a 250 for mail that cannot be stored (RFC 5321 section 6.1).
 *
 * <ul>
 *   <li>At MAIL: when the data directory ({@code directory}, James's {@code file://var/}, the data directory of the
 *   msa4james server) is missing or not writable, {@code 451 4.3.0}; when it has less free space than
 *   {@code minimumFreeSpace}, {@code 452 4.3.1}, as Postfix does below its queue_minfree.</li>
 *   <li>At the end of DATA: when James's queue could not store the message (its SendMailHandler answers a bare
 *   {@code 451 4.0.0 Error processing message.}), the reply becomes {@code 452 4.3.1} or {@code 451 4.3.0} after the
 *   same check.</li>
 * </ul>
 *
 * <p>A refusal at MAIL is logged as a WARN (at most once a minute for each kind of fault) naming the
 * directory and what is wrong with it; RefusalLogHandler logs the refusal itself as rule {@code storage}.</p>
 */
public class StorageGuard implements MailHook, HookResultHook {
    static final String DIRECTORY = "directory";
    static final String MINIMUM_FREE_SPACE = "minimumFreeSpace";
    static final String DEFAULT_DIRECTORY = "file://var/";
    static final long DEFAULT_MINIMUM_FREE_SPACE = 128L << 20;
    private static final Duration LOG_INTERVAL = Duration.ofMinutes(1);
    private static final Logger LOGGER = LoggerFactory.getLogger(StorageGuard.class);

    private final FileSystem fileSystem;
    private final Clock clock;
    private final Map<StorageState.Kind, Instant> lastWarning = new ConcurrentHashMap<>();
    private StorageCheck check;

    @Inject
    public StorageGuard(FileSystem fileSystem) {
        this(fileSystem, Clock.systemUTC());
    }

    StorageGuard(FileSystem fileSystem, Clock clock) {
        this.fileSystem = fileSystem;
        this.clock = clock;
    }

    @Override
    public void init(Configuration config) throws ConfigurationException {
        HandlerParameters parameters = HandlerParameters.of(config, StorageGuard.class, DIRECTORY, MINIMUM_FREE_SPACE);
        String location = parameters.optionalString(DIRECTORY).orElse(DEFAULT_DIRECTORY);
        long minimum = parameters.byteSize(MINIMUM_FREE_SPACE, DEFAULT_MINIMUM_FREE_SPACE);
        File directory;
        try {
            directory = fileSystem.getFile(location);
        } catch (Exception e) {
            throw new ConfigurationException(parameters.message(DIRECTORY, "'" + location + "' cannot be resolved: " + e.getMessage()), e);
        }
        check = new StorageCheck(directory.toPath(), minimum, clock);
        StorageState state = check.refresh();
        if (state.isAvailable()) {
            LOGGER.info("Mail is refused while {} has less than {} free ({})", check.directory(), ByteSize.format(minimum),
                state.description());
        } else {
            LOGGER.warn("Mail will be refused until this is fixed: {} {}", check.directory(), state.description());
        }
    }

    @Override
    public HookResult doMail(SMTPSession session, MaybeSender sender) {
        StorageState state = check.state();
        if (state.isAvailable()) {
            return HookResult.DECLINED;
        }
        warn("refusing mail", state);
        RefusalRule.name(session, "storage");
        return refusal(state);
    }

    @Override
    public HookResult onHookResult(SMTPSession session, HookResult result, long executionTime, Hook hook) {
        if (!(hook instanceof SendMailHandler) || !HookReturnCode.Action.DENYSOFT.equals(result.getResult().getAction())) {
            return result;
        }
        StorageState state = check.refresh();
        LOGGER.warn("Session {}: a message could not be queued ({}: {}); answered with a temporary refusal",
            session.getSessionID(), check.directory(), state.description());
        RefusalRule.name(session, "storage");
        return state.isAvailable() ? StorageReplies.MESSAGE_NOT_QUEUED : refusal(state);
    }

    /** What the guard checks (after {@link #init}). */
    StorageCheck check() {
        return check;
    }

    private static HookResult refusal(StorageState state) {
        return state.kind() == StorageState.Kind.LOW_SPACE ? StorageReplies.INSUFFICIENT_STORAGE : StorageReplies.STORAGE_UNAVAILABLE;
    }

    private void warn(String what, StorageState state) {
        Instant now = clock.instant();
        Instant last = lastWarning.getOrDefault(state.kind(), Instant.MIN);
        boolean due = now.isAfter(last.plus(LOG_INTERVAL))
            && (last.equals(Instant.MIN) ? lastWarning.putIfAbsent(state.kind(), now) == null : lastWarning.replace(state.kind(), last, now));
        if (due) {
            LOGGER.warn("Storage: {} {}: {}; {} until it is fixed (logged at most once a minute for each kind of fault)", check.directory(),
                state.description(), state.kind(), what);
        }
    }
}
