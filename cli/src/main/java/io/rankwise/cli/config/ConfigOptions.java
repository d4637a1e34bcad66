package io.rankwise.cli.config;

import io.rankwise.api.plugin.Plugins;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * The {@code --config PATH} and {@code --set key=value} options, shared as a picocli {@code @Mixin}
 * by the commands that read a configuration, so that they are spelled, documented and applied the
 * same way everywhere. Each command names its own embedded default in its description and passes it
 * to {@link #load}.
 */
public final class ConfigOptions {

    @Option(
            names = "--config",
            paramLabel = "PATH",
            description =
                    "A YAML configuration file (without it: the embedded default the command's description names;"
                            + " rankwise train --help lists every key).")
    Path file;

    @Option(
            names = "--set",
            paramLabel = "KEY=VALUE",
            description =
                    "Override one configuration key, e.g. --set training.epochs=2 or --set adapter.target_modules=query,value"
                            + " (repeatable, later wins; null restores the key's default).")
    List<String> sets = new ArrayList<>();

    /** The {@code --config} file, if one was given. */
    public Optional<Path> file() {
        return Optional.ofNullable(file);
    }

    /** The {@code --set} overrides, in command-line order. */
    public List<String> overrides() {
        return List.copyOf(sets);
    }

    /**
     * The configuration: the {@code --config} file, or else the embedded default named {@code
     * embeddedDefault} (e.g. {@link ConfigLoader#DEFAULT_TRAIN}), with the {@code --set} overrides
     * and then {@code extra} overrides (a command's shorthand options) applied, and its plugin
     * sections checked against {@code plugins}.
     *
     * @throws ConfigException naming the key, value and what is accepted if the result is not valid
     */
    public RankwiseConfig load(Plugins plugins, String embeddedDefault, List<String> extra)
            throws IOException {
        List<String> all = new ArrayList<>(sets);
        all.addAll(extra);
        return file != null
                ? ConfigLoader.load(plugins, file, all)
                : ConfigLoader.embedded(plugins, embeddedDefault, all);
    }

    /** {@link #load(Plugins, String, List)} without extra overrides. */
    public RankwiseConfig load(Plugins plugins, String embeddedDefault) throws IOException {
        return load(plugins, embeddedDefault, List.of());
    }
}
