package io.rankwise.cli;

import io.rankwise.api.grid.GridException;
import io.rankwise.api.plugin.PluginPath;
import io.rankwise.api.plugin.PluginStartException;
import io.rankwise.api.plugin.Plugins;
import io.rankwise.cli.command.AblateCommand;
import io.rankwise.cli.command.EvaluateCommand;
import io.rankwise.cli.command.ExportCommand;
import io.rankwise.cli.command.PluginsCommand;
import io.rankwise.cli.command.TrainCommand;
import io.rankwise.cli.smoke.SmokeCommand;
import io.rankwise.models.data.DataFormatException;
import io.rankwise.models.weights.WeightFormatException;
import io.rankwise.training.FineTuning;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code rankwise} command. */
@Command(
        name = "rankwise",
        mixinStandardHelpOptions = true,
        version = "rankwise 0.1.0-SNAPSHOT",
        description =
                "Adaptive low-rank fine-tuning (AdaLoRA) with Bayesian importance scores (IVON).",
        subcommands = {
            TrainCommand.class,
            AblateCommand.class,
            EvaluateCommand.class,
            ExportCommand.class,
            SmokeCommand.class,
            PluginsCommand.class,
            CommandLine.HelpCommand.class
        })
public final class Main implements Runnable {

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @CommandLine.Option(
            names = "--plugins",
            paramLabel = "DIR|JAR",
            scope = CommandLine.ScopeType.INHERIT,
            description =
                    "A folder of plugin jars, or one jar (repeatable); searched before $RANKWISE_PLUGINS and the"
                            + " plugins/ folder beside the launcher.")
    List<Path> pluginEntries = new ArrayList<>();

    @CommandLine.Option(
            names = "--verbose",
            scope = CommandLine.ScopeType.INHERIT,
            description = "Print the stack trace of a failure instead of its one-line message.")
    boolean verbose;

    private PluginPath pluginPath;
    private Plugins plugins;

    /**
     * The process's plugins, discovered once, when a command first needs them (so that {@code
     * --help} loads nothing), and passed down to every run the command makes: the built-in ones and
     * those in the jars of {@link #pluginPath()}.
     */
    public synchronized Plugins plugins() {
        if (plugins == null) {
            plugins = Plugins.discover(pluginPath());
        }
        return plugins;
    }

    /**
     * The plugin jars: {@code --plugins}, then {@code RANKWISE_PLUGINS}, then the launcher's {@code
     * plugins/} folder.
     *
     * @throws IllegalArgumentException for a named folder or jar that does not exist
     */
    public synchronized PluginPath pluginPath() {
        if (pluginPath == null) {
            pluginPath = PluginPath.fromEnvironment(pluginEntries);
        }
        return pluginPath;
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Runs the command line; bad input exits with 2, a failed run with 1. */
    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The configured command line (also used by tests). */
    public static CommandLine commandLine() {
        Main main = new Main();
        CommandLine cl = new CommandLine(main);
        TrainCommand.documentKeys(cl.getSubcommands().get("train"), main::plugins);
        cl.setExecutionExceptionHandler(
                (e, cmd, parsed) -> {
                    if (main.verbose) {
                        throw e;
                    }
                    int code = exitCode(e);
                    if (code == 0) {
                        throw e; // a bug: its stack trace is what helps
                    }
                    cmd.getErr().println("rankwise: " + e.getMessage());
                    return code;
                });
        return cl;
    }

    /**
     * The exit code of an expected failure, printed as one line: 2 for bad input (a configuration
     * value, a file in the wrong format), 1 for a failed run or environment (a grid whose cell
     * failed, a diverged run, a file that cannot be read or written: disk full, permissions, a
     * plugin that cannot start: a backend's natives); 0 for anything else, which is a bug and keeps
     * its stack trace.
     */
    static int exitCode(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof PluginStartException) {
                // A device the backend cannot use is bad input; natives that do not load, the
                // environment.
                for (Throwable c = t.getCause(); c != null; c = c.getCause()) {
                    if (c instanceof IllegalArgumentException) {
                        return 2;
                    }
                }
                return 1;
            }
            if (t instanceof IllegalArgumentException
                    || t instanceof WeightFormatException
                    || t instanceof DataFormatException) {
                return 2;
            }
            if (t instanceof GridException
                    || t instanceof FineTuning.DivergedException
                    || t instanceof IOException
                    || t instanceof UncheckedIOException) {
                return 1;
            }
        }
        return 0;
    }
}
