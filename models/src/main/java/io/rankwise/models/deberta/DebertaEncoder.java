package io.rankwise.models.deberta;

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
import io.rankwise.models.weights.NamedArray;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * A DeBERTa-v2/v3 encoder written once against {@link Ops}, following Hugging Face's {@code
 * DebertaV2Model} ({@code src/transformers/models/deberta_v2/modeling_deberta_v2.py}). Pretrained
 * weights are frozen variables (linear weights stored transposed, [in, out]); linear layers matched
 * by {@link TargetModules} get an adapter whose update is added to their output, {@code y = x Wᵀ +
 * b + adapter(x)}.
 *
 * <p><b>Embeddings.</b> {@code e = LayerNorm(word[ids] (+ position[0..L−1]) (+ type[types])) ·
 * mask}: absolute positions only with {@code position_biased_input}, token types only with {@code
 * type_vocab_size} &gt; 0 (DeBERTa-v3 has neither). Padding rows start as zeros.
 *
 * <p><b>Disentangled attention.</b> Per head, with content queries, keys and values Q, K, V from
 * {@code query_proj}, {@code key_proj}, {@code value_proj}, the relative embeddings R ({@code
 * encoder.rel_embeddings}, through {@code encoder.LayerNorm} when {@code norm_rel_ebd} says {@code
 * layer_norm}) projected to relative keys and queries K_r, Q_r, the attention span s and δ(i, j) =
 * {@code clamp(rel(i, j) + s, 0, 2s − 1)} with rel the (bucketed) relative position ({@link
 * RelativePositions}):
 *
 * <pre>
 *   A(i, j) = Q_i · K_j / σ  +  Q_i · K_r[δ(i, j)] / σ  +  K_j · Q_r[δ(j, i)'] / σ
 *             content          c2p                         p2c
 *   σ = √(head_size · (1 + |pos_att_type|))
 * </pre>
 *
 * where δ(j, i)' = {@code clamp(−rel(j, i) + s, 0, 2s − 1)}, and only the terms {@code
 * pos_att_type} names are present. With {@code share_att_key} (DeBERTa-v3), K_r = {@code
 * key_proj}(R) and Q_r = {@code query_proj}(R), biases included; otherwise they come from {@code
 * pos_key_proj} and {@code pos_query_proj}. The division by σ is placed as the current code places
 * it (an fp16-overflow fix, transformers #24116, 2023, by the fixtures' account): the key is
 * divided before the content product, {@code Q (K/σ)ᵀ}, and each relative term is divided after its
 * gather. Older versions divided the sum; mathematically the same, the rounding differs by about
 * 1e-7.
 *
 * <p><b>Adapters and the relative embeddings.</b> When {@code share_att_key} routes R through
 * {@code query_proj} and {@code key_proj}, an adapter on those layers applies there too: PEFT
 * replaces the module itself with its LoRA wrapper, so {@code self.key_proj(rel_embeddings)} in
 * Hugging Face's code goes through the wrapper and adds its ΔW as well. The same holds for adapters
 * on {@code pos_key_proj}/{@code pos_query_proj}, which see only R.
 *
 * <p><b>Mask.</b> A query i may attend to key j when both are tokens, {@code m(i, j) = mask_i ·
 * mask_j} ({@code get_attention_mask}); other scores are replaced by the dtype's lowest finite
 * value before a plain softmax, as the current code does (since the DeBERTa refactor, transformers
 * #22105, by the fixtures' account). So a real query gives padding keys probability exactly 0, and
 * a padding query, having all its scores replaced, attends uniformly to every position: its output
 * is finite and well defined, but differs from that of the older {@code XSoftmax}, which zeroed
 * fully masked rows.
 *
 * <p><b>Layers</b> are post-LayerNorm: {@code a = LN(x + dense(attention(x)))}, {@code y = LN(a +
 * dense₂(gelu(dense₁(a))))}, with the exact (erf) GELU.
 *
 * <p><b>Dropout</b> (training only, one rate): on the embeddings; in every layer on the relative
 * embeddings ({@code pos_dropout}, which Hugging Face applies with {@code hidden_dropout_prob}), on
 * the attention probabilities, on the attention output and on the feed-forward output.
 */
public final class DebertaEncoder implements Encoder {
    /** Dropout sites per layer: relative embeddings, attention probabilities, two outputs. */
    private static final int SITES_PER_LAYER = 4;

    private final DebertaConfig config;
    private final DType dtype;
    private final FrozenWeights frozen;
    private final Map<String, Adapter> adapters = new LinkedHashMap<>();

    /**
     * Uploads the weights as frozen variables and creates an adapter for every linear layer that
     * {@code targets} matches.
     *
     * @param prefix a name prefix for the variables, unique per model on the backend
     * @throws IllegalArgumentException if {@code targets} match no linear layer
     */
    public DebertaEncoder(
            Backend backend,
            DebertaWeights weights,
            DType dtype,
            TargetModules targets,
            AdapterFactory factory,
            String prefix) {
        if (!dtype.isFloating()) {
            throw new IllegalArgumentException(
                    "the encoder's dtype is " + dtype + "; accepted: FLOAT32, FLOAT64");
        }
        this.config = weights.config();
        this.dtype = dtype;
        this.frozen = new FrozenWeights(backend, prefix, dtype);
        List<String> linears = DebertaNames.layerLinears(config);
        for (NamedArray array : weights.asMap().values()) {
            String name = array.name();
            boolean linear =
                    name.startsWith("encoder.layer.")
                            && name.endsWith(".weight")
                            && linears.stream().anyMatch(l -> name.endsWith("." + l + ".weight"));
            frozen.upload(array, linear);
        }
        for (int layer = 0; layer < config.numHiddenLayers(); layer++) {
            for (String linear : linears) {
                String module = DebertaNames.layer(layer, linear);
                if (targets.matches(module)) {
                    NamedArray w = weights.get(module + ".weight");
                    adapters.put(
                            module,
                            factory.create(backend, module, (int) w.dim(1), (int) w.dim(0)));
                }
            }
        }
        targets.requireMatched(!adapters.isEmpty(), DebertaNames.layer(0, DebertaNames.QUERY));
    }

    /** The architecture. */
    public DebertaConfig config() {
        return config;
    }

    @Override
    public ModelFamily family() {
        return ModelFamily.DEBERTA_V2;
    }

    @Override
    public int hiddenSize() {
        return config.hiddenSize();
    }

    @Override
    public DType dtype() {
        return dtype;
    }

    @Override
    public Map<String, Adapter> adapters() {
        return Collections.unmodifiableMap(adapters);
    }

    /**
     * The last hidden state [B, L, H].
     *
     * @param inputs token ids and attention mask (INT64 [B, L]); token types are read only when the
     *     config has a token-type embedding
     */
    @Override
    public Tensor forward(
            Ops ops, EncoderInputs inputs, Function<Variable, Tensor> valueOf, Dropout dropout) {
        Tensor ids = inputs.ids();
        long batch = ids.shape().dim(0);
        long length = ids.shape().dim(1);
        int hidden = config.hiddenSize();
        int heads = config.numAttentionHeads();
        int headSize = config.headSize();
        double eps = config.layerNormEps();

        // Embeddings, then the mask multiply (DebertaV2Embeddings.forward).
        Tensor embedded = ops.gather(frozen.read(ops, DebertaNames.WORD_EMBEDDINGS), ids, 0);
        if (config.positionBiasedInput()) {
            if (length > config.maxPositionEmbeddings()) {
                throw new IllegalArgumentException(
                        "sequence length "
                                + length
                                + " exceeds the model's "
                                + config.maxPositionEmbeddings()
                                + " absolute positions (max_position_embeddings)");
            }
            long[] positions = new long[(int) length];
            for (int i = 0; i < length; i++) {
                positions[i] = i;
            }
            Tensor positionRows =
                    ops.gather(
                            frozen.read(ops, DebertaNames.POSITION_EMBEDDINGS),
                            ops.constant(positions, Shape.of(length), DType.INT64),
                            0);
            Tensor sum = ops.add(embedded, positionRows);
            Intermediates.release(sum, embedded, positionRows);
            embedded = sum;
        }
        if (config.typeVocabSize() > 0) {
            Tensor typeRows =
                    ops.gather(
                            frozen.read(ops, DebertaNames.TOKEN_TYPE_EMBEDDINGS),
                            inputs.types(),
                            0);
            Tensor sum = ops.add(embedded, typeRows);
            Intermediates.release(sum, embedded, typeRows);
            embedded = sum;
        }
        Tensor keep = ops.cast(inputs.mask(), dtype);
        Tensor normed = layerNorm(ops, embedded, DebertaNames.EMBEDDINGS_LAYER_NORM);
        embedded.close();
        Tensor keepColumn = ops.reshape(keep, batch, length, 1);
        Tensor masked = ops.mul(normed, keepColumn);
        Intermediates.release(masked, normed, keepColumn);
        Tensor h = drop(ops, dropout, masked, 0);
        Tensor x = ops.reshape(h, batch * length, hidden);
        Intermediates.release(x, masked, h);

        // m(i, j) = mask_i · mask_j, [B, 1, L, L] (DebertaV2Encoder.get_attention_mask).
        Tensor attend =
                ops.greater(
                        ops.mul(
                                ops.reshape(keep, batch, 1, 1, length),
                                ops.reshape(keep, batch, 1, length, 1)),
                        ops.zeros(Shape.scalar(), dtype));
        Tensor lowest = ops.scalar(lowest(dtype), dtype);
        // torch.sqrt of a float32 tensor; sqrt is correctly rounded, so rounding the double root
        // to the activation type gives the same value.
        Tensor scale =
                ops.scalar(
                        dtype == DType.FLOAT32
                                ? (float) Math.sqrt((double) headSize * config.scaleFactor())
                                : Math.sqrt((double) headSize * config.scaleFactor()),
                        dtype);

        Tensor rel = null;
        Tensor c2pIndex = null;
        Tensor p2cIndex = null;
        if (config.relativeAttention()) {
            rel = frozen.read(ops, DebertaNames.REL_EMBEDDINGS);
            if (config.relEmbeddingLayerNorm()) {
                rel = layerNorm(ops, rel, DebertaNames.REL_LAYER_NORM);
            }
            int l = Math.toIntExact(length);
            Shape square = Shape.of(length, length);
            if (config.c2p()) {
                c2pIndex =
                        ops.constant(RelativePositions.c2pIndices(config, l), square, DType.INT64);
            }
            if (config.p2c()) {
                p2cIndex =
                        ops.constant(RelativePositions.p2cIndices(config, l), square, DType.INT64);
            }
        }
        long span2 = 2L * config.attentionSpan();

        for (int layer = 0; layer < config.numHiddenLayers(); layer++) {
            int site = 1 + layer * SITES_PER_LAYER;
            Tensor q =
                    AttentionHeads.split(
                            ops,
                            linear(ops, layer, DebertaNames.QUERY, x, valueOf, dropout, 0),
                            batch,
                            length,
                            heads,
                            headSize);
            Tensor k =
                    AttentionHeads.split(
                            ops,
                            linear(ops, layer, DebertaNames.KEY, x, valueOf, dropout, 0),
                            batch,
                            length,
                            heads,
                            headSize);
            Tensor v =
                    AttentionHeads.split(
                            ops,
                            linear(ops, layer, DebertaNames.VALUE, x, valueOf, dropout, 0),
                            batch,
                            length,
                            heads,
                            headSize);
            // bmm(query_layer, key_layer.transpose(-1, -2) / scale): [B, heads, L, L]. Dividing k
            // [B, heads, L, d], as Hugging Face does, makes a smaller tensor than dividing the
            // scores; the scaled keys serve the p2c term too.
            Tensor scaledK = ops.div(k, scale);
            Tensor keysT = ops.transpose(scaledK, 0, 1, 3, 2);
            Tensor scores = ops.matmul(q, keysT);
            keysT.close();
            if (rel != null) {
                Tensor r = drop(ops, dropout, rel, site);
                Tensor relative = null;
                if (c2pIndex != null) {
                    String proj = config.shareAttKey() ? DebertaNames.KEY : DebertaNames.POS_KEY;
                    Tensor posKey =
                            relativeHeads(
                                    ops,
                                    linear(ops, layer, proj, r, valueOf, dropout, 1),
                                    span2,
                                    heads,
                                    headSize);
                    // q · K_rᵀ: [B, heads, L, 2s], then row i picks column δ(i, j). Hugging Face
                    // divides the picked scores [B, heads, L, L] by the scale; dividing K_r
                    // [1, heads, 2s, d] instead is the same product, (q · K_rᵀ) / s = q · (K_r /
                    // s)ᵀ,
                    // on a tensor without the batch.
                    Tensor scaledPosKey = ops.div(posKey, scale);
                    Tensor posKeyT = ops.transpose(scaledPosKey, 0, 1, 3, 2);
                    Tensor c2p = ops.matmul(q, posKeyT);
                    Intermediates.release(c2p, posKey, scaledPosKey, posKeyT);
                    relative = pick(ops, c2p, c2pIndex, batch, heads, length, span2);
                    c2p.close();
                }
                if (p2cIndex != null) {
                    String proj =
                            config.shareAttKey() ? DebertaNames.QUERY : DebertaNames.POS_QUERY;
                    Tensor posQuery =
                            relativeHeads(
                                    ops,
                                    linear(ops, layer, proj, r, valueOf, dropout, 1),
                                    span2,
                                    heads,
                                    headSize);
                    // k · Q_rᵀ: [B, heads, L_k, 2s]; entry (i, j) reads key j's row at δ(j, i)'.
                    // (k · Q_rᵀ) / s = (k / s) · Q_rᵀ: the scaled keys of the content scores.
                    Tensor posQueryT = ops.transpose(posQuery, 0, 1, 3, 2);
                    Tensor p2c = ops.matmul(scaledK, posQueryT);
                    Intermediates.release(p2c, posQuery, posQueryT);
                    Tensor term = pick(ops, p2c, p2cIndex, batch, heads, length, span2);
                    p2c.close();
                    if (relative == null) {
                        relative = term;
                    } else {
                        Tensor sum = ops.add(relative, term);
                        Intermediates.release(sum, relative, term);
                        relative = sum;
                    }
                }
                if (r != rel) {
                    r.close(); // this layer's dropout of the shared relative embeddings
                }
                if (relative != null) {
                    Tensor sum = ops.add(scores, relative);
                    Intermediates.release(sum, scores, relative);
                    scores = sum;
                }
            }
            Intermediates.release(scores, q, k, scaledK);
            Tensor maskedScores = ops.where(attend, scores, lowest);
            scores.close();
            Tensor softmax = ops.softmax(maskedScores, -1);
            maskedScores.close();
            Tensor probs = drop(ops, dropout, softmax, site + 1);
            Intermediates.release(probs, softmax);
            Tensor perHead = ops.matmul(probs, v);
            Intermediates.release(perHead, probs, v);
            Tensor merged = ops.transpose(perHead, 0, 2, 1, 3);
            Tensor context = ops.reshape(merged, batch * length, hidden);
            Intermediates.release(context, perHead, merged);
            Tensor projected =
                    linear(ops, layer, DebertaNames.ATTENTION_OUTPUT, context, valueOf, dropout, 0);
            Intermediates.release(projected, context);
            Tensor attended = drop(ops, dropout, projected, site + 2);
            Intermediates.release(attended, projected);
            Tensor attentionSum = ops.add(attended, x);
            Intermediates.release(attentionSum, attended, x);
            Tensor a =
                    layerNorm(
                            ops,
                            attentionSum,
                            DebertaNames.layer(layer, DebertaNames.ATTENTION_LAYER_NORM));
            attentionSum.close();
            Tensor widened = linear(ops, layer, DebertaNames.INTERMEDIATE, a, valueOf, dropout, 0);
            Tensor inner = ops.gelu(widened);
            Intermediates.release(inner, widened);
            Tensor narrowed = linear(ops, layer, DebertaNames.OUTPUT, inner, valueOf, dropout, 0);
            Intermediates.release(narrowed, inner);
            Tensor out = drop(ops, dropout, narrowed, site + 3);
            Intermediates.release(out, narrowed);
            Tensor outputSum = ops.add(out, a);
            Intermediates.release(outputSum, out, a);
            x =
                    layerNorm(
                            ops,
                            outputSum,
                            DebertaNames.layer(layer, DebertaNames.OUTPUT_LAYER_NORM));
            outputSum.close();
        }
        Tensor last = ops.reshape(x, batch, length, hidden);
        Intermediates.release(last, x);
        return last;
    }

    /**
     * Gathers {@code scores} [B, heads, L, 2s] at the host-computed flat indices [L, L] (entry (i,
     * j) = row · 2s + column, {@link RelativePositions}): Hugging Face's {@code torch.gather} along
     * the last axis, written as one gather along the flattened last two axes, which every backend
     * has. [B, heads, L, L].
     */
    private static Tensor pick(
            Ops ops, Tensor scores, Tensor index, long batch, int heads, long length, long span2) {
        Tensor flat = ops.reshape(scores, batch * heads, length * span2);
        Tensor picked = ops.gather(flat, index, 1);
        Tensor out = ops.reshape(picked, batch, heads, length, length);
        Intermediates.release(out, flat, picked);
        return out;
    }

    /** The dtype's lowest finite value, {@code torch.finfo(dtype).min}. */
    private static double lowest(DType dtype) {
        return dtype == DType.FLOAT32 ? -Float.MAX_VALUE : -Double.MAX_VALUE;
    }

    private static Tensor drop(Ops ops, Dropout dropout, Tensor x, int site) {
        return dropout == null ? x : dropout.apply(ops, x, site);
    }

    private Tensor layerNorm(Ops ops, Tensor x, String module) {
        return ops.layerNorm(
                x,
                frozen.read(ops, module + ".weight"),
                frozen.read(ops, module + ".bias"),
                config.layerNormEps());
    }

    /** The adapted layers in a fixed order, for their adapter-dropout sites. */
    private static final java.util.List<String> ADAPTER_SITE_ORDER =
            java.util.List.of(
                    DebertaNames.QUERY,
                    DebertaNames.KEY,
                    DebertaNames.VALUE,
                    DebertaNames.POS_KEY,
                    DebertaNames.POS_QUERY,
                    DebertaNames.ATTENTION_OUTPUT,
                    DebertaNames.INTERMEDIATE,
                    DebertaNames.OUTPUT);

    /**
     * The linear layer {@code linear} of {@code layer} with its adapter ({@link AdaptedLinear}).
     * PEFT's wrapped module draws a new dropout mask at each call, so the projection of the
     * relative embeddings ({@code use} 1) has its own site beside the tokens' ({@code use} 0).
     */
    private Tensor linear(
            Ops ops,
            int layer,
            String linear,
            Tensor x,
            Function<Variable, Tensor> valueOf,
            Dropout dropout,
            int use) {
        String module = DebertaNames.layer(layer, linear);
        return AdaptedLinear.apply(
                ops,
                x,
                frozen.read(ops, module + ".weight"),
                frozen.read(ops, module + ".bias"),
                adapters.get(module),
                valueOf,
                dropout,
                (layer * ADAPTER_SITE_ORDER.size() + ADAPTER_SITE_ORDER.indexOf(linear)) * 2 + use);
    }

    /**
     * [2s, H] → [1, heads, 2s, headSize], to broadcast over the batch; closes x, which only the
     * result then needs.
     */
    private static Tensor relativeHeads(Ops ops, Tensor x, long span2, int heads, int headSize) {
        Tensor split = ops.reshape(x, 1, span2, heads, headSize);
        Tensor perHead = ops.transpose(split, 0, 2, 1, 3);
        Intermediates.release(perHead, x, split);
        return perHead;
    }
}
