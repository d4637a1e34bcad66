package io.rankwise.cli.config;

import static io.rankwise.cli.config.ValueKind.BOOLEAN;
import static io.rankwise.cli.config.ValueKind.INTEGER;
import static io.rankwise.cli.config.ValueKind.STRING;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rankwise.models.data.GlueTask;
import io.rankwise.training.spec.Tasks;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The {@code task} section: the data set and how much of it is used.
 *
 * @param name {@value #SPAM_ASSASSIN} or {@code glue:<task>} (lower case, e.g. {@code glue:sst-2})
 * @param dataDir the GLUE download's root folder (holding {@code CoLA/}, {@code SST-2/}, …)
 * @param maxTrain training examples used, a deterministic subsample; 0: all
 * @param maxEval dev examples evaluated; 0: all
 * @param skipBadRows skip malformed GLUE rows (they are counted) instead of failing
 */
public record TaskConfig(
        String name, Path dataDir, int maxTrain, int maxEval, boolean skipBadRows) {

    /** The demo task: SpamAssassin ham/spam mails, shipped as an npm package. */
    public static final String SPAM_ASSASSIN = Tasks.SPAM_ASSASSIN;

    /** Every accepted task name. */
    public static final List<String> NAMES = Tasks.NAMES;

    /** The keys of {@code task}. */
    public static final ConfigSection SECTION =
            new ConfigSection(
                    "task",
                    "the data set and how much of it is used",
                    List.of(
                            ConfigKey.of(
                                    "name",
                                    STRING,
                                    String.join(", ", NAMES),
                                    SPAM_ASSASSIN,
                                    "the task: the SpamAssassin demo (downloaded once, cached) or a GLUE task read from data_dir"),
                            ConfigKey.of(
                                    "data_dir",
                                    STRING,
                                    "a folder path",
                                    "glue_data",
                                    "root of the GLUE download (holds CoLA/, SST-2/, ...); read only for glue: tasks"),
                            ConfigKey.of(
                                    "max_train",
                                    INTEGER,
                                    "integer >= 0",
                                    "1024",
                                    "training examples used (a deterministic subsample); 0: all"),
                            ConfigKey.of(
                                    "max_eval",
                                    INTEGER,
                                    "integer >= 0",
                                    "256",
                                    "dev examples evaluated; 0: all"),
                            ConfigKey.of(
                                    "skip_bad_rows",
                                    BOOLEAN,
                                    "true, false",
                                    "false",
                                    "skip malformed GLUE rows (counted in the report) instead of failing on the first")));

    /** Checks what the mapping checks. */
    public TaskConfig {
        Objects.requireNonNull(dataDir, "dataDir");
        if (!NAMES.contains(name) || maxTrain < 0 || maxEval < 0) {
            throw new IllegalArgumentException(
                    "task: name one of " + NAMES + ", max_train and max_eval >= 0");
        }
    }

    /** The GLUE task, for {@code glue:} names. */
    public Optional<GlueTask> glueTask() {
        return Tasks.glueTask(name);
    }

    /** {@code name} in the canonical form of {@link #NAMES}, if it is a task. */
    static Optional<String> canonical(String name) {
        return Tasks.canonical(name);
    }

    static TaskConfig read(SectionReader r) {
        String name = canonical(r.text("name")).orElseThrow(() -> r.bad("name"));
        return new TaskConfig(
                name,
                Path.of(r.nonBlank("data_dir")),
                r.intValue("max_train", 0, Integer.MAX_VALUE),
                r.intValue("max_eval", 0, Integer.MAX_VALUE),
                r.bool("skip_bad_rows"));
    }

    void write(ObjectNode out) {
        out.put("name", name);
        out.put("data_dir", dataDir.toString());
        out.put("max_train", maxTrain);
        out.put("max_eval", maxEval);
        out.put("skip_bad_rows", skipBadRows);
    }

    /** This section with another task (one cell of an ablation). */
    public TaskConfig withName(String newName) {
        return new TaskConfig(newName, dataDir, maxTrain, maxEval, skipBadRows);
    }
}
