package io.rankwise.training.step;

import io.rankwise.allocators.adapters.OrthogonalityRegularizer;
import io.rankwise.api.Backend;
import io.rankwise.api.Ops;
import io.rankwise.api.RecordFunction;
import io.rankwise.api.Tensor;
import io.rankwise.api.TensorRecords;
import io.rankwise.api.Variable;
import io.rankwise.api.adapt.Adapter;
import io.rankwise.api.adapt.ImportanceMetric;
import io.rankwise.api.adapt.RankAllocator;
import io.rankwise.api.adapt.SvdAdapter;
import io.rankwise.api.optim.Optimizer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * One training step of low-rank adapters (and a task head) in the order of docs/algorithms.md §2:
 * forward and backward (at sampled weights under IVON) and the optimizer update in one compiled
 * call. With a rank allocation (AdaLoRA, {@link AdaLoraTrainer}) the task loss gets γ · R added
 * (the orthogonality regulariser), the metric's observation is fused into the step while it needs
 * it, and the allocator's host-side masking follows; without one ({@link #fixedRank}, plain LoRA)
 * the objective is the task loss alone and the step is nothing more than the optimizer's.
 *
 * <p>Batches are named tensor records ({@link TensorRecords}) of the caller's type {@code B}; the
 * trainer passes them with the optimizer's {@link Optimizer.StepInputs} through one {@link
 * RecordFunction}, so neither it nor the loss reads inputs by position.
 *
 * @param <B> the batch record type (e.g. a fine-tuning micro-batch with its dropout seed)
 */
public class AdapterTrainer<B extends Record> implements AutoCloseable {

    /**
     * The task loss of one batch, from the batch tensors and the current parameter values.
     *
     * @param <B> the batch record type
     */
    @FunctionalInterface
    public interface Loss<B> {
        /**
         * @param batch the batch as passed to {@link #step} (with symbolic tensors on graph
         *     engines)
         * @param valueOf the value to compute with for each trainable variable (possibly sampled)
         */
        Tensor apply(Ops ops, B batch, Function<Variable, Tensor> valueOf);
    }

    /**
     * AdaLoRA's part of a step: the allocator with its metric over the SVD-form adapters.
     *
     * @param allocator the rank allocator
     * @param metric its importance metric
     * @param adapters the adapters whose triplets it prunes, on which γ · R is computed
     */
    record Allocation(RankAllocator allocator, ImportanceMetric metric, List<SvdAdapter> adapters) {
        Allocation {
            Objects.requireNonNull(allocator, "allocator");
            Objects.requireNonNull(metric, "metric");
            adapters = List.copyOf(adapters);
        }
    }

    /**
     * Everything one compiled step call takes: the micro-batches and the optimizer's inputs. It
     * flattens to the micro-batches' tensors in order, then the optimizer's.
     */
    private record StepCall<B>(List<B> microBatches, Optimizer.StepInputs optimizer) {}

    private final Backend backend;
    private final Optimizer optimizer;
    private final RankAllocator allocator;
    private final RecordFunction<StepCall<B>> observing;
    private final RecordFunction<StepCall<B>> plain;

    /**
     * Plain LoRA's trainer: the optimizer attached to the adapters' parameters and {@code
     * extraTrainable} (a task head), the objective the task loss alone. No allocator, no importance
     * metric, no orthogonality regulariser: the adapters keep their rank.
     */
    public static <B extends Record> AdapterTrainer<B> fixedRank(
            Backend backend,
            Optimizer optimizer,
            List<? extends Adapter> adapters,
            List<Variable> extraTrainable,
            Loss<B> loss) {
        return new AdapterTrainer<>(backend, optimizer, adapters, extraTrainable, null, loss);
    }

