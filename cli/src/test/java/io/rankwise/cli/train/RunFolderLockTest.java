package io.rankwise.cli.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The run folder's lock: one holder at a time, within a JVM and across JVMs; released on close with
 * nothing left behind; a lock whose holder is gone is taken over with a notice; a live holder keeps
 * it even where the OS lock is free (file systems without locks), unless its pid was reused.
 */
class RunFolderLockTest {
    @TempDir Path dir;

    private final List<String> notices = new ArrayList<>();

    private RunFolderLock acquire(Path folder) throws IOException {
        return RunFolderLock.acquire(folder, "test", notices::add);
    }

    private static long me() {
        return ProcessHandle.current().pid();
    }

    private static String inUse(Path folder, long pid) {
        Path abs = folder.toAbsolutePath().normalize();
        return "the run folder "
                + abs
                + " is in use by process "
                + pid
                + " on "
                + RunFolderLock.host()
                + " ("
                + abs.resolve(".lock")
                + "); wait for it to finish";
    }

    @Test
    void theLockFileNamesTheHolderAndIsGoneAfterClose() throws IOException {
        Path run = dir.resolve("run");
        Files.createDirectories(run);
        Files.writeString(run.resolve("config.yaml"), "x");
        try (RunFolderLock lock = acquire(run)) {
            String text = Files.readString(lock.file(), StandardCharsets.UTF_8);
            assertTrue(text.contains("pid: " + me() + "\n"), text);
            assertTrue(text.contains("host: " + RunFolderLock.host() + "\n"), text);
            assertTrue(text.contains("command: test\n"), text);
            assertTrue(RunFolderLock.heldHere(run));
        }
        assertFalse(Files.exists(run.resolve(".lock")), "released: the lock file is gone");
        assertFalse(RunFolderLock.heldHere(run));
        assertTrue(Files.isRegularFile(run.resolve("config.yaml")), "the folder is kept");
        assertEquals(List.of(), notices);
    }

    @Test
    void aFolderTheLockCreatedAndNobodyWroteIsRemovedAgain() throws IOException {
        Path run = dir.resolve("new");
        try (RunFolderLock lock = acquire(run)) {
            assertTrue(Files.isDirectory(run));
        }
        assertFalse(Files.exists(run), "a refused run leaves nothing behind");
        try (RunFolderLock lock = acquire(run)) {
            Files.writeString(run.resolve("metrics.jsonl"), "");
        }
        assertTrue(Files.isRegularFile(run.resolve("metrics.jsonl")), "a written folder is kept");
    }

    @Test
    void aSecondHolderInTheSameJvmIsRefusedAndTheFirstKeepsIt() throws IOException {
        Path run = dir.resolve("run");
        try (RunFolderLock first = acquire(run)) {
            RunFolderLock.InUseException e =
                    assertThrows(RunFolderLock.InUseException.class, () -> acquire(run));
            assertEquals(inUse(run, me()), e.getMessage());
            // Also through another spelling of the same folder.
            assertThrows(
                    RunFolderLock.InUseException.class, () -> acquire(dir.resolve("x/../run")));
            assertTrue(Files.exists(first.file()), "the refusal left the holder's file alone");
        }
        try (RunFolderLock again = acquire(run)) {
            assertTrue(Files.exists(again.file()));
        }
        assertEquals(List.of(), notices);
    }

    @Test
    void anotherJvmHoldsItThenDiesOfSigkillAndItsLockIsTakenOver() throws Exception {
        Path run = dir.resolve("run");
        Process holder = holdInAnotherJvm(run);
        try {
            RunFolderLock.InUseException e =
                    assertThrows(RunFolderLock.InUseException.class, () -> acquire(run));
            assertEquals(inUse(run, holder.pid()), e.getMessage());
        } finally {
            holder.destroyForcibly();
            assertTrue(holder.waitFor(1, TimeUnit.MINUTES));
        }
        assertTrue(Files.exists(run.resolve(".lock")), "SIGKILL left the lock file behind");
        try (RunFolderLock lock = acquire(run)) {
            assertTrue(Files.readString(lock.file()).contains("pid: " + me() + "\n"), "now ours");
        }
        assertEquals(
                List.of(
                        "taking over a stale lock of process "
                                + holder.pid()
                                + " on "
                                + RunFolderLock.host()
                                + " ("
                                + run.toAbsolutePath().resolve(".lock")
                                + "): that process is gone"),
                notices);
    }

    @Test
    void aLockOfAProcessThatIsGoneIsTakenOver() throws Exception {
        Path run = dir.resolve("run");
        Files.createDirectories(run);
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        write(run, gone.pid(), Instant.now());
        try (RunFolderLock lock = acquire(run)) {
            assertTrue(Files.readString(lock.file()).contains("pid: " + me() + "\n"));
        }
        assertEquals(1, notices.size(), notices.toString());
        assertTrue(
                notices.get(0).startsWith("taking over a stale lock of process " + gone.pid()),
                notices.toString());
    }

