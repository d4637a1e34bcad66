package io.rankwise.api.optim;

import io.rankwise.api.Backend;
import io.rankwise.api.Ops;
import io.rankwise.api.Tensor;
import io.rankwise.api.TensorRecords;
import io.rankwise.api.Variable;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Minimises a loss over trainable variables. Written once against {@link Ops}, so that on
 * TensorFlow the whole training step (sampling, forward, backward, update) is one graph run.
 *
 * <p>Lifecycle: {@link #attach} once (creates the slots as variables; frozen parameters are skipped
 * and never touched). Then for each training step t (from 1) the caller makes the step's inputs
 * with {@link #stepInputs}, feeds them to a compiled step function that calls {@link #minimize},
 * and closes them. The step inputs are a record named by the optimizer; the caller passes them
 * through the compiled function without knowing what is inside (usually as a component of the
 * step's input record, see {@link io.rankwise.api.RecordFunction}):
 *
 * <pre>{@code
 * record StepIn(Batch batch, Optimizer.StepInputs optimizer) {}
 * RecordFunction<StepIn> step = RecordFunction.compile(backend, (ops, in) ->
 *         List.of(optimizer.minimize(ops, List.of(p -> loss(ops, in.batch(), p)), in.optimizer()).loss()));
 * try (Optimizer.StepInputs inputs = optimizer.stepInputs(backend, t)) {
 *     step.call(new StepIn(batch, inputs)).forEach(Tensor::close);
 * }
 * }</pre>
 */
public interface Optimizer {

    /** The provider name, e.g. {@code adam} or {@code ivon}. */
    String name();

    /** What this optimizer offers beyond updates, for metrics that need it. */
    Set<Capability> capabilities();

    /**
     * Creates the optimizer state for the trainable ones among {@code parameters}.
     *
     * @throws IllegalStateException if called twice
     * @throws IllegalArgumentException if the trainable parameters do not share one floating dtype
     */
    void attach(Backend backend, List<Variable> parameters);

    /** The trainable parameters being optimised, in {@link #minimize}'s order. */
    List<Variable> parameters();

    /** The current base learning rate. */
    double learningRate();

    /** Sets the learning rate for the following steps (for schedules). */
    void setLearningRate(double lr);

    /**
     * The host-made inputs of step t (learning rate, bias corrections, noise seeds or recorded
     * draws), as concrete tensors on {@code backend}, in the optimizer's own {@link StepInputs}
     * record. The caller feeds them to the compiled function that calls {@link #minimize}, and
     * closes them after the call.
     */
    StepInputs stepInputs(Backend backend, long step);

    /**
     * Builds one update inside a step function. {@code microBatches} holds one loss per micro-batch
     * (one for no accumulation), each a function of the trainable parameters' values (in {@link
     * #parameters()} order); the gradient is the mean over micro-batches, evaluated at the same
     * weights (for IVON, the same sampled θ). The new parameters and slots are assigned.
     *
     * @param stepInputs what {@link #stepInputs} made, as the step function received it (rebuilt
     *     from the flat inputs, so with symbolic tensors on graph engines); an implementation casts
     *     it to its own record type
     * @return the mean loss, the mean gradients the update used, and the new values
     * @throws IllegalArgumentException if {@code stepInputs} are not this optimizer's
     */
    Update minimize(
            Ops ops, List<Function<List<Tensor>, Tensor>> microBatches, StepInputs stepInputs);

    /** The posterior over the parameters, when {@link Capability#POSTERIOR} is offered. */
    default Optional<Posterior> posterior() {
        return Optional.empty();
    }

    /**
     * Every variable of the optimizer's own state (slots), for checkpoints: saving their values and
     * the step number, then restoring them with {@link Variable#assign}, continues the run exactly.
     */
    List<Variable> state();

    /**
     * The inputs an optimizer needs fed at each step, named. An optimizer declares them as a record
     * implementing this interface whose components are tensors, records of tensors, or lists of
     * tensors ({@link TensorRecords}), e.g. {@code record Inputs(Tensor lr, Tensor correction1,
     * Tensor correction2) implements StepInputs}. Callers flatten them into a compiled function's
     * inputs with {@link TensorRecords} and hand the rebuilt record back to {@link #minimize}; only
     * the optimizer reads its components. The canonical constructor must accept symbolic tensors
     * (it runs inside traced step functions). Closing closes every tensor in it.
     */
    interface StepInputs extends AutoCloseable {
        /**
         * This, as the optimizer's own record type: what {@link #minimize} starts with.
         *
         * @throws IllegalArgumentException if these inputs were made by another optimizer
         */
        default <I extends StepInputs> I as(Class<I> type) {
            if (!type.isInstance(this)) {
                throw new IllegalArgumentException(
                        "step inputs of type "
                                + getClass().getName()
                                + " were given where "
                                + type.getName()
                                + " was expected; pass minimize the inputs that this optimizer's stepInputs made");
            }
            return type.cast(this);
        }

        /** Closes the tensors (the record's components). */
        @Override
        default void close() {
            TensorRecords.close(this);
        }
    }

    /**
     * The result of one {@link #minimize} call: the loss, the gradients the update used, and the
     * parameters' new values (which reads in the same call cannot see yet).
     *
     * @param loss the mean loss
     * @param gradients the mean gradient per parameter
     * @param updated the new value per parameter
     */
    record Update(Tensor loss, List<Tensor> gradients, List<Tensor> updated) {
        /** Copies the lists. */
        public Update {
            gradients = List.copyOf(gradients);
            updated = List.copyOf(updated);
        }
    }
}
