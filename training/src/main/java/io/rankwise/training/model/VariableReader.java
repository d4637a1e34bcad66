package io.rankwise.training.model;

import io.rankwise.api.Backend;
import io.rankwise.api.CompiledFunction;
import io.rankwise.api.Tensor;
import io.rankwise.api.Variable;
import java.util.List;

/**
 * Copies many variables to the host in one backend call. On TensorFlow each separate {@link
 * Variable#toDoubles()} is a {@code Session.run} with a fetch of its own, and the first run of
 * every new fetch builds an executor over the whole graph; once a training step is traced into that
 * graph, reading a checkpoint's few hundred variables one by one took minutes. One compiled read of
 * all of them is a single {@code Session.run}; on DJL it is the same reads, eagerly.
 */
public final class VariableReader implements AutoCloseable {
    private final List<Variable> variables;
    private final CompiledFunction readAll;

    /** A reader of {@code variables}, compiled once on {@code backend}. */
    public VariableReader(Backend backend, List<Variable> variables) {
        this.variables = List.copyOf(variables);
        List<Variable> read = this.variables;
        this.readAll = backend.compile((ops, inputs) -> read.stream().map(ops::read).toList());
    }

    /** The variables, in the order {@link #read()} returns their values. */
    public List<Variable> variables() {
        return variables;
    }

    /** The current values of every variable, in order. */
    public List<double[]> read() {
        List<Tensor> out = readAll.call(List.of());
        try {
            return out.stream().map(Tensor::toDoubles).toList();
        } finally {
            out.forEach(Tensor::close);
        }
    }

    @Override
    public void close() {
        readAll.close();
    }
}
