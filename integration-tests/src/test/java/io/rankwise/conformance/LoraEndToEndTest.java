package io.rankwise.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rankwise.api.Backend;
import io.rankwise.api.CompiledFunction;
import io.rankwise.api.DType;
import io.rankwise.api.HostRandom;
import io.rankwise.api.Ops;
import io.rankwise.api.Shape;
import io.rankwise.api.Tensor;
import io.rankwise.api.ValueAndGradients;
import io.rankwise.api.Variable;
import io.rankwise.testing.Backends;
import io.rankwise.testing.Check;
import io.rankwise.testing.Exec;
import io.rankwise.testing.RefArray;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * End to end: y = x W + x P diag(λ) Q with W frozen, fitted to a planted low-rank update by Adam
 * written by hand with {@link Ops} inside one compiled step function (P, λ, Q and the Adam slots
 * are variables; the bias corrections and the learning rate are inputs), on every backend, in
 * float64 and float32, from the same seeded start.
 */
@ExtendWith(Backends.class)
class LoraEndToEndTest {
    static final int D = 32;
    static final int RANK = 4;
    static final int BATCH = 16;
    static final int SAMPLES = 128;
    static final int STEPS = 200;
    static final double LR = 1e-2;
    static final double BETA1 = 0.9;
    static final double BETA2 = 0.999;
    static final double EPS = 1e-8;

    static List<String> backends() {
        return Backends.names();
    }

    /** The data, the frozen weight and the initial adapter; everything from one seed. */
    record Problem(RefArray x, RefArray y, RefArray w, RefArray p0, RefArray lambda0, RefArray q0) {
        static Problem create() {
            HostRandom r = new HostRandom(77);
            RefArray x = RefArray.normal(r, 0, 1, SAMPLES, D);
            RefArray w = RefArray.normal(r, 0, 1 / Math.sqrt(D), D, D);
            RefArray u = RefArray.normal(r, 0, 0.3, D, RANK);
            RefArray v = RefArray.normal(r, 0, 0.3, RANK, D);
            RefArray noise = RefArray.normal(r, 0, 0.01, SAMPLES, D);
            RefArray y = RefArray.matmul(x, w.add(RefArray.matmul(u, v))).add(noise);
            return new Problem(
                    x,
                    y,
                    w,
                    RefArray.normal(r, 0, 0.1, D, RANK),
                    RefArray.normal(r, 0, 0.1, RANK),
                    RefArray.normal(r, 0, 0.1, RANK, D));
        }

        RefArray xBatch(int step) {
            return x.slice(
                    new long[] {(long) (step % (SAMPLES / BATCH)) * BATCH, 0},
                    new long[] {BATCH, -1});
        }

        RefArray yBatch(int step) {
            return y.slice(
                    new long[] {(long) (step % (SAMPLES / BATCH)) * BATCH, 0},
                    new long[] {BATCH, -1});
        }
    }

    // ------------------------------------------------------------------ on a backend

    static Tensor loss(Ops ops, Tensor x, Tensor w, Tensor p, Tensor lambda, Tensor q, Tensor y) {
        Tensor update = ops.matmul(ops.mul(ops.matmul(x, p), lambda), q);
        Tensor pred = ops.add(ops.matmul(x, w), update);
        return ops.mean(ops.square(ops.sub(pred, y)));
    }

    /** The adapter and optimizer state on one backend, and the compiled step and loss. */
    static final class Trainer implements AutoCloseable {
        final Backend backend;
        final DType dtype;
        final Variable w;
        final Variable[] params = new Variable[3];
        final Variable[] m = new Variable[3];
        final Variable[] v = new Variable[3];
        final CompiledFunction step;
        final CompiledFunction eval;

