package io.rankwise.bench;

import io.rankwise.cli.smoke.LoraData;
import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Gradients;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.VarHandleOp;
import org.tensorflow.types.TFloat32;

/**
 * The LoRA step of {@link io.rankwise.cli.smoke.LoraProblem} written the way a TF Java user would:
 * one graph with resource variables, {@code tf.gradients}, Adam as graph ops whose assignments wait
 * for every gradient, and one {@code Session.run} per step.
 */
final class TfHandWrittenStep implements HandWrittenStep {
    private static final float BETA1 = 0.9f;
    private static final float BETA2 = 0.999f;
    private static final float EPSILON = 1e-8f;

    private final Graph graph = new Graph();
    private final Session session = new Session(graph);
    private final Ops tf = Ops.create(graph);
    private final TFloat32 x;
    private final TFloat32 y;
    private final Placeholder<TFloat32> xIn;
    private final Placeholder<TFloat32> yIn;
    private final Placeholder<TFloat32> bc1In;
    private final Placeholder<TFloat32> bc2In;
    private final Operand<TFloat32> loss;
    private final List<Op> assignments = new ArrayList<>();
    private int variables;

    TfHandWrittenStep(LoraData data, float lr) {
        var s = data.size();
        x = tensor(data.x(), Shape.of(s.batch(), s.dIn()));
        y = tensor(data.y(), Shape.of(s.batch(), s.dOut()));
        xIn = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(s.batch(), s.dIn())));
        yIn = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(s.batch(), s.dOut())));
        bc1In = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.scalar()));
        bc2In = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.scalar()));
        VarHandleOp w = variable(data.w(), Shape.of(s.dIn(), s.dOut()));
        List<VarHandleOp> params =
                List.of(
                        variable(data.p0(), Shape.of(s.dIn(), s.rank())),
                        variable(new double[s.rank()], Shape.of(s.rank())),
                        variable(data.q0(), Shape.of(s.rank(), s.dOut())));
        List<VarHandleOp> firstMoments = new ArrayList<>();
        List<VarHandleOp> secondMoments = new ArrayList<>();
        int[] sizes = {s.dIn() * s.rank(), s.rank(), s.rank() * s.dOut()};
        Shape[] shapes = {
            Shape.of(s.dIn(), s.rank()), Shape.of(s.rank()), Shape.of(s.rank(), s.dOut())
        };
        for (int i = 0; i < 3; i++) {
            firstMoments.add(variable(new double[sizes[i]], shapes[i]));
            secondMoments.add(variable(new double[sizes[i]], shapes[i]));
        }

        List<Operand<TFloat32>> values = new ArrayList<>();
        for (VarHandleOp p : params) {
            values.add(tf.readVariableOp(p, TFloat32.class));
        }
        Operand<TFloat32> adapted =
                tf.linalg.matMul(
                        tf.math.mul(tf.linalg.matMul(xIn, values.get(0)), values.get(1)),
                        values.get(2));
        Operand<TFloat32> residual =
                tf.math.sub(
                        tf.math.add(
                                tf.linalg.matMul(xIn, tf.readVariableOp(w, TFloat32.class)),
                                adapted),
                        yIn);
        loss = tf.math.mean(tf.math.square(residual), tf.constant(new int[] {0, 1}));
        Gradients gradients = tf.gradients(loss, values);
        List<Op> gradientsDone = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            gradientsDone.add(tf.identity(gradients.<TFloat32>dy(i)));
        }
        // Resource reads are not snapshots: every write must wait until all gradients are computed.
        Ops after = tf.withControlDependencies(gradientsDone);
        for (int i = 0; i < 3; i++) {
            Operand<TFloat32> g = gradients.dy(i);
            Operand<TFloat32> m =
                    tf.math.add(
                            tf.math.mul(
                                    tf.readVariableOp(firstMoments.get(i), TFloat32.class),
                                    tf.constant(BETA1)),
                            tf.math.mul(g, tf.constant(1 - BETA1)));
            Operand<TFloat32> v =
                    tf.math.add(
                            tf.math.mul(
                                    tf.readVariableOp(secondMoments.get(i), TFloat32.class),
                                    tf.constant(BETA2)),
                            tf.math.mul(tf.math.square(g), tf.constant(1 - BETA2)));
            Operand<TFloat32> denominator =
                    tf.math.add(tf.math.sqrt(tf.math.div(v, bc2In)), tf.constant(EPSILON));
            Operand<TFloat32> update =
                    tf.math.mul(tf.math.div(tf.math.div(m, bc1In), denominator), tf.constant(lr));
            assignments.add(
                    after.assignVariableOp(params.get(i), tf.math.sub(values.get(i), update)));
            assignments.add(after.assignVariableOp(firstMoments.get(i), m));
            assignments.add(after.assignVariableOp(secondMoments.get(i), v));
        }
    }

    private static TFloat32 tensor(double[] values, Shape shape) {
        float[] f = new float[values.length];
        for (int i = 0; i < f.length; i++) {
            f[i] = (float) values[i];
        }
        return TFloat32.tensorOf(shape, DataBuffers.of(f, true, false));
    }

    private VarHandleOp variable(double[] init, Shape shape) {
        // Without a shared_name every handle in the session names the same resource.
        VarHandleOp handle =
                tf.varHandleOp(TFloat32.class, shape, VarHandleOp.sharedName("v" + variables++));
        Placeholder<TFloat32> initial = tf.placeholder(TFloat32.class, Placeholder.shape(shape));
        var assign = tf.assignVariableOp(handle, initial);
        try (TFloat32 value = tensor(init, shape)) {
            session.runner().feed(initial, value).addTarget(assign).run().close();
        }
        return handle;
    }

    @Override
    public double step(long t) {
        try (TFloat32 bc1 = TFloat32.scalarOf((float) (1 - Math.pow(BETA1, t)));
                TFloat32 bc2 = TFloat32.scalarOf((float) (1 - Math.pow(BETA2, t)))) {
            Session.Runner runner =
                    session.runner()
                            .feed(xIn, x)
                            .feed(yIn, y)
                            .feed(bc1In, bc1)
                            .feed(bc2In, bc2)
                            .fetch(loss);
            assignments.forEach(runner::addTarget);
            try (Result result = runner.run()) {
                return ((TFloat32) result.get(0)).getFloat();
            }
        }
    }

    @Override
    public void close() {
        x.close();
        y.close();
        session.close();
        graph.close();
    }
}
