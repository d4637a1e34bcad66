package io.rankwise.backend.djl;

import ai.djl.engine.Engine;
import ai.djl.engine.StandardCapabilities;
import ai.djl.pytorch.jni.LibUtils;
import io.rankwise.api.Device;
import io.rankwise.api.spi.GpuHost;
import java.util.function.Supplier;

/**
 * Resolves a requested {@link Device} against the GPUs the PyTorch engine can use.
 *
 * @param device the resolved device (never {@code auto})
 * @param djlDevice the same device in DJL's terms
 * @param gpuCount how many GPUs the engine can use
 */
record DeviceChoice(Device device, ai.djl.Device djlDevice, int gpuCount) {

    /**
     * The device to compute on.
     *
     * @throws IllegalArgumentException if a GPU is asked for that the engine cannot use, saying
     *     what was found, which step of the GPU path is missing, and what to use instead
     */
    static DeviceChoice resolve(Engine engine, Device requested) {
        return resolve(requested, usableGpus(engine), () -> whyNoGpu(engine));
    }

    /**
     * The decision itself, separated from the engine so that it can be tested without GPUs. {@code
     * whyNone} is asked only when a GPU was requested and none is usable.
     */
    static DeviceChoice resolve(Device requested, int gpuCount, Supplier<String> whyNone) {
        switch (requested.kind()) {
            case CPU:
                return new DeviceChoice(Device.cpu(), ai.djl.Device.cpu(), gpuCount);
            case AUTO:
                return gpuCount > 0
                        ? new DeviceChoice(Device.gpu(0), ai.djl.Device.gpu(0), gpuCount)
                        : new DeviceChoice(Device.cpu(), ai.djl.Device.cpu(), gpuCount);
            default:
                int index = requested.index();
                if (index >= gpuCount) {
                    throw new IllegalArgumentException(
                            "djl backend: device "
                                    + requested
                                    + " was requested, but the"
                                    + " PyTorch engine found "
                                    + gpuCount
                                    + (gpuCount == 1 ? " GPU" : " GPUs")
                                    + (gpuCount == 0
                                            ? ": " + whyNone.get()
                                            : " (gpu:0 to gpu:" + (gpuCount - 1) + ")")
                                    + "; use "
                                    + (gpuCount == 0 ? "cpu" : "one of those")
                                    + ", or auto to take a GPU only when one is present");
                }
                return new DeviceChoice(requested, ai.djl.Device.gpu(index), gpuCount);
        }
    }

    /**
     * GPUs that this libtorch build can use: none unless it was built with CUDA, even when the
     * machine has GPUs (DJL's own count asks the CUDA runtime on the library path, not libtorch).
     */
    static int usableGpus(Engine engine) {
        return engine.hasCapability(StandardCapabilities.CUDA) ? engine.getGpuCount() : 0;
    }

    /** The missing step of the GPU path, as far as the engine and the machine tell. */
    static String whyNoGpu(Engine engine) {
        String libtorch = "libtorch " + engine.getVersion() + " at " + LibUtils.getLibtorchPath();
        if (!engine.hasCapability(StandardCapabilities.CUDA)) {
            return libtorch + " is a CPU build: " + Natives.find().cpuOnlyReason();
        }
        return whyNoDevice(libtorch, GpuHost.finding(), GpuHost.driverGpus());
    }

    /** For a CUDA build of libtorch that found no device: what the machine says. */
    static String whyNoDevice(String libtorch, String hostFinding, int driverGpus) {
        return libtorch
                + " is a CUDA build, but DJL counted no GPU: "
                + hostFinding
                + (driverGpus > 0
                        // DJL counts through the CUDA runtime it finds on the library path (JNA),
                        // not through libtorch, so a machine with a driver but no CUDA 12 runtime
                        // installed counts none.
                        ? "; DJL counts GPUs with the CUDA runtime library (libcudart.so.12), which"
                                + " must be on the library path (install the CUDA 12 runtime or add"
                                + " its folder to LD_LIBRARY_PATH)"
                        : "");
    }
}
