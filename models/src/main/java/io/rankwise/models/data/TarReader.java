package io.rankwise.models.data;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.zip.GZIPInputStream;

/**
 * A small reader of tar archives (POSIX ustar, with GNU long names and pax path records), enough
 * for npm's tarballs. A tar file is a sequence of 512-byte header blocks, each followed by the
 * entry's data padded to a multiple of 512 bytes, and ends with two zero blocks. Header fields:
 * name (offset 0, 100 bytes), size (124, 12 bytes octal, or base-256 if the top bit is set),
 * checksum (148, 8 bytes octal: the sum of all header bytes with this field taken as spaces), type
 * flag (156), magic "ustar" (257) and name prefix (345, 155 bytes).
 */
public final class TarReader implements AutoCloseable {
    private static final int BLOCK = 512;

    /**
     * The largest GNU long name or pax header read: names are at most a few KB, so a larger one is
     * a corrupt (or hostile) archive, refused before its bytes are held in memory.
     */
    static final int MAX_HEADER_RECORD = 1 << 20;

    /** One entry: its path inside the archive, its type flag and size in bytes. */
    public record Entry(String name, char type, long size) {
        /** Whether the entry is a regular file ('0' or the old NUL flag). */
        public boolean isFile() {
            return type == '0' || type == '\0' || type == '7';
        }

        /** Whether the entry is a directory. */
        public boolean isDirectory() {
            return type == '5';
        }
    }

    private final InputStream in;
    private final String source; // named in every error
    private long remaining; // unread data bytes of the current entry
    private long padding; // bytes after them up to the next block boundary
    private String nextName; // from a GNU 'L' or pax 'x' entry, applied to the next header

    public TarReader(InputStream in) {
        this(in, "tar archive");
    }

    /** A reader of {@code in}, naming {@code source} (the archive's file) in its errors. */
    public TarReader(InputStream in, String source) {
        this.in = new BufferedInputStream(in, 64 * 1024);
        this.source = source;
    }

    /** A reader of a gzip-compressed tar file (.tgz, .tar.gz). */
    public static TarReader openGzip(Path file) throws IOException {
        InputStream raw = Files.newInputStream(file);
        try {
            return new TarReader(new GZIPInputStream(raw, 64 * 1024), file.toString());
        } catch (IOException e) {
            raw.close();
            throw new IOException(
                    file + ": not a gzip-compressed tar archive: " + e.getMessage(), e);
        }
    }

    /**
     * Extracts every file of a .tgz under {@code target}, refusing entry names that would land
     * outside it (absolute paths, "..").
     */
    public static void extractGzip(Path tgz, Path target) throws IOException {
        Path base = target.toAbsolutePath().normalize();
        try (TarReader tar = openGzip(tgz)) {
            Entry e;
            while ((e = tar.next()) != null) {
                Path out;
                try {
                    out = base.resolve(e.name()).normalize();
                } catch (java.nio.file.InvalidPathException x) {
                    throw new IOException(
                            tgz + ": entry '" + e.name() + "' is not a valid path", x);
                }
                if (!out.startsWith(base) || out.equals(base)) {
                    if (out.equals(base) && e.isDirectory()) continue;
                    throw new IOException(
                            tgz + ": entry '" + e.name() + "' would be written outside " + base);
                }
                if (e.isDirectory()) {
                    Files.createDirectories(out);
                } else if (e.isFile()) {
                    Files.createDirectories(out.getParent());
                    Files.copy(tar.content(), out, StandardCopyOption.REPLACE_EXISTING);
                }
                // Links and devices are not needed for data packages and are left out.
            }
        }
    }

    /**
     * The next entry, or {@code null} at the end of the archive; skips what is left of the previous
     * one.
     */
    public Entry next() throws IOException {
        try {
            return readNext();
        } catch (IOException e) {
            throw named(e);
        }
    }

    /** {@code e} with the archive named, unless its message names it already. */
    private IOException named(IOException e) {
        String message = String.valueOf(e.getMessage());
        if (message.startsWith(source + ": ")) {
            return e;
        }
        return new IOException(source + ": " + message, e);
    }

