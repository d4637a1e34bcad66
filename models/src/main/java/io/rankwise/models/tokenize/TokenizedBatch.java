package io.rankwise.models.tokenize;

import java.util.Arrays;

/**
 * The model inputs for a batch of texts, each row padded to the same length: flat row-major arrays
 * of shape [batchSize, sequenceLength], ready to become tensors.
 *
 * <p>Padding positions have the model's padding id ({@code [PAD]} = 0 for BERT, {@code <pad>} = 1
 * for RoBERTa), attention mask 0 and token type 0.
 *
 * @param batchSize the number of rows
 * @param sequenceLength the length of every row
 * @param inputIds vocabulary ids
 * @param attentionMask 1 for real tokens, 0 for padding
 * @param tokenTypeIds 0 for the first segment (with [CLS] and its [SEP]), 1 for the second
 */
public record TokenizedBatch(
        int batchSize,
        int sequenceLength,
        long[] inputIds,
        long[] attentionMask,
        long[] tokenTypeIds) {

    /** Checks that the three arrays have the batch's shape. */
    public TokenizedBatch {
        long n = (long) batchSize * sequenceLength;
        if (batchSize < 0
                || sequenceLength < 0
                || inputIds.length != n
                || attentionMask.length != n
                || tokenTypeIds.length != n) {
            throw new IllegalArgumentException(
                    "arrays of lengths "
                            + inputIds.length
                            + ", "
                            + attentionMask.length
                            + ", "
                            + tokenTypeIds.length
                            + " do not match shape ["
                            + batchSize
                            + ", "
                            + sequenceLength
                            + "]");
        }
    }

    /** The shape {batchSize, sequenceLength}. */
    public long[] shape() {
        return new long[] {batchSize, sequenceLength};
    }

    /** The ids of one row (a copy). */
    public long[] inputIds(int row) {
        return row(inputIds, row);
    }

    /** The attention mask of one row (a copy). */
    public long[] attentionMask(int row) {
        return row(attentionMask, row);
    }

    /** The token types of one row (a copy). */
    public long[] tokenTypeIds(int row) {
        return row(tokenTypeIds, row);
    }

    /** The number of real (unpadded) tokens in a row. */
    public int length(int row) {
        int n = 0;
        for (long m : attentionMask(row)) {
            n += (int) m;
        }
        return n;
    }

    /** The ids as [batchSize][sequenceLength]. */
    public long[][] inputIds2d() {
        return to2d(inputIds);
    }

    /** The attention mask as [batchSize][sequenceLength]. */
    public long[][] attentionMask2d() {
        return to2d(attentionMask);
    }

    /** The token types as [batchSize][sequenceLength]. */
    public long[][] tokenTypeIds2d() {
        return to2d(tokenTypeIds);
    }

    private long[] row(long[] flat, int row) {
        if (row < 0 || row >= batchSize) {
            throw new IndexOutOfBoundsException("row " + row + " of a batch of " + batchSize);
        }
        return Arrays.copyOfRange(flat, row * sequenceLength, (row + 1) * sequenceLength);
    }

    private long[][] to2d(long[] flat) {
        long[][] out = new long[batchSize][];
        for (int r = 0; r < batchSize; r++) {
            out[r] = row(flat, r);
        }
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TokenizedBatch b
                && batchSize == b.batchSize
                && sequenceLength == b.sequenceLength
                && Arrays.equals(inputIds, b.inputIds)
                && Arrays.equals(attentionMask, b.attentionMask)
                && Arrays.equals(tokenTypeIds, b.tokenTypeIds);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(inputIds) * 31 + Arrays.hashCode(tokenTypeIds);
    }

    @Override
    public String toString() {
        return "TokenizedBatch[" + batchSize + " x " + sequenceLength + "]";
    }
}