        Trainer(Backend backend, DType dtype, Problem problem) {
            this.backend = backend;
            this.dtype = dtype;
            w =
                    backend.variable(
                            Backends.unique("lora.W"),
                            problem.w().data.clone(),
                            problem.w().shapeObject(),
                            dtype,
                            false);
            RefArray[] init = {problem.p0(), problem.lambda0(), problem.q0()};
            String[] names = {"P", "lambda", "Q"};
            for (int i = 0; i < 3; i++) {
                Shape s = init[i].shapeObject();
                params[i] =
                        backend.variable(
                                Backends.unique("lora." + names[i]),
                                init[i].data.clone(),
                                s,
                                dtype,
                                true);
                m[i] =
                        backend.variable(
                                Backends.unique("lora.m." + names[i]),
                                new double[init[i].size()],
                                s,
                                dtype,
                                false);
                v[i] =
                        backend.variable(
                                Backends.unique("lora.v." + names[i]),
                                new double[init[i].size()],
                                s,
                                dtype,
                                false);
            }
            step =
                    backend.compile(
                            (ops, in) -> {
                                Tensor x = in.get(0);
                                Tensor y = in.get(1);
                                Tensor bc1 = in.get(2);
                                Tensor bc2 = in.get(3);
                                Tensor lr = in.get(4);
                                Tensor wt = ops.read(w);
                                List<Tensor> at = new ArrayList<>();
                                for (Variable p : params) {
                                    at.add(ops.read(p));
                                }
                                ValueAndGradients vg =
                                        ops.valueAndGradients(
                                                ps ->
                                                        LoraEndToEndTest.loss(
                                                                ops, x, wt, ps.get(0), ps.get(1),
                                                                ps.get(2), y),
                                                at);
                                for (int i = 0; i < 3; i++) {
                                    Tensor g = vg.gradients().get(i);
                                    Tensor m1 =
                                            ops.add(
                                                    ops.mul(ops.read(m[i]), BETA1),
                                                    ops.mul(g, 1 - BETA1));
                                    Tensor v1 =
                                            ops.add(
                                                    ops.mul(ops.read(v[i]), BETA2),
                                                    ops.mul(ops.square(g), 1 - BETA2));
                                    Tensor denom = ops.add(ops.sqrt(ops.div(v1, bc2)), EPS);
                                    Tensor update = ops.mul(ops.div(ops.div(m1, bc1), denom), lr);
                                    ops.assign(params[i], ops.sub(at.get(i), update));
                                    ops.assign(m[i], m1);
                                    ops.assign(v[i], v1);
                                }
                                return List.of(vg.value());
                            });
            eval =
                    backend.compile(
                            (ops, in) ->
                                    List.of(
                                            LoraEndToEndTest.loss(
                                                    ops,
                                                    in.get(0),
                                                    ops.read(w),
                                                    ops.read(params[0]),
                                                    ops.read(params[1]),
                                                    ops.read(params[2]),
                                                    in.get(1))));
        }

        /** Step t (from 1) on a batch; returns the loss before the update. */
        double step(int t, RefArray x, RefArray y) {
            double bc1 = 1 - Math.pow(BETA1, t);
            double bc2 = 1 - Math.pow(BETA2, t);
            List<Exec.Out> out =
                    Exec.call(
                            backend,
                            step,
                            List.of(
                                    in(x),
                                    in(y),
                                    in(RefArray.scalar(bc1)),
                                    in(RefArray.scalar(bc2)),
                                    in(RefArray.scalar(LR))));
            assertEquals(1, out.size(), backend.name() + " LoRA step " + dtype + ": outputs");
            return out.get(0).values()[0];
        }

        double loss(RefArray x, RefArray y) {
            return Exec.call(backend, eval, List.of(in(x), in(y))).get(0).values()[0];
        }

        private Exec.In in(RefArray a) {
            return new Exec.In(dtype == DType.FLOAT32 ? a.roundToFloat32() : a, dtype);
        }

        @Override
        public void close() {
            step.close();
            eval.close();
        }
    }

    // ------------------------------------------------------------------ the float64 reference

    /** The same model, loss gradients and Adam in plain Java. */
    static final class Reference {
        final RefArray w;
        final RefArray[] params;
        final RefArray[] m = new RefArray[3];
        final RefArray[] v = new RefArray[3];

