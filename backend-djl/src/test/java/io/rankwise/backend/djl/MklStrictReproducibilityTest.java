package io.rankwise.backend.djl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import io.rankwise.api.Backend;
import io.rankwise.api.Device;
import org.junit.jupiter.api.Test;

class MklStrictReproducibilityTest {

    /**
     * The shape that differed in 21,956 of 73,728 entries between 1 and 2 threads without strict
     * mode on this project's AMD machine (the same comparison in a JVM where MKL kept its default
     * mode); with -Drankwise.djl.mkl_strict_reproducibility=false this test fails at its first
     * assertion.
     */
    @Test
    void aMatrixProductGivesTheSameBitsOnOneAndOnTwoThreads() {
        assumeTrue(Runtime.getRuntime().availableProcessors() >= 2, "needs two cores");
        try (Backend b = new DjlBackendProvider().create(Device.cpu())) {
            assumeTrue(
                    LoadedLibtorch.function("mkl_serv_cbwr_set").isPresent(),
                    "this libtorch has no MKL");
            assumeTrue(System.getenv("MKL_CBWR") == null, "the environment chose MKL's mode");
            assertTrue(MklStrictReproducibility.enabled(), b.describe());
            assertTrue(b.describe().contains("strict reproducible"), b.describe());
            int threads = JniUtils.getNumThreads();
            try (NDManager m = NDManager.newBaseManager("PyTorch")) {
                NDArray x = m.randomNormal(new Shape(192, 1536));
                NDArray w = m.randomNormal(new Shape(1536, 384));
                JniUtils.setNumThreads(1);
                float[] one = x.matMul(w).toFloatArray();
                JniUtils.setNumThreads(2);
                float[] two = x.matMul(w).toFloatArray();
                int differing = 0;
                for (int i = 0; i < one.length; i++) {
                    if (Float.floatToRawIntBits(one[i]) != Float.floatToRawIntBits(two[i])) {
                        differing++;
                    }
                }
                assertEquals(0, differing, "entries that differ between 1 and 2 threads");
            } finally {
                JniUtils.setNumThreads(threads);
            }
        }
    }
}
