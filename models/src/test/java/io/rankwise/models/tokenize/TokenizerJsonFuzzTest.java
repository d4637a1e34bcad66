package io.rankwise.models.tokenize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rankwise.models.weights.EmbeddedModels;
import io.rankwise.models.weights.WeightFormatException;
import io.rankwise.testing.fuzz.Fuzz;
import io.rankwise.testing.fuzz.Mutations;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Mutants of a tokenizer.json: the Java check ({@link TokenizerJson}) accepts or refuses each one
 * naming the file, in this JVM; the mutants it accepts are then loaded and used by the native
 * library in a child JVM ({@link TokenizerProbeMain}), where a panic would abort that JVM, not the
 * test's, and fail this test naming the file.
 */
class TokenizerJsonFuzzTest {
    private static Path dir;
    private static byte[] tiny;
    private static byte[] miniLm;

    @BeforeContainer
    static void seeds() throws IOException {
        dir = Files.createTempDirectory("tokenizer-fuzz");
        miniLm = Files.readAllBytes(EmbeddedModels.miniLmL6().tokenizerJson());
        tiny = tinyTokenizer().getBytes(StandardCharsets.UTF_8);
    }

    @AfterContainer
    static void cleanUp() throws IOException {
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    /** MiniLM's tokenizer.json with a ten-token vocabulary: the same pipeline, fast to load. */
    private static String tinyTokenizer() throws IOException {
        ObjectMapper mapper = new ObjectMapper();
        ObjectNode root = (ObjectNode) mapper.readTree(miniLm);
        List<String> vocab =
                List.of(
                        "[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "hello", "world", "##s", "a",
                        "x");
        ObjectNode v = ((ObjectNode) root.get("model")).putObject("vocab");
        for (int i = 0; i < vocab.size(); i++) {
            v.put(vocab.get(i), i);
        }
        root.get("added_tokens")
                .forEach(t -> ((ObjectNode) t).put("id", vocab.indexOf(t.get("content").asText())));
        root.get("post_processor")
                .get("special_tokens")
                .properties()
                .forEach(
                        e -> {
                            var ids = ((ObjectNode) e.getValue()).putArray("ids");
                            ids.add(vocab.indexOf(e.getKey()));
                        });
        root.putNull("padding");
        root.putNull("truncation");
        return mapper.writerWithDefaultPrettyPrinter().writeValueAsString(root);
    }

    @Property(tries = 800, seed = Fuzz.SEED, shrinking = ShrinkingMode.BOUNDED)
    void theJavaCheckAcceptsOrRefusesNamingTheFile(@ForAll("mutants") byte[] bytes)
            throws IOException {
        Path file = Files.write(dir.resolve("tokenizer.json"), bytes);
        Fuzz.loadsOrRefuses(
                "tokenizer.json mutant of " + bytes.length + " bytes",
                () -> {
                    TokenizerJson.validate(file);
                    return null;
                },
                Fuzz.messageNames(WeightFormatException.class, file.toString()),
                64L * 1024 * 1024 + 64L * bytes.length);
    }

    @Provide
    Arbitrary<byte[]> mutants() {
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(9, Mutations.json(tiny)),
                net.jqwik.api.Tuple.of(1, Mutations.json(miniLm)));
    }

    /**
     * The mutants the Java check accepts, loaded and used by the native library in a child JVM:
     * each one works or is refused with a WeightFormatException naming it, and the child ends
     * normally.
     */
    @Example
    void theNativeLibraryNeverAbortsOnWhatTheCheckAccepts() throws Exception {
        nativeLibraryNeverAborts("wordpiece", tiny);
    }

    /**
     * The same for the other models the check accepts: the Unigram tokenizer (SentencePiece with
     * Metaspace, DeBERTa-v3's kind) and the byte-level BPE tokenizer of the encoder fixtures.
     */
    @Example
    void theNativeLibraryNeverAbortsOnAcceptedUnigramAndBpeMutants() throws Exception {
        for (String fixture : List.of("deberta-v2", "roberta")) {
            byte[] seed =
                    Files.readAllBytes(
                            io.rankwise.testing.EncoderFixtures.folder(fixture)
                                    .resolve("tokenizer.json"));
            nativeLibraryNeverAborts(fixture, seed);
        }
    }

