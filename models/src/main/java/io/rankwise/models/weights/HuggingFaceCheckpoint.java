package io.rankwise.models.weights;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Collections;
import java.util.LinkedHashMap;
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
    public static final String CONFIG = CheckpointFiles.CONFIG;
    public static final String WEIGHTS = CheckpointFiles.WEIGHTS;
    public static final String WEIGHTS_INDEX = CheckpointFiles.WEIGHTS_INDEX;
    public static final String TOKENIZER = CheckpointFiles.TOKENIZER;

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
        Path configFile = CheckpointFiles.configFile(directory);
        BertConfig config = BertConfig.fromJson(configFile);
        Map<String, NamedArray> tensors = new LinkedHashMap<>();
        Map<String, NamedArray> classifier = new LinkedHashMap<>();
        Optional<Path> tokenizer;
        try (CheckpointFiles files = CheckpointFiles.open(directory)) {
            // The config against the weights' headers before anything is sized from it.
            files.requireLayers(config.numHiddenLayers(), BertNames::normalise, LAYER_PREFIX);
            Set<String> wanted = BertNames.expectedShapes(config, true).keySet();
            for (SafetensorsReader reader : files.shards()) {
                for (SafetensorsEntry e : reader.entries()) {
                    if (e.name().startsWith(CLASSIFIER_PREFIX)) {
                        classifier.put(e.name(), reader.read(e.name()));
                        continue;
                    }
                    Optional<String> name = BertNames.normalise(e.name()).filter(wanted::contains);
                    if (name.isEmpty()) {
                        continue;
                    }
                    CheckpointFiles.putOnce(
                            tensors,
                            name.get(),
                            reader.read(e.name()).withName(name.get()),
                            reader,
                            e.name());
                }
            }
            tokenizer = files.tokenizerJson();
        }
        BertWeights weights;
        try {
            weights = BertWeights.of(config, tensors);
        } catch (IllegalArgumentException e) {
            throw new WeightFormatException(directory, e.getMessage(), e);
        }
        return new HuggingFaceCheckpoint(directory, weights, classifier, tokenizer.orElse(null));
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

    private static final String LAYER_PREFIX = "encoder.layer.";
}
