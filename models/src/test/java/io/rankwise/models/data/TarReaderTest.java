package io.rankwise.models.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Archives are written block by block here, following the ustar layout, not by the code under test.
 */
class TarReaderTest {
    /** A 512-byte ustar header: name, size (octal), type, optional prefix, and its checksum. */
    private static byte[] header(String name, long size, char type, String prefix) {
        byte[] h = new byte[512];
        put(h, 0, name);
        put(h, 100, "0000644\0");
        put(h, 124, String.format("%011o\0", size));
        h[156] = (byte) type;
        put(h, 257, "ustar\0");
        put(h, 263, "00");
        if (prefix != null) put(h, 345, prefix);
        for (int i = 148; i < 156; i++) h[i] = ' ';
        int sum = 0;
        for (byte b : h) sum += b & 0xff;
        put(h, 148, String.format("%06o\0 ", sum));
        return h;
    }

    private static void put(byte[] h, int offset, String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        System.arraycopy(b, 0, h, offset, b.length);
    }

    private static void entry(ByteArrayOutputStream out, byte[] header, byte[] data) {
        out.writeBytes(header);
        out.writeBytes(data);
        out.writeBytes(new byte[(512 - data.length % 512) % 512]);
    }

    private static byte[] archive() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] hello = "hello\n".getBytes(StandardCharsets.UTF_8);
        byte[] big = new byte[1000]; // spans two blocks
        for (int i = 0; i < big.length; i++) big[i] = (byte) ('a' + i % 26);
        entry(out, header("package/", 0, '5', null), new byte[0]);
        entry(out, header("package/hello.txt", hello.length, '0', null), hello);
        entry(out, header("big.bin", big.length, '0', "package/data"), big);
        String longName = "package/" + "x".repeat(120) + ".json";
        byte[] longBytes = (longName + "\0").getBytes(StandardCharsets.UTF_8);
        entry(out, header("././@LongLink", longBytes.length, 'L', null), longBytes);
        entry(out, header("truncated-name", 2, '0', null), "{}".getBytes(StandardCharsets.UTF_8));
        out.writeBytes(new byte[1024]);
        return out.toByteArray();
    }

    @Test
    void readsEntriesPrefixesAndLongNames() throws IOException {
        try (TarReader tar = new TarReader(new ByteArrayInputStream(archive()))) {
            TarReader.Entry dir = tar.next();
            assertEquals("package/", dir.name());
            assertTrue(dir.isDirectory());
            TarReader.Entry hello = tar.next();
            assertEquals("package/hello.txt", hello.name());
            assertEquals(
                    "hello\n", new String(tar.content().readAllBytes(), StandardCharsets.UTF_8));
            TarReader.Entry big = tar.next(); // not read: next() must skip its data and padding
            assertEquals("package/data/big.bin", big.name());
            assertEquals(1000, big.size());
            TarReader.Entry longOne = tar.next();
            assertEquals("package/" + "x".repeat(120) + ".json", longOne.name());
            assertEquals("{}", new String(tar.content().readAllBytes(), StandardCharsets.UTF_8));
            assertNull(tar.next());
        }
    }

    @Test
    void extractsAGzippedArchive(@TempDir Path dir) throws IOException {
        Path tgz = dir.resolve("a.tgz");
        try (GZIPOutputStream gz = new GZIPOutputStream(Files.newOutputStream(tgz))) {
            gz.write(archive());
        }
        Path out = dir.resolve("out");
        TarReader.extractGzip(tgz, out);
        assertEquals("hello\n", Files.readString(out.resolve("package/hello.txt")));
        byte[] big = Files.readAllBytes(out.resolve("package/data/big.bin"));
        assertEquals(1000, big.length);
        assertEquals('a' + 999 % 26, big[999]);
    }

    @Test
    void badChecksumIsReported() {
        byte[] bytes = archive();
        bytes[512 + 10] ^= 1; // flip a bit in the second header's name
        IOException e =
                assertThrows(
                        IOException.class,
                        () -> {
                            try (TarReader tar = new TarReader(new ByteArrayInputStream(bytes))) {
                                while (tar.next() != null) {
                                    // read all headers
                                }
                            }
                        });
        assertTrue(e.getMessage().contains("checksum"), e.getMessage());
    }

    @Test
    void refusesToWriteOutsideTheTarget(@TempDir Path dir) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        entry(out, header("../evil.txt", 1, '0', null), new byte[] {'x'});
        out.writeBytes(new byte[1024]);
        Path tgz = dir.resolve("evil.tgz");
        try (GZIPOutputStream gz = new GZIPOutputStream(Files.newOutputStream(tgz))) {
            gz.write(out.toByteArray());
        }
        IOException e =
                assertThrows(
                        IOException.class, () -> TarReader.extractGzip(tgz, dir.resolve("target")));
        assertTrue(e.getMessage().contains("outside"), e.getMessage());
        assertTrue(Files.notExists(dir.resolve("evil.txt")));
    }

    @Test
    void readsWhatTheSystemTarWrites(@TempDir Path dir) throws Exception {
        Path src = Files.createDirectories(dir.resolve("src/package/data/g"));
        Files.writeString(src.resolve("m.json"), "{\"id\":\"1\"}");
        Path tgz = dir.resolve("sys.tgz");
        Process p;
        try {
            p =
                    new ProcessBuilder(
                                    "tar",
                                    "czf",
                                    tgz.toString(),
                                    "-C",
                                    dir.resolve("src").toString(),
                                    "package")
                            .redirectErrorStream(true)
                            .start();
        } catch (IOException e) {
            org.junit.jupiter.api.Assumptions.abort("no tar command: " + e.getMessage());
            return;
        }
        assertEquals(0, p.waitFor());
        TarReader.extractGzip(tgz, dir.resolve("out"));
        assertEquals("{\"id\":\"1\"}", Files.readString(dir.resolve("out/package/data/g/m.json")));
    }
}
