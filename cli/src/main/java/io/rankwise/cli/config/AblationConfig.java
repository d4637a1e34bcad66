package io.rankwise.cli.config;

import static io.rankwise.cli.config.ValueKind.COUNT_OR_LIST;
import static io.rankwise.cli.config.ValueKind.LIST;
import static io.rankwise.cli.config.ValueKind.SECTION_LIST;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.rankwise.api.plugin.Plugins;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code ablation} section, read by {@code rankwise ablate}: the grid backends × pairs × seeds
 * × tasks. An empty list stands for the one value of the matching section ({@code backend}, {@code
 * optimizer} with {@code metric}, {@code task}), so a training config is also a one-cell ablation.
 *
 * @param backends backend names; empty: {@code backend.name}
 * @param pairs (optimizer, metric) configurations; empty: {@code optimizer.name + metric.name}
 * @param seeds the seeds, one cell each (a count n in YAML means run.seed … run.seed + n − 1)
 * @param tasks task names; empty: {@code task.name}
 */
public record AblationConfig(
        List<String> backends, List<AblationPair> pairs, List<Long> seeds, List<String> tasks) {

    private static final String SEEDS_ACCEPTED =
            "a count >= 1 (seeds run.seed, run.seed+1, ...) or a non-empty list of integers";

    /** The keys of {@code ablation}. */
    public static final ConfigSection SECTION =
            new ConfigSection(
                    "ablation",
                    "the grid that rankwise ablate runs: backends x pairs x seeds x tasks",
                    List.of(
                            ConfigKey.of(
                                    "backends",
                                    LIST,
                                    "a list of backend names",
                                    "[]",
                                    "backends to compare; empty: backend.name"),
                            new ConfigKey(
                                    "pairs",
                                    SECTION_LIST,
                                    "a list of " + AblationPair.ACCEPTED,
                                    "[]",
                                    "(optimizer, metric) configurations to compare, and LoRA baselines (adapter: lora); empty:"
                                            + " optimizer.name+metric.name (lora-optimizer.name when adapter.kind is lora)",
                                    AblationPair.SECTION),
                            ConfigKey.of(
                                    "seeds",
                                    COUNT_OR_LIST,
                                    SEEDS_ACCEPTED,
                                    "1",
                                    "seeds per cell; results are reported as mean ± std over them"),
                            ConfigKey.of(
                                    "tasks",
                                    LIST,
                                    "a list of task names (as task.name)",
                                    "[]",
                                    "tasks to run; empty: task.name")));

    /** Copies the lists; there is at least one seed. */
    public AblationConfig {
        backends = List.copyOf(backends);
        pairs = List.copyOf(pairs);
        seeds = List.copyOf(seeds);
        tasks = List.copyOf(tasks);
        if (seeds.isEmpty()) {
            throw new IllegalArgumentException("ablation.seeds: at least one seed");
        }
    }

    /**
     * Reads the section; {@code runSeed} is the first seed of a count, and the pairs' options are
     * read against {@code plugins} and laid over the {@code optimizer} and {@code metric} sections.
     */
    static AblationConfig read(
            SectionReader r,
            long runSeed,
            Plugins plugins,
            PluginConfig optimizer,
            PluginConfig metric) {
        List<String> tasks = new ArrayList<>();
        List<String> written = r.strings("tasks");
        for (int i = 0; i < written.size(); i++) {
            String path = r.path("tasks") + "[" + i + "]";
            TextNode item = TextNode.valueOf(written.get(i));
            tasks.add(
                    TaskConfig.canonical(item.asText())
                            .orElseThrow(
                                    () ->
                                            Messages.badValue(
                                                    path,
                                                    item,
                                                    String.join(", ", TaskConfig.NAMES))));
        }
        return new AblationConfig(
                r.strings("backends"),
                readPairs(r, plugins, optimizer, metric),
                readSeeds(r, runSeed),
                tasks);
    }

    private static List<AblationPair> readPairs(
            SectionReader r, Plugins plugins, PluginConfig optimizer, PluginConfig metric) {
        JsonNode v = r.value("pairs");
        List<AblationPair> pairs = new ArrayList<>();
        if (v.isTextual()) {
            // The command-line shorthand: adam+sensitivity,ivon+snr
            for (String item : v.asText().split(",")) {
                if (!item.isBlank()) {
                    pairs.add(
                            AblationPair.read(
                                    TextNode.valueOf(item.trim()),
                                    r.path("pairs") + "[" + pairs.size() + "]",
                                    plugins,
                                    optimizer,
                                    metric));
                }
            }
            return pairs;
        }
        if (!v.isArray()) {
            throw r.bad("pairs");
        }
        for (int i = 0; i < v.size(); i++) {
            pairs.add(
                    AblationPair.read(
                            v.get(i), r.path("pairs") + "[" + i + "]", plugins, optimizer, metric));
        }
        return pairs;
    }

    private static List<Long> readSeeds(SectionReader r, long runSeed) {
        JsonNode v = r.value("seeds");
        if (v.isIntegralNumber() || v.isTextual() && !v.asText().contains(",")) {
            long count = r.integer("seeds", 1, 10_000);
            List<Long> seeds = new ArrayList<>();
            for (long i = 0; i < count; i++) {
                seeds.add(runSeed + i);
            }
            return seeds;
        }
        List<Long> seeds = new ArrayList<>();
        if (v.isArray() && v.size() > 0) {
            for (JsonNode item : v) {
                if (item.isIntegralNumber() && item.canConvertToLong()) {
                    seeds.add(item.longValue());
                } else {
                    throw r.bad("seeds");
                }
            }
            return seeds;
        }
        if (v.isTextual()) {
            for (String part : v.asText().split(",")) {
                try {
                    seeds.add(Long.parseLong(part.trim()));
                } catch (NumberFormatException e) {
                    throw r.bad("seeds");
                }
            }
            return seeds;
        }
        throw r.bad("seeds");
    }

    void write(ObjectNode out) {
        ArrayNode b = out.putArray("backends");
        backends.forEach(b::add);
        ArrayNode p = out.putArray("pairs");
        pairs.forEach(pair -> pair.write(p.addObject()));
        ArrayNode s = out.putArray("seeds");
        seeds.forEach(s::add);
        ArrayNode t = out.putArray("tasks");
        tasks.forEach(t::add);
    }
}
