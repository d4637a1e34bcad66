package io.rankwise.models.deberta;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rankwise.allocators.adapters.SvdLowRankAdapter;
import io.rankwise.api.Backend;
import io.rankwise.api.CompiledFunction;
import io.rankwise.api.DType;
import io.rankwise.api.HostRandom;
import io.rankwise.api.Ops;
import io.rankwise.api.Shape;
import io.rankwise.api.Tensor;
import io.rankwise.api.ValueAndGradients;
import io.rankwise.api.Variable;
import io.rankwise.api.adapt.Adapter;
import io.rankwise.models.deberta.EncoderFixtures.Case;
import io.rankwise.models.encoder.AdapterFactory;
import io.rankwise.models.encoder.EncoderInputs;
import io.rankwise.models.encoder.TargetModules;
import io.rankwise.models.family.ModelFamily;
import io.rankwise.models.weights.NamedArray;
import io.rankwise.testing.Backends;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Adapters in the DeBERTa encoder (the {@code deberta-v2} fixture: shared keys, c2p and p2c), in
 * float64: on the paper's targets at nonzero values they change the output and every adapter
 * parameter receives a gradient; adapters on {@code query_proj} and {@code key_proj} compute the
 * same network as the merged weights W + ΔW (PEFT's merge), which holds only if their update also
 * reaches the relative embeddings those layers project; and the gradients agree with central
 * differences.
 */
class DebertaAdapterTest {
    private static final int RANK = 3;
    private static final double ALPHA = 6;

    private static DebertaWeights weights;
    private static Case batch;

    @BeforeAll
    static void load() throws IOException {
        weights = DebertaCheckpoint.load(EncoderFixtures.folder("deberta-v2")).weights();
        batch =
                EncoderFixtures.cases(EncoderFixtures.reference("deberta-v2")).stream()
                        .filter(c -> c.name().equals("padded_batch"))
                        .findFirst()
                        .orElseThrow();
    }

    static List<String> backends() {
        return Backends.names();
    }

    /** SVD adapters whose P, Λ and Q are set to nonzero values drawn per module. */
    private static AdapterFactory nonzeroAdapters(String prefix, Map<String, double[]> deltas) {
        return (backend, module, dIn, dOut) -> {
            SvdLowRankAdapter a =
                    new SvdLowRankAdapter(
                            backend,
                            prefix + module,
                            dIn,
                            dOut,
                            RANK,
                            ALPHA,
                            DType.FLOAT64,
                            HostRandom.forStream(3, module.hashCode()));
            HostRandom random = HostRandom.forStream(17, module.hashCode());
            double[] p = random.normal(dOut * RANK, 0, 0.3);
            double[] lambda = random.uniform(RANK, 0.5, 1.5);
            double[] q = random.normal(RANK * dIn, 0, 0.3);
            a.left().assign(p);
            a.singularValues().assign(lambda);
            a.right().assign(q);
            // ΔW = P diag(Λ) Q · α/r, [out, in], as PEFT merges it into the layer.
            double[] delta = new double[dOut * dIn];
            for (int o = 0; o < dOut; o++) {
                for (int i = 0; i < dIn; i++) {
                    double s = 0;
                    for (int k = 0; k < RANK; k++) {
                        s += p[o * RANK + k] * lambda[k] * q[k * dIn + i];
                    }
                    delta[o * dIn + i] = s * ALPHA / RANK;
                }
            }
            deltas.put(module, delta);
            return a;
        };
    }

    private static EncoderInputs inputs(Backend backend) {
        Shape shape = Shape.of(batch.batch(), batch.length());
        return new EncoderInputs(
                backend.tensor(batch.ids(), shape, DType.INT64),
                backend.tensor(batch.mask(), shape, DType.INT64),
                backend.tensor(batch.types(), shape, DType.INT64));
    }

    private static double[] forward(Backend backend, DebertaEncoder encoder) {
        try (EncoderInputs in = inputs(backend);
                CompiledFunction f =
                        backend.compile(
                                (ops, x) ->
                                        List.of(
                                                encoder.forward(
                                                        ops,
                                                        new EncoderInputs(
                                                                x.get(0), x.get(1), x.get(2)),
                                                        ops::read,
                                                        null)))) {
            List<Tensor> out = f.call(in.ids(), in.mask(), in.types());
            double[] values = out.get(0).toDoubles();
            out.forEach(Tensor::close);
            return values;
        }
    }

    /** The training forward with no model dropout and adapter dropout at {@code adapterRate}. */
    private static double[] trainingForward(
            Backend backend, DebertaEncoder encoder, double adapterRate) {
        try (EncoderInputs in = inputs(backend);
                Tensor seed = backend.tensor(new long[] {7, 3}, Shape.of(2), DType.INT64);
                CompiledFunction f =
                        backend.compile(
                                (ops, x) ->
                                        List.of(
                                                encoder.forward(
                                                        ops,
                                                        new EncoderInputs(
                                                                x.get(0), x.get(1), x.get(2)),
                                                        ops::read,
                                                        new io.rankwise.models.encoder.Dropout(
                                                                0, adapterRate, x.get(3)))))) {
            List<Tensor> out = f.call(in.ids(), in.mask(), in.types(), seed);
            double[] values = out.get(0).toDoubles();
            out.forEach(Tensor::close);
            return values;
        }
    }

    /**
     * PEFT's lora_dropout reaches the output only through the adapters: with every rate 0 the
     * training forward is the evaluation forward; adapter dropout changes the output of adapted
     * layers (their relative projections included), and none of a model without adapters.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void adapterDropoutActsThroughTheAdaptersOnly(String backendName) {
        Backend backend = Backends.get(backendName);
        String prefix = Backends.unique("deberta-dropout");
        DebertaEncoder adapted =
                new DebertaEncoder(
                        backend,
                        weights,
                        DType.FLOAT64,
                        new TargetModules(ModelFamily.DEBERTA_V2.paperTargets()),
                        nonzeroAdapters(prefix, new java.util.HashMap<>()),
                        prefix + "adapted.");
        double[] eval = forward(backend, adapted);
        assertEquals(0, maxDiff(eval, trainingForward(backend, adapted, 0)), 1e-12);
        assertTrue(
                maxDiff(eval, trainingForward(backend, adapted, 0.5)) > 1e-3,
                "adapter dropout changes the adapted layers' output");
        DebertaEncoder plain =
                new DebertaEncoder(
                        backend,
                        weights,
                        DType.FLOAT64,
                        new TargetModules(List.of()),
                        null,
                        prefix + "plain.");
        assertEquals(0, maxDiff(forward(backend, plain), trainingForward(backend, plain, 0.5)), 0);
    }

    private static double maxDiff(double[] a, double[] b) {
        assertEquals(a.length, b.length);
        double worst = 0;
        for (int i = 0; i < a.length; i++) {
            worst = Math.max(worst, Math.abs(a[i] - b[i]));
        }
        return worst;
    }

    /** Σ h ⊙ W for fixed random W: a loss that depends on every output element. */
    private static Tensor loss(Ops ops, Tensor hidden) {
        double[] w = HostRandom.forStream(29, 1).normal((int) hidden.shape().size(), 0, 1);
        return ops.sum(ops.mul(hidden, ops.constant(w, hidden.shape(), hidden.dtype())));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void adaptersOnThePaperTargetsChangeTheOutputAndReceiveGradients(String backendName) {
        Backend backend = Backends.get(backendName);
        String prefix = Backends.unique("deberta.adapters");
        DebertaEncoder plain =
                new DebertaEncoder(
                        backend,
                        weights,
                        DType.FLOAT64,
                        new TargetModules(List.of()),
                        null,
                        prefix + "plain.");
        DebertaEncoder adapted =
                new DebertaEncoder(
                        backend,
                        weights,
                        DType.FLOAT64,
                        new TargetModules(ModelFamily.DEBERTA_V2.paperTargets()),
                        nonzeroAdapters(prefix, new HashMap<>()),
                        prefix + "adapted.");
        List<String> expected = new ArrayList<>();
        for (int layer = 0; layer < 2; layer++) {
            for (String linear :
                    List.of(
                            "attention.self.query_proj",
                            "attention.self.key_proj",
                            "attention.self.value_proj",
                            "attention.output.dense",
                            "intermediate.dense",
                            "output.dense")) {
                expected.add("encoder.layer." + layer + "." + linear);
            }
        }
        assertEquals(expected, List.copyOf(adapted.adapters().keySet()));

        double changed = maxDiff(forward(backend, plain), forward(backend, adapted));
        assertTrue(changed > 1e-2, "adapters at nonzero values change the output by " + changed);

        List<Variable> parameters = adapted.adapterParameters();
        assertEquals(12 * 3, parameters.size());
        List<double[]> gradients;
        try (EncoderInputs in = inputs(backend);
                CompiledFunction f =
                        backend.compile(
                                (ops, x) -> {
                                    List<Tensor> at = new ArrayList<>();
                                    parameters.forEach(v -> at.add(ops.read(v)));
                                    ValueAndGradients vg =
                                            ops.valueAndGradients(
                                                    ps -> {
                                                        Map<Variable, Tensor> value =
                                                                new HashMap<>();
                                                        for (int i = 0; i < ps.size(); i++) {
                                                            value.put(parameters.get(i), ps.get(i));
                                                        }
                                                        return loss(
                                                                ops,
                                                                adapted.forward(
                                                                        ops,
                                                                        new EncoderInputs(
                                                                                x.get(0), x.get(1),
                                                                                x.get(2)),
                                                                        value::get,
                                                                        null));
                                                    },
                                                    at);
                                    return vg.gradients();
                                })) {
            List<Tensor> out = f.call(in.ids(), in.mask(), in.types());
            gradients = out.stream().map(Tensor::toDoubles).toList();
            out.forEach(Tensor::close);
        }
        for (int i = 0; i < parameters.size(); i++) {
            double largest = 0;
            for (double g : gradients.get(i)) {
                assertTrue(Double.isFinite(g), parameters.get(i).name() + " has gradient " + g);
                largest = Math.max(largest, Math.abs(g));
            }
            assertTrue(largest > 1e-6, parameters.get(i).name() + " gets no gradient");
        }
    }

    /**
     * With share_att_key, query_proj and key_proj also project the relative embeddings; PEFT wraps
     * the modules, so the adapted model is the model with merged weights W + ΔW everywhere those
     * layers are used. An update applied to the content path alone would differ from it.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void adaptersOnTheSharedProjectionsEqualMergedWeights(String backendName) {
        Backend backend = Backends.get(backendName);
        assertTrue(weights.config().shareAttKey() && weights.config().c2p());
        assertTrue(weights.config().p2c());
        String prefix = Backends.unique("deberta.merged");
        Map<String, double[]> deltas = new LinkedHashMap<>();
        DebertaEncoder adapted =
                new DebertaEncoder(
                        backend,
                        weights,
                        DType.FLOAT64,
                        new TargetModules(List.of("query_proj", "key_proj")),
                        nonzeroAdapters(prefix, deltas),
                        prefix + "adapted.");
        assertEquals(4, adapted.adapters().size());
        Map<String, NamedArray> merged = new LinkedHashMap<>(weights.asMap());
        for (Map.Entry<String, double[]> d : deltas.entrySet()) {
            NamedArray w = merged.get(d.getKey() + ".weight");
            float[] sum = new float[w.data().length];
            for (int i = 0; i < sum.length; i++) {
                // Float32 storage: the merged weight is rounded like any checkpoint weight, so
                // the comparison below allows for that rounding.
                sum[i] = (float) (w.data()[i] + d.getValue()[i]);
            }
            merged.put(w.name(), new NamedArray(w.name(), w.shape(), sum));
        }
        DebertaEncoder mergedEncoder =
                new DebertaEncoder(
                        backend,
                        DebertaWeights.of(weights.config(), merged),
                        DType.FLOAT64,
                        new TargetModules(List.of()),
                        null,
                        prefix + "merged.");
        DebertaEncoder plain =
                new DebertaEncoder(
                        backend,
                        weights,
                        DType.FLOAT64,
                        new TargetModules(List.of()),
                        null,
                        prefix + "plain.");
        double[] out = forward(backend, adapted);
        double mergedDiff = maxDiff(out, forward(backend, mergedEncoder));
        double plainDiff = maxDiff(out, forward(backend, plain));
        assertTrue(plainDiff > 1e-2, "the adapters change the output by " + plainDiff);
        assertTrue(
                mergedDiff < 1e-4,
                "adapted and merged encoders differ by "
                        + mergedDiff
                        + " (plain: "
                        + plainDiff
                        + ")");
    }

    /**
     * ∂loss/∂Λ of the adapters on layer 0's query_proj and key_proj (which see the content and the
     * relative embeddings, through the c2p and p2c gathers) against central differences.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void gradientsAgreeWithCentralDifferences(String backendName) {
        Backend backend = Backends.get(backendName);
        String prefix = Backends.unique("deberta.fd");
        DebertaEncoder adapted =
                new DebertaEncoder(
                        backend,
                        weights,
                        DType.FLOAT64,
                        new TargetModules(ModelFamily.DEBERTA_V2.paperTargets()),
                        nonzeroAdapters(prefix, new HashMap<>()),
                        prefix + "adapted.");
        List<Variable> checked = new ArrayList<>();
        for (String module :
                List.of(
                        "encoder.layer.0.attention.self.query_proj",
                        "encoder.layer.0.attention.self.key_proj")) {
            Adapter a = adapted.adapters().get(module);
            checked.add(((SvdLowRankAdapter) a).singularValues());
        }
        // f(Λ_q, Λ_k) with both as inputs; the other parameters read as they are.
        try (EncoderInputs in = inputs(backend);
                CompiledFunction value =
                        backend.compile(
                                (ops, x) ->
                                        List.of(
                                                loss(
                                                        ops,
                                                        adapted.forward(
                                                                ops,
                                                                new EncoderInputs(
                                                                        x.get(0), x.get(1),
                                                                        x.get(2)),
                                                                substitute(
                                                                        ops,
                                                                        checked,
                                                                        x.subList(3, 5)),
                                                                null))));
                CompiledFunction gradient =
                        backend.compile(
                                (ops, x) ->
                                        ops.valueAndGradients(
                                                        ps ->
                                                                loss(
                                                                        ops,
                                                                        adapted.forward(
                                                                                ops,
                                                                                new EncoderInputs(
                                                                                        x.get(0),
                                                                                        x.get(1),
                                                                                        x.get(2)),
                                                                                substitute(
                                                                                        ops,
                                                                                        checked,
                                                                                        ps),
                                                                                null)),
                                                        x.subList(3, 5))
                                                .gradients())) {
            double[][] lambdas = {checked.get(0).toDoubles(), checked.get(1).toDoubles()};
            List<Tensor> analytic = call(backend, gradient, in, lambdas[0], lambdas[1]);
            double h = 1e-5;
            for (int v = 0; v < 2; v++) {
                double[] g = analytic.get(v).toDoubles();
                for (int k = 0; k < RANK; k++) {
                    double[] plus = lambdas[v].clone();
                    double[] minus = lambdas[v].clone();
                    plus[k] += h;
                    minus[k] -= h;
                    double numeric =
                            (evaluate(backend, value, in, lambdas, v, plus)
                                            - evaluate(backend, value, in, lambdas, v, minus))
                                    / (2 * h);
                    assertTrue(
                            Math.abs(numeric - g[k]) <= 1e-5 * Math.max(1, Math.abs(numeric)),
                            checked.get(v).name()
                                    + "["
                                    + k
                                    + "]: analytic "
                                    + g[k]
                                    + ", central difference "
                                    + numeric);
                }
            }
            analytic.forEach(Tensor::close);
        }
    }

    private static Function<Variable, Tensor> substitute(
            Ops ops, List<Variable> variables, List<Tensor> values) {
        return v -> {
            int i = variables.indexOf(v);
            return i < 0 ? ops.read(v) : values.get(i);
        };
    }

    private static double evaluate(
            Backend backend,
            CompiledFunction value,
            EncoderInputs in,
            double[][] lambdas,
            int which,
            double[] changed) {
        double[][] l = {lambdas[0], lambdas[1]};
        l[which] = changed;
        List<Tensor> out = call(backend, value, in, l[0], l[1]);
        double v = out.get(0).scalar();
        out.forEach(Tensor::close);
        return v;
    }

    private static List<Tensor> call(
            Backend backend, CompiledFunction f, EncoderInputs in, double[] a, double[] b) {
        try (Tensor ta = backend.tensor(a, Shape.of(RANK), DType.FLOAT64);
                Tensor tb = backend.tensor(b, Shape.of(RANK), DType.FLOAT64)) {
            return f.call(List.of(in.ids(), in.mask(), in.types(), ta, tb));
        }
    }
}
