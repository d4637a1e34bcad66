package io.rankwise.backend.tensorflow;

import io.rankwise.api.OpChecks;
import io.rankwise.api.Tensor;
import io.rankwise.api.ValueAndGradients;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import org.tensorflow.GraphOperation;
import org.tensorflow.Output;
import org.tensorflow.internal.c_api.TF_Operation;

/**
 * Value and gradients inside a trace, with TensorFlow's symbolic {@code tf.gradients} (the C++
 * gradient registry). The function runs on stand-ins, an Identity of each tensor, so that the
 * gradients are taken with respect to exactly those nodes: paths from the original tensors that
 * bypass the stand-ins (the function closing over them) do not count, as on an eager engine.
 */
final class Gradients {
    private Gradients() {}

    static ValueAndGradients valueAndGradients(
            Trace trace, Function<List<Tensor>, Tensor> f, List<Tensor> at) {
        TfGraph graph = trace.graph();
        List<Tensor> standIns = new ArrayList<>(at.size());
        Output<?>[] xs = new Output<?>[at.size()];
        OpChecks.differentiable(at);
        for (int i = 0; i < at.size(); i++) {
            Tensor t = at.get(i);
            xs[i] = graph.op("Identity").input(trace.output(t)).output();
            standIns.add(trace.wrap(xs[i]));
        }
        Tensor value = f.apply(List.copyOf(standIns));
        OpChecks.differentiatedValue(value);
        Output<?> y = trace.output(value);
        Output<?>[] dxs = differentiate(graph, y, xs);
        List<Tensor> grads = new ArrayList<>(dxs.length);
        for (int i = 0; i < dxs.length; i++) {
            Output<?> dx = dxs[i] != null ? dxs[i] : graph.op("ZerosLike").input(xs[i]).output();
            grads.add(trace.wrap(dx));
        }
        return new ValueAndGradients(value, grads);
    }

    /**
     * ∂y/∂xᵢ, or null where the gradient is zero. The C API refuses tensors that {@code y} does not
     * depend on at all, so only the reachable ones are passed; for those whose every path is
     * non-differentiable (a comparison, an integer cast) it returns an output without an operation.
     */
    private static Output<?>[] differentiate(TfGraph graph, Output<?> y, Output<?>[] xs) {
        Set<GraphOperation> ancestors = ancestors(y);
        List<Integer> reachable = new ArrayList<>();
        for (int i = 0; i < xs.length; i++) {
            if (ancestors.contains((GraphOperation) xs[i].op())) {
                reachable.add(i);
            }
        }
        Output<?>[] dxs = new Output<?>[xs.length];
        if (reachable.isEmpty()) {
            return dxs;
        }
        Output<?>[] wrt = reachable.stream().map(i -> xs[i]).toArray(Output<?>[]::new);
        Output<?>[] d =
                graph.graph()
                        .addGradients(
                                graph.scope().makeOpName("gradients"),
                                new Output<?>[] {y},
                                wrt,
                                null);
        for (int k = 0; k < d.length; k++) {
            TF_Operation handle = ((GraphOperation) d[k].op()).getUnsafeNativeHandle();
            dxs[reachable.get(k)] = handle == null || handle.isNull() ? null : d[k];
        }
        return dxs;
    }

    /** The operations {@code y} depends on through data inputs, itself included. */
    private static Set<GraphOperation> ancestors(Output<?> y) {
        Set<GraphOperation> seen = new HashSet<>();
        Deque<GraphOperation> todo = new ArrayDeque<>();
        todo.push((GraphOperation) y.op());
        while (!todo.isEmpty()) {
            GraphOperation op = todo.pop();
            if (seen.add(op)) {
                for (int i = 0; i < op.numInputs(); i++) {
                    todo.push((GraphOperation) op.input(i).op());
                }
            }
        }
        return seen;
    }
}
