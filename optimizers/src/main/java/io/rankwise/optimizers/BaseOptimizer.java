package io.rankwise.optimizers;

import io.rankwise.api.Backend;
import io.rankwise.api.DType;
import io.rankwise.api.Ops;
import io.rankwise.api.Tensor;
import io.rankwise.api.ValueAndGradients;
import io.rankwise.api.Variable;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * What Adam and IVON share: which parameters they own (the trainable ones), their dtype, the
 * learning rate, the slots, and the mean loss and gradient over micro-batches.
 */
abstract class BaseOptimizer implements io.rankwise.api.optim.Optimizer {
    private final String name;
    private double lr;
    private Backend backend;
    private DType dtype;
    private final List<Variable> parameters = new ArrayList<>();
    private final List<Variable> state = new ArrayList<>();

    BaseOptimizer(String name, double lr) {
        this.name = name;
        this.lr = lr;
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final double learningRate() {
        return lr;
    }

    @Override
    public final void setLearningRate(double lr) {
        if (!(lr >= 0) || Double.isInfinite(lr)) {
            throw new IllegalArgumentException(
                    name
                            + ": learning rate "
                            + lr
                            + " is not accepted; it must be finite and >= 0");
        }
        this.lr = lr;
    }

    @Override
    public final void attach(Backend backend, List<Variable> all) {
        if (this.backend != null) {
            throw new IllegalStateException(name + ": attach was already called");
        }
        this.backend = backend;
        for (Variable v : all) {
            if (!v.trainable()) {
                continue; // frozen weights are never touched (ivon issue #2)
            }
            if (!v.dtype().isFloating()) {
                throw new IllegalArgumentException(
                        name
                                + ": parameter "
                                + v.name()
                                + " has dtype "
                                + v.dtype()
                                + "; trainable parameters must be float32 or float64");
            }
            if (dtype == null) {
                dtype = v.dtype();
            } else if (dtype != v.dtype()) {
                throw new IllegalArgumentException(
                        name
                                + ": parameter "
                                + v.name()
                                + " is "
                                + v.dtype()
                                + " but earlier ones are "
                                + dtype
                                + "; all trainable parameters must share one dtype");
            }
            parameters.add(v);
        }
        if (dtype == null) {
            dtype = DType.FLOAT32;
        }
        for (Variable p : parameters) {
            createSlots(backend, p);
        }
    }

    /** Creates the slot variables of one parameter, registering them with {@link #slot}. */
    abstract void createSlots(Backend backend, Variable parameter);

    /**
     * Makes a slot variable shaped like {@code parameter}, filled with {@code value}, and records
     * it as state.
     */
    final Variable slot(Backend backend, Variable parameter, String slotName, double value) {
        double[] init = new double[Math.toIntExact(parameter.shape().size())];
        java.util.Arrays.fill(init, value);
        Variable v =
                backend.variable(
                        parameter.name() + "/" + name + "." + slotName,
                        init,
                        parameter.shape(),
                        dtype,
                        false);
        state.add(v);
        return v;
    }

    @Override
    public final List<Variable> parameters() {
        return List.copyOf(parameters);
    }

    @Override
    public final List<Variable> state() {
        return List.copyOf(state);
    }

    final Backend backend() {
        if (backend == null) {
            throw new IllegalStateException(
                    name + ": attach(backend, parameters) must be called first");
        }
        return backend;
    }

    final DType dtype() {
        return dtype;
    }

    /** A concrete scalar in the parameters' dtype. */
    final Tensor scalarInput(Backend on, double value) {
        return on.scalar(value, dtype);
    }

    /** The mean loss and mean gradients over the micro-batches, all evaluated at {@code at}. */
    static ValueAndGradients meanOverMicroBatches(
            Ops ops, List<Function<List<Tensor>, Tensor>> microBatches, List<Tensor> at) {
        if (microBatches.isEmpty()) {
            throw new IllegalArgumentException("minimize needs at least one micro-batch loss");
        }
        ValueAndGradients first = ops.valueAndGradients(microBatches.get(0), at);
        if (microBatches.size() == 1) {
            return first;
        }
        Tensor loss = first.value();
        List<Tensor> grads = new ArrayList<>(first.gradients());
        for (int b = 1; b < microBatches.size(); b++) {
            ValueAndGradients next = ops.valueAndGradients(microBatches.get(b), at);
            loss = ops.add(loss, next.value());
            for (int i = 0; i < grads.size(); i++) {
                grads.set(i, ops.add(grads.get(i), next.gradients().get(i)));
            }
        }
        double inverse = 1.0 / microBatches.size();
        grads.replaceAll(g -> ops.mul(g, inverse));
        return new ValueAndGradients(ops.mul(loss, inverse), grads);
    }
}
