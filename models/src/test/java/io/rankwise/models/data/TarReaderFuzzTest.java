package io.rankwise.models.data;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rankwise.testing.fuzz.Fuzz;
import io.rankwise.testing.fuzz.Mutations;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Mutants of a ustar archive (with a directory, a prefixed name, a GNU long name and a pax path),
 * plain and gzipped: every archive reads or extracts, or is refused with an IOException naming it,
 * and memory stays in proportion to the archive.
 */
class TarReaderFuzzTest {
    private static final String SOURCE = "fuzzed.tar";
    private static Path dir;
    private static byte[] archive;

    @BeforeContainer
    static void seeds() throws IOException {
        dir = Files.createTempDirectory("tar-fuzz");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        entry(out, header("package/", 0, '5', null), new byte[0]);
        entry(
                out,
                header("package/hello.txt", 6, '0', null),
                "hello\n".getBytes(StandardCharsets.UTF_8));
        entry(out, header("big.bin", 700, '0', "package/data"), new byte[700]);
        byte[] longName =
                ("package/" + "x".repeat(120) + ".json\0").getBytes(StandardCharsets.UTF_8);
        entry(out, header("././@LongLink", longName.length, 'L', null), longName);
        entry(out, header("cut", 2, '0', null), "{}".getBytes(StandardCharsets.UTF_8));
        byte[] pax = "30 path=package/pax-named.txt\n".getBytes(StandardCharsets.UTF_8);
        entry(out, header("PaxHeader", pax.length, 'x', null), pax);
        entry(out, header("short", 1, '0', null), new byte[] {'p'});
        out.writeBytes(new byte[1024]);
        archive = out.toByteArray();
    }

    @AfterContainer
    static void cleanUp() throws IOException {
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    /** A ustar header block with a valid checksum. */
    static byte[] header(String name, long size, char type, String prefix) {
        byte[] h = new byte[512];
        put(h, 0, name);
        put(h, 100, "0000644\0");
        put(h, 124, String.format("%011o\0", size));
        h[156] = (byte) type;
        put(h, 257, "ustar\0");
        put(h, 263, "00");
        if (prefix != null) put(h, 345, prefix);
        return withChecksum(h);
    }

    static byte[] withChecksum(byte[] h) {
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

    @Property(tries = 1000, seed = Fuzz.SEED, shrinking = ShrinkingMode.BOUNDED)
    void everyArchiveReadsOrIsRefusedNamingIt(@ForAll("mutants") byte[] bytes) {
        Fuzz.loadsOrRefuses(
                "tar mutant of " + bytes.length + " bytes",
                () -> readAll(new TarReader(new ByteArrayInputStream(bytes), SOURCE)),
                Fuzz.messageNames(IOException.class, SOURCE),
                16L * 1024 * 1024 + 8L * bytes.length);
    }

    @Property(tries = 300, seed = Fuzz.SEED, shrinking = ShrinkingMode.BOUNDED)
    void everyGzippedArchiveExtractsOrIsRefusedNamingIt(@ForAll("gzipped") byte[] bytes)
            throws IOException {
        Path tgz = Files.write(dir.resolve("mutant.tgz"), bytes);
        Path target = dir.resolve("out");
        Fuzz.loadsOrRefuses(
                "tgz mutant of " + bytes.length + " bytes",
                () -> {
                    TarReader.extractGzip(tgz, target);
                    return null;
                },
                Fuzz.messageNames(IOException.class, tgz.toString()),
                16L * 1024 * 1024 + 64L * bytes.length);
    }

    @Provide
    Arbitrary<byte[]> mutants() {
        return Arbitraries.oneOf(Mutations.binary(archive), sizeFields());
    }

    /** The archive's mutants gzipped, and the gzip file itself mutated. */
    @Provide
    Arbitrary<byte[]> gzipped() {
        return Arbitraries.oneOf(
                mutants().map(TarReaderFuzzTest::gzip), Mutations.binary(gzip(archive)));
    }

    /**
     * One header's size field set to a huge or negative octal or base-256 value, the checksum fixed
     * so that the size reaches the reader.
     */
    private static Arbitrary<byte[]> sizeFields() {
        int headers = archive.length / 512;
        return Combinators.combine(
                        Arbitraries.integers().between(0, headers - 1),
                        Arbitraries.of(Mutations.HUGE_OR_NEGATIVE),
                        Arbitraries.of(true, false))
                .as(
                        (block, value, octal) -> {
                            byte[] out = archive.clone();
                            byte[] h =
                                    java.util.Arrays.copyOfRange(
                                            out, block * 512, block * 512 + 512);
                            if (octal) {
                                String digits = Long.toOctalString(value);
                                digits = digits.length() > 11 ? digits.substring(0, 11) : digits;
                                put(h, 124, String.format("%11s\0", digits).replace(' ', '0'));
                            } else {
                                byte[] b256 =
                                        Mutations.writeInteger(new byte[12], 4, 8, value, false);
                                b256[0] = (byte) 0x80;
                                System.arraycopy(b256, 0, h, 124, 12);
                            }
                            System.arraycopy(withChecksum(h), 0, out, block * 512, 512);
                            return out;
                        });
    }

    private static byte[] gzip(byte[] bytes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(bytes);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static long readAll(TarReader tar) throws IOException {
        long n = 0;
        try (tar) {
            TarReader.Entry e;
            while ((e = tar.next()) != null) {
                if (e.isFile()) {
                    n += tar.content().transferTo(java.io.OutputStream.nullOutputStream());
                }
            }
        }
        return n;
    }

    /**
     * A 2.5 MB tarball can hold a 2.6 GB GNU long name (zeros compress well): it was read whole
     * into one array (OutOfMemoryError in TarReader.next). Here the zeros are generated, not
     * stored.
     */
    @Example
    void refusesAHugeLongNameBeforeReadingIt() {
        long size = 2_600_000_000L;
        InputStream zeros =
                new InputStream() {
                    long left = size;

                    @Override
                    public int read() {
                        return left-- > 0 ? 0 : -1;
                    }

                    @Override
                    public int read(byte[] b, int off, int len) {
                        if (left <= 0) return -1;
                        int n = (int) Math.min(len, left);
                        java.util.Arrays.fill(b, off, off + n, (byte) 0);
                        left -= n;
                        return n;
                    }
                };
        InputStream in =
                new SequenceInputStream(
                        new ByteArrayInputStream(header("././@LongLink", size, 'L', null)), zeros);
        IOException e =
                assertThrows(IOException.class, () -> readAll(new TarReader(in, "huge.tgz")));
        assertTrue(
                e.getMessage()
                        .equals(
                                "huge.tgz: GNU long name of 2600000000 bytes, more than the 1048576"
                                        + " a name can need: a corrupt archive"),
                e.getMessage());
    }
}
