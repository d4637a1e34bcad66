package io.rankwise.allocators;

import io.rankwise.allocators.adapters.OrthogonalityRegularizer;
import io.rankwise.api.Backend;
import io.rankwise.api.CompiledFunction;
import io.rankwise.api.Ops;
import io.rankwise.api.Tensor;
import io.rankwise.api.Variable;
import io.rankwise.api.adapt.ImportanceMetric;
import io.rankwise.api.adapt.RankAllocator;
import io.rankwise.api.adapt.SvdAdapter;
import io.rankwise.api.optim.Optimizer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * One AdaLoRA training step in the order of docs/algorithms.md §2: forward and backward (at sampled
 * weights under IVON) and the optimizer update in one compiled call, with the metric's observation
 * fused in while it needs it; then the allocator's host-side masking. The task loss gets
 * γ · R (orthogonality regulariser) added.
 */
public final class AdaLoraTrainer implements AutoCloseable {

    /** The task loss of one batch, from the batch tensors and the current parameter values. */
    @FunctionalInterface
    public interface Loss {
        /**
         * @param batch the batch's tensors, as passed to {@link #step}
         * @param valueOf the value to compute with for each trainable variable (possibly sampled)
         */
        Tensor apply(Ops ops, List<Tensor> batch, Function<Variable, Tensor> valueOf);
    }

    private final Backend backend;
    private final Optimizer optimizer;
    private final RankAllocator allocator;
    private final CompiledFunction observing;
    private final CompiledFunction plain;
    private int tensorsPerBatch = -1;
    private int microBatches = 1;

    /**
     * Attaches the optimizer to the adapters' parameters and {@code extraTrainable} (a task head),
     * and the allocator to the adapters, then compiles the step.
     */
    public AdaLoraTrainer(Backend backend, Optimizer optimizer, RankAllocator allocator, ImportanceMetric metric,
            List<SvdAdapter> adapters, List<Variable> extraTrainable, double orthRegWeight, Loss loss) {
        this.backend = backend;
        this.optimizer = optimizer;
        this.allocator = allocator;
        List<Variable> parameters = new ArrayList<>();
        adapters.forEach(a -> parameters.addAll(a.parameters()));
        parameters.addAll(extraTrainable);
        optimizer.attach(backend, parameters);
        allocator.attach(backend, adapters, metric, optimizer);
        List<Variable> order = optimizer.parameters();
        observing = backend.compile((ops, in) -> step(ops, in, order, adapters, orthRegWeight, loss, true));
        plain = backend.compile((ops, in) -> step(ops, in, order, adapters, orthRegWeight, loss, false));
    }

    private List<Tensor> step(Ops ops, List<Tensor> in, List<Variable> order, List<SvdAdapter> adapters, double gamma,
            Loss loss, boolean observe) {
        List<Function<List<Tensor>, Tensor>> objectives = new ArrayList<>();
        for (int b = 0; b < microBatches; b++) {
            List<Tensor> batch = in.subList(b * tensorsPerBatch, (b + 1) * tensorsPerBatch);
            objectives.add(values -> objective(ops, batch, values, order, adapters, gamma, loss));
        }
        Optimizer.Update update = optimizer.minimize(ops, objectives, in.subList(microBatches * tensorsPerBatch, in.size()));
        if (observe) {
            allocator.observe(ops, update.gradients(), update.updated());
        }
        return List.of(update.loss());
    }

    private static Tensor objective(Ops ops, List<Tensor> batch, List<Tensor> values, List<Variable> order,
            List<SvdAdapter> adapters, double gamma, Loss loss) {
        Map<Variable, Tensor> byVariable = new HashMap<>();
        for (int i = 0; i < order.size(); i++) {
            byVariable.put(order.get(i), values.get(i));
        }
        Tensor task = loss.apply(ops, batch, v -> {
            Tensor t = byVariable.get(v);
            return t != null ? t : ops.read(v);
        });
        if (gamma == 0) {
            return task;
        }
        List<List<Tensor>> adapterValues = adapters.stream()
                .map(a -> a.parameters().stream().map(byVariable::get).toList()).toList();
        return ops.add(task, ops.mul(OrthogonalityRegularizer.penalty(ops, adapterValues), gamma));
    }

    /** Runs training step t (from 1) on {@code batch} and returns the loss (before the update). */
    public double step(long t, List<Tensor> batch) {
        return run(t, List.of(batch));
    }

    /**
     * Runs training step t on several micro-batches (gradient accumulation: the gradient is their
     * mean, taken at the same weights) and returns the mean loss. Every micro-batch has the same
     * tensors in the same order.
     */
    public double stepAccumulated(long t, List<List<Tensor>> batches) {
        return run(t, batches);
    }

    private double run(long t, List<List<Tensor>> batches) {
        int perBatch = batches.get(0).size();
        for (List<Tensor> b : batches) {
            if (b.size() != perBatch) {
                throw new IllegalArgumentException("micro-batches differ in size: " + b.size() + " and " + perBatch + " tensors");
            }
        }
        if (tensorsPerBatch >= 0 && (perBatch != tensorsPerBatch)) {
            throw new IllegalArgumentException("a batch has " + perBatch + " tensors; earlier ones had " + tensorsPerBatch);
        }
        tensorsPerBatch = perBatch;
        microBatches = batches.size();
        List<Tensor> stepInputs = optimizer.stepInputs(backend, t);
        List<Tensor> in = new ArrayList<>();
        batches.forEach(in::addAll);
        in.addAll(stepInputs);
        double loss;
        try {
            List<Tensor> out = (allocator.observesAt(t) ? observing : plain).call(in);
            loss = out.get(0).scalar();
            out.forEach(Tensor::close);
        } finally {
            stepInputs.forEach(Tensor::close);
        }
        allocator.afterStep(t);
        return loss;
    }

    @Override
    public void close() {
        observing.close();
        plain.close();
    }
}
