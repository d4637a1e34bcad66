package io.rankwise.backend.djl;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.jni.JniUtils;
import io.rankwise.api.Backend;
import io.rankwise.api.CompiledFunction;
import io.rankwise.api.DType;
import io.rankwise.api.Device;
import io.rankwise.api.Shape;
import io.rankwise.api.StepFunction;
import io.rankwise.api.Tensor;
import io.rankwise.api.Variable;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The DJL backend: eager PyTorch through DJL on one device. One long-lived {@link
 * ai.djl.ndarray.NDManager} holds variables, cached constants and the tensors handed to callers;
 * each call of a compiled function frees its temporaries with an {@link NDScope} (see {@link
 * DjlCompiledFunction}).
 */
public final class DjlBackend implements Backend {
    private final Engine engine;
    private final DeviceChoice device;
    private final PtNDManager manager;
    private final ScalarCache scalars;
    private final ConcurrentHashMap<String, DjlVariable> variables = new ConcurrentHashMap<>();
    private volatile boolean closed;

    DjlBackend(Engine engine, DeviceChoice device) {
        this.engine = engine;
        this.device = device;
        this.manager = (PtNDManager) engine.newBaseManager(device.djlDevice());
        this.scalars = new ScalarCache(manager);
    }

    @Override
    public String name() {
        return DjlBackendProvider.NAME;
    }

    @Override
    public Device device() {
        return device.device();
    }

    @Override
    public String describe() {
        return "DJL "
                + Engine.getDjlVersion()
                + ", PyTorch "
                + engine.getVersion()
                + " on "
                + device.device()
                + "; GPUs usable: "
                + device.gpuCount()
                + "; threads: "
                + JniUtils.getNumThreads()
                + " intra-op, "
                + JniUtils.getNumInteropThreads()
                + " inter-op ("
                + Runtime.getRuntime().availableProcessors()
                + " cores); "
                + waitPolicy()
                + mklPath();
    }

    /**
     * Which of MKL's code paths libtorch's matrix products take, and in which mode, when it has
     * MKL.
     */
    private static String mklPath() {
        return MklVendorCheck.codePath()
                .map(
                        path ->
                                "; MKL code path "
                                        + path
                                        + (path == 0 ? " (generic SSE2)" : "")
                                        + (MklVendorCheck.loaded() ? ", vendor check answered" : "")
                                        + (MklStrictReproducibility.enabled()
                                                ? ", strict reproducible"
                                                : ""))
                .orElse("");
    }

    /** OpenMP's wait policy as the environment set it when libtorch loaded. */
    private static String waitPolicy() {
        String policy = System.getenv("OMP_WAIT_POLICY");
        return policy == null
                ? "OMP_WAIT_POLICY unset (OpenMP spins while it waits)"
                : "OMP_WAIT_POLICY=" + policy;
    }

    @Override
    public Tensor tensor(double[] values, Shape shape, DType dtype) {
        checkOpen();
        return DjlTensor.owned(HostArrays.upload(manager, values, shape, dtype));
    }

    @Override
    public Tensor tensor(long[] values, Shape shape, DType dtype) {
        checkOpen();
        return DjlTensor.owned(HostArrays.upload(manager, values, shape, dtype));
    }

    /** One native call, without the staging buffer an upload of a host array needs. */
    @Override
    public Tensor scalar(double value, DType dtype) {
        checkOpen();
        return DjlTensor.owned(ScalarCache.make(manager, value, dtype));
    }

    @Override
    public Variable variable(
            String name, double[] values, Shape shape, DType dtype, boolean trainable) {
        return register(
                name,
                values.length,
                () -> HostArrays.upload(manager, values, shape, dtype),
                shape,
                dtype,
                trainable);
    }

    /** Float32 values go to the engine as they are: no {@code double[]} is made for them. */
    @Override
    public Variable variable(
            String name, float[] values, Shape shape, DType dtype, boolean trainable) {
        return register(
                name,
                values.length,
                () -> HostArrays.upload(manager, values, shape, dtype),
                shape,
                dtype,
                trainable);
    }

    /**
     * Checks the name and the number of values, uploads them and wraps the array as the variable
     * {@code name}, freeing it if the name was taken meanwhile.
     */
    private Variable register(
            String name,
            int length,
            Supplier<NDArray> upload,
            Shape shape,
            DType dtype,
            boolean trainable) {
        checkOpen();
        Objects.requireNonNull(name, "name");
        if (variables.containsKey(name)) {
            throw duplicate(name);
        }
        checkLength(name, length, shape);
        NDArray initial = upload.get();
        NDScope.unregister(initial); // a variable outlives any scope the caller may have open
        DjlVariable v = new DjlVariable(this, name, initial, shape, dtype, trainable);
        if (variables.putIfAbsent(name, v) != null) {
            initial.close();
            throw duplicate(name);
        }
        return v;
    }

    private static void checkLength(String name, int length, Shape shape) {
        if (length != shape.size()) {
            throw new IllegalArgumentException(
                    "djl: variable '"
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

    private static IllegalArgumentException duplicate(String name) {
        return new IllegalArgumentException(
                "djl: a variable named '"
                        + name
                        + "' already exists on this backend; variable names must be unique");
    }

    @Override
    public CompiledFunction compile(StepFunction function) {
        checkOpen();
        return new DjlCompiledFunction(this, Objects.requireNonNull(function, "function"));
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        variables.clear();
        scalars.clear();
        manager.close();
    }

    PtNDManager manager() {
        return manager;
    }

    ScalarCache scalars() {
        return scalars;
    }

    /**
     * Unwraps a tensor of this backend.
     *
     * @throws IllegalArgumentException if it comes from another backend
     */
    DjlTensor own(Tensor t) {
        Objects.requireNonNull(t, "tensor");
        if (!(t instanceof DjlTensor)) {
            throw new IllegalArgumentException(
                    "djl: got a tensor of another backend ("
                            + t.getClass().getName()
                            + "); tensors cannot cross backends");
        }
        return (DjlTensor) t;
    }

    /**
     * Unwraps a variable of this backend.
     *
     * @throws IllegalArgumentException if it comes from another backend
     */
    DjlVariable own(Variable v) {
        Objects.requireNonNull(v, "variable");
        if (!(v instanceof DjlVariable) || ((DjlVariable) v).backend() != this) {
            throw new IllegalArgumentException(
                    "djl: variable '" + v.name() + "' does not belong to this backend");
        }
        return (DjlVariable) v;
    }

    void checkOpen() {
        if (closed) {
            throw new IllegalStateException("djl: this backend is closed");
        }
    }

    @Override
    public String toString() {
        return "djl backend on " + device.device();
    }
}
