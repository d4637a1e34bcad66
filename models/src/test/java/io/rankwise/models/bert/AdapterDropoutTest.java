package io.rankwise.models.bert;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rankwise.allocators.adapters.SvdLowRankAdapter;
import io.rankwise.api.Backend;
import io.rankwise.api.CompiledFunction;
import io.rankwise.api.DType;
import io.rankwise.api.HostRandom;
import io.rankwise.api.Shape;
import io.rankwise.api.Tensor;
import io.rankwise.api.adapt.Adapter;
import io.rankwise.models.encoder.Dropout;
import io.rankwise.models.encoder.TargetModules;
import io.rankwise.models.weights.BertConfig;
import io.rankwise.models.weights.BertNames;
import io.rankwise.models.weights.BertWeights;
import io.rankwise.models.weights.NamedArray;
import io.rankwise.testing.Backends;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * PEFT's adapter dropout ({@code lora_dropout}): an adapted layer computes x Wᵀ + b +
 * B(A(dropout(x))) · scaling while training, so the dropout reaches the output only through the
 * adapter. A tiny random BERT (2 layers, width 4) with SVD adapters on every linear layer, in
 * float64, on every backend:
 *
 * <ul>
 *   <li>with the adapters' update zero (Λ = 0, their initial state) a training forward with adapter
 *       dropout and no other dropout is exactly the evaluation forward, while the model's own
 *       dropout at the same rate changes it (the control: the comparison sees dropout on the base
 *       path);
 *   <li>with Λ ≠ 0 and every rate 0 the training forward is exactly the evaluation forward;
 *   <li>with Λ ≠ 0 and adapter dropout it differs, is the same for the same seed and differs for
 *       another;
 *   <li>the adapters' masks are independent of the model's masks of the same index.
 * </ul>
 */
class AdapterDropoutTest {
    private static final BertConfig CONFIG = new BertConfig(11, 4, 2, 2, 8, 6, 2, 1e-12, "gelu");
    private static final int BATCH = 2;
    private static final int LENGTH = 5;

    static List<String> backends() {
        return Backends.names();
    }

    /** Weights in [-1, 1] in steps of 1/64, from a fixed seed. */
    private static BertWeights weights() {
        Random random = new Random(17);
        Map<String, NamedArray> out = new LinkedHashMap<>();
        BertNames.expectedShapes(CONFIG, false)
                .forEach(
                        (name, shape) -> {
                            float[] data = new float[(int) NamedArray.elementCount(shape)];
                            for (int i = 0; i < data.length; i++) {
                                data[i] = (random.nextInt(129) - 64) / 64f;
                            }
                            out.put(name, new NamedArray(name, shape, data));
                        });
        return BertWeights.of(CONFIG, out);
    }

    private static BertEncoder encoder(Backend backend, String prefix) {
        return new BertEncoder(
                backend,
                weights(),
                DType.FLOAT64,
                TargetModules.paper(),
                (b, module, dIn, dOut) ->
                        new SvdLowRankAdapter(
                                b,
                                prefix + module,
                                dIn,
                                dOut,
                                3,
                                6,
                                DType.FLOAT64,
                                new HostRandom(module.hashCode())),
                prefix);
    }

    /**
     * Sets every Λ to (0.5, -0.75, 1.0) and P and Q to values in [-1, 1]: an update of the order of
     * the layer's output, so that a dropped input moves the output far above rounding.
     */
    private static void nonZeroUpdate(BertEncoder encoder) {
        Random random = new Random(23);
        for (Adapter a : encoder.adapters().values()) {
            SvdLowRankAdapter svd = (SvdLowRankAdapter) a;
            svd.singularValues().assign(new double[] {0.5, -0.75, 1.0});
            for (var v : List.of(svd.left(), svd.right())) {
                double[] values = new double[(int) v.shape().size()];
                for (int i = 0; i < values.length; i++) {
                    values[i] = 2 * random.nextDouble() - 1;
                }
                v.assign(values);
            }
        }
    }

