package io.rankwise.cli.command;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.rankwise.cli.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code train} on a backend that is there but whose engine does not start (its natives do not
 * load) fails in one line with exit code 1, the environment's: it printed the stack trace of an
 * IllegalStateException, as for a bug.
 */
class BackendStartFailureTest {

    @Test
    void trainOnABackendThatFailsToStartFailsInOneLine(@TempDir Path dir) throws Exception {
        Path jar = StartFailingBackend.pluginJar(dir);
        CommandLine cl = Main.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int rc =
                cl.execute(
                        "train",
                        "--plugins",
                        jar.toString(),
                        "--set",
                        "backend.name=" + StartFailingBackend.NAME,
                        "--set",
                        "run.output_dir=" + dir,
                        "--set",
                        "run.name=run",
                        "--set",
                        "task.max_train=16",
                        "--set",
                        "task.max_eval=8",
                        "--set",
                        "training.max_steps=4",
                        "--set",
                        "allocator.options.tinit=1",
                        "--set",
                        "allocator.options.tfinal=1",
                        "--set",
                        "training.lr_schedule.warmup_steps=1");
        assertEquals(1, rc, err.toString() + out);
        assertEquals(
                List.of(
                        "rankwise: the backend 'broken' failed to start: no broken_jni in"
                                + " java.library.path"),
                err.toString().lines().toList(),
                err.toString());
    }
}
