package io.rankwise.models.deberta;

/**
 * DeBERTa's relative positions and the indices that pick the disentangled-attention terms, computed
 * on the host: they depend only on the sequence length and the config, not on the batch.
 *
 * <p>The relative position of query i to key j is {@code r = i − j} ({@code
 * build_relative_position} in {@code src/transformers/models/deberta_v2/modeling_deberta_v2.py}).
 * With b = {@code position_buckets} &gt; 0 and k the relative range, it is bucketed by {@code
 * make_log_bucket_position}: with m = ⌊b/2⌋,
 *
 * <pre>
 *   bucket(r) = r                                                      if |r| ≤ m
 *             = sign(r) · ( ⌈ ln(|r|/m) / ln((k − 1)/m) · (m − 1) ⌉ + m )   otherwise
 * </pre>
 *
 * computed, as the current Hugging Face code computes it, in float32: {@code |r|/m} and {@code (k −
 * 1)/m} rounded to float, their logarithms, the quotient and the product in float (older versions
 * used float64). The two could differ only where the value lies within rounding of an integer
 * before the ceiling; for the sizes DeBERTa uses (8/32 to 256/1024) they agree for every |r| ≤ 4096
 * ({@code RelativePositionsTest}). The result is not clamped here: with s the attention span (b, or
 * k without buckets), the c2p term reads row {@code clamp(bucket(i − j) + s, 0, 2s − 1)} of the
 * projected relative embeddings, and the p2c term row {@code clamp(−bucket(j − i) + s, 0, 2s − 1)}
 * for key j.
 */
public final class RelativePositions {
    private RelativePositions() {}

    /**
     * {@code make_log_bucket_position} for one relative position.
     *
     * @param relative r = i − j
     * @param bucketSize b ({@code position_buckets}), positive
     * @param maxPosition k (the relative range), positive
     */
    public static long logBucket(long relative, int bucketSize, int maxPosition) {
        long mid = bucketSize / 2;
        long abs = Math.abs(relative);
        // |r| < m is replaced by m − 1 before the logarithm (and then not used: |r| ≤ m keeps r).
        if (abs <= mid) {
            return relative;
        }
        float ratio = (float) abs / (float) mid;
        // torch.tensor((max_position - 1) / mid): a Python float (double) made a float32 tensor.
        float range = (float) ((double) (maxPosition - 1) / mid);
        float logRange = (float) Math.log(range);
        float logRatio = (float) Math.log(ratio);
        float scaled = (logRatio / logRange) * (float) (mid - 1);
        long bucket = (long) Math.ceil(scaled) + mid;
        return relative < 0 ? -bucket : bucket;
    }

    /**
     * The relative position (bucketed when {@code config.positionBuckets()} &gt; 0) of query i to
     * key j, as {@code build_relative_position} returns it.
     */
    public static long relativePosition(DebertaConfig config, long i, long j) {
        long r = i - j;
        return config.positionBuckets() > 0
                ? logBucket(r, config.positionBuckets(), config.effectiveMaxRelativePositions())
                : r;
    }

    /**
     * The c2p indices for a sequence of {@code length} tokens, flattened for a gather along the
     * last two axes of the scores [L, 2s] taken as one axis of L·2s: entry (i, j) is {@code i · 2s
     * + clamp(rel(i, j) + s, 0, 2s − 1)}. Row-major [L, L].
     */
    public static long[] c2pIndices(DebertaConfig config, int length) {
        int span = config.attentionSpan();
        long width = 2L * span;
        long[] rel = relativePositions(config, length);
        long[] out = new long[Math.multiplyExact(length, length)];
        for (int i = 0; i < length; i++) {
            for (int j = 0; j < length; j++) {
                long row = clamp(rel[i - j + length - 1] + span, width);
                out[i * length + j] = i * width + row;
            }
        }
        return out;
    }

    /**
     * The p2c indices, flattened the same way over the key-side scores [L_k, 2s] (key j against
     * every relative query): entry (i, j) is {@code j · 2s + clamp(−rel(j, i) + s, 0, 2s − 1)}.
     * Hugging Face gathers {@code p2c[j, clamp(−rel(j, i) + s)]} into [j, i] and transposes; this
     * gathers into [i, j] directly. Row-major [L, L].
     */
    public static long[] p2cIndices(DebertaConfig config, int length) {
        int span = config.attentionSpan();
        long width = 2L * span;
        long[] rel = relativePositions(config, length);
        long[] out = new long[Math.multiplyExact(length, length)];
        for (int i = 0; i < length; i++) {
            for (int j = 0; j < length; j++) {
                long row = clamp(-rel[j - i + length - 1] + span, width);
                out[i * length + j] = j * width + row;
            }
        }
        return out;
    }

    /**
     * rel(r) for r = −(L − 1) … L − 1, at index r + L − 1: the bucket depends only on i − j, so
     * each of the 2L − 1 values is computed once.
     */
    private static long[] relativePositions(DebertaConfig config, int length) {
        long[] rel = new long[Math.max(0, 2 * length - 1)];
        for (int r = -(length - 1); r <= length - 1; r++) {
            rel[r + length - 1] = relativePosition(config, r, 0);
        }
        return rel;
    }

    private static long clamp(long index, long width) {
        return Math.max(0, Math.min(width - 1, index));
    }
}