    /**
     * The last hidden state for fixed token ids; {@code rates} null: evaluation (no dropout), else
     * {model rate, adapter rate} under {@code seed}.
     */
    private static double[] forward(
            Backend backend, BertEncoder encoder, double[] rates, long seed) {
        long[] ids = new long[BATCH * LENGTH];
        long[] mask = new long[BATCH * LENGTH];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = (i * 7 + 3) % CONFIG.vocabSize();
            // The second sequence has two padding tokens.
            mask[i] = i >= BATCH * LENGTH - 2 ? 0 : 1;
        }
        Shape shape = Shape.of(BATCH, LENGTH);
        try (Tensor idT = backend.tensor(ids, shape, DType.INT64);
                Tensor maskT = backend.tensor(mask, shape, DType.INT64);
                Tensor types = backend.tensor(new long[BATCH * LENGTH], shape, DType.INT64);
                Tensor seedT = backend.tensor(new long[] {seed, 3}, Shape.of(2), DType.INT64);
                CompiledFunction f =
                        backend.compile(
                                (ops, in) ->
                                        List.of(
                                                encoder.forward(
                                                        ops,
                                                        in.get(0),
                                                        in.get(1),
                                                        in.get(2),
                                                        ops::read,
                                                        rates == null
                                                                ? null
                                                                : new Dropout(
                                                                        rates[0], rates[1],
                                                                        in.get(3)))))) {
            List<Tensor> out = f.call(idT, maskT, types, seedT);
            double[] hidden = out.get(0).toDoubles();
            out.forEach(Tensor::close);
            return hidden;
        }
    }

    private static double largestDifference(double[] a, double[] b) {
        assertEquals(a.length, b.length);
        double worst = 0;
        for (int i = 0; i < a.length; i++) {
            worst = Math.max(worst, Math.abs(a[i] - b[i]));
        }
        return worst;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void adapterDropoutIsInvisibleWhileTheUpdateIsZero(String backendName) {
        Backend backend = Backends.get(backendName);
        BertEncoder encoder = encoder(backend, Backends.unique("zero"));
        double[] eval = forward(backend, encoder, null, 1);
        assertArrayEquals(
                eval,
                forward(backend, encoder, new double[] {0, 0.5}, 1),
                backendName + ": adapter dropout 0.5 on a zero update");
        // Control: the same rate on the model's own sites does show.
        assertTrue(
                largestDifference(eval, forward(backend, encoder, new double[] {0.5, 0}, 1)) > 1e-3,
                backendName + ": model dropout changes the output");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void withEveryRateZeroTrainingIsEvaluation(String backendName) {
        Backend backend = Backends.get(backendName);
        BertEncoder encoder = encoder(backend, Backends.unique("rates0"));
        nonZeroUpdate(encoder);
        assertArrayEquals(
                forward(backend, encoder, null, 1),
                forward(backend, encoder, new double[] {0, 0}, 1),
                backendName);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void adapterDropoutChangesANonZeroUpdateReproducibly(String backendName) {
        Backend backend = Backends.get(backendName);
        BertEncoder encoder = encoder(backend, Backends.unique("nonzero"));
        nonZeroUpdate(encoder);
        double[] eval = forward(backend, encoder, null, 1);
        double[] dropped = forward(backend, encoder, new double[] {0, 0.5}, 1);
        assertTrue(
                largestDifference(eval, dropped) > 1e-3,
                backendName + ": adapter dropout changes the output of a non-zero update");
        assertArrayEquals(
                dropped,
                forward(backend, encoder, new double[] {0, 0.5}, 1),
                backendName + ": the same seed draws the same masks (exact resume)");
        assertTrue(
                largestDifference(dropped, forward(backend, encoder, new double[] {0, 0.5}, 2))
                        > 1e-3,
                backendName + ": another seed draws other masks");
    }

    /**
     * Model site k and adapter index k draw from seeds apart: over 4096 elements at p = 0.5, two
     * independent masks agree on a fraction 0.5 ± 0.0078 (one standard deviation); the same mask
     * would agree everywhere.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void adapterMasksAreIndependentOfTheModelsMasks(String backendName) {
        Backend backend = Backends.get(backendName);
        int n = 4096;
        double[] ones = new double[n];
        java.util.Arrays.fill(ones, 1);
        try (Tensor x = backend.tensor(ones, Shape.of(n), DType.FLOAT64);
                Tensor seed = backend.tensor(new long[] {42, 7}, Shape.of(2), DType.INT64);
                CompiledFunction f =
                        backend.compile(
                                (ops, in) -> {
                                    Dropout d = new Dropout(0.5, 0.5, in.get(1));
                                    return List.of(
                                            d.apply(ops, in.get(0), 0),
                                            d.applyToAdapterInput(ops, in.get(0), 0),
                                            d.apply(ops, in.get(0), 1),
                                            d.applyToAdapterInput(ops, in.get(0), 1));
                                })) {
            List<Tensor> out = f.call(x, seed);
            double[][] masks = new double[out.size()][];
            for (int i = 0; i < masks.length; i++) {
                masks[i] = out.get(i).toDoubles();
            }
            out.forEach(Tensor::close);
            for (double[] m : masks) {
                int kept = 0;
                for (double v : m) {
                    // Inverted dropout: kept elements are scaled by 1/(1 - p) = 2.
                    assertTrue(v == 0 || v == 2, backendName + ": a masked value is " + v);
                    kept += v == 2 ? 1 : 0;
                }
                assertEquals(0.5, kept / (double) n, 0.04, backendName + ": kept fraction");
            }
            for (int[] pair : new int[][] {{0, 1}, {2, 3}, {1, 3}, {0, 2}}) {
                int agree = 0;
                for (int i = 0; i < n; i++) {
                    agree += masks[pair[0]][i] == masks[pair[1]][i] ? 1 : 0;
                }
                assertEquals(
                        0.5,
                        agree / (double) n,
                        0.04,
                        backendName + ": masks " + pair[0] + " and " + pair[1] + " agree");
            }
            assertFalse(java.util.Arrays.equals(masks[0], masks[1]));
        }
    }
}
