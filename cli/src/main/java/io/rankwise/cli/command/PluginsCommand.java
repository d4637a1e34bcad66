package io.rankwise.cli.command;

import io.rankwise.api.optim.Capability;
import io.rankwise.api.plugin.LoadProblem;
import io.rankwise.api.plugin.PluginPath;
import io.rankwise.api.plugin.PluginRegistry;
import io.rankwise.api.plugin.Plugins;
import io.rankwise.api.spi.ImportanceMetricProvider;
import io.rankwise.api.spi.OptimizerProvider;
import io.rankwise.api.spi.Option;
import io.rankwise.api.spi.Plugin;
import io.rankwise.cli.Main;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code rankwise plugins}: every discovered provider with its options, and those that failed. */
@Command(
        name = "plugins",
        mixinStandardHelpOptions = true,
        description =
                "List every discovered backend, optimizer, metric, allocator and adapter, with its options (meaning,"
                        + " default, accepted values) and what metrics need and optimizers offer.")
public final class PluginsCommand implements Callable<Integer> {

    @Spec CommandSpec spec;

    @ParentCommand Main main;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PluginPath path = main.pluginPath();
        if (path.jarsWithOrigin().isEmpty()) {
            out.println(
                    "plugin jars: none (--plugins DIR, $"
                            + PluginPath.ENVIRONMENT_VARIABLE
                            + " or the plugins/ folder)");
        } else {
            out.println("plugin jars:");
            path.jarsWithOrigin()
                    .forEach(
                            j ->
                                    out.printf(
                                            Locale.ROOT,
                                            "  %s (%s)%n",
                                            j.path(),
                                            j.origin().label()));
        }
        path.problems().forEach(p -> out.printf(Locale.ROOT, "  UNUSABLE %s%n", p));
        Plugins plugins = main.plugins();
        for (PluginRegistry<?> registry :
                List.of(
                        plugins.backends(),
                        plugins.optimizers(),
                        plugins.metrics(),
                        plugins.allocators(),
                        plugins.adapters(),
                        plugins.executors())) {
            print(out, registry);
        }
        return 0;
    }

    private static String describe(java.util.Set<Capability> capabilities) {
        return capabilities.stream()
                .map(c -> c.name().toLowerCase(Locale.ROOT))
                .sorted()
                .collect(java.util.stream.Collectors.joining(", "));
    }

    private static void print(PrintWriter out, PluginRegistry<?> registry) {
        out.printf(
                Locale.ROOT,
                "%ss (choose with %s, -D%s or $%s):%n",
                registry.kind(),
                registry.kind().equals("executor") ? "ablate --executor" : "the config",
                registry.propertyName(),
                registry.environmentName());
        if (registry.providers().isEmpty()) {
            out.println("  (none)");
        }
        for (Plugin p : registry.providers()) {
            out.printf(Locale.ROOT, "  %-12s rank %-3d %s%n", p.name(), p.rank(), p.description());
            if (p instanceof ImportanceMetricProvider m) {
                out.printf(
                        Locale.ROOT,
                        "      needs: %s%n",
                        m.requires().isEmpty() ? "nothing" : describe(m.requires()));
            } else if (p instanceof OptimizerProvider o) {
                out.printf(Locale.ROOT, "      offers: %s%n", describe(o.capabilities()));
            }
            // Printed from the plugin's declarations, as the configuration checks options against
            // them.
            for (Option<?> o : p.options()) {
                String unset =
                        o.defaultValue() == null && !o.required()
                                ? "left out: " + o.unset()
                                : "default " + o.defaultText();
                out.printf(Locale.ROOT, "      %-18s %s; %s%n", o.name(), o.doc(), unset);
                out.printf(Locale.ROOT, "      %-18s accepted: %s%n", "", o.accepted());
            }
        }
        for (LoadProblem problem : registry.problems()) {
            out.printf(Locale.ROOT, "  UNUSABLE %s%n", problem);
        }
    }
}
