package io.rankwise.backend.djl;

import ai.djl.engine.Engine;
import ai.djl.engine.StandardCapabilities;
import io.rankwise.api.Device;

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
     *     what was found and what to use instead
     */
    static DeviceChoice resolve(Engine engine, Device requested) {
        return resolve(requested, usableGpus(engine));
    }

    /** The decision itself, separated from the engine so that it can be tested without GPUs. */
    static DeviceChoice resolve(Device requested, int gpuCount) {
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
                                            ? " (a CPU build of libtorch, or no CUDA device)"
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
     * machine has GPUs (DJL's own count looks at the driver, not at the library).
     */
    static int usableGpus(Engine engine) {
        return engine.hasCapability(StandardCapabilities.CUDA) ? engine.getGpuCount() : 0;
    }
}