    private static void nativeLibraryNeverAborts(String kind, byte[] seed) throws Exception {
        Arbitrary<byte[]> mutants = Mutations.json(seed);
        var generator = mutants.generator(1000);
        Random random = new Random(Long.parseLong(Fuzz.SEED));
        List<String> accepted = new ArrayList<>();
        for (int i = 0; i < 300 && accepted.size() < 120; i++) {
            Path file = dir.resolve(kind + "-accepted-" + accepted.size() + ".json");
            Files.write(file, generator.next(random).value());
            try {
                TokenizerJson.validate(file);
                accepted.add(file.toString());
            } catch (WeightFormatException refused) {
                Files.delete(file);
            }
        }
        assertTrue(accepted.size() >= 20, "too few mutants accepted: " + accepted.size());
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Dai.djl.offline=true");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(TokenizerProbeMain.class.getName());
        command.addAll(accepted);
        Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(child.waitFor(120, TimeUnit.SECONDS), "the child JVM did not end");
        List<String> lines =
                output.lines().filter(l -> l.matches("(START|OK|REFUSED|FAILED) \\d+.*")).toList();
        String last = lines.isEmpty() ? "" : lines.get(lines.size() - 1);
        if (child.exitValue() != 0) {
            String file =
                    last.startsWith("START ")
                            ? accepted.get(Integer.parseInt(last.substring(6).trim()))
                            : "?";
            throw new AssertionError(
                    "the native tokenizer aborted the JVM (exit "
                            + child.exitValue()
                            + ") on "
                            + file
                            + ":\n"
                            + (file.equals("?") ? "" : Files.readString(Path.of(file)))
                            + "\n"
                            + output.substring(Math.max(0, output.length() - 3000)));
        }
        for (String line : lines) {
            assertTrue(!line.startsWith("FAILED"), line);
            if (line.startsWith("REFUSED ")) {
                int i = Integer.parseInt(line.split(" ")[1]);
                assertTrue(line.contains(accepted.get(i)), line);
            }
        }
        assertEquals(
                accepted.size(),
                lines.stream().filter(l -> !l.startsWith("START")).count(),
                output);
    }

    /**
     * An empty vocabulary reached the native library, whose batch encode panicked on the first word
     * (MissingUnkToken): the JVM aborted with exit 134.
     */
    @Example
    void refusesAnEmptyVocabularyBeforeTheNativeLibrary() throws IOException {
        Path file = dir.resolve("empty-vocab.json");
        ObjectNode root = (ObjectNode) new ObjectMapper().readTree(tiny);
        ((ObjectNode) root.get("model")).putObject("vocab");
        Files.writeString(file, root.toString());
        var e = assertThrows(WeightFormatException.class, () -> BertTokenizer.fromFile(file, 8));
        assertEquals(
                file
                        + ": model.vocab must be a non-empty object of token → id, got an empty"
                        + " vocabulary",
                e.getMessage());
        // The same panic without an empty vocabulary: the unknown token missing from it.
        ((ObjectNode) root.get("model")).put("unk_token", "[NOPE]");
        ((ObjectNode) root.get("model")).putObject("vocab").put("[NOPE2]", 0);
        Files.writeString(file, root.toString());
        e = assertThrows(WeightFormatException.class, () -> BertTokenizer.fromFile(file, 8));
        assertTrue(e.getMessage().startsWith(file + ": model.unk_token '[NOPE]'"), e.getMessage());
    }

    /** A malformed or non-UTF-8 tokenizer.json failed with a message that did not name it. */
    @Example
    void namesTheFileOfAMalformedTokenizer() throws IOException {
        Path file = dir.resolve("malformed.json");
        Files.writeString(file, "{\"model\": ");
        var e = assertThrows(WeightFormatException.class, () -> BertTokenizer.fromFile(file, 8));
        assertTrue(e.getMessage().startsWith(file + ": not valid JSON"), e.getMessage());
        Files.write(file, new byte[] {'{', (byte) 0xff, '}'});
        e = assertThrows(WeightFormatException.class, () -> BertTokenizer.fromFile(file, 8));
        assertTrue(e.getMessage().startsWith(file + ": not UTF-8 text"), e.getMessage());
    }
}
