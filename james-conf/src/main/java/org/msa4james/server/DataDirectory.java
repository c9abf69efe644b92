package org.msa4james.server;

import static java.nio.charset.StandardCharsets.US_ASCII;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import java.util.Optional;

/**
 * The one directory that holds everything the persistent server must not lose (MSA_DATA_DIR): the Derby database,
 * the mail queues, the mail repositories, the client diagnostics.
 *
 * <p>{@link #open} makes sure, before James starts, that it is a directory this process can write to (it creates a
 * missing one, then writes, syncs and deletes a probe file), and takes an exclusive lock on
 * {@value #LOCK_FILE} in it, held until {@link #close()} or the end of the process: two servers on one data directory
 * would corrupt the database and the journal, so the second refuses to start and names the lock. The lock is an
 * operating-system file lock, released by the kernel when the process dies, even by {@code kill -9}.</p>
 */
public final class DataDirectory implements AutoCloseable {
    public static final String LOCK_FILE = "msa4james.lock";
    private static final String PROBE_FILE = ".msa4james-write-probe";

    private final Path path;
    private final FileChannel lockChannel;
    private final FileLock lock;

    private DataDirectory(Path path, FileChannel lockChannel, FileLock lock) {
        this.path = path;
        this.lockChannel = lockChannel;
        this.lock = lock;
    }

    /**
     * Opens {@code directory} as the data directory; {@code setting} names the setting it comes from in every error.
     *
     * @throws DataDirectoryException when it cannot be created, is not a directory, cannot be written, or is locked
     */
    public static DataDirectory open(Path directory, String setting) throws DataDirectoryException {
        Path path = directory.toAbsolutePath().normalize();
        if (Files.exists(path) && !Files.isDirectory(path)) {
            throw new DataDirectoryException(setting + ": the data directory " + path + " is not a directory");
        }
        try {
            Files.createDirectories(path);
        } catch (IOException e) {
            throw new DataDirectoryException(setting + ": cannot create the data directory " + path + ": " + reason(e), e);
        }
        probeWrite(path, setting);
        return lock(path, setting);
    }

    public Path path() {
        return path;
    }

    public Path lockFile() {
        return path.resolve(LOCK_FILE);
    }

    /** Releases the lock. The lock file stays: deleting it could let a third server lock a file nobody else sees. */
    @Override
    public void close() throws IOException {
        try {
            if (lock.isValid()) {
                lock.release();
            }
        } finally {
            lockChannel.close();
        }
    }

    private static void probeWrite(Path path, String setting) throws DataDirectoryException {
        Path probe = path.resolve(PROBE_FILE);
        try (FileChannel channel = FileChannel.open(probe, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING)) {
            channel.write(ByteBuffer.wrap(new byte[] {'o', 'k', '\n'}));
            channel.force(true);
        } catch (IOException e) {
            throw new DataDirectoryException(setting + ": the data directory " + path + " cannot be written: " + reason(e), e);
        }
        try {
            Files.deleteIfExists(probe);
        } catch (IOException e) {
            throw new DataDirectoryException(setting + ": the data directory " + path + " does not let files be deleted: "
                + reason(e), e);
        }
    }

    private static DataDirectory lock(Path path, String setting) throws DataDirectoryException {
        Path lockFile = path.resolve(LOCK_FILE);
        FileChannel channel;
        try {
            channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new DataDirectoryException(setting + ": cannot open the lock " + lockFile + ": " + reason(e), e);
        }
        try {
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                throw new DataDirectoryException(setting + ": the data directory " + path + " is in use by another server in "
                    + "this Java process (the lock " + lockFile + " is held)", e);
            }
            if (lock == null) {
                throw new DataDirectoryException(setting + ": the data directory " + path + " is in use by another msa4james"
                    + holder(channel) + " (the lock " + lockFile + " is held); stop it, or give this one another data directory");
            }
            channel.truncate(0);
            channel.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(US_ASCII)), 0);
            channel.force(true);
            return new DataDirectory(path, channel, lock);
        } catch (IOException e) {
            throw closeAfter(channel, new DataDirectoryException(setting + ": cannot lock " + lockFile + ": " + reason(e), e));
        } catch (DataDirectoryException e) {
            throw closeAfter(channel, e);
        }
    }

    /** ", process 1234" from the pid the holder wrote into the lock file, when it is there. */
    private static String holder(FileChannel channel) {
        try {
            ByteBuffer buffer = ByteBuffer.allocate(32);
            int read = channel.read(buffer, 0);
            if (read <= 0) {
                return "";
            }
            String pid = new String(buffer.array(), 0, read, US_ASCII).trim();
            return pid.matches("[0-9]{1,10}") ? ", process " + pid : "";
        } catch (IOException e) {
            return "";
        }
    }

    static String reason(IOException e) {
        if (e instanceof FileSystemException) {
            FileSystemException fileSystemException = (FileSystemException) e;
            return Optional.ofNullable(fileSystemException.getReason())
                .orElse(e.getClass().getSimpleName().replace("Exception", "").replaceAll("([a-z])([A-Z])", "$1 $2").toLowerCase(Locale.ROOT));
        }
        return Optional.ofNullable(e.getMessage()).orElse(e.getClass().getSimpleName());
    }

    /** Closes the lock file after {@code failure}, which is returned to be thrown, carrying a close error as suppressed. */
    private static DataDirectoryException closeAfter(FileChannel channel, DataDirectoryException failure) {
        try {
            channel.close();
        } catch (IOException e) {
            failure.addSuppressed(e);
        }
        return failure;
    }

    /** The data directory cannot be used; the message names the setting and the directory. */
    public static final class DataDirectoryException extends Exception {
        private static final long serialVersionUID = 1L;

        DataDirectoryException(String message) {
            super(message);
        }

        DataDirectoryException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
