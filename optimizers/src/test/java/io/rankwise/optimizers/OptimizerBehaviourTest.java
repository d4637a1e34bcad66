package io.rankwise.optimizers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rankwise.api.Backend;
import io.rankwise.api.DType;
import io.rankwise.api.HostRandom;
import io.rankwise.api.RecordFunction;
import io.rankwise.api.Shape;
import io.rankwise.api.Tensor;
import io.rankwise.api.Variable;
import io.rankwise.api.optim.Optimizer;
import io.rankwise.api.optim.Posterior;
import io.rankwise.optimizers.noise.DeviceNoise;
import io.rankwise.optimizers.noise.HostNoise;
import io.rankwise.testing.Backends;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The edges users of the Python IVON hit, checkpoints, posterior sampling, and cross-backend runs.
 */
class OptimizerBehaviourTest {
    private static final int N = 16;
    private static final int D_IN = 3;
    private static final int D_OUT = 2;
    private static final HostRandom DATA = new HostRandom(21);
    private static final double[] X = DATA.normal(N * D_IN, 0, 1);
    private static final double[] Y = DATA.normal(N * D_OUT, 0, 1);
    private static final double[] W0 = DATA.normal(D_IN * D_OUT, 0, 0.3);
    private static final double[] B0 = DATA.normal(D_OUT, 0, 0.3);

    static List<String> backends() {
        return Backends.names();
    }

    private static Ivon ivon(long seed, boolean hostNoise) {
        IvonSettings s =
                new IvonSettings(
                        0.1,
                        50,
                        0.5,
                        0.9,
                        0.999,
                        1e-3,
                        1,
                        "price",
                        Double.POSITIVE_INFINITY,
                        true,
                        true);
        return new Ivon(s, hostNoise ? new HostNoise(seed) : new DeviceNoise(seed));
    }

    private static RegressionRun run(String backend, Optimizer optimizer, int microBatches) {
        return new RegressionRun(
                Backends.get(backend),
                optimizer,
                X,
                Y,
                N,
                D_IN,
                D_OUT,
                W0,
                B0,
                DType.FLOAT64,
                microBatches,
                List.of());
    }