    @Test
    void aLiveHolderKeepsTheFolderEvenWhereTheOsLockIsFree() throws Exception {
        // As on a file system without working OS locks: the file names a live process of this
        // host that started before the lock was taken.
        Path run = dir.resolve("run");
        Files.createDirectories(run);
        Process alive = new ProcessBuilder("sleep", "60").start();
        try {
            Thread.sleep(50);
            write(run, alive.pid(), Instant.now().plusSeconds(5));
            RunFolderLock.InUseException e =
                    assertThrows(RunFolderLock.InUseException.class, () -> acquire(run));
            assertEquals(inUse(run, alive.pid()), e.getMessage());

            // The same pid, but the process started after the lock was taken: a reused pid, not
            // the holder.
            write(run, alive.pid(), Instant.parse("2000-01-01T00:00:00Z"));
            try (RunFolderLock lock = acquire(run)) {
                assertTrue(Files.readString(lock.file()).contains("pid: " + me() + "\n"));
            }
            assertEquals(1, notices.size(), notices.toString());
        } finally {
            alive.destroyForcibly();
            alive.waitFor();
        }
    }

    @Test
    void aHolderThatExitedButIsNotReapedYetIsGone() throws Exception {
        // A zombie (exited, its parent has not waited for it) still counts as alive for
        // ProcessHandle; its OS lock is gone, and so is the lock. The short sleep here exits as a
        // child of a process (the long sleep, exec'd by the shell) that never waits for it.
        Path run = dir.resolve("run");
        Files.createDirectories(run);
        Process parent =
                new ProcessBuilder("sh", "-c", "sleep 0.3 & echo $!; exec sleep 60").start();
        try {
            long pid =
                    Long.parseLong(
                            new BufferedReader(
                                            new InputStreamReader(
                                                    parent.getInputStream(),
                                                    StandardCharsets.UTF_8))
                                    .readLine()
                                    .trim());
            Path stat = Path.of("/proc", Long.toString(pid), "stat");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (!Files.readString(stat).contains(") Z ")) {
                assertTrue(System.nanoTime() < deadline, "a zombie: " + Files.readString(stat));
                Thread.sleep(10);
            }
            assertTrue(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));
            write(run, pid, Instant.now().plusSeconds(5));
            try (RunFolderLock lock = acquire(run)) {
                assertTrue(Files.readString(lock.file()).contains("pid: " + me() + "\n"));
            }
            assertEquals(1, notices.size(), notices.toString());
        } finally {
            parent.destroyForcibly();
            parent.waitFor();
        }
    }

    @Test
    void aHalfWrittenLockFileIsTakenOver() throws IOException {
        Path run = dir.resolve("run");
        Files.createDirectories(run);
        Files.writeString(run.resolve(".lock"), "pid: 12");
        try (RunFolderLock lock = acquire(run)) {
            assertTrue(Files.readString(lock.file()).contains("pid: " + me() + "\n"));
        }
        assertEquals(
                List.of(
                        "taking over a stale lock "
                                + run.toAbsolutePath().resolve(".lock")
                                + " (left by a process stopped while taking it)"),
                notices);
    }

    @Test
    void aFileWhereTheFolderShouldBeIsBadInput() throws IOException {
        Path file = Files.writeString(dir.resolve("file"), "x");
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> acquire(file));
        assertEquals(
                file.toAbsolutePath()
                        + " is a file; accepted: a run folder (a new or existing folder)",
                e.getMessage());
    }

    private static void write(Path run, long pid, Instant since) throws IOException {
        Files.writeString(
                run.resolve(".lock"),
                new RunFolderLock.Holder(pid, RunFolderLock.host(), since, "train").text());
    }

    /**
     * A child JVM that takes the lock of {@code run} and holds it until killed; returns once it
     * holds it.
     */
    private static Process holdInAnotherJvm(Path run) throws IOException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process child =
                new ProcessBuilder(
                                java.toString(),
                                "-cp",
                                System.getProperty("java.class.path"),
                                HoldLock.class.getName(),
                                run.toString())
                        .redirectErrorStream(true)
                        .start();
        BufferedReader out =
                new BufferedReader(
                        new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
        String line = out.readLine();
        assertEquals("held", line, "the child took the lock");
        return child;
    }

    /** The child: holds the lock of the folder {@code args[0]} until it is killed. */
    static final class HoldLock {
        private HoldLock() {}

        public static void main(String[] args) throws Exception {
            RunFolderLock lock =
                    RunFolderLock.acquire(Path.of(args[0]), "hold", System.err::println);
            System.out.println("held");
            System.out.flush();
            Thread.sleep(Long.MAX_VALUE);
            lock.close();
        }
    }
}
