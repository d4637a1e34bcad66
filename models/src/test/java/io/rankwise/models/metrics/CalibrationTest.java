package io.rankwise.models.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class CalibrationTest {
    private static final double[][] P = {{0.9, 0.1}, {0.6, 0.4}, {0.3, 0.7}, {0.2, 0.8}};
    private static final int[] Y = {0, 1, 1, 0};

    @Test
    void negativeLogLikelihood() {
        // Gold-class probabilities .9, .4, .7, .2.
        double expected = -(Math.log(0.9) + Math.log(0.4) + Math.log(0.7) + Math.log(0.2)) / 4;
        assertEquals(expected, Calibration.negativeLogLikelihood(P, Y), 1e-15);
    }

    @Test
    void zeroProbabilityOnTheGoldClassGivesInfiniteNll() {
        assertEquals(
                Double.POSITIVE_INFINITY,
                Calibration.negativeLogLikelihood(new double[][] {{1, 0}}, new int[] {1}));
    }

    @Test
    void brierScore() {
        // (.9−1)² + .1² = .02; .6² + (.4−1)² = .72; .3² + (.7−1)² = .18; (.2−1)² + .8² = 1.28.
        // Sum 2.2, mean 0.55.
        assertEquals(0.55, Calibration.brierScore(P, Y), 1e-12);
    }

    @Test
    void expectedCalibrationErrorWith15Bins() {
        // Confidences .9, .6, .7, .8 fall into four different bins of width 1/15:
        // .9 ∈ (13/15, 14/15], .6 ∈ (8/15, 9/15] (right edge, included), .7 ∈ (10/15, 11/15],
        // .8 ∈ (11/15, 12/15]. Correct: yes, no (argmax 0, gold 1), yes, no (argmax 1, gold 0).
        // ECE = ¼(|1 − .9| + |0 − .6| + |1 − .7| + |0 − .8|) = 1.8 / 4 = 0.45.
        assertEquals(0.45, Calibration.expectedCalibrationError(P, Y), 1e-12);
    }

    @Test
    void expectedCalibrationErrorWithSharedBins() {
        // Two bins (0, .5], (.5, 1]: all four in the upper bin; acc = 2/4, conf = 3.0/4 = .75.
        // ECE = |.5 − .75| = 0.25.
        assertEquals(0.25, Calibration.expectedCalibrationError(P, Y, 2), 1e-12);
    }

    @Test
    void perfectlyCalibratedIsZero() {
        // Two examples at confidence .5 (same bin), one right: acc .5 = conf .5.
        double[][] p = {{0.5, 0.5}, {0.5, 0.5}};
        assertEquals(0.0, Calibration.expectedCalibrationError(p, new int[] {0, 1}), 1e-15);
    }

    @Test
    void binsAreRightClosed() {
        assertEquals(8, Calibration.bin(0.6, 15)); // 9/15 belongs to (8/15, 9/15]
        assertEquals(0, Calibration.bin(0.0, 15));
        assertEquals(14, Calibration.bin(1.0, 15));
        assertEquals(0, Calibration.bin(0.5, 2));
        assertEquals(1, Calibration.bin(0.5000001, 2));
    }

    @Test
    void rejectsRowsThatAreNotProbabilities() {
        assertThrows(
                IllegalArgumentException.class,
                () -> Calibration.brierScore(new double[][] {{0.5, 0.6}}, new int[] {0}));
        assertThrows(
                IllegalArgumentException.class,
                () -> Calibration.brierScore(new double[][] {{1.0, 0.0}}, new int[] {2}));
        assertThrows(
                IllegalArgumentException.class,
                () -> Calibration.brierScore(new double[][] {{1.0, 0.0}, {1.0}}, new int[] {0, 0}));
    }
}
