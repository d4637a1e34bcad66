package io.rankwise.models.bert;

import io.rankwise.api.Backend;
import io.rankwise.api.DType;
import io.rankwise.api.Ops;
import io.rankwise.api.Shape;
import io.rankwise.api.Tensor;
import io.rankwise.api.Variable;
import io.rankwise.api.adapt.Adapter;
import io.rankwise.models.encoder.AdapterFactory;
import io.rankwise.models.encoder.Dropout;
import io.rankwise.models.encoder.Encoder;
import io.rankwise.models.encoder.EncoderInputs;
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
    private final Map<String, Variable> frozen = new LinkedHashMap<>();
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
        for (String name :
                List.of(
                        BertNames.WORD_EMBEDDINGS,
                        BertNames.POSITION_EMBEDDINGS,
                        BertNames.TOKEN_TYPE_EMBEDDINGS,
                        BertNames.EMBEDDINGS_LAYER_NORM_WEIGHT,
                        BertNames.EMBEDDINGS_LAYER_NORM_BIAS)) {
            upload(backend, prefix, weights.get(name), false);
        }
        for (int layer = 0; layer < config.numHiddenLayers(); layer++) {
            for (String linear : BertNames.LAYER_LINEARS) {
                String module = BertNames.layer(layer, linear);
                NamedArray w = weights.get(module + ".weight");
                upload(backend, prefix, w, true);
                upload(backend, prefix, weights.get(module + ".bias"), false);
                if (targets.matches(module)) {
                    adapters.put(
                            module,
                            factory.create(backend, module, (int) w.dim(1), (int) w.dim(0)));
                }
            }
            for (String norm : BertNames.LAYER_NORMS) {
                upload(
                        backend,
                        prefix,
                        weights.get(BertNames.layer(layer, norm + ".weight")),
                        false);
                upload(backend, prefix, weights.get(BertNames.layer(layer, norm + ".bias")), false);
            }
        }
        if (adapters.isEmpty() && !targets.patterns().isEmpty()) {
            throw new IllegalArgumentException(
                    "target_modules "
                            + targets.patterns()
                            + " match no linear layer; the layers are named like "
                            + BertNames.layer(0, "attention.self.query")
                            + " (patterns match a whole name or a suffix after a dot)");
        }
    }

    /**
     * Uploads one pretrained tensor as a frozen variable, from its float32 values: a {@code
     * double[]} copy would double the host memory of the largest tensors (MiniLM's word embeddings
     * are 47 MB as floats).
     */
    private void upload(Backend backend, String prefix, NamedArray array, boolean transposeLinear) {
        NamedArray a = transposeLinear ? array.transpose2d() : array;
        frozen.put(
                array.name(),
                backend.variable(
                        prefix + array.name(), a.data(), Shape.of(a.shape()), dtype, false));
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
        return Collections.unmodifiableMap(frozen);
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

        Tensor words = ops.gather(read(ops, BertNames.WORD_EMBEDDINGS), inputIds, 0);
        Tensor positions =
                ops.gather(
                        read(ops, BertNames.POSITION_EMBEDDINGS),
                        positionIds(ops, inputIds, length),
                        0);
        Tensor types = ops.gather(read(ops, BertNames.TOKEN_TYPE_EMBEDDINGS), tokenTypeIds, 0);
        Tensor wordsAndPositions = ops.add(words, positions);
        Tensor embedded = ops.add(wordsAndPositions, types);
        Intermediates.release(embedded, words, positions, types, wordsAndPositions);
        Tensor normed =
                ops.layerNorm(
                        embedded,
                        read(ops, BertNames.EMBEDDINGS_LAYER_NORM_WEIGHT),
                        read(ops, BertNames.EMBEDDINGS_LAYER_NORM_BIAS),
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
                    splitHeads(
                            ops,
                            linear(ops, layer, "attention.self.query", x, valueOf, dropout),
                            batch,
                            length,
                            heads,
                            headSize);
            Tensor k =
                    splitHeads(
                            ops,
                            linear(ops, layer, "attention.self.key", x, valueOf, dropout),
                            batch,
                            length,
                            heads,
                            headSize);
            Tensor v =
                    splitHeads(
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
                            read(ops, BertNames.layer(layer, "attention.output.LayerNorm.weight")),
                            read(ops, BertNames.layer(layer, "attention.output.LayerNorm.bias")),
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
                            read(ops, BertNames.layer(layer, "output.LayerNorm.weight")),
                            read(ops, BertNames.layer(layer, "output.LayerNorm.bias")),
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

    private Tensor read(Ops ops, String name) {
        Variable v = frozen.get(name);
        if (v == null) {
            throw new IllegalStateException("the encoder has no weight " + name);
        }
        return ops.read(v);
    }

    /**
     * x Wᵀ + b (+ the adapter's update) for x: [rows, in]. While training, the adapter sees
     * dropout(x) at the adapter rate, as in PEFT (y = base(x) + B(A(dropout(x))) · scaling); the
     * frozen layer sees x.
     */
    private Tensor linear(
            Ops ops,
            int layer,
            String linear,
            Tensor x,
            Function<Variable, Tensor> valueOf,
            Dropout dropout) {
        String module = BertNames.layer(layer, linear);
        Tensor product = ops.matmul(x, read(ops, module + ".weight"));
        Tensor y = ops.add(product, read(ops, module + ".bias"));
        product.close();
        Adapter adapter = adapters.get(module);
        if (adapter != null) {
            // One site per adapted layer, so that each draws its own mask.
            Tensor input =
                    dropout == null
                            ? x
                            : dropout.applyToAdapterInput(
                                    ops,
                                    x,
                                    layer * BertNames.LAYER_LINEARS.size()
                                            + BertNames.LAYER_LINEARS.indexOf(linear));
            Tensor delta =
                    adapter.delta(ops, input, adapter.parameters().stream().map(valueOf).toList());
            Tensor sum = ops.add(y, delta);
            y.close();
            // x is the caller's; the dropped input and the update are this layer's own.
            if (delta != x) {
                delta.close();
            }
            if (input != x) {
                input.close();
            }
            y = sum;
        }
        return y;
    }

    /** [B·L, H] → [B, heads, L, headSize]; closes x, which only the result then needs. */
    private static Tensor splitHeads(
            Ops ops, Tensor x, long batch, long length, int heads, int headSize) {
        Tensor split = ops.reshape(x, batch, length, heads, headSize);
        Tensor perHead = ops.transpose(split, 0, 2, 1, 3);
        Intermediates.release(perHead, x, split);
        return perHead;
    }
}
