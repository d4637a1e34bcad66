package io.rankwise.optimizers;

import io.rankwise.api.Backend;
import io.rankwise.api.DType;
import io.rankwise.api.Ops;
import io.rankwise.api.RecordFunction;
import io.rankwise.api.Shape;
import io.rankwise.api.Tensor;
import io.rankwise.api.Variable;
import io.rankwise.api.optim.Optimizer;
import io.rankwise.testing.Backends;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * A linear regression x W + b trained by any optimizer through one compiled step, with the rows
 * optionally split into equal micro-batches (gradient accumulation). Loss: ½ · mean over rows of Σ
 * over columns of the squared residual.
 */
final class RegressionRun implements AutoCloseable {
    final Backend backend;
    final Optimizer optimizer;
    final Variable w;
    final Variable b;
    private final Tensor x;
    private final Tensor y;
    private final RecordFunction<RegressionInputs> step;

    RegressionRun(
            Backend backend,
            Optimizer optimizer,
            double[] xs,
            double[] ys,
            int n,
            int dIn,
            int dOut,
            double[] w0,
            double[] b0,
            DType dtype,
            int microBatches,
            List<Variable> extraParameters) {
        this.backend = backend;
        this.optimizer = optimizer;
        String prefix = Backends.unique("regression");
        w = backend.variable(prefix + "W", w0, Shape.of(dIn, dOut), dtype, true);
        b = backend.variable(prefix + "b", b0, Shape.of(dOut), dtype, true);
        List<Variable> all = new ArrayList<>(extraParameters);
        all.add(0, w);
        all.add(1, b);
        optimizer.attach(backend, all);
        x = backend.tensor(xs, Shape.of(n, dIn), dtype);
        y = backend.tensor(ys, Shape.of(n, dOut), dtype);
        int rows = n / microBatches;
        step =
                RecordFunction.compile(
                        backend,
                        (ops, in) -> {
                            List<Function<List<Tensor>, Tensor>> losses = new ArrayList<>();
                            for (int k = 0; k < microBatches; k++) {
                                Tensor xk =
                                        ops.slice(
                                                in.x(),
                                                new long[] {(long) k * rows, 0},
                                                new long[] {rows, -1});
                                Tensor yk =
                                        ops.slice(
                                                in.y(),
                                                new long[] {(long) k * rows, 0},
                                                new long[] {rows, -1});
                                losses.add(p -> loss(ops, xk, yk, p, rows));
                            }
                            return List.of(optimizer.minimize(ops, losses, in.optimizer()).loss());
                        });
    }

    static Tensor loss(Ops ops, Tensor x, Tensor y, List<Tensor> p, int rows) {
        Tensor residual = ops.sub(ops.add(ops.matmul(x, p.get(0)), p.get(1)), y);
        return ops.mul(ops.sum(ops.square(residual)), 0.5 / rows);
    }

    /** Runs step t and returns the loss. */
    double step(long t) {
        try (Optimizer.StepInputs stepInputs = optimizer.stepInputs(backend, t)) {
            List<Tensor> out = step.call(new RegressionInputs(x, y, stepInputs));
            double loss = out.get(0).scalar();
            out.forEach(Tensor::close);
            return loss;
        }
    }

    @Override
    public void close() {
        step.close();
        x.close();
        y.close();
    }
}
