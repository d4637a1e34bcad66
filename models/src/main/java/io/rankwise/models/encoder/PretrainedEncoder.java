package io.rankwise.models.encoder;

import io.rankwise.api.Backend;
import io.rankwise.api.DType;
import io.rankwise.models.family.ModelFamily;
import io.rankwise.models.weights.NamedArray;
import java.util.Map;

/**
 * The validated pretrained weights of one encoder, in host memory, ready to be put on a backend as
 * many times as needed (one model per run in an ablation). Each {@link ModelFamily} has an
 * implementation.
 */
public interface PretrainedEncoder {

    /** The architecture family. */
    ModelFamily family();

    /** The width of the hidden states. */
    int hiddenSize();

    /** The most tokens a sequence may have. */
    int maxSequenceLength();

    /** The id that pads a row after its tokens ({@code pad_token_id}). */
    int padTokenId();

    /**
     * Pretrained head tensors by Hugging Face key, in [out, in] layout: what the checkpoint holds
     * of {@link HeadLayout}'s layers (BERT's pretrained pooler, a fine-tuned classifier). The task
     * head starts from those whose shape fits.
     */
    Map<String, NamedArray> headTensors();

    /**
     * Uploads the weights as frozen variables and creates an adapter for every linear layer that
     * {@code targets} matches.
     *
     * @param prefix a name prefix for the variables, unique per model on the backend
     * @throws IllegalArgumentException if {@code targets} match no linear layer
     */
    Encoder build(
            Backend backend,
            DType dtype,
            TargetModules targets,
            AdapterFactory adapters,
            String prefix);
}
