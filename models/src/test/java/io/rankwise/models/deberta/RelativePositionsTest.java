package io.rankwise.models.deberta;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/** The host-side relative positions and gather indices. */
class RelativePositionsTest {

    /**
     * At DeBERTa-v3's size (256 buckets, 512 positions) the float32 computation Hugging Face uses
     * gives the same buckets as the formula evaluated in float64, written here independently, for
     * every |r| up to 4096: no ceiling lands near an integer.
     */
    @Test
    void float32BucketsEqualTheFloat64FormulaAtV3Size() {
        for (int[] sizes : new int[][] {{256, 512}, {256, 1024}, {8, 32}, {64, 128}}) {
            int mid = sizes[0] / 2;
            for (long r = -4096; r <= 4096; r++) {
                long expected;
                if (Math.abs(r) <= mid) {
                    expected = r;
                } else {
                    double v =
                            Math.log(Math.abs(r) / (double) mid)
                                    / Math.log((sizes[1] - 1) / (double) mid)
                                    * (mid - 1);
                    expected = (long) Math.signum(r) * ((long) Math.ceil(v) + mid);
                }
                assertEquals(
                        expected,
                        RelativePositions.logBucket(r, sizes[0], sizes[1]),
                        "bucket of " + r + " for " + sizes[0] + " buckets, " + sizes[1]);
            }
        }
    }

    /**
     * The flat c2p and p2c indices of the 37-token case (which reaches buckets ±8, outside the
     * 16-row table) equal the rows the fixture's README defines from its bucket table: c2p (i, j)
     * reads row clamp(bucket(i − j) + 8, 0, 15) of query i's scores, p2c (i, j) row clamp(−bucket(j
     * − i) + 8, 0, 15) of key j's.
     */
    @Test
    void gatherIndicesFollowTheReferenceBuckets() throws IOException {
        JsonNode table =
                EncoderFixtures.reference("deberta-v2")
                        .get("relative_position_buckets")
                        .get("bucket_of_relative_position");
        DebertaConfig config =
                DebertaCheckpoint.load(EncoderFixtures.folder("deberta-v2")).weights().config();
        int length = 37;
        long[] c2p = RelativePositions.c2pIndices(config, length);
        long[] p2c = RelativePositions.p2cIndices(config, length);
        for (int i = 0; i < length; i++) {
            for (int j = 0; j < length; j++) {
                long forward = table.get(Integer.toString(i - j)).asLong();
                long backward = table.get(Integer.toString(j - i)).asLong();
                assertEquals(i * 16L + Math.max(0, Math.min(15, forward + 8)), c2p[i * length + j]);
                assertEquals(
                        j * 16L + Math.max(0, Math.min(15, -backward + 8)), p2c[i * length + j]);
            }
        }
        assertEquals(0, c2p[0 * length + 36] % 16, "bucket −8 clamps to row 0");
        assertEquals(15, c2p[36 * length + 0] % 16, "bucket +8 clamps to row 15");
    }
}
