package io.rankwise.training.peft;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rankwise.models.encoder.Pooling;
import io.rankwise.models.family.ModelFamily;
import io.rankwise.models.weights.AtomicFiles;
import io.rankwise.training.spec.RunSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * What Python needs, beside the PEFT files, to compute an exported run's logits: the encoder
 * family, the head's pooling and the sequence length the run tokenised to. With {@code pooling:
 * pooler} Python's {@code AutoModelForSequenceClassification} computes the head itself; with {@code
 * mean} or {@code cls} the classifier must be fed the pooled vector (README, "Task heads", shows
 * how). Written as {@value #FILE} beside {@code adapter_config.json}; PEFT does not read it, and
 * Rankwise writes it for people and scripts, so it is not part of the folder's digest.
 *
 * @param modelType the base model's {@code model_type}
 * @param pooling {@code pooler}, {@code cls} or {@code mean}
 * @param maxLength tokens per sequence, special tokens included
 */
public record HeadInputs(String modelType, String pooling, int maxLength) {
    /** The file's name. */
    public static final String FILE = "rankwise_inputs.json";

    /** The inputs of a run of {@code spec} on an encoder of {@code family}. */
    public static HeadInputs of(RunSpec spec, ModelFamily family) {
        return new HeadInputs(
                family.modelType(),
                spec.model().pooling().name().toLowerCase(Locale.ROOT),
                spec.model().maxLength());
    }

    /** Writes {@value #FILE} into {@code folder}, atomically. */
    public void write(Path folder) throws IOException {
        ObjectMapper json = new ObjectMapper();
        ObjectNode root = json.createObjectNode();
        root.put("model_type", modelType);
        root.put("pooling", pooling);
        root.put("max_length", maxLength);
        root.put(
                "python",
                pooling.equals(Pooling.POOLER.name().toLowerCase(Locale.ROOT))
                        ? "AutoModelForSequenceClassification with this adapter computes the logits"
                        : "feed the classifier the "
                                + (pooling.equals("mean")
                                        ? "mean of the last hidden state over non-padding tokens"
                                        : "last hidden state of the first token")
                                + " of inputs tokenised to max_length (Rankwise's README: Task heads)");
        AtomicFiles.replace(
                folder.resolve(FILE),
                temp ->
                        Files.writeString(
                                temp,
                                json.writerWithDefaultPrettyPrinter().writeValueAsString(root)));
    }
}
