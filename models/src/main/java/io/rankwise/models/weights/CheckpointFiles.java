package io.rankwise.models.weights;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * The files of a Hugging Face checkpoint folder that every family reads the same way: {@code
 * config.json}, and the weights as {@code model.safetensors} or as the shards that {@code
 * model.safetensors.index.json} lists, opened together. Pickled PyTorch weights ({@code
 * pytorch_model.bin}) are refused: reading them means running a pickle interpreter, and safetensors
 * exists to avoid that.
 *
 * <p>Holds the shards open (each one validated by {@link SafetensorsReader#open}); close it.
 */
public final class CheckpointFiles implements AutoCloseable {
    public static final String CONFIG = "config.json";
    public static final String WEIGHTS = "model.safetensors";
    public static final String WEIGHTS_INDEX = "model.safetensors.index.json";
    public static final String TOKENIZER = "tokenizer.json";

    private final Path directory;
    private final Path configFile;
    private final List<SafetensorsReader> shards;

    private CheckpointFiles(Path directory, Path configFile, List<SafetensorsReader> shards) {
        this.directory = directory;
        this.configFile = configFile;
        this.shards = Collections.unmodifiableList(shards);
    }

    /**
     * The config.json of the checkpoint folder {@code directory}.
     *
     * @throws NoSuchFileException if the folder or its config.json is missing
     */
    public static Path configFile(Path directory) throws IOException {
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
        return configFile;
    }

    /**
     * Opens the folder's weights, after {@link #configFile} has found its config.
     *
     * @throws NoSuchFileException if the folder or its config.json is missing
     * @throws WeightFormatException naming the file if the weights are absent, pickled, or a
     *     safetensors header is malformed, or the shard index names a file outside the folder
     */
    public static CheckpointFiles open(Path directory) throws IOException {
        Path configFile = configFile(directory);
        List<SafetensorsReader> readers = new ArrayList<>();
        try {
            for (Path shard : weightFiles(directory)) {
                readers.add(SafetensorsReader.open(shard));
            }
        } catch (IOException | RuntimeException e) {
            for (SafetensorsReader reader : readers) {
                try {
                    reader.close();
                } catch (IOException suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            throw e;
        }
        return new CheckpointFiles(directory, configFile, readers);
    }

    /** The folder. */
    public Path directory() {
        return directory;
    }

    /** Its config.json. */
    public Path configFile() {
        return configFile;
    }

    /** The open weight files, one per shard, in the order the index first names them. */
    public List<SafetensorsReader> shards() {
        return shards;
    }

    /** The folder's tokenizer.json, if it has one. */
    public Optional<Path> tokenizerJson() {
        Path tokenizer = directory.resolve(TOKENIZER);
        return Files.isRegularFile(tokenizer) ? Optional.of(tokenizer) : Optional.empty();
    }

    /**
     * Refuses a config with more layers than the weights hold: the layers named in the headers
     * ({@code <layerPrefix><i>.} after {@code normalise}) bound what is looked for, so a config
     * that claims billions of layers fails here, before anything is sized from it.
     *
     * @param numHiddenLayers the config's {@code num_hidden_layers}
     * @param normalise a family's name normalisation (model prefix stripped; empty for names that
     *     are not the encoder's)
     * @param layerPrefix the start of a layer's normalised names, e.g. {@code encoder.layer.}
     * @throws WeightFormatException naming config.json, the number, and the layers the weights have
     */
    public void requireLayers(
            int numHiddenLayers, Function<String, Optional<String>> normalise, String layerPrefix)
            throws WeightFormatException {
        long layers = 0;
        for (SafetensorsReader reader : shards) {
            for (String stored : reader.names()) {
                Optional<String> name = normalise.apply(stored);
                if (name.isPresent() && name.get().startsWith(layerPrefix)) {
                    String rest = name.get().substring(layerPrefix.length());
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
        if (numHiddenLayers > layers) {
            throw new WeightFormatException(
                    configFile,
                    "num_hidden_layers is "
                            + numHiddenLayers
                            + " but the weights hold "
                            + (layers == 0
                                    ? "no encoder layers"
                                    : layers
                                            + " ("
                                            + layerPrefix
                                            + "0 to "
                                            + layerPrefix
                                            + (layers - 1)
                                            + ")"));
        }
    }

    /**
     * Puts {@code tensor} under {@code name}, refusing a second tensor for one name (two shards, or
     * a prefixed and an unprefixed copy).
     *
     * @param stored the tensor's name in {@code shard}, for the message
     * @throws WeightFormatException naming the shard, the name and the stored name
     */
    public static void putOnce(
            Map<String, NamedArray> into,
            String name,
            NamedArray tensor,
            SafetensorsReader shard,
            String stored)
            throws WeightFormatException {
        if (into.putIfAbsent(name, tensor) != null) {
            throw new WeightFormatException(
                    shard.file(),
                    "two tensors map to " + name + " (one of them is '" + stored + "')");
        }
    }

    @Override
    public void close() throws IOException {
        IOException first = null;
        for (SafetensorsReader reader : shards) {
            try {
                reader.close();
            } catch (IOException e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }

    /** The single weight file, or the shards its index lists. */
    static List<Path> weightFiles(Path directory) throws IOException {
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
