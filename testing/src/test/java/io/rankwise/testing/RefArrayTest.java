package io.rankwise.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.rankwise.api.DType;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The reference itself, against hand-computed and published values (no backend involved). */
class RefArrayTest {

    @Test
    void erfMatchesPublishedValues() {
        double[][] known = {
            {0.0, 0.0},
            {1e-3, 1.1283787909692363e-3},
            {0.1, 0.1124629160182849},
            {0.5, 0.5204998778130465},
            {0.9, 0.7969082124228322},
            {1.0, 0.8427007929497149},
            {1.5, 0.9661051464753108},
            {2.0, 0.9953222650189527},
            {3.0, 0.9999779095030014},
            {4.0, 0.9999999845827421},
            {5.5, 0.9999999999999927},
        };
        for (double[] k : known) {
            assertEquals(k[1], RefArray.erf(k[0]), 4e-16 * k[1], "erf(" + k[0] + ")");
            assertEquals(-k[1], RefArray.erf(-k[0]), 4e-16 * k[1], "erf(" + -k[0] + ")");
        }
        // erfc for large x: erfc(5) = 1.5374597944280349e-12, erfc(6) = 2.1519736712498913e-17
        assertEquals(1.5374597944280349e-12, RefArray.erfcLarge(5), 1e-26);
        assertEquals(2.1519736712498913e-17, RefArray.erfcLarge(6), 1e-31);
        // continuity where the two methods meet
        assertEquals(RefArray.erf(Math.nextDown(1.0)), RefArray.erf(1.0), 3e-16);
    }

    @Test
    void geluAtKnownPoints() {
        // GELU(1) = 0.5 (1 + erf(1/√2)) = 0.8413447460685429; GELU(−1) = −0.15865525393145707
        assertEquals(0.8413447460685429, RefArray.gelu(1), 1e-15);
        assertEquals(-0.15865525393145707, RefArray.gelu(-1), 1e-15);
    }

    @Test
    void broadcastingAddAndWhere() {
        RefArray a = RefArray.of(new double[] {1, 2, 3, 4, 5, 6}, 2, 3);
        RefArray b = RefArray.of(new double[] {10, 20, 30}, 3);
        RefArray c = RefArray.of(new double[] {100, 200}, 2, 1);
        assertArrayEquals(new double[] {11, 22, 33, 14, 25, 36}, a.add(b).data);
        assertArrayEquals(new double[] {101, 102, 103, 204, 205, 206}, a.add(c).data);
        RefArray outer = b.add(c);
        assertArrayEquals(new long[] {2, 3}, outer.shape);
        assertArrayEquals(new double[] {110, 120, 130, 210, 220, 230}, outer.data);
        RefArray mask = RefArray.of(new double[] {1, 0, 1}, 3);
        assertArrayEquals(
                new double[] {1, 200, 3, 4, 200, 6},
                RefArray.where(mask, a, RefArray.scalar(200)).data);
        assertArrayEquals(
                new long[] {2, 3, 4},
                RefArray.broadcastShape(new long[] {2, 1, 4}, new long[] {3, 1}));
    }

    @Test
    void reductionsWithAxesAndKeepDims() {
        RefArray x = RefArray.of(new double[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}, 2, 3, 2);
        assertArrayEquals(new double[] {78}, x.sum(new int[0], false).data);
        assertArrayEquals(new long[0], x.sum(new int[0], false).shape);
        assertArrayEquals(new long[] {1, 1, 1}, x.sum(new int[0], true).shape);
        RefArray s0 = x.sum(new int[] {0}, false);
        assertArrayEquals(new long[] {3, 2}, s0.shape);
        assertArrayEquals(new double[] {8, 10, 12, 14, 16, 18}, s0.data);
        RefArray m1 = x.mean(new int[] {1}, true);
        assertArrayEquals(new long[] {2, 1, 2}, m1.shape);
        assertArrayEquals(new double[] {3, 4, 9, 10}, m1.data);
        RefArray mx = x.max(new int[] {0, -1}, false);
        assertArrayEquals(new double[] {8, 10, 12}, mx.data);
    }

