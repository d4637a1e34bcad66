package io.rankwise.models.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rankwise.models.metrics.TaskMetric;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each test writes a small GLUE-shaped folder with the layout of the official download. */
class GlueLoaderTest {
    @TempDir Path glue;

    private Path write(String task, String file, String... lines) throws IOException {
        Path folder = Files.createDirectories(glue.resolve(task));
        Path path = folder.resolve(file);
        Files.writeString(path, String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
        return path;
    }

    private Task load(GlueTask task) throws IOException {
        return GlueLoader.at(glue).load(task);
    }

    @Test
    void cola() throws IOException {
        // No header: source, label, original mark, sentence.
        write(
                "CoLA",
                "train.tsv",
                "gj04\t1\t\tOur friends won't buy this analysis, let alone the next one we propose.",
                "gj04\t0\t*\tThey drank the pub.");
        write("CoLA", "dev.tsv", "gj04\t1\t\tThe sailors rode the breeze clear of the rocks.");
        Task t = load(GlueTask.COLA);
        assertEquals(List.of("train", "dev"), t.splitNames());
        Example e = t.train().examples().get(1);
        assertEquals("They drank the pub.", e.textA());
        assertNull(e.textB());
        assertEquals(0, e.classIndex());
        assertEquals(2, e.source().line());
        assertEquals(List.of(TaskMetric.MATTHEWS_CORRELATION), t.spec().metrics());
        assertEquals(1, t.dev().orElseThrow().size());
    }

    @Test
    void sst2WithStrayQuotes() throws IOException {
        write(
                "SST-2",
                "train.tsv",
                "sentence\tlabel",
                "hide new secretions from the parental units \t0",
                "\"the greatest musicians \t1",
                "it 's a \"charming\" and often \" affecting journey . \t1");
        Task t = load(GlueTask.SST_2);
        assertEquals(3, t.train().size());
        assertEquals("\"the greatest musicians", t.train().examples().get(1).textA());
        assertEquals(1, t.train().examples().get(2).classIndex());
        assertTrue(t.dev().isEmpty()); // no dev.tsv written
    }

    @Test
    void mrpcWithByteOrderMark() throws IOException {
        write(
                "MRPC",
                "train.tsv",
                "\uFEFFQuality\t#1 ID\t#2 ID\t#1 String\t#2 String",
                "1\t702876\t702977\tAmrozi accused his brother .\tReferring to him as only \" the witness \" .");
        write(
                "MRPC",
                "dev.tsv",
                "Quality\t#1 ID\t#2 ID\t#1 String\t#2 String",
                "0\t1\t2\tA a .\tB b .");
        Task t = load(GlueTask.MRPC);
        Example e = t.train().examples().get(0);
        assertEquals("Amrozi accused his brother .", e.textA());
        assertEquals("Referring to him as only \" the witness \" .", e.textB());
        assertEquals(1, e.classIndex());
        assertEquals(List.of(TaskMetric.ACCURACY, TaskMetric.F1), t.spec().metrics());
    }

    @Test
    void qqpByHeaderName() throws IOException {
        write(
                "QQP",
                "train.tsv",
                "id\tqid1\tqid2\tquestion1\tquestion2\tis_duplicate",
                "133273\t213221\t213222\tHow is the life of a math student? Could you describe \"your\" experiences?"
                        + "\tWhich level of prepration is enough for the exam jlpt5?\t0");
        write(
                "QQP",
                "dev.tsv",
                "id\tqid1\tqid2\tquestion1\tquestion2\tis_duplicate",
                "1\t2\t3\tWhy?\tWhy not?\t1");
        Task t = load(GlueTask.QQP);
        assertTrue(t.train().examples().get(0).textA().endsWith("\"your\" experiences?"));
        assertEquals(1, t.dev().orElseThrow().examples().get(0).classIndex());
    }

    @Test
    void stsbRegression() throws IOException {
        String header =
                "index\tgenre\tfilename\tyear\told_index\tsource1\tsource2\tsentence1\tsentence2\tscore";
        write(
                "STS-B",
                "train.tsv",
                header,
                "0\tmain-captions\tMSRvid\t2012test\t0001\tnone\tnone\tA plane is taking off.\tAn air plane is taking off.\t5.000",
                "1\tmain-captions\tMSRvid\t2012test\t0004\tnone\tnone\tA man is playing a flute.\tA man is eating.\t0.25");
        write("STS-B", "dev.tsv", header, "0\tg\tf\ty\to\ts\ts\tA.\tB.\t3.2");
        Task t = load(GlueTask.STS_B);
        assertTrue(t.spec().isRegression());
        assertEquals(5.0, t.train().examples().get(0).label());
        assertEquals(0.25, t.train().examples().get(1).label());
        assertEquals("A man is eating.", t.train().examples().get(1).textB());
        assertEquals(List.of(TaskMetric.PEARSON, TaskMetric.SPEARMAN), t.spec().metrics());
    }

    @Test
    void mnliMatchedAndMismatched() throws IOException {
        // train has 12 columns, the dev files 16 (label1..label5): columns are found by name.
        write(
                "MNLI",
                "train.tsv",
                "index\tpromptID\tpairID\tgenre\tsentence1_binary_parse\tsentence2_binary_parse"
                        + "\tsentence1_parse\tsentence2_parse\tsentence1\tsentence2\tlabel1\tgold_label",
                "0\t31193\t31193n\tgovernment\t( x )\t( y )\t(ROOT x)\t(ROOT y)\tConceptually cream skimming has two"
                        + " basic dimensions.\tProduct and geography are what make cream skimming work. \tneutral\tneutral");
        String devHeader =
                "index\tpromptID\tpairID\tgenre\tsentence1_binary_parse\tsentence2_binary_parse"
                        + "\tsentence1_parse\tsentence2_parse\tsentence1\tsentence2\tlabel1\tlabel2\tlabel3\tlabel4\tlabel5\tgold_label";
        write(
                "MNLI",
                "dev_matched.tsv",
                devHeader,
                "0\t1\t1e\tslate\tb\tb\tp\tp\tThe new rights are nice.\tEveryone really likes the rights.\tneutral"
                        + "\tentailment\tneutral\tneutral\tneutral\tneutral",
                "1\t2\t2c\tslate\tb\tb\tp\tp\tThis site includes a list.\tThe site has no list.\tcontradiction"
                        + "\tcontradiction\tcontradiction\tcontradiction\tcontradiction\tcontradiction");
        write(
                "MNLI",
                "dev_mismatched.tsv",
                devHeader,
                "0\t1\t1e\tletters\tb\tb\tp\tp\tYour gift is appreciated.\tHundreds of people are appreciated.\tentailment"
                        + "\tentailment\tentailment\tentailment\tentailment\tentailment");
        Task t = load(GlueTask.MNLI);
        assertEquals(List.of("train", "dev_matched", "dev_mismatched"), t.splitNames());
        assertEquals(List.of("dev_matched", "dev_mismatched"), t.spec().evalSplits());
        assertEquals(2, t.train().examples().get(0).classIndex()); // neutral
        assertEquals("dev_matched", t.dev().orElseThrow().name());
        assertEquals(0, t.dev().orElseThrow().examples().get(1).classIndex()); // contradiction
        assertEquals(
                1,
                t.split("dev_mismatched")
                        .orElseThrow()
                        .examples()
                        .get(0)
                        .classIndex()); // entailment
    }

    @Test
    void qnliAndRte() throws IOException {
        write(
                "QNLI",
                "train.tsv",
                "index\tquestion\tsentence\tlabel",
                "0\tWhen did the third Digimon series begin?\tUnlike the two seasons before it, ...\tnot_entailment");
        write(
                "RTE",
                "train.tsv",
                "index\tsentence1\tsentence2\tlabel",
                "0\tNo Weapons of Mass Destruction Found in Iraq Yet.\tWeapons of Mass Destruction Found in Iraq.\tnot_entailment",
                "1\tA place of sorrow.\tPope Benedict XVI is the new leader.\tentailment");
        assertEquals(1, load(GlueTask.QNLI).train().examples().get(0).classIndex());
        Task rte = load(GlueTask.RTE);
        assertEquals(0, rte.train().examples().get(1).classIndex());
    }

    @Test
    void wrongColumnCountNamesFileAndLine() throws IOException {
        Path file =
                write(
                        "RTE",
                        "train.tsv",
                        "index\tsentence1\tsentence2\tlabel",
                        "0\tA.\tB.\tentailment",
                        "1\tA tab\tinside.\tB.\tentailment");
        DataFormatException e = assertThrows(DataFormatException.class, () -> load(GlueTask.RTE));
        assertEquals(
                file + ":3: malformed row: 5 tab-separated fields, expected 4 as in the header",
                e.getMessage());
        assertEquals(3, e.source().line());
    }

    @Test
    void unknownLabelNamesFileLineAndTheLabels() throws IOException {
        Path file =
                write(
                        "QNLI",
                        "train.tsv",
                        "index\tquestion\tsentence\tlabel",
                        "0\tQ?\tS.\tneutral");
        DataFormatException e = assertThrows(DataFormatException.class, () -> load(GlueTask.QNLI));
        assertEquals(
                file
                        + ":2: unknown label 'neutral' in column 'label'; expected one of "
                        + "[entailment, not_entailment]",
                e.getMessage());
    }

    @Test
    void emptyTextIsAnError() throws IOException {
        Path file = write("CoLA", "train.tsv", "gj04\t1\t\tFine.", "gj04\t1\t\t  ");
        DataFormatException e = assertThrows(DataFormatException.class, () -> load(GlueTask.COLA));
        assertEquals(file + ":2: empty text in column 'sentence'", e.getMessage());
    }

    @Test
    void badScoreIsAnError() throws IOException {
        Path file =
                write(
                        "STS-B",
                        "train.tsv",
                        "a\tb\tc\td\te\tf\tg\tsentence1\tsentence2\tscore",
                        "0\tg\tf\ty\to\ts\ts\tA.\tB.\t5.5");
        DataFormatException e = assertThrows(DataFormatException.class, () -> load(GlueTask.STS_B));
        assertTrue(e.getMessage().startsWith(file + ":2: bad score '5.5'"), e.getMessage());
    }

    @Test
    void blankLineInTheMiddleIsMalformedButTrailingOnesAreNot() throws IOException {
        Path file = write("SST-2", "train.tsv", "sentence\tlabel", "good\t1", "", "bad\t0", "", "");
        DataFormatException e = assertThrows(DataFormatException.class, () -> load(GlueTask.SST_2));
        assertTrue(
                e.getMessage().startsWith(file + ":3: malformed row: 1 tab-separated fields"),
                e.getMessage());
    }

    @Test
    void skipBadRowsCountsThemPerFile() throws IOException {
        write(
                "QQP",
                "train.tsv",
                "id\tqid1\tqid2\tquestion1\tquestion2\tis_duplicate",
                "1\t2\t3\tWhy?\tWhy not?\t1",
                "2\t4\t5\tHow?\t0",
                "3\t6\t7\tWhat?\tWhat then?\t2",
                "4\t8\t9\tWho?\tWho else?\t0");
        write(
                "QQP",
                "dev.tsv",
                "id\tqid1\tqid2\tquestion1\tquestion2\tis_duplicate",
                "1\t2\t3\tWhy?\tWhy not?\t1");
        Task t = GlueLoader.at(glue).skipBadRows(true).load(GlueTask.QQP);
        ReadReport r = t.train().report();
        assertEquals(4, r.rows());
        assertEquals(2, r.skipped());
        assertEquals(2, t.train().size());
        assertTrue(
                r.problems().get(0).contains("train.tsv:3: malformed row"),
                r.problems().toString());
        assertTrue(
                r.problems().get(1).contains("train.tsv:4: unknown label '2'"),
                r.problems().toString());
        assertEquals(0, t.dev().orElseThrow().report().skipped());
    }

    @Test
    void headerOfAnotherTaskIsNamed() throws IOException {
        Path file =
                write(
                        "RTE",
                        "train.tsv",
                        "index\tquestion\tsentence\tlabel",
                        "0\tQ?\tS.\tentailment");
        DataFormatException e = assertThrows(DataFormatException.class, () -> load(GlueTask.RTE));
        assertTrue(
                e.getMessage()
                        .startsWith(
                                file
                                        + ":1: the header [index, question, sentence, label] has no column"
                                        + " 'sentence1'"),
                e.getMessage());
    }

    @Test
    void missingTaskFolderSaysWhatIsExpected() {
        NoSuchFileException e = assertThrows(NoSuchFileException.class, () -> load(GlueTask.MRPC));
        assertTrue(e.getMessage().contains("MRPC/train.tsv"), e.getMessage());
    }

    @Test
    void tasksByName() {
        assertEquals(GlueTask.SST_2, GlueTask.byName("sst-2"));
        assertEquals(GlueTask.STS_B, GlueTask.byName("STS_B"));
        assertThrows(IllegalArgumentException.class, () -> GlueTask.byName("WNLI"));
    }
}
