package io.rankwise.backend.tensorflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rankwise.api.Backend;
import io.rankwise.api.CompiledFunction;
import io.rankwise.api.DType;
import io.rankwise.api.Device;
import io.rankwise.api.Shape;
import io.rankwise.api.Tensor;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * TensorFlow sizes its process-wide thread pools from the first session a process opens, which is
 * the device probe's: the backend's thread settings must reach that session, or they are ignored
 * (as they were while the probe opened a default session: 7 native threads for 1 intra-op thread
 * and for 2 alike). With {@code TF_OVERRIDE_GLOBAL_THREADPOOL=1} every session has its own pools
 * instead. TensorFlow's pool threads carry no name of their own, so each setting runs in a child
 * JVM and counts the threads named after the process; one more intra-op thread must make one more
 * such thread.
 */
class ThreadPoolTest {

    @Test
    void oneMoreIntraOpThreadIsOneMoreNativeThreadWithTheProcessWidePool() throws Exception {
        int one = unnamedThreadsWith(1, null);
        int two = unnamedThreadsWith(2, null);
        assertEquals(one + 1, two, "native threads with 1 and with 2 intra-op threads");
    }

    /** As the launcher runs it: every session owns its pools, the probe's end with the probe. */
    @Test
    void oneMoreIntraOpThreadIsOneMoreNativeThreadWithPoolsPerSession() throws Exception {
        int one = unnamedThreadsWith(1, "1");
        int two = unnamedThreadsWith(2, "1");
        assertEquals(one + 1, two, "native threads with 1 and with 2 intra-op threads");
    }

    private static int unnamedThreadsWith(int threads, String overrideGlobalPool) throws Exception {
        ProcessBuilder pb =
                new ProcessBuilder(
                                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                                "-cp",
                                System.getProperty("java.class.path"),
                                ThreadPoolTest.class.getName(),
                                Integer.toString(threads))
                        .redirectErrorStream(true);
        if (overrideGlobalPool == null) {
            pb.environment().remove("TF_OVERRIDE_GLOBAL_THREADPOOL");
        } else {
            pb.environment().put("TF_OVERRIDE_GLOBAL_THREADPOOL", overrideGlobalPool);
        }
        Process child = pb.start();
        String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(child.waitFor(120, TimeUnit.SECONDS), "the child JVM did not end");
        assertEquals(0, child.exitValue(), output);
        String line =
                output.lines()
                        .filter(l -> l.startsWith("UNNAMED "))
                        .findFirst()
                        .orElseThrow(() -> new AssertionError("no count in: " + output));
        return Integer.parseInt(line.substring("UNNAMED ".length()).trim());
    }

    /** The child: a backend with {@code args[0]} threads, some work, then the thread count. */
    public static void main(String[] args) throws IOException {
        int threads = Integer.parseInt(args[0]);
        try (Backend b = new TfBackendProvider().create(Device.cpu(), threads);
                CompiledFunction f =
                        b.compile((ops, in) -> List.of(ops.sum(ops.matmul(in.get(0), in.get(0)))));
                Tensor x = b.tensor(new double[128 * 128], Shape.of(128, 128), DType.FLOAT32)) {
            // Enough work for every pool thread to have started, whatever TensorFlow does lazily.
            for (int i = 0; i < 20; i++) {
                f.call(x).forEach(Tensor::close);
            }
            System.out.println("UNNAMED " + unnamedThreads());
        }
    }

    /** Threads whose kernel name is still the process's ("java"): the natives' own threads. */
    private static long unnamedThreads() throws IOException {
        try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
            return tasks.filter(
                            t -> {
                                try {
                                    return Files.readString(t.resolve("comm"))
                                            .trim()
                                            .equals("java");
                                } catch (IOException e) {
                                    return false; // the thread ended meanwhile
                                }
                            })
                    .count();
        }
    }
}