        Reference(Problem problem) {
            w = problem.w();
            params = new RefArray[] {problem.p0(), problem.lambda0(), problem.q0()};
            for (int i = 0; i < 3; i++) {
                m[i] = RefArray.full(0, params[i].shape);
                v[i] = RefArray.full(0, params[i].shape);
            }
        }

        double loss(RefArray x, RefArray y) {
            RefArray pred =
                    RefArray.matmul(x, w)
                            .add(
                                    RefArray.matmul(
                                            RefArray.matmul(x, params[0]).mul(params[1]),
                                            params[2]));
            RefArray r = pred.sub(y);
            return r.mul(r).sumAll() / r.size();
        }

        /** ∂ mean((xW + (xP ⊙ λ)Q − y)²) / ∂(P, λ, Q). */
        RefArray[] gradients(RefArray x, RefArray y) {
            RefArray a = RefArray.matmul(x, params[0]);
            RefArray al = a.mul(params[1]);
            RefArray pred = RefArray.matmul(x, w).add(RefArray.matmul(al, params[2]));
            RefArray g = pred.sub(y).map(z -> 2 * z / (BATCH * D));
            RefArray dQ = RefArray.matmul(al.transpose(1, 0), g);
            RefArray dAl = RefArray.matmul(g, params[2].transpose(1, 0));
            RefArray dLambda = a.mul(dAl).sum(new int[] {0}, false);
            RefArray dP = RefArray.matmul(x.transpose(1, 0), dAl.mul(params[1]));
            return new RefArray[] {dP, dLambda, dQ};
        }

        double step(int t, RefArray x, RefArray y) {
            double before = loss(x, y);
            RefArray[] g = gradients(x, y);
            double bc1 = 1 - Math.pow(BETA1, t);
            double bc2 = 1 - Math.pow(BETA2, t);
            for (int i = 0; i < 3; i++) {
                m[i] = RefArray.zip(m[i], g[i], (mi, gi) -> BETA1 * mi + (1 - BETA1) * gi);
                v[i] = RefArray.zip(v[i], g[i], (vi, gi) -> BETA2 * vi + (1 - BETA2) * gi * gi);
                RefArray update =
                        RefArray.zip(
                                m[i],
                                v[i],
                                (mi, vi) -> LR * ((mi / bc1) / (Math.sqrt(vi / bc2) + EPS)));
                params[i] = params[i].sub(update);
            }
            return before;
        }
    }

    // ------------------------------------------------------------------ tests

    @Test
    void theReferenceGradientsMatchFiniteDifferencesAndItsTrainingConverges() {
        Problem problem = Problem.create();
        Reference ref = new Reference(problem);
        RefArray x = problem.xBatch(0);
        RefArray y = problem.yBatch(0);
        RefArray[] g = ref.gradients(x, y);
        double h = 1e-6;
        for (int i = 0; i < 3; i++) {
            double[] numeric = new double[g[i].size()];
            RefArray saved = ref.params[i];
            for (int j = 0; j < numeric.length; j++) {
                double[] d = saved.data.clone();
                d[j] += h;
                ref.params[i] = saved.withData(d);
                double plus = ref.loss(x, y);
                d[j] -= 2 * h;
                ref.params[i] = saved.withData(d.clone());
                double minus = ref.loss(x, y);
                numeric[j] = (plus - minus) / (2 * h);
            }
            ref.params[i] = saved;
            Check.close("reference LoRA gradient " + i, numeric, g[i].data, 1e-6, 1e-8);
        }
        double initial = ref.loss(problem.x(), problem.y());
        for (int t = 1; t <= STEPS; t++) {
            ref.step(t, problem.xBatch(t - 1), problem.yBatch(t - 1));
        }
        double last = ref.loss(problem.x(), problem.y());
        assertTrue(
                last < 0.01 * initial, "reference LoRA training: loss " + initial + " -> " + last);
    }

