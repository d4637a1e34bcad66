package io.rankwise.cli;

import io.rankwise.api.plugin.Plugins;
import io.rankwise.cli.command.AblateCommand;
import io.rankwise.cli.command.EvaluateCommand;
import io.rankwise.cli.command.ExportCommand;
import io.rankwise.cli.command.PluginsCommand;
import io.rankwise.cli.command.TrainCommand;
import io.rankwise.cli.smoke.SmokeCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine;

/** The {@code rankwise} command. */
@Command(name = "rankwise", mixinStandardHelpOptions = true, version = "rankwise 0.1.0-SNAPSHOT",
        description = "Adaptive low-rank fine-tuning (AdaLoRA) with Bayesian importance scores (IVON).",
        subcommands = {TrainCommand.class, AblateCommand.class, EvaluateCommand.class, ExportCommand.class, SmokeCommand.class,
            PluginsCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    private Plugins plugins;

    /**
     * The process's plugins, discovered once, when a command first needs them (so that
     * {@code --help} loads nothing), and passed down to every run the command makes.
     */
    public synchronized Plugins plugins() {
        if (plugins == null) {
            plugins = Plugins.discover();
        }
        return plugins;
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
        CommandLine cl = new CommandLine(new Main());
        TrainCommand.documentKeys(cl.getSubcommands().get("train"));
        cl.setExecutionExceptionHandler((e, cmd, parsed) -> {
            if (e instanceof IllegalArgumentException) {
                cmd.getErr().println("rankwise: " + e.getMessage());
                return 2;
            }
            throw e;
        });
        return cl;
    }
}