    /**
     * Attaches the optimizer to the adapters' parameters and {@code extraTrainable}, and the
     * allocator (if any) to its adapters, then prepares the step.
     *
     * @param allocation AdaLoRA's allocator and metric, or null for adapters of a fixed rank
     */
    AdapterTrainer(
            Backend backend,
            Optimizer optimizer,
            List<? extends Adapter> adapters,
            List<Variable> extraTrainable,
            Allocation allocation,
            Loss<B> loss) {
        this.backend = backend;
        this.optimizer = optimizer;
        this.allocator = allocation == null ? null : allocation.allocator();
        List<Variable> parameters = new ArrayList<>();
        adapters.forEach(a -> parameters.addAll(a.parameters()));
        parameters.addAll(extraTrainable);
        optimizer.attach(backend, parameters);
        List<Variable> order = optimizer.parameters();
        if (allocation == null) {
            plain =
                    RecordFunction.compile(
                            backend, (ops, in) -> step(ops, in, order, List.of(), 0, loss, false));
            // Nothing observes: every step is the plain one.
            observing = plain;
            return;
        }
        List<SvdAdapter> svd = allocation.adapters();
        double gamma = allocator.orthogonalityWeight();
        allocator.attach(backend, svd, allocation.metric(), optimizer);
        observing =
                RecordFunction.compile(
                        backend, (ops, in) -> step(ops, in, order, svd, gamma, loss, true));
        plain =
                RecordFunction.compile(
                        backend, (ops, in) -> step(ops, in, order, svd, gamma, loss, false));
    }

    private List<Tensor> step(
            Ops ops,
            StepCall<B> in,
            List<Variable> order,
            List<SvdAdapter> adapters,
            double gamma,
            Loss<B> loss,
            boolean observe) {
        List<Function<List<Tensor>, Tensor>> objectives = new ArrayList<>();
        for (B batch : in.microBatches()) {
            objectives.add(values -> objective(ops, batch, values, order, adapters, gamma, loss));
        }
        Optimizer.Update update = optimizer.minimize(ops, objectives, in.optimizer());
        if (observe) {
            allocator.observe(ops, update.gradients(), update.updated());
        }
        return List.of(update.loss());
    }

    private static <B> Tensor objective(
            Ops ops,
            B batch,
            List<Tensor> values,
            List<Variable> order,
            List<SvdAdapter> adapters,
            double gamma,
            Loss<B> loss) {
        Map<Variable, Tensor> byVariable = new HashMap<>();
        for (int i = 0; i < order.size(); i++) {
            byVariable.put(order.get(i), values.get(i));
        }
        Tensor task =
                loss.apply(
                        ops,
                        batch,
                        v -> {
                            Tensor t = byVariable.get(v);
                            return t != null ? t : ops.read(v);
                        });
        if (gamma == 0) {
            return task;
        }
        List<List<Tensor>> adapterValues =
                adapters.stream()
                        .map(a -> a.parameters().stream().map(byVariable::get).toList())
                        .toList();
        return ops.add(task, ops.mul(OrthogonalityRegularizer.penalty(ops, adapterValues), gamma));
    }

    /** Runs training step t (from 1) on {@code batch} and returns the loss (before the update). */
    public double step(long t, B batch) {
        return run(t, List.of(batch));
    }

    /**
     * Runs training step t on several micro-batches (gradient accumulation: the gradient is their
     * mean, taken at the same weights) and returns the mean loss. The batches stay the caller's.
     *
     * @throws IllegalArgumentException if {@code batches} is empty or a batch is not a tensor
     *     record
     */
    public double stepAccumulated(long t, List<B> batches) {
        return run(t, batches);
    }

    private double run(long t, List<B> batches) {
        if (batches.isEmpty()) {
            throw new IllegalArgumentException("a step needs at least one micro-batch");
        }
        double loss;
        try (Optimizer.StepInputs stepInputs = optimizer.stepInputs(backend, t)) {
            RecordFunction<StepCall<B>> function =
                    allocator != null && allocator.observesAt(t) ? observing : plain;
            List<Tensor> out = function.call(new StepCall<>(List.copyOf(batches), stepInputs));
            try {
                loss = out.get(0).scalar();
            } finally {
                out.forEach(Tensor::close);
            }
        }
        if (allocator != null) {
            allocator.afterStep(t);
        }
        return loss;
    }

    @Override
    public void close() {
        observing.close();
        if (plain != observing) {
            plain.close();
        }
    }
}
