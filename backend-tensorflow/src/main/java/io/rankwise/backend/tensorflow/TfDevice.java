package io.rankwise.backend.tensorflow;

import io.rankwise.api.Device;
import io.rankwise.api.spi.GpuHost;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.bytedeco.javacpp.Loader;

/**
 * The device a backend resolved from the one asked for, and the devices TensorFlow found.
 *
 * @param device the resolved device (never {@code auto})
 * @param found what TensorFlow listed
 */
record TfDevice(Device device, List<DeviceProbe.Found> found) {

    /**
     * Resolves {@code asked} against what TensorFlow found: {@code auto} becomes the first GPU when
     * there is one, else the CPU.
     *
     * @throws IllegalArgumentException for a GPU that is not there, naming what was found and what
     *     to use instead
     */
    static TfDevice resolve(Device asked, List<DeviceProbe.Found> found) {
        return resolve(asked, found, TfDevice::whyNoGpu);
    }

    /**
     * As {@link #resolve(Device, List)}, with the explanation of an absent GPU given: {@code
     * whyNone} is asked only when a GPU was asked for and TensorFlow found none.
     */
    static TfDevice resolve(Device asked, List<DeviceProbe.Found> found, Supplier<String> whyNone) {
        int gpus = DeviceProbe.gpuCount(found);
        switch (asked.kind()) {
            case CPU:
                return new TfDevice(Device.cpu(), found);
            case AUTO:
                return new TfDevice(gpus > 0 ? Device.gpu(0) : Device.cpu(), found);
            default:
                if (asked.index() >= gpus) {
                    throw new IllegalArgumentException(
                            "tensorflow: device "
                                    + asked
                                    + " was asked for, but TensorFlow "
                                    + TfBackend.version()
                                    + " found "
                                    + (gpus == 0
                                            ? "no GPU"
                                            : gpus + " GPU(s) (gpu:0 to gpu:" + (gpus - 1) + ")")
                                    + "; devices found: "
                                    + describe(found)
                                    + (gpus == 0 ? "; " + whyNone.get() : "")
                                    + "; use --device cpu or auto"
                                    + (gpus > 0 ? " or gpu:0 to gpu:" + (gpus - 1) : ""));
                }
                return new TfDevice(asked, found);
        }
    }

    /** The missing step of the GPU path, as far as the class path and the machine tell. */
    static String whyNoGpu() {
        String platform = Loader.getPlatform();
        boolean gpuNatives =
                TfDevice.class
                                .getClassLoader()
                                .getResource(
                                        "org/tensorflow/internal/c_api/"
                                                + platform
                                                + "-gpu/libjnitensorflow.so")
                        != null;
        return whyNoGpu(platform, gpuNatives, GpuHost.finding(), GpuHost.driverGpus());
    }

    /** The decision of {@link #whyNoGpu()}, separated from the class path and the machine. */
    static String whyNoGpu(
            String platform, boolean gpuNatives, String hostFinding, int driverGpus) {
        if (!gpuNatives) {
            return "the TensorFlow natives on the class path are the CPU build"
                    + " (org.tensorflow:tensorflow-core-native with classifier "
                    + platform
                    + "); for a GPU, build with -Pgpu (./rankwise --gpu), which takes the "
                    + platform
                    + "-gpu build (README: GPU)";
        }
        return "the GPU build of the natives ("
                + platform
                + "-gpu) is on the class path, but "
                + hostFinding
                + (driverGpus > 0
                        // The natives open CUDA's libraries only at run time, from the library
                        // path; without them TensorFlow registers no GPU and says so in its log.
                        ? "; TensorFlow 2.18 loads CUDA 12 and cuDNN 9 from the library path:"
                                + " install them or add their folders to LD_LIBRARY_PATH (with"
                                + " TF_CPP_MIN_LOG_LEVEL=0 TensorFlow logs which library it missed)"
                        : "");
    }

    /** The number of GPUs found. */
    int gpuCount() {
        return DeviceProbe.gpuCount(found);
    }

    /** Short names of the devices found, e.g. {@code CPU:0, GPU:0}. */
    static String describe(List<DeviceProbe.Found> found) {
        return found.stream()
                .map(f -> f.name().replaceFirst(".*/device:", ""))
                .collect(Collectors.joining(", "));
    }
}
