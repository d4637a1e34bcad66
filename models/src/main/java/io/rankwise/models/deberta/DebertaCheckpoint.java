package io.rankwise.models.deberta;

import io.rankwise.models.weights.CheckpointFiles;
import io.rankwise.models.weights.NamedArray;
import io.rankwise.models.weights.SafetensorsEntry;
import io.rankwise.models.weights.SafetensorsReader;
import io.rankwise.models.weights.WeightFormatException;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Reads a Hugging Face checkpoint folder of a DeBERTa-v2/v3 model: {@code config.json} and the
 * safetensors weights (one file or shards, see {@link CheckpointFiles}).
 *
 * <p>Keys are sorted into three kinds:
 *
 * <ul>
 *   <li>head tensors: {@code pooler.dense.*} and {@code classifier.*} at the top level, as {@code
 *       DebertaV2ForSequenceClassification} names them; kept by key for the task head;
 *   <li>encoder tensors: names with an encoder root ({@code embeddings.}, {@code encoder.}) after
 *       any model prefix ({@code deberta.}); each must be one the config calls for, with its shape
 *       (checked on the header, before the tensor is read), or one Hugging Face also skips on load
 *       ({@link DebertaNames#ignoredOnLoad}). Another encoder name is an error naming it: it means
 *       the config and the weights describe different networks (say {@code pos_key_proj} with
 *       {@code share_att_key} true);
 *   <li>everything else (the pre-training heads {@code lm_predictions.*}, {@code
 *       mask_predictions.*}, {@code cls.*}) is ignored.
 * </ul>
 */
public final class DebertaCheckpoint {
    /** The top-level key prefixes of {@code DebertaV2ForSequenceClassification}'s head. */
    public static final java.util.List<String> HEAD_PREFIXES =
            java.util.List.of("pooler.dense.", "classifier.");

    private DebertaCheckpoint() {}

    /**
     * The checkpoint's weights and head tensors.
     *
     * @param weights the validated encoder weights
     * @param head the {@code pooler.dense.*} and {@code classifier.*} tensors, by key
     */
    public record Loaded(DebertaWeights weights, Map<String, NamedArray> head) {
        /** Copies the map. */
        public Loaded {
            head = Map.copyOf(head);
        }
    }

    /**
     * Loads the checkpoint in {@code directory}.
     *
     * @throws NoSuchFileException if the folder or its config.json is missing
     * @throws WeightFormatException naming the file and the problem if the config is refused, or
     *     the weights are absent, pickled, malformed, or do not fit the config (naming the key)
     */
    public static Loaded load(Path directory) throws IOException {
        Path configFile = CheckpointFiles.configFile(directory);
        DebertaConfig config = DebertaConfig.fromJson(configFile);
        Map<String, long[]> expected = DebertaNames.expectedShapes(config);
        Map<String, NamedArray> tensors = new LinkedHashMap<>();
        Map<String, NamedArray> head = new LinkedHashMap<>();
        try (CheckpointFiles files = CheckpointFiles.open(directory)) {
            // The config against the headers before anything is sized from it.
            files.requireLayers(
                    config.numHiddenLayers(), DebertaNames::normalise, "encoder.layer.");
            for (SafetensorsReader reader : files.shards()) {
                for (SafetensorsEntry e : reader.entries()) {
                    String stored = e.name();
                    if (HEAD_PREFIXES.stream().anyMatch(stored::startsWith)) {
                        CheckpointFiles.putOnce(head, stored, reader.read(stored), reader, stored);
                        continue;
                    }
                    Optional<String> normalised = DebertaNames.normalise(stored);
                    if (normalised.isEmpty()
                            || DebertaNames.ignoredOnLoad(config, normalised.get())) {
                        continue;
                    }
                    String name = normalised.get();
                    long[] shape = expected.get(name);
                    if (shape == null) {
                        throw new WeightFormatException(
                                reader.file(),
                                "unexpected tensor '"
                                        + stored
                                        + "': "
                                        + name
                                        + " is not a parameter of the DeBERTa encoder that "
                                        + configFile
                                        + " describes (which tensors exist depends on"
                                        + " num_hidden_layers, relative_attention, pos_att_type,"
                                        + " share_att_key, position_biased_input, type_vocab_size"
                                        + " and norm_rel_ebd)");
                    }
                    if (!Arrays.equals(e.shape(), shape)) {
                        throw new WeightFormatException(
                                reader.file(),
                                "tensor '"
                                        + stored
                                        + "' has shape "
                                        + Arrays.toString(e.shape())
                                        + ", expected "
                                        + Arrays.toString(shape)
                                        + " for "
                                        + name
                                        + " by "
                                        + configFile);
                    }
                    CheckpointFiles.putOnce(
                            tensors, name, reader.read(stored).withName(name), reader, stored);
                }
            }
        }
        DebertaWeights weights;
        try {
            weights = DebertaWeights.of(config, tensors);
        } catch (IllegalArgumentException e) {
            throw new WeightFormatException(directory, e.getMessage(), e);
        }
        return new Loaded(weights, head);
    }
}