    @Test
    void seededIvonWithHostNoiseFollowsTheSameTrajectoryOnEveryBackend() {
        List<List<double[]>> trajectories = new ArrayList<>();
        for (String backend : backends()) {
            List<double[]> trajectory = new ArrayList<>();
            try (RegressionRun run = run(backend, ivon(9, true), 1)) {
                for (int t = 1; t <= 20; t++) {
                    run.step(t);
                    trajectory.add(run.w.toDoubles());
                }
            }
            trajectories.add(trajectory);
        }
        for (int t = 0; t < 20; t++) {
            IvonTraceTest.assertAllClose(
                    trajectories.get(0).get(t),
                    trajectories.get(1).get(t),
                    1e-12,
                    backends() + " step " + (t + 1));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void frozenParametersAreNeverTouchedAndNeverFail(String backendName) {
        Backend backend = Backends.get(backendName);
        String prefix = Backends.unique("frozen");
        Variable frozenFloat =
                backend.variable(
                        prefix + "frozen",
                        new double[] {1, 2, 3},
                        Shape.of(3),
                        DType.FLOAT64,
                        false);
        Variable frozenIndex =
                backend.variable(
                        prefix + "index", new double[] {4, 5}, Shape.of(2), DType.INT64, false);
        Ivon ivon = ivon(1, false);
        try (RegressionRun run =
                new RegressionRun(
                        backend,
                        ivon,
                        X,
                        Y,
                        N,
                        D_IN,
                        D_OUT,
                        W0,
                        B0,
                        DType.FLOAT64,
                        1,
                        List.of(frozenFloat, frozenIndex))) {
            for (int t = 1; t <= 3; t++) {
                run.step(t);
            }
            assertEquals(List.of(run.w, run.b), ivon.parameters());
            assertEquals(4, ivon.state().size(), "slots only for the trainable W and b");
        }
        assertArrayEquals(new double[] {1, 2, 3}, frozenFloat.toDoubles());
        assertArrayEquals(new double[] {4, 5}, frozenIndex.toDoubles());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void scalarAndZeroSizeParametersWork(String backendName) {
        Backend backend = Backends.get(backendName);
        String prefix = Backends.unique("edge");
        Variable scalar =
                backend.variable(
                        prefix + "scalar", new double[] {2.0}, Shape.scalar(), DType.FLOAT64, true);
        Variable empty =
                backend.variable(
                        prefix + "empty", new double[0], Shape.of(0, 3), DType.FLOAT64, true);
        for (Optimizer optimizer :
                List.of(ivon(2, false), new AdamProvider().create(Map.of("lr", "0.1")))) {
            optimizer.attach(backend, List.of(scalar, empty));
            double before = scalar.toDoubles()[0];
            try (RecordFunction<Optimizer.StepInputs> step =
                    RecordFunction.compile(
                            backend,
                            (ops, in) ->
                                    List.of(
                                            optimizer
                                                    .minimize(
                                                            ops,
                                                            List.of(
                                                                    p ->
                                                                            ops.add(
                                                                                    ops.mul(
                                                                                            ops
                                                                                                    .square(
                                                                                                            p
                                                                                                                    .get(
                                                                                                                            0)),
                                                                                            0.5),
                                                                                    ops.sum(
                                                                                            p.get(
                                                                                                    1)))),
                                                            in)
                                                    .loss()))) {
                for (int t = 1; t <= 5; t++) {
                    try (Optimizer.StepInputs in = optimizer.stepInputs(backend, t)) {
                        step.call(in).forEach(Tensor::close);
                    }
                }
            }
            assertTrue(
                    Math.abs(scalar.toDoubles()[0]) < Math.abs(before),
                    optimizer.name() + " moves the scalar toward 0");
            assertEquals(0, empty.toDoubles().length);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void gradientAccumulationOverMicroBatchesEqualsTheFullBatch(String backendName) {
        List<Supplier<Optimizer>> optimizers =
                List.of(() -> ivon(4, true), () -> new AdamProvider().create(Map.of("lr", "0.01")));
        for (Supplier<Optimizer> make : optimizers) {
            try (RegressionRun whole = run(backendName, make.get(), 1);
                    RegressionRun parts = run(backendName, make.get(), 4)) {
                for (int t = 1; t <= 10; t++) {
                    double lossWhole = whole.step(t);
                    double lossParts = parts.step(t);
                    IvonTraceTest.assertClose(
                            lossWhole,
                            lossParts,
                            1e-12,
                            whole.optimizer.name() + " loss at step " + t);
                    IvonTraceTest.assertAllClose(
                            whole.w.toDoubles(),
                            parts.w.toDoubles(),
                            1e-11,
                            whole.optimizer.name() + " W at step " + t);
                }
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void restoredStateContinuesBitIdentically(String backendName) {
        List<double[]> checkpoint = new ArrayList<>();
        double[] uninterruptedW;
        try (RegressionRun run = run(backendName, ivon(6, false), 1)) {
            for (int t = 1; t <= 10; t++) {
                run.step(t);
            }
            checkpoint.add(run.w.toDoubles());
            checkpoint.add(run.b.toDoubles());
            run.optimizer.state().forEach(v -> checkpoint.add(v.toDoubles()));
            for (int t = 11; t <= 20; t++) {
                run.step(t);
            }
            uninterruptedW = run.w.toDoubles();
        }
        try (RegressionRun resumed = run(backendName, ivon(6, false), 1)) {
            resumed.w.assign(checkpoint.get(0));
            resumed.b.assign(checkpoint.get(1));
            List<Variable> state = resumed.optimizer.state();
            for (int i = 0; i < state.size(); i++) {
                state.get(i).assign(checkpoint.get(2 + i));
            }
            for (int t = 11; t <= 20; t++) {
                resumed.step(t);
            }
            assertArrayEquals(
                    uninterruptedW,
                    resumed.w.toDoubles(),
                    backendName + ": resumed run must be bit-identical");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void posteriorSamplingDrawsFromTheMeanAndSigmaAndRestoresTheMean(String backendName) {
        try (RegressionRun run = run(backendName, ivon(8, false), 1)) {
            for (int t = 1; t <= 5; t++) {
                run.step(t);
            }
            Posterior posterior = run.optimizer.posterior().orElseThrow();
            double[] mean = run.w.toDoubles();
            double[] sigma = posterior.stdValues(run.w);
            int draws = 400;
            double[] sum = new double[mean.length];
            double[] sumSq = new double[mean.length];
            posterior.withSampledWeights(
                    99,
                    draws,
                    k -> {
                        double[] w = run.w.toDoubles();
                        for (int j = 0; j < w.length; j++) {
                            sum[j] += w[j];
                            sumSq[j] += (w[j] - mean[j]) * (w[j] - mean[j]);
                        }
                    });
            assertArrayEquals(mean, run.w.toDoubles(), "the mean is restored exactly");
            for (int j = 0; j < mean.length; j++) {
                double sampleMean = sum[j] / draws;
                double sampleStd = Math.sqrt(sumSq[j] / draws);
                assertEquals(
                        mean[j],
                        sampleMean,
                        5 * sigma[j] / Math.sqrt(draws),
                        "mean of draws, element " + j);
                assertEquals(sigma[j], sampleStd, 0.15 * sigma[j], "std of draws, element " + j);
            }
            assertThrows(
                    IllegalStateException.class,
                    () ->
                            posterior.withSampledWeights(
                                    1,
                                    3,
                                    k -> {
                                        throw new IllegalStateException("evaluation failed");
                                    }));
            assertArrayEquals(
                    mean, run.w.toDoubles(), "the mean is restored when the caller throws");
        }
    }
}
