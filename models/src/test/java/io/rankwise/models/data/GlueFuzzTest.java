package io.rankwise.models.data;

import io.rankwise.testing.fuzz.Fuzz;
import io.rankwise.testing.fuzz.Mutations;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Mutants of GLUE train files (CoLA without a header, MRPC with a byte-order mark and pairs, STS-B
 * with scores): each loads, or is refused with a {@link DataFormatException} or an IOException
 * naming the file; with skipping on, only unreadable files are refused.
 */
class GlueFuzzTest {
    private static Path glue;
    private static byte[] cola;
    private static byte[] mrpc;
    private static byte[] stsb;

    @BeforeContainer
    static void seeds() throws IOException {
        glue = Files.createTempDirectory("glue-fuzz");
        cola =
                utf8(
                        "gj04\t1\t\tOur friends won't buy this analysis.\n"
                                + "gj04\t0\t*\tThey drank the pub.\n");
        mrpc =
                utf8(
                        "\uFEFFQuality\t#1 ID\t#2 ID\t#1 String\t#2 String\n"
                                + "1\t702876\t702977\tAmrozi accused his brother .\tReferring to him as \" the witness \" .\n"
                                + "0\t2108705\t2108831\tYucaipa owned Dominick 's .\tYucaipa bought Dominick 's .\n");
        stsb =
                utf8(
                        "index\tgenre\tfilename\tyear\told_index\tsource1\tsource2\tsentence1\tsentence2\tscore\n"
                                + "0\tmain-captions\tMSRvid\t2012test\t0001\tnone\tnone\tA plane is taking off.\tAn air plane is taking off.\t5.000\n"
                                + "1\tmain-captions\tMSRvid\t2012test\t0004\tnone\tnone\tA man plays a flute.\tA man plays a big flute.\t3.800\n");
    }

    @AfterContainer
    static void cleanUp() throws IOException {
        try (var files = Files.walk(glue)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Property(tries = 300, seed = Fuzz.SEED, shrinking = ShrinkingMode.BOUNDED)
    void colaLoadsOrIsRefusedNamingTheFile(@ForAll("colas") byte[] bytes, @ForAll boolean skip)
            throws IOException {
        check(GlueTask.COLA, bytes, skip);
    }

    @Property(tries = 300, seed = Fuzz.SEED, shrinking = ShrinkingMode.BOUNDED)
    void mrpcLoadsOrIsRefusedNamingTheFile(@ForAll("mrpcs") byte[] bytes, @ForAll boolean skip)
            throws IOException {
        check(GlueTask.MRPC, bytes, skip);
    }

    @Property(tries = 300, seed = Fuzz.SEED, shrinking = ShrinkingMode.BOUNDED)
    void stsbLoadsOrIsRefusedNamingTheFile(@ForAll("stsbs") byte[] bytes, @ForAll boolean skip)
            throws IOException {
        check(GlueTask.STS_B, bytes, skip);
    }

    private static void check(GlueTask task, byte[] bytes, boolean skip) throws IOException {
        Path folder = Files.createDirectories(glue.resolve(task.folder()));
        Path train = Files.write(folder.resolve("train.tsv"), bytes);
        Fuzz.loadsOrRefuses(
                task.folder() + " train.tsv mutant " + new String(bytes, StandardCharsets.UTF_8),
                () -> GlueLoader.at(glue).skipBadRows(skip).load(task),
                Fuzz.messageNames(IOException.class, train.toString())
                        .or(Fuzz.messageNames(DataFormatException.class, train.toString())),
                16L * 1024 * 1024 + 64L * bytes.length);
    }

    @Provide
    Arbitrary<byte[]> colas() {
        return tsv(cola);
    }

    @Provide
    Arbitrary<byte[]> mrpcs() {
        return tsv(mrpc);
    }

    @Provide
    Arbitrary<byte[]> stsbs() {
        return tsv(stsb);
    }

    private static Arbitrary<byte[]> tsv(byte[] seed) {
        return Arbitraries.oneOf(Mutations.binary(seed), Mutations.json(seed));
    }
}