    /** Two steps (bias corrections t = 1 and t = 2) against plain Java float64. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void adamStepsMatchPlainJavaFloat64(String backendName) {
        Problem problem = Problem.create();
        Reference ref = new Reference(problem);
        String[] names = {"P", "lambda", "Q"};
        try (Trainer trainer = new Trainer(Backends.get(backendName), DType.FLOAT64, problem)) {
            for (int t = 1; t <= 2; t++) {
                String what = backendName + " LoRA Adam step " + t + " FLOAT64";
                RefArray x = problem.xBatch(t - 1);
                RefArray y = problem.yBatch(t - 1);
                double expectedLoss = ref.step(t, x, y);
                double loss = trainer.step(t, x, y);
                assertEquals(
                        expectedLoss,
                        loss,
                        1e-12 * expectedLoss,
                        what + ": loss before the update");
                for (int i = 0; i < 3; i++) {
                    Check.close(
                            what + ": " + names[i],
                            ref.params[i].data,
                            trainer.params[i].toDoubles(),
                            1e-10,
                            1e-12);
                    Check.close(
                            what + ": m of " + names[i],
                            ref.m[i].data,
                            trainer.m[i].toDoubles(),
                            1e-10,
                            1e-15);
                    Check.close(
                            what + ": v of " + names[i],
                            ref.v[i].data,
                            trainer.v[i].toDoubles(),
                            1e-10,
                            1e-18);
                }
                Check.exact(what + ": frozen W unchanged", problem.w().data, trainer.w.toDoubles());
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(
            value = DType.class,
            names = {"FLOAT64", "FLOAT32"})
    void trainingFallsAndTheBackendsEndAtTheSameLoss(DType dtype) {
        Problem problem = Problem.create();
        Reference ref = new Reference(problem);
        double refInitial = ref.loss(problem.x(), problem.y());
        double[] refLosses = new double[STEPS];
        for (int t = 1; t <= STEPS; t++) {
            refLosses[t - 1] = ref.step(t, problem.xBatch(t - 1), problem.yBatch(t - 1));
        }
        double refFinal = ref.loss(problem.x(), problem.y());
        Map<String, Double> finals = new LinkedHashMap<>();
        for (String name : Backends.names()) {
            String what = name + " LoRA training " + dtype;
            try (Trainer trainer = new Trainer(Backends.get(name), dtype, problem)) {
                double initial = trainer.loss(problem.x(), problem.y());
                double[] losses = new double[STEPS];
                for (int t = 1; t <= STEPS; t++) {
                    losses[t - 1] = trainer.step(t, problem.xBatch(t - 1), problem.yBatch(t - 1));
                }
                double last = trainer.loss(problem.x(), problem.y());
                assertEquals(
                        refInitial,
                        initial,
                        (dtype == DType.FLOAT64 ? 1e-12 : 1e-5) * refInitial,
                        what + ": initial loss vs reference");
                assertTrue(
                        last < 0.01 * initial,
                        what + ": the loss did not fall enough: " + initial + " -> " + last);
                if (dtype == DType.FLOAT64) {
                    Check.close(
                            what + ": loss trajectory vs plain-Java float64",
                            refLosses,
                            losses,
                            1e-8,
                            0);
                    assertEquals(
                            refFinal,
                            last,
                            1e-8 * refFinal,
                            what + ": final loss vs plain-Java float64");
                }
                System.out.printf(
                        "LoRA %s %s: full-data loss %.6g -> %.6g after %d steps (plain-Java float64: %.6g -> %.6g)%n",
                        name, dtype, initial, last, STEPS, refInitial, refFinal);
                finals.put(name, last);
            }
        }
        String first = finals.keySet().iterator().next();
        for (Map.Entry<String, Double> e : finals.entrySet()) {
            double a = finals.get(first);
            double b = e.getValue();
            assertTrue(
                    Math.abs(a - b) <= 1e-4 * Math.max(Math.abs(a), Math.abs(b)),
                    "LoRA final loss "
                            + dtype
                            + ": "
                            + e.getKey()
                            + " "
                            + b
                            + " vs "
                            + first
                            + " "
                            + a
                            + " (relative difference "
                            + Math.abs(a - b) / Math.max(Math.abs(a), Math.abs(b))
                            + ", allowed 1e-4); reference float64 "
                            + refFinal);
        }
    }
}
