package io.rankwise.cli.train;

import io.rankwise.api.grid.CellContext;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * One writer per run folder (and per ablation grid folder): while a command writes a folder it
 * holds the lock file {@value #FILE_NAME} in it, which names the holder ({@code pid}, {@code host},
 * {@code since}, {@code command}); a second command that wants to write the folder meanwhile is
 * refused at start, naming the holder.
 *
 * <p>The file is also locked with the operating system ({@link FileChannel#tryLock()}), which the
 * kernel releases when the holder dies, however it dies. So a lock file whose OS lock is free was
 * left by a process that is gone (killed, or its machine crashed): it is stale and taken over, with
 * a notice. The pid is the second line of defence, for file systems without working OS locks (some
 * network mounts): a holder that is alive on this host ({@link ProcessHandle#of}, started before
 * the lock was taken, so that a reused pid does not count) keeps the folder; one on another host is
 * assumed alive, and the message says which file to delete once it is not.
 *
 * <p>Released by {@link #close()} (the file is deleted, then the OS lock let go; a folder the lock
 * created and nothing else filled is removed too, so that a command refused before it wrote
 * anything leaves nothing behind). Within one JVM, locks are tracked by folder, so that two writers
 * in one process (an in-process grid, tests) are refused too, and no second channel is ever opened
 * on a lock file this JVM holds: closing one would drop the process's OS lock on POSIX systems.
 */
public final class RunFolderLock implements AutoCloseable {
    /** The lock file's name inside the folder. */
    public static final String FILE_NAME = ".lock";

    /** Folders locked by this JVM (real paths), with the command that holds each. */
    private static final Map<Path, String> HELD = new HashMap<>();

    /** How often to start over when the lock file changed under us (removed, replaced). */
    private static final int ATTEMPTS = 20;

    private final Path dir;
    private final Path real;
    private final Path file;
    private final FileChannel channel;
    private final FileLock osLock;
    private final boolean createdDir;
    private boolean released;

    private RunFolderLock(
            Path dir,
            Path real,
            Path file,
            FileChannel channel,
            FileLock osLock,
            boolean createdDir) {
        this.dir = dir;
        this.real = real;
        this.file = file;
        this.channel = channel;
        this.osLock = osLock;
        this.createdDir = createdDir;
    }

    /**
     * As {@link #acquire(Path, String, Consumer)}, a command's way: the takeover of a stale lock is
     * announced on {@code err} as a {@code rankwise:} line.
     */
    public static RunFolderLock acquire(Path dir, String command, PrintWriter err)
            throws IOException {
        return acquire(
                dir,
                command,
                notice -> {
                    err.println("rankwise: " + notice);
                    err.flush();
                });
    }

    /**
     * Takes the lock of the folder {@code dir} (created if missing) for {@code command}.
     *
     * @param notices where the takeover of a stale lock is announced
     * @throws InUseException (bad input: exit 2) when a live process holds it, naming the process,
     *     its host and the lock file
     * @throws IOException if the folder or the lock file cannot be written
     */
    public static RunFolderLock acquire(Path dir, String command, Consumer<String> notices)
            throws IOException {
        Objects.requireNonNull(notices, "notices");
        Path absolute = dir.toAbsolutePath().normalize();
        if (Files.exists(absolute) && !Files.isDirectory(absolute)) {
            throw new IllegalArgumentException(
                    absolute + " is a file; accepted: a run folder (a new or existing folder)");
        }
        boolean created = !Files.exists(absolute);
        Files.createDirectories(absolute);
        Path real = absolute.toRealPath();
        synchronized (HELD) {
            String holder = HELD.get(real);
            if (holder != null) {
                throw new InUseException(
                        absolute,
                        new Holder(ProcessHandle.current().pid(), host(), Instant.now(), holder));
            }
            RunFolderLock lock = null;
            try {
                for (int attempt = 0; attempt < ATTEMPTS && lock == null; attempt++) {
                    lock = tryOnce(absolute, real, created, command, notices);
                }
            } finally {
                if (lock == null && created) {
                    removeIfEmpty(absolute);
                }
            }
            if (lock == null) {
                throw new IOException(
                        "could not take the lock "
                                + absolute.resolve(FILE_NAME)
                                + ": it kept changing while being read; is something removing it?");
            }
            HELD.put(real, command);
            return lock;
        }
    }

    /** One try; null when the lock file changed under us and the caller should start over. */
    private static RunFolderLock tryOnce(
            Path dir, Path real, boolean createdDir, String command, Consumer<String> notices)
            throws IOException {
        Path file = dir.resolve(FILE_NAME);
        FileChannel channel;
        try {
            channel =
                    FileChannel.open(
                            file,
                            StandardOpenOption.CREATE_NEW,
                            StandardOpenOption.READ,
                            StandardOpenOption.WRITE);
            // Ours from the start: nobody held it. Locked at once (a process that opens it before
            // then and finds the OS lock free, with no holder written, takes it over instead;
            // then our tryLock fails and we are the one refused).
            FileLock os = null;
            boolean supported = true;
            try {
                os = lockOrNull(channel);
            } catch (UnsupportedLocks e) {
                supported = false;
            }
            if (os == null && supported) {
                Holder other = read(channel).orElse(null);
                channel.close();
                throw new InUseException(dir, other);
            }
            try {
                return holding(dir, real, file, channel, os, createdDir, command);
            } catch (IOException | RuntimeException e) {
                Files.deleteIfExists(file);
                channel.close();
                throw e;
            }
        } catch (FileAlreadyExistsException e) {
            // Held, or left behind by a process that died: looked at below.
        }
        Object keyBefore = fileKey(file);
        if (keyBefore == null) {
            return null; // released meanwhile: try to create it again
        }
        try {
            channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
        } catch (NoSuchFileException e) {
            return null;
        }
        boolean keep = false;
        try {
            FileLock os = null;
            boolean supported = true;
            try {
                os = lockOrNull(channel);
            } catch (UnsupportedLocks e) {
                supported = false;
            }
            Optional<Holder> previous = read(channel);
            if (supported && os == null) {
                throw new InUseException(dir, previous.orElse(null));
            }
            if (!Objects.equals(keyBefore, fileKey(file))) {
                // Released (deleted) and perhaps taken anew between our look and our lock: what we
                // locked may no longer be the folder's lock file.
                return null;
            }
            if (previous.isPresent() && previous.get().aliveHere()) {
                // Alive, yet its OS lock is free (or there are none here): the file system does
                // not lock, so the pid decides.
                throw new InUseException(dir, previous.get());
            }
            if (previous.isPresent() && !supported && !previous.get().onThisHost()) {
                throw new InUseException(dir, previous.get());
            }
            notices.accept(
                    previous.map(
                                    p ->
                                            "taking over a stale lock of process "
                                                    + p.pid()
                                                    + " on "
                                                    + p.host()
                                                    + " ("
                                                    + file
                                                    + "): that process is gone")
                            .orElse(
                                    "taking over a stale lock "
                                            + file
                                            + " (left by a process stopped while taking it)"));
            RunFolderLock lock = holding(dir, real, file, channel, os, createdDir, command);
            keep = true;
            return lock;
        } finally {
            if (!keep) {
                channel.close();
            }
        }
    }

    /** Writes this process as the holder into the locked file. */
    private static RunFolderLock holding(
            Path dir,
            Path real,
            Path file,
            FileChannel channel,
            FileLock os,
            boolean createdDir,
            String command)
            throws IOException {
        Holder me = new Holder(ProcessHandle.current().pid(), host(), Instant.now(), command);
        byte[] text = me.text().getBytes(StandardCharsets.UTF_8);
        channel.truncate(0);
        ByteBuffer buffer = ByteBuffer.wrap(text);
        long position = 0;
        while (buffer.hasRemaining()) {
            position += channel.write(buffer, position);
        }
        channel.force(true);
        return new RunFolderLock(dir, real, file, channel, os, createdDir);
    }

    /**
     * The OS lock, or null when another process holds it; throws {@link UnsupportedLocks} where the
     * file system has none.
     */
    private static FileLock lockOrNull(FileChannel channel) throws IOException {
        try {
            return channel.tryLock();
        } catch (OverlappingFileLockException e) {
            // Guarded by HELD; a channel of this JVM that is not ours (another library).
            return null;
        } catch (IOException e) {
            // ENOLCK and the like: no OS locks on this file system.
            throw new UnsupportedLocks(e);
        }
    }

    /** Whether this JVM holds the lock of the folder {@code dir}. */
    public static boolean heldHere(Path dir) {
        try {
            Path real = dir.toAbsolutePath().normalize().toRealPath();
            synchronized (HELD) {
                return HELD.containsKey(real);
            }
        } catch (IOException e) {
            return false; // no such folder: nobody holds it
        }
    }

    /** The folder this lock holds. */
    public Path dir() {
        return dir;
    }

    /** The lock file. */
    public Path file() {
        return file;
    }

    /**
     * Releases the lock: deletes the lock file, then lets go of the OS lock (in this order, so that
     * nobody can take the file in between and lose it to the deletion); removes the folder when the
     * lock created it and it is still empty. Idempotent.
     */
    @Override
    public void close() throws IOException {
        synchronized (HELD) {
            if (released) {
                return;
            }
            released = true;
            try {
                Files.deleteIfExists(file);
            } finally {
                try {
                    if (osLock != null && osLock.isValid()) {
                        osLock.release();
                    }
                } finally {
                    channel.close();
                    HELD.remove(real);
                    if (createdDir) {
                        removeIfEmpty(dir);
                    }
                }
            }
        }
    }

    private static void removeIfEmpty(Path dir) {
        try {
            Files.deleteIfExists(dir);
        } catch (DirectoryNotEmptyException e) {
            // written to: kept
        } catch (IOException e) {
            // best effort: an empty folder left behind does no harm
        }
    }

    /** The file's identity (device and inode on POSIX), or null when it does not exist. */
    private static Object fileKey(Path file) throws IOException {
        try {
            BasicFileAttributes a =
                    Files.readAttributes(
                            file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            Object key = a.fileKey();
            // Without file keys (some file systems), the creation time stands in.
            return key != null ? key : a.creationTime();
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    /** The holder written in the locked file, read through {@code channel} (never a second one). */
    private static Optional<Holder> read(FileChannel channel) throws IOException {
        long size = channel.size();
        if (size == 0 || size > 4096) {
            return Optional.empty();
        }
        ByteBuffer buffer = ByteBuffer.allocate((int) size);
        long position = 0;
        while (buffer.hasRemaining()) {
            int n = channel.read(buffer, position);
            if (n < 0) {
                break;
            }
            position += n;
        }
        return Holder.parse(
                new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8));
    }

    /** This machine's name, as the lock file records it. */
    static String host() {
        return CellContext.localHost();
    }

    /**
     * Who holds a lock, as its file says.
     *
     * @param pid the process id
     * @param host the host it runs on
     * @param since when it took the lock
     * @param command what it is doing (train, ablate, cell, export)
     */
    record Holder(long pid, String host, Instant since, String command) {
        String text() {
            return "pid: "
                    + pid
                    + "\nhost: "
                    + host
                    + "\nsince: "
                    + since
                    + "\ncommand: "
                    + command
                    + "\n";
        }

        static Optional<Holder> parse(String text) {
            Map<String, String> fields = new HashMap<>();
            for (String line : text.split("\n")) {
                int colon = line.indexOf(':');
                if (colon > 0) {
                    fields.put(line.substring(0, colon).trim(), line.substring(colon + 1).trim());
                }
            }
            try {
                return Optional.of(
                        new Holder(
                                Long.parseLong(fields.getOrDefault("pid", "")),
                                fields.getOrDefault("host", "?"),
                                Instant.parse(fields.getOrDefault("since", "")),
                                fields.getOrDefault("command", "?")));
            } catch (NumberFormatException | DateTimeParseException e) {
                return Optional.empty(); // half-written by a process killed while taking it
            }
        }

        boolean onThisHost() {
            return host.equals(RunFolderLock.host());
        }

        /**
         * Whether the holder still runs here: its pid is alive on this host and that process
         * started before the lock was taken (a pid reused later is another process).
         */
        boolean aliveHere() {
            if (!onThisHost() || pid == ProcessHandle.current().pid()) {
                return false;
            }
            return ProcessHandle.of(pid)
                    .filter(ProcessHandle::isAlive)
                    .filter(p -> !zombie(p.pid()))
                    .map(
                            p ->
                                    p.info()
                                            .startInstant()
                                            .map(start -> !start.isAfter(since.plusSeconds(1)))
                                            .orElse(true))
                    .orElse(false);
        }
    }

    /**
     * Whether {@code pid} has exited and waits for its parent to reap it (Linux: state Z in {@code
     * /proc/PID/stat}), which {@link ProcessHandle#isAlive()} still counts as alive.
     */
    private static boolean zombie(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            int end = stat.lastIndexOf(')'); // the command name in parentheses may hold spaces
            return end > 0 && stat.length() > end + 2 && stat.charAt(end + 2) == 'Z';
        } catch (IOException | RuntimeException e) {
            return false; // no /proc (not Linux): as ProcessHandle says
        }
    }

    /** No OS locks on this file system: the pid decides alone. */
    private static final class UnsupportedLocks extends IOException {
        private static final long serialVersionUID = 1L;

        UnsupportedLocks(IOException cause) {
            super(cause);
        }
    }

    /**
     * A folder another process (or another command of this one) is writing: bad input, exit 2; the
     * command can be run again once the holder has finished.
     */
    public static final class InUseException extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        InUseException(Path dir, Holder holder) {
            super(
                    "the run folder "
                            + dir
                            + " is in use by "
                            + (holder == null
                                    ? "another process"
                                    : "process " + holder.pid() + " on " + holder.host())
                            + " ("
                            + dir.resolve(FILE_NAME)
                            + "); wait for it to finish"
                            + (holder != null && !holder.onThisHost()
                                    ? " (if that process is gone, delete "
                                            + dir.resolve(FILE_NAME)
                                            + ")"
                                    : ""));
        }
    }
}
