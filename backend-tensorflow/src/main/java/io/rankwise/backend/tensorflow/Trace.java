package io.rankwise.backend.tensorflow;

import io.rankwise.api.Tensor;
import io.rankwise.api.Variable;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.tensorflow.GraphOperation;
import org.tensorflow.Operation;
import org.tensorflow.Output;

/**
 * The state of one trace of a step function for one input signature: its placeholders, the variable
 * reads and writes it made, and the host tensors it captured as constants. {@link #finish} turns it
 * into the {@link Plan} that later calls run. Used under the graph lock only.
 */
final class Trace {
    private final TfBackend backend;
    private final TfGraph graph;
    private final List<Output<?>> placeholders = new ArrayList<>();
    private final List<Tensor> inputs = new ArrayList<>();
    private final Map<TfVariable, SymbolicTensor> reads = new IdentityHashMap<>();
    private final Map<TfVariable, SymbolicTensor> writes = new LinkedHashMap<>();
    private final Map<ConcreteTensor, Output<?>> captured = new IdentityHashMap<>();

    /** Adds a placeholder for each input of {@code signature}. */
    Trace(TfBackend backend, Signature signature) {
        this.backend = backend;
        this.graph = backend.graph();
        for (int i = 0; i < signature.size(); i++) {
            Output<?> p =
                    new Node(graph, "Placeholder", "input" + i)
                            .attr("dtype", DTypes.toTf(signature.dtypes().get(i)))
                            .attr("shape", Shapes.toTf(signature.shapes().get(i)))
                            .output();
            placeholders.add(p);
            inputs.add(wrap(p));
        }
    }

    TfGraph graph() {
        return graph;
    }

    /** The symbolic inputs handed to the step function. */
    List<Tensor> inputs() {
        return List.copyOf(inputs);
    }

    /** Wraps a node output of this trace. */
    SymbolicTensor wrap(Output<?> output) {
        return new SymbolicTensor(this, output);
    }

    /**
     * The graph output for a tensor used in this trace. A concrete tensor of this backend (say, a
     * constant made once outside the step function) becomes a Const node holding its current
     * values.
     *
     * @throws IllegalArgumentException for a tensor of another trace or another backend, or a
     *     closed one
     */
    Output<?> output(Tensor t) {
        Objects.requireNonNull(t, "tensor");
        if (t instanceof SymbolicTensor) {
            SymbolicTensor s = (SymbolicTensor) t;
            if (s.trace() != this) {
                throw new IllegalArgumentException(
                        "tensorflow: "
                                + s
                                + " belongs to another trace; a step function"
                                + " must not keep tensors between calls or share them between step functions");
            }
            return s.output();
        }
        if (t instanceof ConcreteTensor && ((ConcreteTensor) t).backend() == backend) {
            ConcreteTensor c = (ConcreteTensor) t;
            return captured.computeIfAbsent(c, k -> graph.constant(k.value()));
        }
        throw new IllegalArgumentException(
                "tensorflow: "
                        + t
                        + " ("
                        + t.getClass().getName()
                        + ") was not made by this tensorflow backend");
    }

    /** The value of {@code variable} before the call; one read op per variable and trace. */
    SymbolicTensor read(Variable variable) {
        TfVariable v = own(variable);
        return reads.computeIfAbsent(v, k -> wrap(TfVariable.read(graph, k.handle(), k.dtype())));
    }

    /**
     * Records a write; the assign op is built by {@link #finish}, after every read of the trace
     * exists, so that it can be ordered after all of them. A second write to the same variable
     * replaces the first. The value's shape and dtype were checked against the variable's by {@link
     * io.rankwise.api.OpChecks#assign}.
     */
    void assign(Variable variable, Tensor value) {
        TfVariable v = own(variable);
        SymbolicTensor s =
                value instanceof SymbolicTensor ? (SymbolicTensor) value : wrap(output(value));
        output(s); // checks the trace
        writes.remove(v);
        writes.put(v, s);
    }

    /**
     * Completes the trace: the outputs become fetches and each write an AssignVariableOp that runs
     * after every read of the trace and every output, so all reads in a call see pre-call values.
     */
    Plan finish(List<Tensor> outputs) {
        if (outputs == null) {
            throw new IllegalArgumentException(
                    "tensorflow: the step function returned null; return List.of() for no outputs");
        }
        List<Output<?>> fetches = new ArrayList<>(outputs.size());
        Set<Output<?>> fetched = new HashSet<>();
        for (Tensor t : outputs) {
            Output<?> f = output(t);
            // TensorFlow refuses to fetch a fed placeholder, and a session run returns one tensor
            // per distinct fetch; an Identity gives such an output a tensor of its own, so that the
            // caller can close each independently.
            boolean plain = fetched.add(f) && !placeholders.contains(f);
            fetches.add(plain ? f : graph.op("Identity").input(f).output());
        }
        Set<Operation> before = new LinkedHashSet<>();
        for (SymbolicTensor r : reads.values()) {
            before.add(r.output().op());
        }
        for (Output<?> f : fetches) {
            before.add(f.op());
        }
        List<GraphOperation> targets = new ArrayList<>(writes.size());
        for (Map.Entry<TfVariable, SymbolicTensor> w : writes.entrySet()) {
            Node assign =
                    graph.op("AssignVariableOp")
                            .input(w.getKey().handle())
                            .input(w.getValue().output());
            for (Operation op : before) {
                assign.after(op);
            }
            targets.add(assign.build());
        }
        return new Plan(backend, placeholders, fetches, targets);
    }

    private TfVariable own(Variable variable) {
        if (variable instanceof TfVariable && ((TfVariable) variable).belongsTo(graph)) {
            return (TfVariable) variable;
        }
        throw new IllegalArgumentException(
                "tensorflow: variable " + variable + " was not made by this tensorflow backend");
    }
}
