package io.rankwise.cli.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rankwise.cli.Main;
import io.rankwise.cli.train.RunFolderLock;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What keeps a command inside its folder and alone in it, as a user meets it: a {@code run.name}
 * that would write outside {@code run.output_dir} is refused by {@code train} and {@code ablate}
 * before anything is written (it used to write the run outside); an {@code ablate} into a grid
 * folder another command holds, and an {@code export} into a run folder a run holds, are refused
 * naming the holder.
 */
class RunFolderGuardsTest {
    private static final String ACCEPTED =
            "; accepted: a folder name inside output_dir (no / or \\, not . or .., not absolute),"
                    + " or '' for a generated one";

    @TempDir Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"train", "ablate"})
    void aNameOutsideOutputDirIsRefusedAndNothingIsWritten(String command) throws Exception {
        Path outputDir = dir.resolve("a/b/runs");
        for (String name : List.of("../../X", dir.resolve("abs").toString(), "nested/run")) {
            StringWriter err = new StringWriter();
            int rc =
                    run(
                            err,
                            command,
                            "--set",
                            "run.output_dir=" + outputDir,
                            "--set",
                            "run.name=" + name);
            assertEquals(2, rc, command + " " + name + ": " + err);
            assertEquals(
                    "rankwise: run.name is " + name + ACCEPTED,
                    err.toString().strip(),
                    command + " " + name);
        }
        try (Stream<Path> all = Files.walk(dir)) {
            assertEquals(List.of(dir), all.toList(), "nothing written anywhere");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "--resume"})
    void anAblateIntoAGridFolderInUseIsRefused(String resume) throws Exception {
        Path grid = dir.resolve("grid");
        try (RunFolderLock held = RunFolderLock.acquire(grid, "ablate", n -> {})) {
            StringWriter err = new StringWriter();
            List<String> args =
                    new ArrayList<>(
                            List.of(
                                    "ablate",
                                    "--set",
                                    "run.output_dir=" + dir,
                                    "--set",
                                    "run.name=grid"));
            if (!resume.isEmpty()) {
                args.add(resume);
            }
            int rc = run(err, args.toArray(String[]::new));
            assertEquals(2, rc, err.toString());
            assertEquals(
                    "rankwise: the run folder "
                            + grid.toAbsolutePath()
                            + " is in use by process "
                            + ProcessHandle.current().pid()
                            + " on "
                            + hostOf(held)
                            + " ("
                            + held.file()
                            + "); wait for it to finish",
                    err.toString().strip());
            assertTrue(Files.exists(held.file()), "the holder keeps its lock");
        }
        assertFalse(Files.exists(grid), "the refused command left nothing behind");
    }

    @ParameterizedTest
    @ValueSource(strings = {"train", "export"})
    void aCommandIntoARunFolderInUseIsRefused(String command) throws Exception {
        Path run = dir.resolve("run");
        Files.createDirectories(run);
        try (RunFolderLock held = RunFolderLock.acquire(run, "train", n -> {})) {
            StringWriter err = new StringWriter();
            int rc = run(err, command, "--run-dir", run.toString());
            assertEquals(2, rc, err.toString());
            assertTrue(
                    err.toString()
                            .strip()
                            .startsWith(
                                    "rankwise: the run folder "
                                            + run.toAbsolutePath()
                                            + " is in use by process "),
                    err.toString());
        }
    }

    private static String hostOf(RunFolderLock lock) throws Exception {
        return Files.readAllLines(lock.file()).stream()
                .filter(l -> l.startsWith("host: "))
                .findFirst()
                .orElseThrow()
                .substring("host: ".length());
    }

    private static int run(StringWriter err, String... args) {
        var cl = Main.commandLine();
        cl.setOut(new PrintWriter(new StringWriter(), true));
        cl.setErr(new PrintWriter(err, true));
        return cl.execute(args);
    }
}
