package io.rankwise.models.bert;

import io.rankwise.api.Backend;
import io.rankwise.api.DType;
import io.rankwise.api.Ops;
import io.rankwise.api.Shape;
import io.rankwise.api.Tensor;
import io.rankwise.api.Variable;
import io.rankwise.api.adapt.Adapter;
import io.rankwise.models.encoder.AdaptedLinear;
import io.rankwise.models.encoder.AdapterFactory;
import io.rankwise.models.encoder.AttentionHeads;
import io.rankwise.models.encoder.Dropout;
import io.rankwise.models.encoder.Encoder;
import io.rankwise.models.encoder.EncoderInputs;
import io.rankwise.models.encoder.FrozenWeights;
import io.rankwise.models.encoder.Intermediates;
import io.rankwise.models.encoder.TargetModules;
import io.rankwise.models.family.ModelFamily;
import io.rankwise.models.weights.BertConfig;
import io.rankwise.models.weights.BertNames;
import io.rankwise.models.weights.BertWeights;
import io.rankwise.models.weights.NamedArray;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * A BERT or RoBERTa encoder written once against {@link Ops}: embeddings (word + position + token
 * type, LayerNorm), then N post-LayerNorm layers of multi-head self-attention and a GELU (erf)
 * feed-forward block, with an additive attention mask. Pretrained weights are frozen variables;
 * linear layers matched by {@link TargetModules} get an adapter whose update is added to their
 * output:
 *
 * <pre>
 *   y = x Wᵀ + b + adapter(x)            (while training: adapter(dropout(x)), {@link Dropout})
 * </pre>
 *
 * Frozen linear weights are stored transposed ([in, out]) so that a layer is one matmul.
 *
 * <p>Positions: BERT numbers the tokens 0, 1, …, L−1. RoBERTa (Hugging Face's {@code
 * create_position_ids_from_input_ids}) numbers only the non-padding tokens, from {@code
 * pad_token_id + 1}, and gives padding the position {@code pad_token_id}:
 *
 * <pre>
 *   n_t = [id_t ≠ pad],   position_t = n_t · Σ_{s ≤ t} n_s + pad
 * </pre>
 */
public final class BertEncoder implements Encoder {
    private static final double MASKED = -1e9;

    private final BertConfig config;
    private final DType dtype;
    private final FrozenWeights frozen;
    private final Map<String, Adapter> adapters = new LinkedHashMap<>();

    /**
     * Uploads the weights as frozen variables and creates an adapter for every linear layer that
     * {@code targets} matches.
     *
     * @param prefix a name prefix for the variables, unique per model on the backend
     */
    public BertEncoder(
            Backend backend,
            BertWeights weights,
            DType dtype,
            TargetModules targets,
            AdapterFactory factory,
            String prefix) {
        this.config = weights.config();
        this.dtype = dtype;
        this.frozen = new FrozenWeights(backend, prefix, dtype);
        for (String name :
                List.of(
                        BertNames.WORD_EMBEDDINGS,
                        BertNames.POSITION_EMBEDDINGS,
                        BertNames.TOKEN_TYPE_EMBEDDINGS,
                        BertNames.EMBEDDINGS_LAYER_NORM_WEIGHT,
                        BertNames.EMBEDDINGS_LAYER_NORM_BIAS)) {
            frozen.upload(weights.get(name), false);
        }
        for (int layer = 0; layer < config.numHiddenLayers(); layer++) {
            for (String linear : BertNames.LAYER_LINEARS) {
                String module = BertNames.layer(layer, linear);
                NamedArray w = weights.get(module + ".weight");
                frozen.upload(w, true);
                frozen.upload(weights.get(module + ".bias"), false);
                if (targets.matches(module)) {
                    adapters.put(
                            module,
                            factory.create(backend, module, (int) w.dim(1), (int) w.dim(0)));
                }
            }
            for (String norm : BertNames.LAYER_NORMS) {
                frozen.upload(weights.get(BertNames.layer(layer, norm + ".weight")), false);
                frozen.upload(weights.get(BertNames.layer(layer, norm + ".bias")), false);
            }
        }
        targets.requireMatched(!adapters.isEmpty(), BertNames.layer(0, "attention.self.query"));
    }

    /** The architecture. */
    public BertConfig config() {
        return config;
    }

    @Override
    public ModelFamily family() {
        return config.family();
    }

    @Override
    public int hiddenSize() {
        return config.hiddenSize();
    }

