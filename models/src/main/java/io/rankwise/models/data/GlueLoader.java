package io.rankwise.models.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads GLUE tasks from a folder laid out as the official GLUE download: one folder per task (CoLA,
 * SST-2, MRPC, QQP, STS-B, MNLI, QNLI, RTE) holding train.tsv and dev.tsv (MNLI: dev_matched.tsv
 * and dev_mismatched.tsv). The train file must exist; a missing dev file only leaves that split out
 * (and is logged). test.tsv is not read: GLUE's test labels are not public.
 *
 * <p>Bad rows (wrong number of fields, unknown label, empty text) stop the load with a {@link
 * DataFormatException} that names file and line. With {@link #skipBadRows(boolean)} they are
 * skipped instead; each split's {@link ReadReport} says how many, with the first reasons, and a
 * warning is logged per file. (The public QQP train.tsv is known to hold a few rows with missing
 * fields; load it with skipping on.)
 */
public final class GlueLoader {
    private static final Logger LOG = LoggerFactory.getLogger(GlueLoader.class);

    private final Path root;
    private final boolean skipBadRows;

    private GlueLoader(Path root, boolean skipBadRows) {
        this.root = Objects.requireNonNull(root, "root");
        this.skipBadRows = skipBadRows;
    }

    /** A loader for the GLUE folder {@code root} (the folder that holds CoLA/, SST-2/, …). */
    public static GlueLoader at(Path root) {
        return new GlueLoader(root, false);
    }

    /** A copy that skips (and counts) bad rows instead of failing on the first one. */
    public GlueLoader skipBadRows(boolean skip) {
        return new GlueLoader(root, skip);
    }

    /** The GLUE folder. */
    public Path root() {
        return root;
    }

    /**
     * Reads the task's train and dev files.
     *
     * @throws java.nio.file.NoSuchFileException if the task folder or its train.tsv is missing
     * @throws DataFormatException on the first bad row, unless skipping is on
     * @throws IOException if a file cannot be read
     */
    public Task load(GlueTask task) throws IOException {
        Path folder = root.resolve(task.folder());
        if (!Files.isDirectory(folder)) {
            throw new java.nio.file.NoSuchFileException(
                    folder.toString(),
                    null,
                    "no folder for GLUE task "
                            + task.folder()
                            + "; expected "
                            + root
                            + "/"
                            + task.folder()
                            + "/train.tsv as in the GLUE download (glue_data/<task>/)");
        }
        GlueFileReader reader = new GlueFileReader(task.layout(), task.spec().kind(), skipBadRows);
        List<Split> splits = new ArrayList<>();
        for (Map.Entry<String, String> e : task.files().entrySet()) {
            Path file = folder.resolve(e.getValue());
            if (!Files.isRegularFile(file)) {
                if (e.getKey().equals(Split.TRAIN)) {
                    throw new java.nio.file.NoSuchFileException(
                            file.toString(),
                            null,
                            "GLUE task " + task.folder() + " needs its training file");
                }
                LOG.info(
                        "{}: no {} ({}), so no '{}' split",
                        task.folder(),
                        e.getValue(),
                        file,
                        e.getKey());
                continue;
            }
            Split split = reader.read(e.getKey(), file);
            log(task, split);
            splits.add(split);
        }
        return new Task(task.spec(), splits);
    }

    private static void log(GlueTask task, Split split) {
        ReadReport r = split.report();
        if (r.skipped() > 0) {
            LOG.warn(
                    "{}: skipped {} of {} rows in {}; first: {}",
                    task.folder(),
                    r.skipped(),
                    r.rows(),
                    r.source(),
                    r.problems().get(0));
        }
        LOG.info(
                "{} {}: {} examples from {}",
                task.folder(),
                split.name(),
                split.size(),
                r.source());
    }
}
