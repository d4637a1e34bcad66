package io.rankwise.backend.tensorflow;

import io.rankwise.api.CompiledFunction;
import io.rankwise.api.StepFunction;
import io.rankwise.api.Tensor;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A step function traced once per input signature into the backend's graph. The first call with a
 * signature traces (under the graph lock); every call, the first included, is then one {@code
 * Session.run} of that signature's {@link Plan}.
 */
final class TfCompiledFunction implements CompiledFunction {
    private final TfBackend backend;
    private final StepFunction function;
    private final Map<Signature, Plan> plans = new ConcurrentHashMap<>();
    private volatile int arity = -1;

    /** The last signature called and its plan: training loops call one signature over and over. */
    private volatile Map.Entry<Signature, Plan> last;

    TfCompiledFunction(TfBackend backend, StepFunction function) {
        this.backend = backend;
        this.function = function;
    }

    @Override
    public List<Tensor> call(List<Tensor> inputs) {
        backend.checkOpen();
        checkInputs(inputs);
        Map.Entry<Signature, Plan> recent = last;
        if (recent != null && recent.getKey().matches(inputs)) {
            return recent.getValue().run(inputs);
        }
        Signature signature = Signature.of(inputs);
        Plan plan = plans.get(signature);
        if (plan == null) {
            plan = trace(signature);
        }
        last = Map.entry(signature, plan);
        return plan.run(inputs);
    }

    /** The number of signatures traced so far. */
    int traces() {
        return plans.size();
    }

    private Plan trace(Signature signature) {
        synchronized (backend.graph().lock()) {
            Plan plan = plans.get(signature);
            if (plan == null) {
                Trace trace = new Trace(backend, signature);
                List<Tensor> outputs = function.apply(new TfOps(backend, trace), trace.inputs());
                plan = trace.finish(outputs);
                plans.put(signature, plan);
            }
            return plan;
        }
    }

    private void checkInputs(List<Tensor> inputs) {
        int expected = arity;
        if (expected < 0) {
            arity = inputs.size();
        } else if (inputs.size() != expected) {
            throw new IllegalArgumentException(
                    "tensorflow: this compiled function was called with "
                            + expected
                            + " inputs before, now with "
                            + inputs.size());
        }
        for (int i = 0; i < inputs.size(); i++) {
            Tensor t = inputs.get(i);
            if (!(t instanceof ConcreteTensor) || ((ConcreteTensor) t).backend() != backend) {
                throw new IllegalArgumentException(
                        "tensorflow: input "
                                + i
                                + " ("
                                + t
                                + ") is not a concrete tensor of"
                                + " this backend; make inputs with backend.tensor(...)");
            }
        }
    }

    /**
     * Forgets the traced signatures. Their nodes stay in the graph (a TensorFlow graph cannot
     * remove operations) and are freed with the backend.
     */
    @Override
    public void close() {
        last = null;
        plans.clear();
    }
}
