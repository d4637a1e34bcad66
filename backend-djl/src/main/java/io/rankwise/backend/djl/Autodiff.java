package io.rankwise.backend.djl;

import ai.djl.engine.EngineException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import io.rankwise.api.OpChecks;
import io.rankwise.api.Tensor;
import io.rankwise.api.ValueAndGradients;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Value and gradients with PyTorch's autograd.
 *
 * <p>PyTorch differentiates with respect to leaf tensors that require gradients, and accumulates
 * into their {@code .grad}. So each differentiated tensor is replaced by a fresh leaf: a detached
 * alias of it (same storage, no copy, no history) with {@code requires_grad} set. The function runs
 * on those leaves with grad mode on, {@code backward} fills their gradients, and the leaves die
 * with the call's scope. Because every call makes new leaves, gradients never accumulate across
 * calls or across two differentiations in one call, nothing needs zeroing, and the gradient handles
 * can be returned as they are (no copy). Variables' own arrays never require gradients.
 *
 * <p>This drives autograd through {@link JniUtils} rather than DJL's {@code GradientCollector},
 * because the collector holds a JVM-wide flag that lets only one collector exist at a time (two
 * backends on two threads would refuse each other) and allocates a ones array plus a device copy
 * per backward.
 */
final class Autodiff {
    private final DjlBackend backend;
    private final CallState state;

    Autodiff(DjlBackend backend, CallState state) {
        this.backend = backend;
        this.state = state;
    }

    ValueAndGradients valueAndGradients(Function<List<Tensor>, Tensor> f, List<Tensor> at) {
        if (state.enterGradients()) {
            state.exitGradients();
            throw new UnsupportedOperationException(
                    "djl: valueAndGradients inside the function of another"
                            + " valueAndGradients (higher-order gradients) is not supported");
        }
        try {
            return run(f, at);
        } finally {
            state.exitGradients();
        }
    }

    private ValueAndGradients run(Function<List<Tensor>, Tensor> f, List<Tensor> at) {
        List<NDArray> leaves = new ArrayList<>(at.size());
        List<DjlTensor> standIns = new ArrayList<>(at.size());
        OpChecks.differentiable(at);
        for (int i = 0; i < at.size(); i++) {
            DjlTensor t = backend.own(at.get(i));
            NDArray leaf = t.array().stopGradient();
            leaf.setRequiresGradient(true);
            leaves.add(leaf);
            standIns.add(DjlTensor.scoped(leaf, t.dtype()));
        }

        boolean gradMode = JniUtils.isGradMode();
        JniUtils.setGradMode(true);
        DjlTensor out;
        try {
            out = forward(f, standIns);
            backward(out);
        } finally {
            JniUtils.setGradMode(gradMode);
        }

        List<Tensor> gradients = new ArrayList<>(leaves.size());
        for (int i = 0; i < leaves.size(); i++) {
            NDArray leaf = leaves.get(i);
            NDArray g = JniUtils.getGradient((PtNDArray) leaf);
            if (g == null) { // the leaf did not take part in the result
                g = leaf.zerosLike();
            }
            gradients.add(DjlTensor.scoped(g, standIns.get(i).dtype()));
        }
        // Without its (already freed) graph, so that a later differentiation cannot reach back into
        // this one.
        DjlTensor value = DjlTensor.scoped(out.array().stopGradient(), out.knownDtype());
        return new ValueAndGradients(value, gradients);
    }

    /**
     * Runs {@code f} in a scope of its own and frees, before the backward pass, every array it made
     * except its result and the values it wrote to variables. PyTorch's graph holds its own
     * references to what the backward pass needs, so freeing the handles loses nothing; what the
     * graph does not save is freed at once, and what it saves is freed as the backward pass
     * consumes it. Without this the whole forward pass would stay alive until the end of the call
     * (a step's peak memory), and each further micro-batch or Monte Carlo sample would add its own.
     * The price: tensors that {@code f} made are dead once it has returned, so a step function must
     * not smuggle them out (through a captured variable, say) to use afterwards.
     */
    private DjlTensor forward(Function<List<Tensor>, Tensor> f, List<DjlTensor> standIns) {
        int writesBefore = state.writeCount();
        DjlTensor out;
        List<DjlTensor> kept = new ArrayList<>();
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            Tensor result = f.apply(List.copyOf(standIns));
            // Checked before backward: PyTorch would quietly differentiate the sum of a larger
            // result, where the contract (and every other backend) asks for one element.
            OpChecks.differentiatedValue(result);
            out = backend.own(result);
            kept.add(out);
            kept.addAll(state.writesSince(writesBefore));
            for (DjlTensor t : kept) {
                if (t.kind() == DjlTensor.Kind.SCOPED) {
                    NDScope.unregister(t.array());
                }
            }
        }
        kept.forEach(Autodiff::keep);
        return out;
    }

    /**
     * Registers a tensor made by an op in the innermost scope (the call's). Only op results: a
     * variable's value or a cached constant must never be freed by a scope. Registering an array
     * that the scope already holds changes nothing.
     */
    private static void keep(DjlTensor t) {
        if (t.kind() == DjlTensor.Kind.SCOPED) {
            NDScope.register(t.array());
        }
    }

    /**
     * Fills the leaves' gradients. A result that does not depend on any leaf has no graph; PyTorch
     * only says so by refusing the backward pass (through DJL 0.36 the requires-grad flag of a
     * non-leaf reads false even when it has a graph), and then every gradient is zero.
     */
    private void backward(DjlTensor out) {
        NDArray value = out.array();
        try {
            JniUtils.backward(
                    (PtNDArray) value, (PtNDArray) seedGradient(value, out), false, false);
        } catch (EngineException e) {
            String message = String.valueOf(e.getMessage());
            if (!message.contains("does not require grad")) {
                throw new IllegalArgumentException(
                        "djl: valueAndGradients: the backward pass failed: " + message, e);
            }
        }
    }

    /**
     * d value / d value: ones of the value's shape; the common scalar case comes from the cache.
     */
    private NDArray seedGradient(NDArray value, DjlTensor out) {
        if (out.shape().rank() == 0) {
            DjlTensor one = backend.scalars().get(1.0, out.dtype());
            if (one != null) {
                return one.array();
            }
        }
        return value.onesLike();
    }
}
