package io.rankwise.backend.tensorflow;

import io.rankwise.api.DType;
import io.rankwise.api.Shape;
import java.util.Iterator;
import org.tensorflow.Graph;
import org.tensorflow.Output;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.op.Ops;
import org.tensorflow.op.Scope;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;

/**
 * The one graph and session of a backend. Every compiled function traces into this graph and runs
 * in this session, so resource variables are shared between functions. Graph construction is not
 * thread-safe in TF Java's naming scope, so it happens under {@link #lock()}; {@code Session.run}
 * is thread-safe and needs no lock.
 */
final class TfGraph implements AutoCloseable {
    private final Graph graph;
    private final Scope scope;
    private final Session session;

    /**
     * @param config the session options: threads, and the devices the session may see (placement
     *     follows from them: TensorFlow puts ops on the visible GPU when there is one)
     */
    TfGraph(ConfigProto config) {
        this.graph = new Graph();
        this.scope = Ops.create(graph).scope();
        this.session = new Session(graph, config);
    }

    Graph graph() {
        return graph;
    }

    Scope scope() {
        return scope;
    }

    Session session() {
        return session;
    }

    /** The monitor that guards graph construction. */
    Object lock() {
        return this;
    }

    /** Starts a new operation of TensorFlow type {@code type}. */
    Node op(String type) {
        return new Node(this, type);
    }

    /** A Const node holding a copy of {@code value}. */
    Output<?> constant(Tensor value) {
        return op("Const").attr("dtype", value.dataType()).attr("value", value).output();
    }

    /** A Const node holding host values of the given type. */
    Output<?> constant(double[] values, Shape shape, DType dtype) {
        try (Tensor t = HostTensors.fromDoubles(values, shape, dtype)) {
            return constant(t);
        }
    }

    /** A Const node holding host integers of the given type (exact for INT64). */
    Output<?> constant(long[] values, Shape shape, DType dtype) {
        try (Tensor t = HostTensors.fromLongs(values, shape, dtype)) {
            return constant(t);
        }
    }

    /** An INT32 vector constant, for axes and permutations. */
    Output<?> int32s(int... values) {
        try (Tensor t = TInt32.vectorOf(values)) {
            return constant(t);
        }
    }

    /** An INT32 scalar constant. */
    Output<?> int32(int value) {
        try (Tensor t = TInt32.scalarOf(value)) {
            return constant(t);
        }
    }

    /** An INT64 vector constant, for shapes, begins and sizes. */
    Output<?> int64s(long... values) {
        try (Tensor t = TInt64.vectorOf(values)) {
            return constant(t);
        }
    }

    /** The number of operations in the graph (to check that calls do not grow it). */
    int size() {
        synchronized (lock()) {
            int n = 0;
            for (Iterator<?> it = graph.operations(); it.hasNext(); it.next()) {
                n++;
            }
            return n;
        }
    }

    @Override
    public void close() {
        session.close();
        graph.close();
    }
}
