package io.rankwise.models.weights;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A Hugging Face checkpoint folder of a BERT-family encoder: {@code config.json}, the weights as
 * {@code model.safetensors} (or shards listed in {@code model.safetensors.index.json}), and usually
 * {@code tokenizer.json}.
 *
 * <p>Parameter names may carry a model prefix ({@code bert.} in BertFor… checkpoints); it is
 * stripped. Tensors that are not part of the encoder (task heads, {@code position_ids}) are
 * ignored. Pickled PyTorch weights ({@code pytorch_model.bin}) are refused: reading them means
 * running a pickle interpreter, and safetensors exists to avoid that.
 */
public final class HuggingFaceCheckpoint {
    public static final String CONFIG = "config.json";
    public static final String WEIGHTS = "model.safetensors";
    public static final String WEIGHTS_INDEX = "model.safetensors.index.json";
    public static final String TOKENIZER = "tokenizer.json";

    private final Path directory;

    /** The key prefix of a sequence-classification model's head, as Hugging Face names it. */
    public static final String CLASSIFIER_PREFIX = "classifier.";

    private final BertWeights weights;
    private final Map<String, NamedArray> classifier;
    private final Path tokenizerJson;

    private HuggingFaceCheckpoint(
            Path directory,
            BertWeights weights,
            Map<String, NamedArray> classifier,
            Path tokenizerJson) {
        this.directory = directory;
        this.weights = weights;
        this.classifier = Collections.unmodifiableMap(classifier);
        this.tokenizerJson = tokenizerJson;
    }

    /**
     * Loads the checkpoint in {@code directory}.
     *
     * @throws NoSuchFileException if the folder or its config.json is missing
     * @throws WeightFormatException if the weights are absent, pickled, malformed, or do not fit
     *     the config
     */
    public static HuggingFaceCheckpoint load(Path directory) throws IOException {
        if (!Files.isDirectory(directory)) {
            throw new NoSuchFileException(directory.toString(), null, "not a checkpoint folder");
        }
        Path configFile = directory.resolve(CONFIG);
        if (!Files.isRegularFile(configFile)) {
            throw new NoSuchFileException(
                    configFile.toString(),
                    null,
                    "a Hugging Face checkpoint folder needs config.json");
        }
        BertConfig config = BertConfig.fromJson(configFile);
        List<Path> shards = weightFiles(directory);
        List<SafetensorsReader> readers = new ArrayList<>();
        Map<String, NamedArray> tensors = new LinkedHashMap<>();
        Map<String, NamedArray> classifier = new LinkedHashMap<>();
        try {
            for (Path shard : shards) {
                readers.add(SafetensorsReader.open(shard));
            }
            // The config against the weights' headers before anything is sized from it.
            requireLayers(configFile, config, readers);
            Set<String> wanted = BertNames.expectedShapes(config, true).keySet();
            for (SafetensorsReader reader : readers) {
                Path shard = reader.file();
                for (SafetensorsEntry e : reader.entries()) {
                    if (e.name().startsWith(CLASSIFIER_PREFIX)) {
                        classifier.put(e.name(), reader.read(e.name()));
                        continue;
                    }
                    Optional<String> name = BertNames.normalise(e.name()).filter(wanted::contains);
                    if (name.isEmpty()) {
                        continue;
                    }
                    NamedArray t = reader.read(e.name()).withName(name.get());
                    if (tensors.put(name.get(), t) != null) {
                        throw new WeightFormatException(
                                shard,
                                "two tensors map to "
                                        + name.get()
                                        + " (one of them is '"
                                        + e.name()
                                        + "')");
                    }
                }
            }
        } finally {
            for (SafetensorsReader reader : readers) {
                reader.close();
            }
        }
        BertWeights weights;
        try {
            weights = BertWeights.of(config, tensors);
        } catch (IllegalArgumentException e) {
            throw new WeightFormatException(directory, e.getMessage(), e);
        }
        Path tokenizer = directory.resolve(TOKENIZER);
        return new HuggingFaceCheckpoint(
                directory, weights, classifier, Files.isRegularFile(tokenizer) ? tokenizer : null);
    }

