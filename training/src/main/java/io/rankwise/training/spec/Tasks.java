package io.rankwise.training.spec;

import io.rankwise.models.data.GlueLoader;
import io.rankwise.models.data.GlueTask;
import io.rankwise.models.data.SpamAssassin;
import io.rankwise.models.data.Task;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** The tasks a run can train on, by name, and how their data is loaded. */
public final class Tasks {
    /** The demo task: SpamAssassin ham/spam mails, shipped as an npm package. */
    public static final String SPAM_ASSASSIN = "spam-assassin";

    /** The prefix of GLUE task names. */
    public static final String GLUE_PREFIX = "glue:";

    /** Every accepted task name, lower case: {@value #SPAM_ASSASSIN}, then {@code glue:<task>}. */
    public static final List<String> NAMES = names();

    private Tasks() {}

    /** {@code name} in the canonical form of {@link #NAMES}, if it is a task. */
    public static Optional<String> canonical(String name) {
        String lower = name.trim().toLowerCase(Locale.ROOT);
        return NAMES.contains(lower) ? Optional.of(lower) : Optional.empty();
    }

    /** The GLUE task a {@code glue:} name stands for; empty for other tasks. */
    public static Optional<GlueTask> glueTask(String name) {
        if (!name.startsWith(GLUE_PREFIX)) {
            return Optional.empty();
        }
        String wanted = name.substring(GLUE_PREFIX.length());
        for (GlueTask t : GlueTask.values()) {
            if (glueName(t).equals(wanted)) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }

    /**
     * Loads the task of {@code data}, subsampled to its max_train and max_eval by {@code seed}.
     *
     * @throws IOException if the data cannot be read or fetched
     */
    public static Task load(RunSpec.Data data, long seed) throws IOException {
        // 0 means "all" in the spec (as documented for task.max_train / max_eval); the loaders
        // take an upper bound.
        int maxTrain = data.maxTrain() == 0 ? Integer.MAX_VALUE : data.maxTrain();
        int maxEval = data.maxEval() == 0 ? Integer.MAX_VALUE : data.maxEval();
        Optional<GlueTask> glue = glueTask(data.name());
        if (glue.isPresent()) {
            return GlueLoader.at(Path.of(data.dataDir()))
                    .skipBadRows(data.skipBadRows())
                    .load(glue.get())
                    .subsample(maxTrain, maxEval, seed);
        }
        return SpamAssassin.builder().maxTrain(maxTrain).maxEval(maxEval).seed(seed).build().load();
    }

    private static String glueName(GlueTask t) {
        return t.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    private static List<String> names() {
        List<String> names = new ArrayList<>();
        names.add(SPAM_ASSASSIN);
        for (GlueTask t : GlueTask.values()) {
            names.add(GLUE_PREFIX + glueName(t));
        }
        return List.copyOf(names);
    }
}
