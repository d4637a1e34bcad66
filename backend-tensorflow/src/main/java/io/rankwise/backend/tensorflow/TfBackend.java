package io.rankwise.backend.tensorflow;

import io.rankwise.api.Backend;
import io.rankwise.api.CompiledFunction;
import io.rankwise.api.DType;
import io.rankwise.api.Device;
import io.rankwise.api.Shape;
import io.rankwise.api.StepFunction;
import io.rankwise.api.Tensor;
import io.rankwise.api.Variable;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.tensorflow.TensorFlow;

/**
 * The TensorFlow backend: one graph and one session on one device (see {@link TfGraph}). Step
 * functions are traced into the graph by {@link TfCompiledFunction}; variables are resource
 * variables in the same session, so every compiled function sees the same state.
 */
public final class TfBackend implements Backend {
    private final TfDevice device;
    private final TfGraph graph;
    private final int threads;
    private final Map<String, TfVariable> variables = new ConcurrentHashMap<>();
    private volatile boolean closed;

    TfBackend(TfDevice device, int threads) {
        this.device = device;
        this.threads = threads;
        this.graph = new TfGraph(SessionConfig.forDevice(device.device(), threads));
    }

    /** The TensorFlow version of the loaded natives. */
    static String version() {
        return TensorFlow.version();
    }

    @Override
    public String name() {
        return TfBackendProvider.NAME;
    }

    @Override
    public Device device() {
        return device.device();
    }

    @Override
    public String describe() {
        return "TensorFlow "
                + version()
                + " (TF Java 1.1.0, graph mode) on "
                + device.device()
                + "; GPUs found: "
                + device.gpuCount()
                + " (devices: "
                + TfDevice.describe(device.found())
                + ")"
                + "; threads: "
                + SessionConfig.describeThreads(threads);
    }

    @Override
    public Tensor tensor(double[] values, Shape shape, DType dtype) {
        checkOpen();
        return new ConcreteTensor(this, HostTensors.fromDoubles(values, shape, dtype));
    }

    @Override
    public Tensor tensor(long[] values, Shape shape, DType dtype) {
        checkOpen();
        return new ConcreteTensor(this, HostTensors.fromLongs(values, shape, dtype));
    }

    /** Without the staging arrays of a general upload: step loops make a few scalars per call. */
    @Override
    public Tensor scalar(double value, DType dtype) {
        checkOpen();
        return new ConcreteTensor(this, HostTensors.scalar(value, dtype));
    }

    @Override
    public Variable variable(
            String name, double[] values, Shape shape, DType dtype, boolean trainable) {
        return register(
                name, () -> TfVariable.create(graph, name, values, shape, dtype, trainable));
    }

    /** Float32 values go into the host tensor as they are: no {@code double[]} is made for them. */
    @Override
    public Variable variable(
            String name, float[] values, Shape shape, DType dtype, boolean trainable) {
        return register(
                name, () -> TfVariable.create(graph, name, values, shape, dtype, trainable));
    }

    /** Creates the variable {@code name} under the graph's lock, once the name is known free. */
    private Variable register(String name, Supplier<TfVariable> create) {
        checkOpen();
        Objects.requireNonNull(name, "name");
        synchronized (graph.lock()) {
            checkUnused(name);
            TfVariable v = create.get();
            variables.put(name, v);
            return v;
        }
    }

    private void checkUnused(String name) {
        if (variables.containsKey(name)) {
            throw new IllegalArgumentException(
                    "tensorflow: a variable named '" + name + "' exists already on this backend");
        }
    }

    @Override
    public CompiledFunction compile(StepFunction function) {
        checkOpen();
        return new TfCompiledFunction(this, Objects.requireNonNull(function, "function"));
    }

    /** The graph and session. */
    TfGraph graph() {
        return graph;
    }

    void checkOpen() {
        if (closed) {
            throw new IllegalStateException("tensorflow: this backend is closed");
        }
    }

    @Override
    public void close() {
        synchronized (graph.lock()) {
            if (closed) {
                return;
            }
            closed = true;
            variables.clear();
            graph.close();
        }
    }

    @Override
    public String toString() {
        return "tensorflow backend on " + device.device();
    }
}
