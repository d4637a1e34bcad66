package io.rankwise.cli.smoke;

import io.rankwise.api.Backend;
import io.rankwise.api.DType;
import io.rankwise.api.Ops;
import io.rankwise.api.RecordFunction;
import io.rankwise.api.Shape;
import io.rankwise.api.Tensor;
import io.rankwise.api.ValueAndGradients;
import io.rankwise.api.Variable;
import java.util.ArrayList;
import java.util.List;

/**
 * A small LoRA-style regression, trained with a hand-written Adam in one compiled step function:
 * {@code ŷ = x W + (x P) · diag(λ) · Q} with W frozen, loss = mean((ŷ − y)²), and the target {@code
 * y = x (W + U V)} planted with a rank-r update. Used by {@code rankwise smoke} and by the step
 * benchmark, so both run exactly the same math on every backend.
 */
public final class LoraProblem implements AutoCloseable {
    private static final double BETA1 = 0.9;
    private static final double BETA2 = 0.999;
    private static final double EPSILON = 1e-8;

    /**
     * The problem's dimensions.
     *
     * @param dIn input width
     * @param dOut output width
     * @param rank adapter rank r
     * @param batch rows per step
     */
    public record Size(int dIn, int dOut, int rank, int batch) {
        /** The size of the smoke run. */
        public static Size small() {
            return new Size(64, 64, 4, 32);
        }

        /** The size of the benchmark: 768×768, rank 8, batch 64. */
        public static Size benchmark() {
            return new Size(768, 768, 8, 64);
        }
    }

    private final Backend backend;
    private final DType dtype;
    private final double lr;
    private final List<Variable> trainable = new ArrayList<>();
    private final List<Variable> firstMoments = new ArrayList<>();
    private final List<Variable> secondMoments = new ArrayList<>();
    private final Variable frozen;
    private final Tensor x;
    private final Tensor y;
    private final RecordFunction<StepInputs> step;

    /**
     * Builds the data ({@link LoraData}), the variables and the compiled step on {@code backend}.
     */
    public LoraProblem(Backend backend, Size size, DType dtype, long seed, double lr) {
        this.backend = backend;
        this.dtype = dtype;
        this.lr = lr;
        LoraData data = LoraData.generate(size, seed);
        int dIn = size.dIn();
        int dOut = size.dOut();
        int r = size.rank();
        String prefix = "lora" + System.identityHashCode(this) + ".";
        frozen = backend.variable(prefix + "W", data.w(), Shape.of(dIn, dOut), dtype, false);
        addTrainable(prefix + "P", data.p0(), Shape.of(dIn, r));
        addTrainable(prefix + "lambda", new double[r], Shape.of(r));
        addTrainable(prefix + "Q", data.q0(), Shape.of(r, dOut));
        x = backend.tensor(data.x(), Shape.of(size.batch(), dIn), dtype);
        y = backend.tensor(data.y(), Shape.of(size.batch(), dOut), dtype);
        step = RecordFunction.compile(backend, this::trainStep);
    }

    private void addTrainable(String name, double[] init, Shape shape) {
        trainable.add(backend.variable(name, init, shape, dtype, true));
        firstMoments.add(
                backend.variable(name + ".adam_m", new double[init.length], shape, dtype, false));
        secondMoments.add(
                backend.variable(name + ".adam_v", new double[init.length], shape, dtype, false));
    }

    /**
     * The inputs of one training step.
     *
     * @param x the batch's inputs
     * @param y the batch's targets
     * @param correction1 Adam's first bias correction 1 − β₁ᵗ
     * @param correction2 Adam's second bias correction 1 − β₂ᵗ
     */
    private record StepInputs(Tensor x, Tensor y, Tensor correction1, Tensor correction2) {}

    /** One Adam step; returns the loss before the update. */
    private List<Tensor> trainStep(Ops ops, StepInputs in) {
        Tensor xs = in.x();
        Tensor ys = in.y();
        Tensor w = ops.read(frozen);
        List<Tensor> params = trainable.stream().map(ops::read).toList();
        ValueAndGradients vg =
                ops.valueAndGradients(
                        p -> {
                            Tensor adapted =
                                    ops.matmul(
                                            ops.mul(ops.matmul(xs, p.get(0)), p.get(1)), p.get(2));
                            Tensor residual = ops.sub(ops.add(ops.matmul(xs, w), adapted), ys);
                            return ops.mean(ops.square(residual));
                        },
                        params);
        for (int i = 0; i < params.size(); i++) {
            adam(ops, i, params.get(i), vg.gradients().get(i), in.correction1(), in.correction2());
        }
        return List.of(vg.value());
    }

    private void adam(
            Ops ops,
            int i,
            Tensor theta,
            Tensor g,
            Tensor biasCorrection1,
            Tensor biasCorrection2) {
        Tensor m = ops.add(ops.mul(ops.read(firstMoments.get(i)), BETA1), ops.mul(g, 1 - BETA1));
        Tensor v =
                ops.add(
                        ops.mul(ops.read(secondMoments.get(i)), BETA2),
                        ops.mul(ops.square(g), 1 - BETA2));
        Tensor mHat = ops.div(m, biasCorrection1);
        Tensor denominator = ops.add(ops.sqrt(ops.div(v, biasCorrection2)), EPSILON);
        ops.assign(trainable.get(i), ops.sub(theta, ops.mul(ops.div(mHat, denominator), lr)));
        ops.assign(firstMoments.get(i), m);
        ops.assign(secondMoments.get(i), v);
    }

    /** Runs training step {@code t} (from 1) and returns the loss before its update. */
    public double step(long t) {
        try (Tensor bc1 = backend.scalar(1 - Math.pow(BETA1, t), dtype);
                Tensor bc2 = backend.scalar(1 - Math.pow(BETA2, t), dtype)) {
            List<Tensor> out = step.call(new StepInputs(x, y, bc1, bc2));
            try (Tensor loss = out.get(0)) {
                return loss.scalar();
            }
        }
    }

    /** The trainable variables P, λ, Q. */
    public List<Variable> trainable() {
        return List.copyOf(trainable);
    }

    @Override
    public void close() {
        step.close();
        x.close();
        y.close();
    }
}
