package io.rankwise.api.optim;

import io.rankwise.api.Backend;
import io.rankwise.api.Ops;
import io.rankwise.api.Tensor;
import io.rankwise.api.Variable;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Minimises a loss over trainable variables. Written once against {@link Ops}, so that on
 * TensorFlow the whole training step (forward, backward, update) is one graph run.
 *
 * <p>Lifecycle: {@link #attach} once (creates the slots as variables), then per training step t
 * (starting at 1) the caller feeds {@link #stepInputs}{@code (t)} into a compiled step function that
 * calls {@link #minimize}.
 */
public interface Optimizer {

    /** The provider name, e.g. {@code adam} or {@code ivon}. */
    String name();

    /** What this optimizer offers beyond updates, for metrics that need it. */
    Set<Capability> capabilities();

    /** Creates the optimizer state for {@code parameters} (frozen ones are skipped, never touched). */
    void attach(Backend backend, List<Variable> parameters);

    /**
     * Host-side scalars that depend on the step number (learning rate, bias corrections, seeds),
     * fed to the compiled step function as one FLOAT64 vector.
     */
    double[] stepInputs(long step);

    /**
     * Builds one update inside a step function: evaluates {@code loss} (a function of the current
     * values of the trainable parameters, in order), takes its gradients, and assigns the updated
     * parameters and slots.
     *
     * @param stepInputs the tensor fed from {@link #stepInputs}
     * @return the loss and the gradients it was updated with (for importance metrics)
     */
    Update minimize(Ops ops, Function<List<Tensor>, Tensor> loss, Tensor stepInputs);

    /** The posterior over the parameters, when {@link Capability#POSTERIOR} is offered. */
    default Optional<Posterior> posterior() {
        return Optional.empty();
    }

    /** The loss and gradients of one {@link #minimize} call. */
    record Update(Tensor loss, List<Tensor> gradients) {
        /** Copies the gradient list. */
        public Update {
            gradients = List.copyOf(gradients);
        }
    }
}
