package io.rankwise.backend.tensorflow;

import io.rankwise.api.Device;
import java.util.List;
import java.util.stream.Collectors;

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
                                    + (gpus == 0
                                            ? "; the tensorflow-core-native build on the class path may be CPU-only"
                                            : "")
                                    + "; use --device cpu or auto"
                                    + (gpus > 0 ? " or gpu:0 to gpu:" + (gpus - 1) : ""));
                }
                return new TfDevice(asked, found);
        }
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