    /**
     * Writes {@code weights} as a checkpoint folder: config.json, model.safetensors (F32,
     * unprefixed names), and a copy of {@code tokenizerJson} unless it is null.
     */
    public static void save(Path directory, BertWeights weights, Path tokenizerJson)
            throws IOException {
        Files.createDirectories(directory);
        weights.config().writeJson(directory.resolve(CONFIG));
        SafetensorsWriter.write(
                directory.resolve(WEIGHTS), weights.asMap().values(), Map.of("format", "pt"));
        if (tokenizerJson != null) {
            Files.copy(
                    tokenizerJson,
                    directory.resolve(TOKENIZER),
                    StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** The folder loaded. */
    public Path directory() {
        return directory;
    }

    /** The architecture, from config.json. */
    public BertConfig config() {
        return weights.config();
    }

    /** The encoder's weights. */
    public BertWeights weights() {
        return weights;
    }

    /**
     * The tensors of a fine-tuned sequence-classification head saved with the encoder ({@code
     * classifier.*}, as {@code <Family>ForSequenceClassification} names them), by key; empty for a
     * base model.
     */
    public Map<String, NamedArray> classifier() {
        return classifier;
    }

    /** The folder's tokenizer.json, if it has one. */
    public Optional<Path> tokenizerJson() {
        return Optional.ofNullable(tokenizerJson);
    }

    /**
     * Refuses a config with more layers than the weights hold: the layers the headers name ({@code
     * encoder.layer.<i>.}) bound what is looked for.
     */
    private static void requireLayers(
            Path configFile, BertConfig config, List<SafetensorsReader> readers)
            throws WeightFormatException {
        long layers = 0;
        for (SafetensorsReader reader : readers) {
            for (String stored : reader.names()) {
                Optional<String> name = BertNames.normalise(stored);
                if (name.isPresent() && name.get().startsWith(LAYER_PREFIX)) {
                    String rest = name.get().substring(LAYER_PREFIX.length());
                    int dot = rest.indexOf('.');
                    String index = dot < 0 ? rest : rest.substring(0, dot);
                    if (!index.isEmpty()
                            && index.length() <= 9
                            && index.chars().allMatch(Character::isDigit)) {
                        layers = Math.max(layers, Long.parseLong(index) + 1);
                    }
                }
            }
        }
        if (config.numHiddenLayers() > layers) {
            throw new WeightFormatException(
                    configFile,
                    "num_hidden_layers is "
                            + config.numHiddenLayers()
                            + " but the weights hold "
                            + (layers == 0
                                    ? "no encoder layers"
                                    : layers
                                            + " (encoder.layer.0 to encoder.layer."
                                            + (layers - 1)
                                            + ")"));
        }
    }

    private static final String LAYER_PREFIX = "encoder.layer.";

    private static List<Path> weightFiles(Path directory) throws IOException {
        Path single = directory.resolve(WEIGHTS);
        if (Files.isRegularFile(single)) {
            return List.of(single);
        }
        Path index = directory.resolve(WEIGHTS_INDEX);
        if (Files.isRegularFile(index)) {
            return shardsOf(index);
        }
        for (String pickled : List.of("pytorch_model.bin", "pytorch_model.bin.index.json")) {
            if (Files.exists(directory.resolve(pickled))) {
                throw new WeightFormatException(
                        directory,
                        "holds "
                                + pickled
                                + " but only safetensors weights are supported; convert it to model.safetensors"
                                + " (e.g. with transformers: model.save_pretrained(dir, safe_serialization=True))");
            }
        }
        throw new WeightFormatException(
                directory, "no " + WEIGHTS + " or " + WEIGHTS_INDEX + " found");
    }

    /** The shard files named by the weight_map of a sharded checkpoint's index. */
    private static List<Path> shardsOf(Path index) throws IOException {
        JsonNode map = JsonFiles.read(index, JsonFiles.MAX_CONFIG_BYTES).get("weight_map");
        if (map == null || !map.isObject()) {
            throw new WeightFormatException(index, "lacks the weight_map object");
        }
        Set<String> files = new LinkedHashSet<>();
        for (Iterator<JsonNode> it = map.elements(); it.hasNext(); ) {
            files.add(it.next().asText());
        }
        List<Path> shards = new ArrayList<>();
        Path dir = index.getParent();
        for (String f : files) {
            Path shard;
            try {
                shard = dir.resolve(f).normalize();
            } catch (java.nio.file.InvalidPathException e) {
                throw new WeightFormatException(index, "names shard '" + f + "', not a file name");
            }
            if (!shard.startsWith(dir.normalize()) || !Files.isRegularFile(shard)) {
                throw new WeightFormatException(
                        index, "names shard '" + f + "', which is not a file in " + dir);
            }
            shards.add(shard);
        }
        return shards;
    }
}
