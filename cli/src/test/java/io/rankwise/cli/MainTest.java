package io.rankwise.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rankwise.cli.config.ConfigLoader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The command line as a user meets it: listings and refusals of bad input. */
class MainTest {

    private static String[] run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int rc = cl.execute(args);
        return new String[] {String.valueOf(rc), out.toString(), err.toString()};
    }

    @Test
    void pluginsListsEveryKindWithNeedsAndRequiredOptions() {
        String[] r = run("plugins");
        assertEquals("0", r[0], r[2]);
        for (String expected :
                new String[] {
                    "djl ",
                    "tensorflow ",
                    "ivon ",
                    "adam ",
                    "sensitivity ",
                    "snr ",
                    "magnitude ",
                    "variance ",
                    "snr-abs ",
                    "mean-abs ",
                    "adalora ",
                    "lora ",
                    "needs: posterior",
                    "offers: gradients, posterior",
                    "default (required)"
                }) {
            assertTrue(r[1].contains(expected), "missing '" + expected + "' in:\n" + r[1]);
        }
    }

    @Test
    void pluginsPrintsEachOptionFromItsDeclaration() {
        String[] r = run("plugins");
        assertEquals("0", r[0], r[2]);
        assertTrue(
                r[1].contains(
                        "      clip_radius        clip of the update direction ρ (inf: none); default inf\n"
                                + "                         accepted: a number in (0, inf]\n"),
                r[1]);
        assertTrue(
                r[1].contains(
                        "      target_r           average rank per adapted matrix at the end of training (at most the"
                                + " adapters' init_r); default 4\n                         accepted: an integer >= 1\n"),
                r[1]);
    }

    @Test
    void trainHelpListsTheKeysAndThePluginsOptions() {
        String[] r = run("train", "--help");
        assertEquals("0", r[0], r[2]);
        for (String expected :
                new String[] {
                    "  training.batch_size ",
                    "  allocator.options.target_r (adalora) ",
                    "  optimizer.options.ess (ivon) ",
                    "default (required); accepted: a number > 0, or auto (the training-set size)",
                    "  metric.options.beta1 (sensitivity) "
                }) {
            assertTrue(r[1].contains(expected), "missing '" + expected + "' in:\n" + r[1]);
        }
    }

    @Test
    void helpListsEveryCommand() {
        String[] r = run("--help");
        assertEquals("0", r[0], r[2]);
        for (String command :
                new String[] {"train", "ablate", "evaluate", "export", "smoke", "plugins"}) {
            assertTrue(
                    r[1].contains("\n  " + command + " "), "missing " + command + " in:\n" + r[1]);
        }
    }

    @Test
    void badValuesExitWithTwoNamingTheValueAndWhatIsAccepted() {
        String[] device = run("smoke", "--device", "tpu");
        assertEquals("2", device[0]);
        assertEquals(
                "rankwise: device 'tpu' is not known; accepted: cpu, gpu, gpu:N (N >= 0), auto",
                device[2].trim());
        String[] dtype = run("smoke", "--dtype", "int8");
        assertEquals("2", dtype[0]);
        assertEquals(
                "rankwise: dtype 'int8' is not known; accepted: float32, float64, int32, int64, bool",
                dtype[2].trim());
        String[] steps = run("smoke", "--steps", "0");
        assertEquals("2", steps[0]);
        assertEquals("rankwise: --steps is 0; it must be >= 1", steps[2].trim());
    }

    @Test
    void resumeRefusesAnotherConfigurationNamingEachDifferenceAndWritesNothing(@TempDir Path dir)
            throws Exception {
        ConfigLoader.write(ConfigLoader.defaultTrain(List.of()), dir.resolve("config.yaml"));
        String[] changed =
                run(
                        "train",
                        "--resume",
                        "--run-dir",
                        dir.toString(),
                        "--set",
                        "training.epochs=3",
                        "--set",
                        "optimizer.options.lr=2");
        assertEquals("2", changed[0], changed[2]);
        assertEquals(
                "rankwise: --resume: the configuration differs from the one the run started with ("
                        + dir.resolve("config.yaml")
                        + "): optimizer.options.lr 10.0 -> 2.0, training.epochs 1 -> 3; resume with the same"
                        + " configuration (without --config, the run's config.yaml is used)",
                changed[2].trim());
        // The same value written another way is no change: the refusal is about the missing
        // checkpoint.
        String[] same =
                run(
                        "train",
                        "--resume",
                        "--run-dir",
                        dir.toString(),
                        "--set",
                        "optimizer.options.lr=10");
        assertEquals("2", same[0], same[2]);
        assertEquals(
                "rankwise: --resume: "
                        + dir.resolve("checkpoint").resolve("state.bin")
                        + " does not exist: the run stopped"
                        + " before its first checkpoint (run.checkpoint_every); start it again in another folder, without --resume",
                same[2].trim());
        String[] missing = run("train", "--resume", "--run-dir", dir.resolve("nothing").toString());
        assertEquals("2", missing[0], missing[2]);
        assertTrue(missing[2].contains("nothing/config.yaml does not exist"), missing[2]);
        try (var files = Files.list(dir)) {
            assertEquals(List.of(dir.resolve("config.yaml")), files.toList(), "nothing written");
        }
    }

    @Test
    void anotherPluginsOptionsAreRefusedWithTheWayOutAndNothingWritten(@TempDir Path dir)
            throws Exception {
        String[] r =
                run(
                        "train",
                        "--set",
                        "run.output_dir=" + dir,
                        "--set",
                        "task.max_eval=8",
                        "--set",
                        "optimizer.name=adam",
                        "--set",
                        "metric.name=sensitivity");
        assertEquals("2", r[0], r[2]);
        // Refused while reading the configuration, naming every option adam does not declare.
        assertTrue(
                r[2].contains(
                        "rankwise: optimizer.options: adam: unknown options 'ess', 'hess_init', 'clip_radius'; known"
                                + " options: lr, beta1, beta2, eps, weight_decay (after switching optimizer.name, clear the previous plugin's"
                                + " options with --set optimizer.options=null)"),
                r[2]);
        try (var files = Files.list(dir)) {
            assertEquals(List.of(), files.toList(), "nothing written");
        }
    }

    @Test
    void aFileThatCannotBeWrittenIsOneLineWithExitOneAndVerboseGivesTheStackTrace(@TempDir Path dir)
            throws Exception {
        Path notAFolder = Files.writeString(dir.resolve("a-file"), "x");
        String[] args = {
            "train",
            "--set",
            "run.output_dir=" + notAFolder,
            "--set",
            "task.max_train=32",
            "--set",
            "task.max_eval=16",
            "--set",
            "training.epochs=1",
            "--set",
            "model.max_length=16",
            "--set",
            "allocator.options.tinit=0",
            "--set",
            "allocator.options.tfinal=0",
            "--set",
            "allocator.options.delta_t=1"
        };
        StringWriter err = new StringWriter();
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(new StringWriter(), true));
        cl.setErr(new PrintWriter(err, true));
        assertEquals(1, cl.execute(args), err.toString());
        assertTrue(err.toString().startsWith("rankwise: "), err.toString());
        assertTrue(err.toString().contains(notAFolder + "/spam-assassin"), err.toString());
        assertTrue(err.toString().contains("Not a directory"), err.toString());
        assertEquals(1, err.toString().lines().count(), "one line: " + err);

        CommandLine verbose = Main.commandLine();
        verbose.setOut(new PrintWriter(new StringWriter(), true));
        StringWriter trace = new StringWriter();
        verbose.setErr(new PrintWriter(trace, true));
        List<String> withVerbose = new java.util.ArrayList<>(List.of(args));
        withVerbose.add("--verbose");
        verbose.execute(withVerbose.toArray(String[]::new));
        assertTrue(trace.toString().contains("\tat io.rankwise."), "a stack trace: " + trace);
    }

    @Test
    void aMalformedWeightFileIsOneLineWithExitTwo(@TempDir Path dir) throws Exception {
        Path model = Files.createDirectories(dir.resolve("model"));
        Files.writeString(
                model.resolve("config.json"),
                "{\"model_type\": \"bert\", \"hidden_size\": 32, \"num_hidden_layers\": 1,"
                        + " \"num_attention_heads\": 2, \"intermediate_size\": 64, \"vocab_size\": 100,"
                        + " \"max_position_embeddings\": 64, \"type_vocab_size\": 2, \"hidden_act\": \"gelu\"}");
        Files.writeString(
                model.resolve("model.safetensors.index.json"),
                "{\"weight_map\": {\"embeddings.word_embeddings.weight\": \"../good/model.safetensors\"}}");
        StringWriter err = new StringWriter();
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(new StringWriter(), true));
        cl.setErr(new PrintWriter(err, true));
        int rc =
                cl.execute(
                        "train",
                        "--set",
                        "model.source=" + model,
                        "--set",
                        "run.output_dir=" + dir.resolve("runs"),
                        "--set",
                        "task.max_train=32",
                        "--set",
                        "allocator.options.tinit=0",
                        "--set",
                        "allocator.options.tfinal=0",
                        "--set",
                        "allocator.options.delta_t=1");
        assertEquals(2, rc, err.toString());
        assertEquals(
                "rankwise: "
                        + model.resolve("model.safetensors.index.json")
                        + ": names shard '../good/model.safetensors', which is not a file in "
                        + model,
                err.toString().strip());
    }

    /** A plugin that cannot start: the environment (1), or a value it refused (2). */
    @Test
    void aPluginThatCannotStartIsTheEnvironmentUnlessAValueWasRefused() {
        assertEquals(
                1,
                Main.exitCode(
                        new io.rankwise.api.plugin.PluginStartException(
                                "the backend 'x' failed to start", new UnsatisfiedLinkError())));
        assertEquals(
                1,
                Main.exitCode(
                        new io.rankwise.api.plugin.PluginStartException(
                                "no backend could be started")));
        assertEquals(
                2,
                Main.exitCode(
                        new io.rankwise.api.plugin.PluginStartException(
                                "the backend 'x' failed to start",
                                new IllegalArgumentException("device gpu:3: no such GPU"))));
        assertEquals(0, Main.exitCode(new IllegalStateException("a bug")));
    }
}