    /** The element type of activations and weights. */
    @Override
    public DType dtype() {
        return dtype;
    }

    /** The pretrained weights as frozen variables, by checkpoint name, in model order. */
    public Map<String, Variable> frozenWeights() {
        return frozen.asMap();
    }

    /** The adapters by module name, in model order. */
    @Override
    public Map<String, Adapter> adapters() {
        return Collections.unmodifiableMap(adapters);
    }

    @Override
    public Tensor forward(
            Ops ops, EncoderInputs inputs, Function<Variable, Tensor> valueOf, Dropout dropout) {
        return forward(ops, inputs.ids(), inputs.mask(), inputs.types(), valueOf, dropout);
    }

    /**
     * The last hidden state [B, L, H].
     *
     * @param inputIds token ids, INT64 [B, L]
     * @param attentionMask 1 for tokens, 0 for padding, INT64 or floating [B, L]
     * @param tokenTypeIds segment ids, INT64 [B, L]
     * @param valueOf the value of each trainable variable (its read, or a sampled value under IVON)
     * @param dropout dropout for training, or null for evaluation
     */
    public Tensor forward(
            Ops ops,
            Tensor inputIds,
            Tensor attentionMask,
            Tensor tokenTypeIds,
            Function<Variable, Tensor> valueOf,
            Dropout dropout) {
        long batch = inputIds.shape().dim(0);
        long length = inputIds.shape().dim(1);
        int hidden = config.hiddenSize();
        int heads = config.numAttentionHeads();
        int headSize = config.headSize();
        double eps = config.layerNormEps();
        if (length > config.maxSequenceLength()) {
            throw new IllegalArgumentException(
                    "sequence length "
                            + length
                            + " exceeds the model's "
                            + config.maxSequenceLength()
                            + " positions");
        }

        Tensor words = ops.gather(frozen.read(ops, BertNames.WORD_EMBEDDINGS), inputIds, 0);
        Tensor positions =
                ops.gather(
                        frozen.read(ops, BertNames.POSITION_EMBEDDINGS),
                        positionIds(ops, inputIds, length),
                        0);
        Tensor types =
                ops.gather(frozen.read(ops, BertNames.TOKEN_TYPE_EMBEDDINGS), tokenTypeIds, 0);
        Tensor wordsAndPositions = ops.add(words, positions);
        Tensor embedded = ops.add(wordsAndPositions, types);
        Intermediates.release(embedded, words, positions, types, wordsAndPositions);
        Tensor normed =
                ops.layerNorm(
                        embedded,
                        frozen.read(ops, BertNames.EMBEDDINGS_LAYER_NORM_WEIGHT),
                        frozen.read(ops, BertNames.EMBEDDINGS_LAYER_NORM_BIAS),
                        eps);
        embedded.close();
        int site = 0;
        Tensor h = drop(ops, dropout, normed, site++);
        Tensor x = ops.reshape(h, batch * length, hidden);
        Intermediates.release(x, normed, h);

        // Additive mask [B, 1, 1, L]: 0 where attended, a large negative number on padding.
        Tensor keep = ops.cast(attentionMask, dtype);
        Tensor bias =
                ops.reshape(
                        ops.mul(ops.sub(ops.ones(Shape.scalar(), dtype), keep), MASKED),
                        batch,
                        1,
                        1,
                        length);
        double scale = 1 / Math.sqrt(headSize);

        for (int layer = 0; layer < config.numHiddenLayers(); layer++) {
            Tensor q =
                    AttentionHeads.split(
                            ops,
                            linear(ops, layer, "attention.self.query", x, valueOf, dropout),
                            batch,
                            length,
                            heads,
                            headSize);
            Tensor k =
                    AttentionHeads.split(
                            ops,
                            linear(ops, layer, "attention.self.key", x, valueOf, dropout),
                            batch,
                            length,
                            heads,
                            headSize);
            Tensor v =
                    AttentionHeads.split(
                            ops,
                            linear(ops, layer, "attention.self.value", x, valueOf, dropout),
                            batch,
                            length,
                            heads,
                            headSize);
            // (q / √d) kᵀ: scaling q [B, heads, L, d] rather than the scores [B, heads, L, L]
            // makes the smaller tensor.
            Tensor scaledQ = ops.mul(q, scale);
            Tensor keysT = ops.transpose(k, 0, 1, 3, 2);
            Tensor products = ops.matmul(scaledQ, keysT);
            Intermediates.release(products, q, scaledQ, k, keysT);
            Tensor scores = ops.add(products, bias);
            products.close();
            Tensor softmax = ops.softmax(scores, -1);
            scores.close();
            Tensor probs = drop(ops, dropout, softmax, site++);
            Intermediates.release(probs, softmax);
            Tensor perHead = ops.matmul(probs, v);
            Intermediates.release(perHead, probs, v);
            Tensor merged = ops.transpose(perHead, 0, 2, 1, 3);
            Tensor context = ops.reshape(merged, batch * length, hidden);
            Intermediates.release(context, perHead, merged);
            Tensor projected =
                    linear(ops, layer, "attention.output.dense", context, valueOf, dropout);
            Intermediates.release(projected, context);
            Tensor attended = drop(ops, dropout, projected, site++);
            Intermediates.release(attended, projected);
            Tensor attentionSum = ops.add(attended, x);
            Intermediates.release(attentionSum, attended, x);
            Tensor a =
                    ops.layerNorm(
                            attentionSum,
                            frozen.read(
                                    ops,
                                    BertNames.layer(layer, "attention.output.LayerNorm.weight")),
                            frozen.read(
                                    ops, BertNames.layer(layer, "attention.output.LayerNorm.bias")),
                            eps);
            attentionSum.close();
            Tensor widened = linear(ops, layer, "intermediate.dense", a, valueOf, dropout);
            Tensor inner = ops.gelu(widened);
            Intermediates.release(inner, widened);
            Tensor narrowed = linear(ops, layer, "output.dense", inner, valueOf, dropout);
            Intermediates.release(narrowed, inner);
            Tensor out = drop(ops, dropout, narrowed, site++);
            Intermediates.release(out, narrowed);
            Tensor outputSum = ops.add(out, a);
            Intermediates.release(outputSum, out, a);
            x =
                    ops.layerNorm(
                            outputSum,
                            frozen.read(ops, BertNames.layer(layer, "output.LayerNorm.weight")),
                            frozen.read(ops, BertNames.layer(layer, "output.LayerNorm.bias")),
                            eps);
            outputSum.close();
        }
        Tensor last = ops.reshape(x, batch, length, hidden);
        Intermediates.release(last, x);
        return last;
    }

