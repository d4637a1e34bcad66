package io.rankwise.backend.djl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.jna.Library;
import com.sun.jna.NativeLibrary;
import io.rankwise.api.Backend;
import io.rankwise.api.Device;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MklVendorCheckTest {

    private static boolean linuxX86() {
        return MklVendorCheck.applies(
                System.getProperty("os.name"), System.getProperty("os.arch"), "AuthenticAMD");
    }

    @Test
    void theWrittenLibraryLoadsAndItsFunctionReturnsTheConstant(@TempDir Path dir)
            throws IOException {
        assumeTrue(linuxX86(), "the library is an x86-64 Linux shared object");
        for (int value : new int[] {1, -7, 0x12345678}) {
            Path file = dir.resolve("libconst" + (value & 0xff) + ".so");
            Files.write(file, ConstantFunctionLibrary.bytes("rankwise_test_constant", value));
            NativeLibrary library =
                    NativeLibrary.getInstance(
                            file.toString(), Map.of(Library.OPTION_OPEN_FLAGS, 0x2)); // RTLD_NOW
            try {
                assertEquals(
                        value,
                        library.getFunction("rankwise_test_constant").invokeInt(new Object[0]));
                assertThrows(UnsatisfiedLinkError.class, () -> library.getFunction("other"));
            } finally {
                library.dispose();
            }
        }
    }

    @Test
    void aFunctionNameThatIsNotACIdentifierIsRefusedNamingIt() {
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> ConstantFunctionLibrary.bytes("1bad-name", 1));
        assertTrue(
                e.getMessage().contains("'1bad-name'") && e.getMessage().contains("C identifier"));
    }

    @Test
    void appliesOnlyToLinuxX86WithAKnownVendorOtherThanIntel() {
        assertTrue(MklVendorCheck.applies("Linux", "amd64", "AuthenticAMD"));
        assertTrue(MklVendorCheck.applies("Linux", "x86_64", "HygonGenuine"));
        assertFalse(MklVendorCheck.applies("Linux", "amd64", "GenuineIntel"));
        assertFalse(MklVendorCheck.applies("Linux", "amd64", ""));
        assertFalse(MklVendorCheck.applies("Linux", "aarch64", "AuthenticAMD"));
        assertFalse(MklVendorCheck.applies("Mac OS X", "x86_64", "AuthenticAMD"));
    }

    @Test
    void theVendorIsReadFromTheFirstProcessorOfCpuinfo() {
        String cpuinfo =
                "processor\t: 0\nvendor_id\t: AuthenticAMD\ncpu family\t: 26\n\n"
                        + "processor\t: 1\nvendor_id\t: Other\n";
        assertEquals(Optional.of("AuthenticAMD"), MklVendorCheck.vendorOf(cpuinfo));
        assertEquals(Optional.empty(), MklVendorCheck.vendorOf("processor\t: 0\n"));
    }

    @Test
    void aPropertyThatIsNotABooleanIsRefusedNamingIt() {
        String key = MklVendorCheck.ANY_VENDOR.name();
        String before = System.getProperty(key);
        System.setProperty(key, "sometimes");
        try {
            IllegalArgumentException e =
                    assertThrows(IllegalArgumentException.class, MklVendorCheck::beforeEngineLoads);
            assertTrue(
                    e.getMessage().contains("djl")
                            && e.getMessage().contains(key)
                            && e.getMessage().contains("sometimes"),
                    e.getMessage());
        } finally {
            if (before == null) {
                System.clearProperty(key);
            } else {
                System.setProperty(key, before);
            }
        }
    }

    /**
     * The effect itself, read from MKL: on a non-Intel x86-64 CPU, MKL inside the loaded libtorch
     * chose a code path above its generic one. Checked to fail with -Drankwise.djl.mkl_any_vendor
     * =false in the surefire JVM, where MKL reports 0 on the AMD machine this was written on.
     */
    @Test
    void onANonIntelCpuMklInsideLibtorchTakesMoreThanItsGenericPath() {
        String vendor = MklVendorCheck.cpuVendor().orElse("");
        assumeTrue(
                MklVendorCheck.applies(
                        System.getProperty("os.name"), System.getProperty("os.arch"), vendor),
                "only non-Intel x86-64 Linux CPUs are affected");
        try (Backend b = new DjlBackendProvider().create(Device.cpu())) {
            Optional<Integer> path = MklVendorCheck.codePath();
            assumeTrue(path.isPresent(), "this libtorch has no MKL");
            assertTrue(MklVendorCheck.loaded(), b.describe());
            assertTrue(path.get() > 0, b.describe());
            assertTrue(b.describe().contains("MKL code path " + path.get()), b.describe());
        }
    }
}
