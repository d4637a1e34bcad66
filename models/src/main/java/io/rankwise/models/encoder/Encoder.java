package io.rankwise.models.encoder;

import io.rankwise.api.DType;
import io.rankwise.api.Ops;
import io.rankwise.api.Tensor;
import io.rankwise.api.Variable;
import io.rankwise.api.adapt.Adapter;
import io.rankwise.models.family.ModelFamily;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * A pretrained transformer encoder with adapters on some of its frozen linear layers, written
 * against {@link Ops} so that every backend runs it. Each family ({@link ModelFamily}) has one
 * implementation; training, evaluation and export see only this interface.
 *
 * <p>An adapted linear layer computes {@code y = x Wᵀ + b + adapter(dropout_a(x))}, where {@code
 * dropout_a} is the adapter's own input dropout (PEFT's {@code lora_dropout}), applied only while
 * training.
 */
public interface Encoder {

    /** The architecture family. */
    ModelFamily family();

    /** The width of the hidden states. */
    int hiddenSize();

    /** The element type of activations and weights. */
    DType dtype();

    /**
     * The adapters by module name (as Hugging Face's base model names the layer), in model order.
     */
    Map<String, Adapter> adapters();

    /** The adapters' trainable variables, in model order. */
    default List<Variable> adapterParameters() {
        List<Variable> all = new ArrayList<>();
        adapters().values().forEach(a -> all.addAll(a.parameters()));
        return all;
    }

    /**
     * The last hidden state [B, L, H].
     *
     * @param inputs the token ids, attention mask and token types, INT64 [B, L]
     * @param valueOf the value of each trainable variable (its read, or a sampled value under IVON)
     * @param dropout dropout for training, or null for evaluation
     */
    Tensor forward(
            Ops ops, EncoderInputs inputs, Function<Variable, Tensor> valueOf, Dropout dropout);
}
