package io.rankwise.cli.config;

import static io.rankwise.cli.config.ValueKind.INTEGER;
import static io.rankwise.cli.config.ValueKind.STRING;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.List;

/**
 * The {@code run} section: naming, seeding and the cadence of logs, evaluations and checkpoints.
 *
 * @param name the run's folder name under {@code outputDir}; empty: the command picks one
 * @param outputDir where run folders are written
 * @param seed the seed of everything random in the run
 * @param logEvery steps between lines of {@code metrics.jsonl}
 * @param evalEvery steps between dev-set evaluations; 0: only at the end
 * @param checkpointEvery steps between checkpoints; 0: only the last step's
 */
public record RunConfig(
        String name, Path outputDir, long seed, int logEvery, int evalEvery, int checkpointEvery) {

    /** What {@code run.name} accepts: one folder inside output_dir, never a path out of it. */
    static final String FOLDER_NAME =
            "a folder name inside output_dir (no / or \\, not . or .., not absolute), or '' for a"
                    + " generated one";

    /** The keys of {@code run}. */
    public static final ConfigSection SECTION =
            new ConfigSection(
                    "run",
                    "naming, seed and the cadence of logs, evaluations and checkpoints",
                    List.of(
                            ConfigKey.of(
                                    "name",
                                    STRING,
                                    FOLDER_NAME,
                                    "''",
                                    "the run's folder under output_dir; empty: <task>-<optimizer>-<metric>-<date-time> (a lora run: <task>-lora-<optimizer>-<date-time>)"),
                            ConfigKey.of(
                                    "output_dir",
                                    STRING,
                                    "a folder path",
                                    "runs",
                                    "where run folders are written"),
                            ConfigKey.of(
                                    "seed",
                                    INTEGER,
                                    "integer",
                                    "42",
                                    "seed of everything random: adapter and head initialisation, data order, dropout, IVON noise"),
                            ConfigKey.of(
                                    "log_every",
                                    INTEGER,
                                    "integer >= 1",
                                    "10",
                                    "steps between lines of metrics.jsonl (loss, lr, budget, seconds)"),
                            ConfigKey.of(
                                    "eval_every",
                                    INTEGER,
                                    "integer >= 0",
                                    "0",
                                    "steps between dev-set evaluations; 0: only at the end"),
                            ConfigKey.of(
                                    "checkpoint_every",
                                    INTEGER,
                                    "integer >= 0",
                                    "50",
                                    "steps between checkpoints that --resume continues from; 0: only the last step's"
                                            + " (every finished run keeps its final state for evaluate and export)")));

    /**
     * Checks the values (the mapping checks them too, with the key names; this guards code that
     * builds records).
     */
    public RunConfig {
        if (name == null
                || (!name.isEmpty() && !isFolderName(name))
                || outputDir == null
                || logEvery < 1
                || evalEvery < 0
                || checkpointEvery < 0) {
            throw new IllegalArgumentException(
                    "run: name and output_dir are required, name is "
                            + FOLDER_NAME
                            + ", log_every >= 1, eval_every and checkpoint_every >= 0");
        }
    }

    /**
     * Whether {@code name} names one folder: a run written under {@code output_dir/name} stays
     * inside output_dir. Refused: path separators (both, so that a configuration means the same on
     * every system), {@code .} and {@code ..}, control characters, and anything the platform reads
     * as having a root (such as {@code C:x} on Windows). Other characters, {@code :} among them,
     * are the file system's business.
     */
    public static boolean isFolderName(String name) {
        if (name.isEmpty()
                || name.equals(".")
                || name.equals("..")
                || name.indexOf('/') >= 0
                || name.indexOf('\\') >= 0
                || name.chars().anyMatch(Character::isISOControl)) {
            return false;
        }
        try {
            Path p = Path.of(name);
            return p.getRoot() == null && !p.isAbsolute() && p.getNameCount() == 1;
        } catch (java.nio.file.InvalidPathException e) {
            return false;
        }
    }

    static RunConfig read(SectionReader r) {
        String outputDir = r.nonBlank("output_dir");
        return new RunConfig(
                r.folderName("name"),
                Path.of(outputDir),
                r.integer("seed", Long.MIN_VALUE, Long.MAX_VALUE),
                r.intValue("log_every", 1, Integer.MAX_VALUE),
                r.intValue("eval_every", 0, Integer.MAX_VALUE),
                r.intValue("checkpoint_every", 0, Integer.MAX_VALUE));
    }

    void write(ObjectNode out) {
        out.put("name", name);
        out.put("output_dir", outputDir.toString());
        out.put("seed", seed);
        out.put("log_every", logEvery);
        out.put("eval_every", evalEvery);
        out.put("checkpoint_every", checkpointEvery);
    }

    /** This section with another seed (one cell of an ablation). */
    public RunConfig withSeed(long newSeed) {
        return new RunConfig(name, outputDir, newSeed, logEvery, evalEvery, checkpointEvery);
    }

    /** This section with another run name. */
    public RunConfig withName(String newName) {
        return new RunConfig(newName, outputDir, seed, logEvery, evalEvery, checkpointEvery);
    }
}