    @Test
    void matmulBatchedWithBroadcasting() {
        RefArray a = RefArray.of(new double[] {1, 2, 3, 4}, 2, 2);
        RefArray b = RefArray.of(new double[] {5, 6, 7, 8}, 2, 2);
        assertArrayEquals(new double[] {19, 22, 43, 50}, RefArray.matmul(a, b).data);
        RefArray bb = RefArray.of(new double[] {5, 6, 7, 8, 1, 0, 0, 1}, 2, 2, 2);
        RefArray r = RefArray.matmul(a, bb);
        assertArrayEquals(new long[] {2, 2, 2}, r.shape);
        assertArrayEquals(new double[] {19, 22, 43, 50, 1, 2, 3, 4}, r.data);
    }

    @Test
    void shapeOperations() {
        RefArray x = RefArray.of(new double[] {0, 1, 2, 3, 4, 5}, 2, 3);
        assertArrayEquals(new double[] {0, 3, 1, 4, 2, 5}, x.transpose(1, 0).data);
        assertArrayEquals(new long[] {3, 2}, x.reshape(-1, 2).shape);
        assertArrayEquals(
                new double[] {1, 2, 4, 5}, x.slice(new long[] {0, 1}, new long[] {-1, 2}).data);
        RefArray cat = RefArray.concat(List.of(x, RefArray.of(new double[] {9, 9}, 2, 1)), 1);
        assertArrayEquals(new double[] {0, 1, 2, 9, 3, 4, 5, 9}, cat.data);
        RefArray idx = RefArray.of(new double[] {2, 0, 2}, 3);
        RefArray g1 = x.gather(idx, 1);
        assertArrayEquals(new long[] {2, 3}, g1.shape);
        assertArrayEquals(new double[] {2, 0, 2, 5, 3, 5}, g1.data);
        RefArray g0 = x.gather(RefArray.of(new double[] {1, 1, 0, 1}, 2, 2), 0);
        assertArrayEquals(new long[] {2, 2, 3}, g0.shape);
        assertArrayEquals(new double[] {3, 4, 5, 3, 4, 5, 0, 1, 2, 3, 4, 5}, g0.data);
        assertArrayEquals(
                new double[] {0, 0, 1, 1, 0, 0},
                RefArray.of(new double[] {2, 0}, 2).oneHot(3).data);
    }

    @Test
    void softmaxLayerNormAndCast() {
        RefArray x = RefArray.of(new double[] {1, 2, 3}, 3);
        double z = Math.exp(1) + Math.exp(2) + Math.exp(3);
        assertArrayEquals(
                new double[] {Math.exp(1) / z, Math.exp(2) / z, Math.exp(3) / z},
                x.softmax(0).data,
                1e-15);
        assertArrayEquals(
                new double[] {1 - Math.log(z), 2 - Math.log(z), 3 - Math.log(z)},
                x.logSoftmax(0).data,
                1e-15);
        // mean 2, biased variance 2/3
        double s = Math.sqrt(2.0 / 3 + 0.01);
        RefArray ln =
                x.layerNorm(RefArray.of(new double[] {1, 2, 3}, 3), RefArray.scalar(0.5), 0.01);
        assertArrayEquals(new double[] {-1 / s + 0.5, 0.5, 3 / s + 0.5}, ln.data, 1e-15);
        assertArrayEquals(
                new double[] {-2, 2, 0, 1},
                RefArray.of(new double[] {-2.7, 2.7, -0.5, 1.0}, 4).cast(DType.INT64).data);
        assertArrayEquals(
                new double[] {1, 1, 0, 1},
                RefArray.of(new double[] {-2.7, 2.7, 0, 1.0}, 4).cast(DType.BOOL).data);
    }
}