    private Entry readNext() throws IOException {
        skipFully(remaining + padding);
        remaining = padding = 0;
        while (true) {
            byte[] header = new byte[BLOCK];
            int n = in.readNBytes(header, 0, BLOCK);
            if (n == 0 || isZero(header)) {
                return null; // end-of-archive marker (or a truncated archive without one)
            }
            if (n < BLOCK) {
                throw new EOFException("tar archive ends inside a header block");
            }
            verifyChecksum(header);
            char type = (char) (header[156] & 0xff);
            long size = number(header, 124, 12);
            if (size < 0) {
                throw new IOException("entry of negative size " + size + ": a corrupt archive");
            }
            String name = string(header, 0, 100);
            if (header[257] == 'u'
                    && header[258] == 's'
                    && header[259] == 't'
                    && header[260] == 'a'
                    && header[261] == 'r') {
                String prefix = string(header, 345, 155);
                if (!prefix.isEmpty()) name = prefix + "/" + name;
            }
            remaining = size;
            padding = (BLOCK - size % BLOCK) % BLOCK;
            if (type == 'L' || type == 'x') {
                if (size > MAX_HEADER_RECORD) {
                    throw new IOException(
                            (type == 'L' ? "GNU long name" : "pax header")
                                    + " of "
                                    + size
                                    + " bytes, more than the "
                                    + MAX_HEADER_RECORD
                                    + " a name can need: a corrupt archive");
                }
                byte[] data = content().readAllBytes();
                skipFully(padding);
                remaining = padding = 0;
                String longName = type == 'L' ? cString(data) : paxPath(data);
                if (longName != null) nextName = longName;
                continue;
            }
            if (type == 'g') { // pax global header: nothing we need
                continue;
            }
            if (nextName != null) {
                name = nextName;
                nextName = null;
            }
            return new Entry(name, type, size);
        }
    }

    /** The current entry's data; reading stops at its end. Valid until {@link #next()}. */
    public InputStream content() {
        return new FilterInputStream(in) {
            @Override
            public int read() throws IOException {
                if (remaining <= 0) return -1;
                int b;
                try {
                    b = in.read();
                } catch (IOException e) {
                    throw named(e);
                }
                if (b < 0) throw new EOFException(source + ": tar archive ends inside an entry");
                remaining--;
                return b;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (remaining <= 0) return -1;
                int r;
                try {
                    r = in.read(b, off, (int) Math.min(len, remaining));
                } catch (IOException e) {
                    throw named(e);
                }
                if (r < 0) throw new EOFException(source + ": tar archive ends inside an entry");
                remaining -= r;
                return r;
            }

            @Override
            public void close() {
                // The archive stays open; closing one entry's stream must not close it.
            }
        };
    }

    /** Copies the current entry's data to {@code out}. */
    public void copyContent(OutputStream out) throws IOException {
        content().transferTo(out);
    }

    @Override
    public void close() throws IOException {
        in.close();
    }

    private void skipFully(long n) throws IOException {
        while (n > 0) {
            long s = in.skip(n);
            if (s <= 0) {
                if (in.read() < 0) throw new EOFException("tar archive ends inside an entry");
                s = 1;
            }
            n -= s;
        }
    }

    private static void verifyChecksum(byte[] header) throws IOException {
        long expected = number(header, 148, 8);
        long sum = 0;
        for (int i = 0; i < BLOCK; i++) {
            sum += (i >= 148 && i < 156) ? ' ' : (header[i] & 0xff);
        }
        if (sum != expected) {
            throw new IOException(
                    "tar header checksum mismatch (stored "
                            + expected
                            + ", computed "
                            + sum
                            + "): not a tar archive, or a corrupt one");
        }
    }

    /** An octal field (NUL- or space-terminated), or a base-256 field when the top bit is set. */
    static long number(byte[] header, int offset, int length) throws IOException {
        if ((header[offset] & 0x80) != 0) {
            long v = header[offset] & 0x7f;
            for (int i = 1; i < length; i++) {
                if ((v >>> 55) != 0) {
                    throw new IOException("base-256 number in tar header overflows a long");
                }
                v = (v << 8) | (header[offset + i] & 0xff);
            }
            return v;
        }
        long v = 0;
        boolean digits = false;
        for (int i = offset; i < offset + length; i++) {
            byte b = header[i];
            if (b == 0 || (b == ' ' && digits)) break;
            if (b == ' ') continue; // leading spaces
            if (b < '0' || b > '7')
                throw new IOException("bad octal digit '" + (char) b + "' in tar header");
            if ((v >>> 60) != 0) {
                throw new IOException("octal number in tar header overflows a long");
            }
            v = (v << 3) + (b - '0');
            digits = true;
        }
        return v;
    }

    private static String string(byte[] header, int offset, int length) {
        int end = offset;
        while (end < offset + length && header[end] != 0) end++;
        return new String(header, offset, end - offset, StandardCharsets.UTF_8);
    }

    private static String cString(byte[] data) {
        int end = 0;
        while (end < data.length && data[end] != 0) end++;
        return new String(data, 0, end, StandardCharsets.UTF_8);
    }

    /** The "path" record of a pax header: lines "LEN key=value\n". */
    private static String paxPath(byte[] data) {
        String text = new String(data, StandardCharsets.UTF_8);
        for (String line : text.split("\n")) {
            int space = line.indexOf(' ');
            if (space > 0 && line.startsWith("path=", space + 1)) {
                return line.substring(space + 1 + "path=".length());
            }
        }
        return null;
    }

    private static boolean isZero(byte[] block) {
        for (byte b : block) if (b != 0) return false;
        return true;
    }
}
