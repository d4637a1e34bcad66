package io.rankwise.cli.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import io.rankwise.api.plugin.Plugins;
import io.rankwise.models.weights.AtomicFiles;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * Reads a {@link RankwiseConfig} from YAML, with {@code --set path=value} overrides, and writes the
 * resolved configuration back. Reading is: parse into a tree, apply the overrides, map every
 * section against its documented keys (absent keys take their defaults), and the plugin sections
 * against the plugins found: their names, and their options against each plugin's declared options.
 * Every error is a {@link ConfigException} naming the key, the value and what is accepted.
 *
 * <p>The commands pass the process's {@link Plugins} (built-in ones and those from plugin jars);
 * the methods without that parameter use {@link #builtInPlugins()}.
 *
 * <p>The resolved YAML that {@link #toYaml} writes lists every key, so a run's {@code config.yaml}
 * says exactly what ran, and reading it gives an equal record.
 */
public final class ConfigLoader {
    /**
     * The embedded quick training run: MiniLM-L6 on SpamAssassin, a few minutes on two CPU cores.
     */
    public static final String DEFAULT_TRAIN = "default-train.yaml";

    /** The embedded default ablation: the paper's five (optimizer, metric) configurations. */
    public static final String DEFAULT_ABLATE = "default-ablate.yaml";

    private static final YAMLMapper YAML =
            new YAMLMapper(
                    YAMLFactory.builder()
                            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
                            // Keep text that looks like a number (a run name "007") text when read
                            // back.
                            .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
                            .enable(YAMLGenerator.Feature.INDENT_ARRAYS_WITH_INDICATOR)
                            .build());

    private static final String RESOLVED_HEADER =
            "# The resolved configuration of this run: every key, defaults filled in.\n"
                    + "# rankwise train --help documents each key.\n";

    private ConfigLoader() {}

    /**
     * Reads {@code file} and applies {@code overrides}, checking plugin sections against {@code
     * plugins}.
     *
     * @throws ConfigException if the file does not exist or the configuration is not valid
     * @throws IOException if the file cannot be read
     */
    public static RankwiseConfig load(Plugins plugins, Path file, List<String> overrides)
            throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new ConfigException(
                    "config file "
                            + file
                            + " does not exist; accepted: a YAML file (see rankwise train --help)");
        }
        return read(
                plugins,
                Files.readString(file, StandardCharsets.UTF_8),
                file.toString(),
                overrides);
    }

    /** {@link #load(Plugins, Path, List)} with the {@link #builtInPlugins()}. */
    public static RankwiseConfig load(Path file, List<String> overrides) throws IOException {
        return load(builtInPlugins(), file, overrides);
    }

    /**
     * Reads YAML text (empty: all defaults) and applies {@code overrides}, checking plugin sections
     * against {@code plugins}.
     */
    public static RankwiseConfig parse(Plugins plugins, String yaml, List<String> overrides) {
        return read(plugins, yaml, "the configuration", overrides);
    }

    /** {@link #parse(Plugins, String, List)} with the {@link #builtInPlugins()}. */
    public static RankwiseConfig parse(String yaml, List<String> overrides) {
        return parse(builtInPlugins(), yaml, overrides);
    }

    /**
     * The embedded {@code name} ({@value #DEFAULT_TRAIN} or {@value #DEFAULT_ABLATE}) with {@code
     * overrides}.
     */
    public static RankwiseConfig embedded(Plugins plugins, String name, List<String> overrides) {
        return read(plugins, defaultYaml(name), name, overrides);
    }

    /**
     * The embedded {@value #DEFAULT_TRAIN} with {@code overrides}, with the {@link
     * #builtInPlugins()}.
     */
    public static RankwiseConfig defaultTrain(List<String> overrides) {
        return embedded(builtInPlugins(), DEFAULT_TRAIN, overrides);
    }

    /**
     * The embedded {@value #DEFAULT_ABLATE} with {@code overrides}, with the {@link
     * #builtInPlugins()}.
     */
    public static RankwiseConfig defaultAblate(List<String> overrides) {
        return embedded(builtInPlugins(), DEFAULT_ABLATE, overrides);
    }

    /**
     * The plugins on this library's class path, discovered once: what a configuration is checked
     * against when no plugin jars are in play (tests, embedding).
     */
    public static Plugins builtInPlugins() {
        return BuiltIn.PLUGINS;
    }

    /** Lazily, so that reading no configuration discovers nothing. */
    private static final class BuiltIn {
        static final Plugins PLUGINS = Plugins.discover(ConfigLoader.class.getClassLoader());
    }

    /**
     * The text of an embedded default ({@value #DEFAULT_TRAIN} or {@value #DEFAULT_ABLATE}),
     * comments included.
     */
    public static String defaultYaml(String name) {
        try (InputStream in = ConfigLoader.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalArgumentException(
                        "no embedded configuration "
                                + name
                                + "; accepted: "
                                + DEFAULT_TRAIN
                                + ", "
                                + DEFAULT_ABLATE);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the embedded " + name, e);
        }
    }

    /** Maps a YAML tree (null: all defaults) onto a configuration, without overrides. */
    public static RankwiseConfig fromTree(Plugins plugins, JsonNode tree) {
        return RankwiseConfig.read(tree, plugins);
    }

    /** The resolved configuration as a YAML tree: every section, every key. */
    public static ObjectNode toTree(RankwiseConfig config) {
        return config.toTree();
    }

    /** The resolved configuration as YAML: every key, with a header comment. */
    public static String toYaml(RankwiseConfig config) {
        try {
            return RESOLVED_HEADER + YAML.writeValueAsString(config.toTree());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a configuration tree always serialises", e);
        }
    }

    /** Writes {@link #toYaml} to {@code file} atomically (a temporary file, then a rename). */
    public static void write(RankwiseConfig config, Path file) throws IOException {
        AtomicFiles.replace(
                file, tmp -> Files.writeString(tmp, toYaml(config), StandardCharsets.UTF_8));
    }

    private static RankwiseConfig read(
            Plugins plugins, String yaml, String where, List<String> overrides) {
        JsonNode tree;
        try {
            refuseAliases(yaml);
            tree = YAML.readTree(yaml);
        } catch (JsonProcessingException e) {
            throw new ConfigException(where + " is not valid YAML: " + problem(e), e);
        }
        ObjectNode root;
        if (tree == null || tree.isMissingNode() || tree.isNull()) {
            root = JsonNodeFactory.instance.objectNode();
        } else if (tree instanceof ObjectNode object) {
            root = object;
        } else {
            throw Messages.badValue(
                    where, tree, "a mapping of sections " + RankwiseConfig.SECTION.keyList());
        }
        Overrides.apply(root, overrides);
        return RankwiseConfig.read(root, plugins);
    }

    /**
     * Refuses YAML aliases ({@code name: *out}): the parser would read one as the literal text
     * {@code out}, and a run would silently use that. Anchors alone ({@code &out}) are harmless and
     * pass; a configuration is short enough to write each value out.
     *
     * @throws ConfigException naming the key that holds the alias, and the alias
     */
    private static void refuseAliases(String yaml) throws JsonProcessingException {
        try (YAMLParser parser = (YAMLParser) YAML.getFactory().createParser(yaml)) {
            while (parser.nextToken() != null) {
                if (parser.isCurrentAlias()) {
                    throw new ConfigException(
                            keyPath(parser.getParsingContext())
                                    + " is the YAML alias *"
                                    + parser.getText()
                                    + "; accepted: the value itself (anchors & and aliases * are not"
                                    + " supported in a configuration: write the value out)");
                }
            }
        } catch (JsonProcessingException e) {
            throw e;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read YAML from a string", e);
        }
    }

    /** {@code training.lr_schedule.kind}, {@code ablation.pairs[0].metric}, as errors name keys. */
    private static String keyPath(JsonStreamContext context) {
        java.util.Deque<JsonStreamContext> chain = new java.util.ArrayDeque<>();
        for (JsonStreamContext c = context; c != null && !c.inRoot(); c = c.getParent()) {
            chain.push(c); // the outermost ends up first
        }
        StringBuilder path = new StringBuilder();
        for (JsonStreamContext c : chain) {
            if (c.inArray()) {
                path.append('[').append(c.getCurrentIndex()).append(']');
            } else {
                if (path.length() > 0) {
                    path.append('.');
                }
                path.append(c.getCurrentName());
            }
        }
        return path.length() == 0 ? "the configuration" : path.toString();
    }

    /**
     * The parser's problem on one line with where it is. SnakeYAML's own message spans several
     * lines with context and a caret; its problem and mark are the useful part.
     */
    private static String problem(JsonProcessingException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof MarkedYAMLException m && m.getProblemMark() != null) {
                return m.getProblem()
                        + " (line "
                        + (m.getProblemMark().getLine() + 1)
                        + ", column "
                        + (m.getProblemMark().getColumn() + 1)
                        + ")";
            }
        }
        JsonLocation location = e.getLocation();
        String at =
                location == null || location.getLineNr() < 1
                        ? ""
                        : " (line "
                                + location.getLineNr()
                                + ", column "
                                + location.getColumnNr()
                                + ")";
        return e.getOriginalMessage() + at;
    }
}
