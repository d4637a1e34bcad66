package io.rankwise.models.weights;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Collection;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Writes float32 tensors as a safetensors file (dtype F32), in the order given, with an optional
 * {@code __metadata__} map. The header is padded with spaces to a multiple of 8 bytes so that the
 * data section is aligned, as the reference implementation does.
 *
 * <p>The file is written to a temporary sibling and then renamed over the target, so a reader never
 * sees half a file.
 */
public final class SafetensorsWriter {
    private static final int CHUNK_FLOATS = 1 << 18;

    private SafetensorsWriter() {}

    /** Writes {@code tensors} without metadata. */
    public static void write(Path file, Collection<NamedArray> tensors) throws IOException {
        write(file, tensors, Map.of());
    }

    /**
     * Writes {@code tensors} and {@code metadata} to {@code file}, replacing it.
     *
     * @throws IllegalArgumentException if two tensors share a name or one is named {@code
     *     __metadata__}
     */
    public static void write(
            Path file, Collection<NamedArray> tensors, Map<String, String> metadata)
            throws IOException {
        byte[] header = header(tensors, metadata);
        AtomicFiles.replace(
                file,
                tmp -> {
                    try (FileChannel out =
                            FileChannel.open(
                                    tmp,
                                    StandardOpenOption.WRITE,
                                    StandardOpenOption.TRUNCATE_EXISTING)) {
                        ByteBuffer prefix =
                                ByteBuffer.allocate(8 + header.length)
                                        .order(ByteOrder.LITTLE_ENDIAN);
                        prefix.putLong(header.length).put(header).flip();
                        writeFully(out, prefix);
                        ByteBuffer chunk =
                                ByteBuffer.allocateDirect(CHUNK_FLOATS * 4)
                                        .order(ByteOrder.LITTLE_ENDIAN);
                        for (NamedArray t : tensors) {
                            float[] data = t.data();
                            for (int from = 0; from < data.length; from += CHUNK_FLOATS) {
                                int n = Math.min(CHUNK_FLOATS, data.length - from);
                                chunk.clear();
                                chunk.asFloatBuffer().put(data, from, n);
                                chunk.limit(n * 4);
                                writeFully(out, chunk);
                            }
                        }
                        out.force(true);
                    }
                });
    }

    private static byte[] header(Collection<NamedArray> tensors, Map<String, String> metadata) {
        ObjectMapper mapper = new ObjectMapper();
        ObjectNode root = mapper.createObjectNode();
        if (!metadata.isEmpty()) {
            ObjectNode meta = root.putObject("__metadata__");
            metadata.forEach(meta::put);
        }
        Set<String> seen = new HashSet<>();
        long offset = 0;
        for (NamedArray t : tensors) {
            if (t.name().equals("__metadata__") || !seen.add(t.name())) {
                throw new IllegalArgumentException(
                        "tensor name '"
                                + t.name()
                                + "' is reserved or used twice; safetensors names must be unique");
            }
            ObjectNode entry = root.putObject(t.name());
            entry.put("dtype", "F32");
            var shape = entry.putArray("shape");
            for (long d : t.shape()) {
                shape.add(d);
            }
            long end = offset + 4L * t.size();
            entry.putArray("data_offsets").add(offset).add(end);
            offset = end;
        }
        byte[] json = root.toString().getBytes(StandardCharsets.UTF_8);
        int padded = (json.length + 7) / 8 * 8;
        byte[] out = new byte[padded];
        System.arraycopy(json, 0, out, 0, json.length);
        java.util.Arrays.fill(out, json.length, padded, (byte) ' ');
        return out;
    }

    private static void writeFully(FileChannel out, ByteBuffer buf) throws IOException {
        while (buf.hasRemaining()) {
            out.write(buf);
        }
    }
}