    /** Position ids, INT64 [L] for BERT or [B, L] for RoBERTa (see the class comment). */
    private Tensor positionIds(Ops ops, Tensor inputIds, long length) {
        if (config.family() != ModelFamily.ROBERTA) {
            long[] positions = new long[(int) length];
            for (int i = 0; i < length; i++) {
                positions[i] = i;
            }
            return ops.constant(positions, Shape.of(length), DType.INT64);
        }
        // The running count of non-padding tokens as a matmul with an upper-triangular matrix of
        // ones, U[s][t] = [s ≤ t]: exact in float32 for any length a model has.
        double[] upper = new double[(int) (length * length)];
        for (int s = 0; s < length; s++) {
            for (int t = s; t < length; t++) {
                upper[(int) (s * length + t)] = 1;
            }
        }
        int pad = config.padTokenId();
        Tensor notPad =
                ops.where(
                        ops.equal(
                                inputIds,
                                ops.constant(new long[] {pad}, Shape.scalar(), DType.INT64)),
                        ops.zeros(Shape.scalar(), dtype),
                        ops.ones(Shape.scalar(), dtype));
        Tensor counted = ops.matmul(notPad, ops.constant(upper, Shape.of(length, length), dtype));
        return ops.cast(ops.add(ops.mul(counted, notPad), pad), DType.INT64);
    }

    private static Tensor drop(Ops ops, Dropout dropout, Tensor x, int site) {
        return dropout == null ? x : dropout.apply(ops, x, site);
    }

    /**
     * The linear layer {@code linear} of {@code layer} with its adapter ({@link AdaptedLinear});
     * each adapted layer is its own dropout site.
     */
    private Tensor linear(
            Ops ops,
            int layer,
            String linear,
            Tensor x,
            Function<Variable, Tensor> valueOf,
            Dropout dropout) {
        String module = BertNames.layer(layer, linear);
        return AdaptedLinear.apply(
                ops,
                x,
                frozen.read(ops, module + ".weight"),
                frozen.read(ops, module + ".bias"),
                adapters.get(module),
                valueOf,
                dropout,
                layer * BertNames.LAYER_LINEARS.size() + BertNames.LAYER_LINEARS.indexOf(linear));
    }
}
