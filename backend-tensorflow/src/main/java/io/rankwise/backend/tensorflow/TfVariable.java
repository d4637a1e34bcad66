package io.rankwise.backend.tensorflow;

import io.rankwise.api.DType;
import io.rankwise.api.Shape;
import io.rankwise.api.Variable;
import org.tensorflow.GraphOperation;
import org.tensorflow.Output;
import org.tensorflow.Result;
import org.tensorflow.Tensor;

/**
 * A TensorFlow resource variable ({@code VarHandleOp}). Resource variables, unlike TF Java's
 * reference variables, give reads a consistent snapshot: a read feeding the backward pass is not
 * re-read after an assign in the same run. The host transfers use read and assign ops built once
 * here, so checkpoints do not grow the graph.
 */
final class TfVariable implements Variable {
    private final TfGraph graph;
    private final String name;
    private final Shape shape;
    private final DType dtype;
    private final boolean trainable;
    private final Output<?> handle;
    private final Output<?> hostRead;
    private final Output<?> hostValue;
    private final GraphOperation hostAssign;

    private TfVariable(TfGraph graph, String name, Shape shape, DType dtype, boolean trainable) {
        this.graph = graph;
        this.name = name;
        this.shape = shape;
        this.dtype = dtype;
        this.trainable = trainable;
        synchronized (graph.lock()) {
            Node h = new Node(graph, "VarHandleOp", opName(name));
            // The shared name keys the variable in the session's resource manager: without one, all
            // handles would name the same resource. The op name is unique in the graph, so it is
            // unique in the session too.
            this.handle =
                    h.attr("dtype", DTypes.toTf(dtype))
                            .attr("shape", Shapes.toTf(shape))
                            .attr("shared_name", h.name())
                            .output();
            this.hostRead = read(graph, handle, dtype);
            this.hostValue =
                    graph.op("Placeholder")
                            .attr("dtype", DTypes.toTf(dtype))
                            .attr("shape", Shapes.toTf(shape))
                            .output();
            this.hostAssign = graph.op("AssignVariableOp").input(handle).input(hostValue).build();
        }
    }

    /** Creates the variable in {@code graph} and writes its initial values with one session run. */
    static TfVariable create(
            TfGraph graph,
            String name,
            double[] values,
            Shape shape,
            DType dtype,
            boolean trainable) {
        checkInitialLength(name, values.length, shape);
        TfVariable v = new TfVariable(graph, name, shape, dtype, trainable);
        v.assign(values);
        return v;
    }

    /**
     * Creates the variable in {@code graph} from float32 values, which go into the host tensor
     * without a {@code double[]} in between, and writes them with one session run.
     */
    static TfVariable create(
            TfGraph graph,
            String name,
            float[] values,
            Shape shape,
            DType dtype,
            boolean trainable) {
        checkInitialLength(name, values.length, shape);
        TfVariable v = new TfVariable(graph, name, shape, dtype, trainable);
        try (Tensor t = HostTensors.fromFloats(values, shape, dtype)) {
            v.write(t);
        }
        return v;
    }

    private static void checkInitialLength(String name, int length, Shape shape) {
        if (length != shape.size()) {
            throw new IllegalArgumentException(
                    "tensorflow: variable '"
                            + name
                            + "' has shape "
                            + shape
                            + " ("
                            + shape.size()
                            + " values) but "
                            + length
                            + " values were given");
        }
    }

    /** A ReadVariableOp of {@code handle}. */
    static Output<?> read(TfGraph graph, Output<?> handle, DType dtype) {
        return graph.op("ReadVariableOp").input(handle).attr("dtype", DTypes.toTf(dtype)).output();
    }

    /** The resource handle, for reads and assigns inside traces. */
    Output<?> handle() {
        return handle;
    }

    /** Whether the variable lives in {@code g}. */
    boolean belongsTo(TfGraph g) {
        return graph == g;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Shape shape() {
        return shape;
    }

    @Override
    public DType dtype() {
        return dtype;
    }

    @Override
    public boolean trainable() {
        return trainable;
    }

    @Override
    public double[] toDoubles() {
        try (Result r = graph.session().runner().fetch(hostRead).run()) {
            return HostTensors.toDoubles(r.get(0));
        }
    }

    @Override
    public void assign(double[] values) {
        if (values.length != shape.size()) {
            throw new IllegalArgumentException(
                    "tensorflow: variable '"
                            + name
                            + "' has shape "
                            + shape
                            + " ("
                            + shape.size()
                            + " values); assign got "
                            + values.length);
        }
        try (Tensor t = HostTensors.fromDoubles(values, shape, dtype)) {
            write(t);
        }
    }

    /** Assigns a host tensor of this variable's shape and dtype with one session run. */
    private void write(Tensor t) {
        graph.session().runner().feed(hostValue, t).addTarget(hostAssign).run().close();
    }

    @Override
    public String toString() {
        return "tensorflow variable '" + name + "' " + dtype + shape;
    }

    /**
     * A valid op name built from the variable name: TensorFlow accepts [A-Za-z0-9_.-] after the
     * first character.
     */
    private static String opName(String name) {
        String s = name.replaceAll("[^A-Za-z0-9_.\\-]", "_");
        return "var." + s;
    }
}
