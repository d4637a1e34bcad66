package io.rankwise.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import io.rankwise.cli.smoke.LoraData;
import java.util.List;

/**
 * The LoRA step of {@link io.rankwise.cli.smoke.LoraProblem} written the way a DJL user would:
 * parameters as leaf NDArrays that require gradients, a GradientCollector for backward, Adam as
 * in-place NDArray arithmetic, an NDScope to free the step's temporaries.
 */
final class DjlHandWrittenStep implements HandWrittenStep {
    private static final float BETA1 = 0.9f;
    private static final float BETA2 = 0.999f;
    private static final float EPSILON = 1e-8f;

    private final NDManager manager = NDManager.newBaseManager("PyTorch");
    private final float lr;
    private final NDArray x;
    private final NDArray y;
    private final NDArray w;
    private final List<NDArray> params;
    private final List<NDArray> firstMoments;
    private final List<NDArray> secondMoments;

    DjlHandWrittenStep(LoraData data, float lr) {
        this.lr = lr;
        var s = data.size();
        x = manager.create(toFloats(data.x()), new Shape(s.batch(), s.dIn()));
        y = manager.create(toFloats(data.y()), new Shape(s.batch(), s.dOut()));
        w = manager.create(toFloats(data.w()), new Shape(s.dIn(), s.dOut()));
        NDArray p = manager.create(toFloats(data.p0()), new Shape(s.dIn(), s.rank()));
        NDArray lambda = manager.zeros(new Shape(s.rank()), DataType.FLOAT32);
        NDArray q = manager.create(toFloats(data.q0()), new Shape(s.rank(), s.dOut()));
        params = List.of(p, lambda, q);
        params.forEach(a -> a.setRequiresGradient(true));
        firstMoments = params.stream().map(NDArray::zerosLike).toList();
        secondMoments = params.stream().map(NDArray::zerosLike).toList();
    }

    private static float[] toFloats(double[] d) {
        float[] f = new float[d.length];
        for (int i = 0; i < d.length; i++) {
            f[i] = (float) d[i];
        }
        return f;
    }

    @Override
    public double step(long t) {
        float bc1 = (float) (1 - Math.pow(BETA1, t));
        float bc2 = (float) (1 - Math.pow(BETA2, t));
        try (NDScope scope = new NDScope()) {
            float loss;
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray adapted = x.matMul(params.get(0)).mul(params.get(1)).matMul(params.get(2));
                NDArray residual = x.matMul(w).add(adapted).sub(y);
                NDArray l = residual.square().mean();
                collector.backward(l);
                loss = l.getFloat();
            }
            for (int i = 0; i < params.size(); i++) {
                NDArray g = params.get(i).getGradient();
                NDArray m = firstMoments.get(i).muli(BETA1).addi(g.mul(1 - BETA1));
                NDArray v = secondMoments.get(i).muli(BETA2).addi(g.square().muli(1 - BETA2));
                NDArray update = m.div(bc1).divi(v.div(bc2).sqrt().addi(EPSILON)).muli(lr);
                params.get(i).subi(update);
                g.subi(g); // PyTorch accumulates gradients: zero them for the next step
            }
            return loss;
        }
    }

    @Override
    public void close() {
        manager.close();
    }
}
