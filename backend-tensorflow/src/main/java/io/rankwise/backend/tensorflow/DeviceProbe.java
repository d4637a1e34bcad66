package io.rankwise.backend.tensorflow;

import static org.tensorflow.internal.c_api.global.tensorflow.TF_CloseSession;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_DeleteDeviceList;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_DeleteGraph;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_DeleteSession;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_DeleteSessionOptions;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_DeleteStatus;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_DeviceListCount;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_DeviceListName;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_DeviceListType;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_NewGraph;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_NewSession;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_NewSessionOptions;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_NewStatus;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_SessionListDevices;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_SetConfig;

import java.util.ArrayList;
import java.util.List;
import org.bytedeco.javacpp.BytePointer;
import org.tensorflow.TensorFlow;
import org.tensorflow.internal.c_api.TF_DeviceList;
import org.tensorflow.internal.c_api.TF_Graph;
import org.tensorflow.internal.c_api.TF_Session;
import org.tensorflow.internal.c_api.TF_SessionOptions;
import org.tensorflow.internal.c_api.TF_Status;
import org.tensorflow.proto.ConfigProto;

/**
 * Lists the devices TensorFlow can use. TF Java has no public call for it, so this opens a
 * throwaway session through the C API (the natives TF Java binds) and asks it. The native objects
 * are freed explicitly, in reverse order of creation.
 *
 * <p>This session is usually the process's first, and TensorFlow sizes its process-wide CPU thread
 * pools and GPU allocator from the first session's options: it gets the backend's ({@link
 * SessionConfig#forProbe}), or the backend's own would be ignored.
 */
final class DeviceProbe {
    /** One device: its type ({@code CPU}, {@code GPU}) and full name. */
    record Found(String type, String name) {}

    private DeviceProbe() {}

    /** Loads the natives if needed and lists the devices of a session with {@code config}. */
    static List<Found> devices(ConfigProto config) {
        TensorFlow.version(); // loads the natives
        List<Found> found = new ArrayList<>();
        TF_Status status = TF_NewStatus();
        TF_Graph graph = TF_NewGraph();
        TF_SessionOptions options = TF_NewSessionOptions();
        try (BytePointer proto = new BytePointer(config.toByteArray())) {
            TF_SetConfig(options, proto, proto.capacity(), status);
            status.throwExceptionIfNotOK();
            TF_Session session = TF_NewSession(graph, options, status);
            status.throwExceptionIfNotOK();
            try {
                TF_DeviceList list = TF_SessionListDevices(session, status);
                status.throwExceptionIfNotOK();
                try {
                    for (int i = 0; i < TF_DeviceListCount(list); i++) {
                        String type = TF_DeviceListType(list, i, status).getString();
                        String name = TF_DeviceListName(list, i, status).getString();
                        found.add(new Found(type, name));
                    }
                } finally {
                    TF_DeleteDeviceList(list);
                }
            } finally {
                TF_CloseSession(session, status);
                TF_DeleteSession(session, status);
            }
        } finally {
            TF_DeleteSessionOptions(options);
            TF_DeleteGraph(graph);
            TF_DeleteStatus(status);
        }
        return found;
    }

    /** The number of GPUs among {@code devices}. */
    static int gpuCount(List<Found> devices) {
        return (int) devices.stream().filter(d -> d.type().equals("GPU")).count();
    }
}
