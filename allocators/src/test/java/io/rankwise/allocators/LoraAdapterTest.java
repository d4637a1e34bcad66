package io.rankwise.allocators;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rankwise.allocators.adapters.LoraAdapterProvider;
import io.rankwise.api.Backend;
import io.rankwise.api.DType;
import io.rankwise.api.HostRandom;
import io.rankwise.api.Shape;
import io.rankwise.api.Tensor;
import io.rankwise.api.adapt.Adapter;
import io.rankwise.api.adapt.LoraAdapter;
import io.rankwise.testing.Backends;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The {@code lora} plugin's adapter on a frozen linear layer, y = x Wᵀ + b + (α/r) · x Aᵀ Bᵀ,
 * against the same sum computed in float64 on the host; and its start: B = 0 (so y is the base
 * layer's x Wᵀ + b exactly) and A within PEFT's kaiming-uniform bound 1/√d_in.
 */
class LoraAdapterTest {
    private static final int D_IN = 7;
    private static final int D_OUT = 5;
    private static final int R = 3;
    private static final int ROWS = 4;
    private static final double ALPHA = 6;

    static List<String> backends() {
        return Backends.names();
    }

    private static LoraAdapter create(Backend backend) {
        Adapter a =
                new LoraAdapterProvider()
                        .create(
                                backend,
                                Backends.unique("lora") + "layer",
                                D_IN,
                                D_OUT,
                                Map.of(
                                        "r",
                                        R,
                                        "lora_alpha",
                                        ALPHA,
                                        "dtype",
                                        "float64",
                                        "seed",
                                        3L));
        assertTrue(a instanceof LoraAdapter, "the lora plugin makes LoraAdapters: " + a);
        return (LoraAdapter) a;
    }

    /** y = x Wᵀ + b + adapter(x) on the backend, from host values of x, W, b. */
    private static double[] forward(
            Backend backend, LoraAdapter adapter, double[] x, double[] w, double[] b) {
        try (Tensor xs = backend.tensor(x, Shape.of(ROWS, D_IN), DType.FLOAT64);
                Tensor ws = backend.tensor(w, Shape.of(D_OUT, D_IN), DType.FLOAT64);
                Tensor bs = backend.tensor(b, Shape.of(D_OUT), DType.FLOAT64);
                var f =
                        backend.compile(
                                (ops, in) ->
                                        List.of(
                                                ops.add(
                                                        ops.add(
                                                                ops.matmul(
                                                                        in.get(0),
                                                                        ops.transpose(
                                                                                in.get(1), 1, 0)),
                                                                in.get(2)),
                                                        adapter.delta(
                                                                ops,
                                                                in.get(0),
                                                                adapter.parameters().stream()
                                                                        .map(ops::read)
                                                                        .toList()))))) {
            List<Tensor> out = f.call(List.of(xs, ws, bs));
            try {
                return out.get(0).toDoubles();
            } finally {
                out.forEach(Tensor::close);
            }
        }
    }

    /** x Wᵀ + b + s · (x Aᵀ) Bᵀ in float64, summed in plain loops. */
    private static double[] reference(
            double[] x, double[] w, double[] b, double[] a, double[] bUp, double s) {
        double[] y = new double[ROWS * D_OUT];
        for (int n = 0; n < ROWS; n++) {
            double[] xa = new double[R]; // x Aᵀ
            for (int k = 0; k < R; k++) {
                for (int j = 0; j < D_IN; j++) {
                    xa[k] += x[n * D_IN + j] * a[k * D_IN + j];
                }
            }
            for (int o = 0; o < D_OUT; o++) {
                double base = b[o];
                for (int j = 0; j < D_IN; j++) {
                    base += x[n * D_IN + j] * w[o * D_IN + j];
                }
                double update = 0;
                for (int k = 0; k < R; k++) {
                    update += xa[k] * bUp[o * R + k];
                }
                y[n * D_OUT + o] = base + s * update;
            }
        }
        return y;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void forwardIsTheBaseLayerPlusTheScaledLowRankUpdate(String backendName) {
        Backend backend = Backends.get(backendName);
        LoraAdapter adapter = create(backend);
        assertEquals(ALPHA / R, adapter.scale(), 0.0, "alpha / r");
        assertEquals(List.of(adapter.a(), adapter.b()), adapter.parameters(), "A, then B");
        assertEquals(Shape.of(R, D_IN), adapter.a().shape(), "lora_A.weight [r, in]");
        assertEquals(Shape.of(D_OUT, R), adapter.b().shape(), "lora_B.weight [out, r]");
        HostRandom random = new HostRandom(11);
        double[] x = random.normal(ROWS * D_IN, 0, 1);
        double[] w = random.normal(D_OUT * D_IN, 0, 0.5);
        double[] b = random.normal(D_OUT, 0, 0.5);
        double[] a = random.normal(R * D_IN, 0, 0.7);
        double[] up = random.normal(D_OUT * R, 0, 0.7);
        adapter.a().assign(a);
        adapter.b().assign(up);

        double[] got = forward(backend, adapter, x, w, b);
        double[] want = reference(x, w, b, a, up, ALPHA / R);
        for (int i = 0; i < want.length; i++) {
            assertEquals(want[i], got[i], 1e-12, backendName + ": y[" + i + "]");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void startsWithBZeroSoTheLayerIsTheBaseLayer(String backendName) {
        Backend backend = Backends.get(backendName);
        LoraAdapter adapter = create(backend);
        for (double v : adapter.b().toDoubles()) {
            assertEquals(0.0, v, 0.0, "B starts at zero");
        }
        double bound = 1 / Math.sqrt(D_IN);
        double[] a = adapter.a().toDoubles();
        double spread = 0;
        for (double v : a) {
            assertTrue(Math.abs(v) <= bound, "A within kaiming-uniform's 1/sqrt(d_in): " + v);
            spread = Math.max(spread, Math.abs(v));
        }
        assertTrue(spread > bound / 2, "A is drawn, not zero: max |A| " + spread);

        HostRandom random = new HostRandom(12);
        double[] x = random.normal(ROWS * D_IN, 0, 1);
        double[] w = random.normal(D_OUT * D_IN, 0, 0.5);
        double[] b = random.normal(D_OUT, 0, 0.5);
        double[] got = forward(backend, adapter, x, w, b);
        double[] base = reference(x, w, b, a, new double[D_OUT * R], 0);
        for (int i = 0; i < base.length; i++) {
            assertEquals(base[i], got[i], 1e-12, backendName + ": y[" + i + "] = x Wᵀ + b");
        }
    }
}
