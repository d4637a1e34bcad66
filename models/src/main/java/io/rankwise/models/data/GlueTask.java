package io.rankwise.models.data;

import static io.rankwise.models.metrics.TaskMetric.ACCURACY;
import static io.rankwise.models.metrics.TaskMetric.F1;
import static io.rankwise.models.metrics.TaskMetric.MATTHEWS_CORRELATION;
import static io.rankwise.models.metrics.TaskMetric.PEARSON;
import static io.rankwise.models.metrics.TaskMetric.SPEARMAN;

import io.rankwise.models.metrics.TaskMetric;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The eight GLUE tasks of the AdaLoRA paper, each with its folder name in the official GLUE
 * download ({@code glue_data/<folder>/}), its TSV layout, its files (split name to file name; the
 * unlabelled test.tsv is not read), its labels as written in the files and its metrics.
 */
public enum GlueTask {
    /**
     * Corpus of Linguistic Acceptability: no header; columns source, label, original mark,
     * sentence.
     */
    COLA(
            "CoLA",
            new GlueLayout(
                    false,
                    4,
                    GlueLayout.Column.at(3, "sentence"),
                    null,
                    GlueLayout.Column.at(1, "label")),
            binary(),
            List.of(MATTHEWS_CORRELATION)),
    /** Stanford Sentiment Treebank, binary: header {@code sentence, label}. */
    SST_2("SST-2", GlueLayout.withHeader("sentence", null, "label"), binary(), List.of(ACCURACY)),
    /**
     * Microsoft Research Paraphrase Corpus: header {@code Quality, #1 ID, #2 ID, #1 String, #2
     * String}.
     */
    MRPC(
            "MRPC",
            GlueLayout.withHeader("#1 String", "#2 String", "Quality"),
            binary(),
            List.of(ACCURACY, F1)),
    /** Quora Question Pairs: header {@code id, qid1, qid2, question1, question2, is_duplicate}. */
    QQP(
            "QQP",
            GlueLayout.withHeader("question1", "question2", "is_duplicate"),
            binary(),
            List.of(ACCURACY, F1)),
    /**
     * Semantic Textual Similarity Benchmark: sentence1 and sentence2 at 7 and 8, score last; a
     * regression 0..5.
     */
    STS_B(
            "STS-B",
            GlueLayout.withHeader("sentence1", "sentence2", "score"),
            new TaskKind.Regression(0, 5),
            List.of(PEARSON, SPEARMAN)),
    /**
     * Multi-Genre NLI: sentence1 and sentence2 at 8 and 9, gold_label last; dev is matched and
     * mismatched.
     */
    MNLI(
            "MNLI",
            GlueLayout.withHeader("sentence1", "sentence2", "gold_label"),
            classes("contradiction", "entailment", "neutral"),
            List.of(ACCURACY)),
    /** Question NLI: header {@code index, question, sentence, label}. */
    QNLI(
            "QNLI",
            GlueLayout.withHeader("question", "sentence", "label"),
            classes("entailment", "not_entailment"),
            List.of(ACCURACY)),
    /** Recognizing Textual Entailment: header {@code index, sentence1, sentence2, label}. */
    RTE(
            "RTE",
            GlueLayout.withHeader("sentence1", "sentence2", "label"),
            classes("entailment", "not_entailment"),
            List.of(ACCURACY));

    private final String folder;
    private final GlueLayout layout;
    private final TaskSpec spec;
    private final Map<String, String> files;

    GlueTask(String folder, GlueLayout layout, TaskKind kind, List<TaskMetric> metrics) {
        this.folder = folder;
        this.layout = layout;
        Map<String, String> f = new LinkedHashMap<>();
        f.put(Split.TRAIN, "train.tsv");
        if (folder.equals("MNLI")) {
            f.put("dev_matched", "dev_matched.tsv");
            f.put("dev_mismatched", "dev_mismatched.tsv");
        } else {
            f.put(Split.DEV, "dev.tsv");
        }
        this.files = java.util.Collections.unmodifiableMap(f);
        this.spec = new TaskSpec(folder, kind, metrics, f.keySet().stream().skip(1).toList());
    }

    /** The folder name in the GLUE download, also the task's name ("SST-2"). */
    public String folder() {
        return folder;
    }

    /** The TSV layout of the task's train and dev files. */
    public GlueLayout layout() {
        return layout;
    }

    /** The task's spec: name, labels or score range, metrics, evaluation splits. */
    public TaskSpec spec() {
        return spec;
    }

    /** Split name to file name inside the task folder, train first. */
    public Map<String, String> files() {
        return files;
    }

    /**
     * The task with the given folder name or constant name, case-insensitive ("sst-2", "SST_2",
     * "cola").
     */
    public static GlueTask byName(String name) {
        for (GlueTask t : values()) {
            if (t.folder.equalsIgnoreCase(name) || t.name().equalsIgnoreCase(name)) return t;
        }
        throw new IllegalArgumentException(
                "unknown GLUE task '"
                        + name
                        + "'; known: "
                        + Arrays.stream(values()).map(GlueTask::folder).toList());
    }

    private static TaskKind binary() {
        return classes("0", "1");
    }

    private static TaskKind classes(String... labels) {
        return new TaskKind.Classification(List.of(labels));
    }
}
