package io.rankwise.models.weights;

import io.rankwise.models.weights.ProtoReader.ProtoException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A TensorProto of an ONNX graph, located but not yet decoded: its name, type, dimensions, and
 * where in the mapped file its elements lie (raw_data, or the typed repeated fields). Decoding
 * waits until the tensor is asked for, so only the weights that are used become Java arrays.
 */
final class OnnxInitializer {
    // ONNX TensorProto.DataType values that can be widened to float32.
    static final int FLOAT = 1;
    static final int INT32 = 6;
    static final int INT64 = 7;
    static final int FLOAT16 = 10;
    static final int DOUBLE = 11;
    static final int BFLOAT16 = 16;

    /** Where the elements are stored. */
    enum Storage {
        NONE,
        RAW,
        FLOAT_DATA,
        INT32_DATA,
        DOUBLE_DATA,
        INT64_DATA
    }

    /** A stretch of the buffer: a packed field body, or one unpacked element. */
    record Segment(int start, int end) {}

    /**
     * More dimensions than any real tensor has: a sign of corruption, refused before it costs
     * memory.
     */
    static final int MAX_RANK = 64;

    final String name;
    final int dataType;
    final long[] dims;
    final Storage storage;
    final List<Segment> segments;

    private OnnxInitializer(
            String name, int dataType, long[] dims, Storage storage, List<Segment> segments) {
        this.name = name;
        this.dataType = dataType;
        this.dims = dims;
        this.storage = storage;
        this.segments = segments;
    }

    /**
     * Locates the fields of a TensorProto. External data is refused: it points outside the file and
     * this reader reads only the file it is given.
     */
    static OnnxInitializer parse(ProtoReader in) {
        String name = "";
        int dataType = 0;
        List<Long> dims = new ArrayList<>();
        Storage storage = Storage.NONE;
        List<Segment> segments = new ArrayList<>();
        int start = in.position();
        while (in.hasMore()) {
            int tag = in.readTag();
            int wire = ProtoReader.wireType(tag);
            switch (ProtoReader.fieldNumber(tag)) {
                case 1 -> readInt64s(in, wire, dims);
                case 2 -> dataType = (int) expectVarint(in, wire, "data_type");
                case 3 ->
                        throw new ProtoException(
                                "tensor '"
                                        + name
                                        + "' is split into segments, which is not supported");
                case 4 ->
                        storage =
                                addSegment(
                                        in,
                                        wire,
                                        ProtoReader.FIXED32,
                                        Storage.FLOAT_DATA,
                                        storage,
                                        segments);
                case 5 ->
                        storage =
                                addSegment(
                                        in,
                                        wire,
                                        ProtoReader.VARINT,
                                        Storage.INT32_DATA,
                                        storage,
                                        segments);
                case 7 ->
                        storage =
                                addSegment(
                                        in,
                                        wire,
                                        ProtoReader.VARINT,
                                        Storage.INT64_DATA,
                                        storage,
                                        segments);
                case 8 -> name = expectString(in, wire, "name");
                case 9 -> {
                    expectWire(wire, ProtoReader.LENGTH_DELIMITED, "raw_data");
                    long[] r = in.readRange();
                    storage = switchStorage(storage, Storage.RAW);
                    segments.add(new Segment((int) r[0], (int) r[1]));
                }
                case 10 ->
                        storage =
                                addSegment(
                                        in,
                                        wire,
                                        ProtoReader.FIXED64,
                                        Storage.DOUBLE_DATA,
                                        storage,
                                        segments);
                case 13 ->
                        throw new ProtoException(
                                "tensor '"
                                        + name
                                        + "' (at offset "
                                        + start
                                        + ") keeps its data in an external file, which is not supported; re-export the model"
                                        + " with the weights inside the .onnx file");
                case 14 -> {
                    long location = expectVarint(in, wire, "data_location");
                    if (location != 0) {
                        throw new ProtoException(
                                "tensor '"
                                        + name
                                        + "' (at offset "
                                        + start
                                        + ") has data_location EXTERNAL, which is not supported; re-export the model with"
                                        + " the weights inside the .onnx file");
                    }
                }
                default -> in.skip(wire);
            }
        }
        long[] d = dims.stream().mapToLong(Long::longValue).toArray();
        try {
            NamedArray.elementCount(d);
        } catch (IllegalArgumentException e) {
            throw new ProtoException(
                    "tensor '" + name + "' at offset " + start + ": " + e.getMessage());
        }
        return new OnnxInitializer(name, dataType, d, storage, List.copyOf(segments));
    }

    /** Whether the elements can be widened to float32. */
    boolean isFloating() {
        return dataType == FLOAT
                || dataType == FLOAT16
                || dataType == DOUBLE
                || dataType == BFLOAT16;
    }

    /**
     * Decodes the elements as float32, checking the stored count against the dimensions first.
     *
     * @throws ProtoException if the stored bytes do not match the dimensions or the type is not a
     *     floating type
     */
    float[] toFloats(ByteBuffer file) {
        long count = NamedArray.elementCount(dims);
        if (count > Integer.MAX_VALUE - 8) {
            throw new ProtoException(
                    "tensor '" + name + "' has " + count + " elements, too many for one array");
        }
        int n = (int) count;
        ByteBuffer buf = file.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        return switch (storage) {
            case RAW -> decodeRaw(buf, n);
            case FLOAT_DATA -> {
                requireType(FLOAT, "float_data");
                requireBytes(n, 4, "float_data");
                float[] out = new float[n];
                int k = 0;
                for (Segment s : segments) {
                    buf.limit(s.end()).position(s.start());
                    int m = (s.end() - s.start()) / 4;
                    buf.slice().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(out, k, m);
                    k += m;
                }
                yield out;
            }
            case DOUBLE_DATA -> {
                requireType(DOUBLE, "double_data");
                requireBytes(n, 8, "double_data");
                float[] out = new float[n];
                int k = 0;
                for (Segment s : segments) {
                    for (int p = s.start(); p < s.end(); p += 8) {
                        out[k++] = (float) buf.getDouble(p);
                    }
                }
                yield out;
            }
            case INT32_DATA -> decodeHalvesFromInt32(buf, n);
            case NONE -> {
                if (n != 0) {
                    throw new ProtoException(
                            "tensor '"
                                    + name
                                    + "' has dims "
                                    + Arrays.toString(dims)
                                    + " but no data");
                }
                yield new float[0];
            }
            default ->
                    throw new ProtoException(
                            "tensor '"
                                    + name
                                    + "' holds "
                                    + typeName(dataType)
                                    + " values, not floating point");
        };
    }

    private float[] decodeRaw(ByteBuffer buf, int n) {
        Segment s = segments.get(segments.size() - 1);
        int elementSize =
                switch (dataType) {
                    case FLOAT -> 4;
                    case DOUBLE -> 8;
                    case FLOAT16, BFLOAT16 -> 2;
                    default ->
                            throw new ProtoException(
                                    "tensor '"
                                            + name
                                            + "' holds "
                                            + typeName(dataType)
                                            + " values, not floating point");
                };
        long expected = (long) n * elementSize;
        if (s.end() - s.start() != expected) {
            throw new ProtoException(
                    "tensor '"
                            + name
                            + "' has dims "
                            + Arrays.toString(dims)
                            + " ("
                            + expected
                            + " bytes of "
                            + typeName(dataType)
                            + ") but raw_data holds "
                            + (s.end() - s.start())
                            + " bytes");
        }
        buf.limit(s.end()).position(s.start());
        ByteBuffer raw = buf.slice().order(ByteOrder.LITTLE_ENDIAN);
        float[] out = new float[n];
        switch (dataType) {
            case FLOAT -> raw.asFloatBuffer().get(out);
            case DOUBLE -> {
                for (int i = 0; i < n; i++) {
                    out[i] = (float) raw.getDouble(8 * i);
                }
            }
            case FLOAT16 -> {
                for (int i = 0; i < n; i++) {
                    out[i] = HalfFloats.fromHalf(raw.getShort(2 * i));
                }
            }
            default -> {
                for (int i = 0; i < n; i++) {
                    out[i] = HalfFloats.fromBfloat16(raw.getShort(2 * i));
                }
            }
        }
        return out;
    }

    /** ONNX stores float16 and bfloat16 in int32_data, one 16-bit pattern per varint. */
    private float[] decodeHalvesFromInt32(ByteBuffer buf, int n) {
        if (dataType != FLOAT16 && dataType != BFLOAT16) {
            throw new ProtoException(
                    "tensor '"
                            + name
                            + "' holds "
                            + typeName(dataType)
                            + " values, not floating point");
        }
        float[] out = new float[n];
        int k = 0;
        for (Segment s : segments) {
            ProtoReader r = new ProtoReader(buf, s.start(), s.end());
            while (r.hasMore()) {
                if (k == n) {
                    throw new ProtoException(
                            "tensor '"
                                    + name
                                    + "' holds more than the "
                                    + n
                                    + " elements its dims "
                                    + Arrays.toString(dims)
                                    + " call for");
                }
                short bits = (short) r.readVarint();
                out[k++] =
                        dataType == FLOAT16
                                ? HalfFloats.fromHalf(bits)
                                : HalfFloats.fromBfloat16(bits);
            }
        }
        if (k != n) {
            throw new ProtoException(
                    "tensor '"
                            + name
                            + "' holds "
                            + k
                            + " elements but its dims "
                            + Arrays.toString(dims)
                            + " call for "
                            + n);
        }
        return out;
    }

    private void requireType(int type, String field) {
        if (dataType != type) {
            throw new ProtoException(
                    "tensor '"
                            + name
                            + "' of type "
                            + typeName(dataType)
                            + " stores its values in "
                            + field);
        }
    }

    private void requireBytes(int n, int elementSize, String field) {
        long bytes = segments.stream().mapToLong(s -> s.end() - s.start()).sum();
        if (bytes != (long) n * elementSize) {
            throw new ProtoException(
                    "tensor '"
                            + name
                            + "' has dims "
                            + Arrays.toString(dims)
                            + " ("
                            + n
                            + " elements) but "
                            + field
                            + " holds "
                            + bytes / elementSize);
        }
    }

    /** The ONNX name of a data type, for messages. */
    static String typeName(int dataType) {
        return switch (dataType) {
            case FLOAT -> "FLOAT";
            case 2 -> "UINT8";
            case 3 -> "INT8";
            case 4 -> "UINT16";
            case 5 -> "INT16";
            case INT32 -> "INT32";
            case INT64 -> "INT64";
            case 8 -> "STRING";
            case 9 -> "BOOL";
            case FLOAT16 -> "FLOAT16";
            case DOUBLE -> "DOUBLE";
            case 12 -> "UINT32";
            case 13 -> "UINT64";
            case BFLOAT16 -> "BFLOAT16";
            default -> "data type " + dataType;
        };
    }

    private static void readInt64s(ProtoReader in, int wire, List<Long> into) {
        if (wire == ProtoReader.LENGTH_DELIMITED) {
            ProtoReader packed = in.readMessage();
            while (packed.hasMore()) {
                addDim(into, packed.readVarint(), packed.position());
            }
        } else {
            addDim(into, expectVarint(in, wire, "dims"), in.position());
        }
    }

    private static void addDim(List<Long> dims, long dim, int offset) {
        if (dims.size() == MAX_RANK) {
            throw new ProtoException(
                    "tensor has more than " + MAX_RANK + " dims (at offset " + offset + ")");
        }
        dims.add(dim);
    }

    /**
     * Records where a repeated numeric field lies: a packed body (length-delimited) or a single
     * unpacked element of {@code elementWire}.
     */
    private static Storage addSegment(
            ProtoReader in,
            int wire,
            int elementWire,
            Storage kind,
            Storage current,
            List<Segment> segments) {
        Storage next = switchStorage(current, kind);
        if (wire == ProtoReader.LENGTH_DELIMITED) {
            long[] r = in.readRange();
            int elementSize =
                    elementWire == ProtoReader.FIXED32
                            ? 4
                            : elementWire == ProtoReader.FIXED64 ? 8 : 1;
            if ((r[1] - r[0]) % elementSize != 0) {
                throw new ProtoException(
                        "packed field at offset "
                                + r[0]
                                + " has "
                                + (r[1] - r[0])
                                + " bytes, not a multiple of "
                                + elementSize);
            }
            segments.add(new Segment((int) r[0], (int) r[1]));
        } else {
            expectWire(wire, elementWire, "repeated element");
            int start = in.position();
            in.skip(wire);
            segments.add(new Segment(start, in.position()));
        }
        return next;
    }

    private static Storage switchStorage(Storage current, Storage next) {
        if (current != Storage.NONE && current != next) {
            throw new ProtoException(
                    "tensor stores its values in both " + current + " and " + next);
        }
        return next;
    }

    private static long expectVarint(ProtoReader in, int wire, String field) {
        expectWire(wire, ProtoReader.VARINT, field);
        return in.readVarint();
    }

    private static String expectString(ProtoReader in, int wire, String field) {
        expectWire(wire, ProtoReader.LENGTH_DELIMITED, field);
        return in.readString();
    }

    private static void expectWire(int wire, int expected, String field) {
        if (wire != expected) {
            throw new ProtoException(
                    "field " + field + " has wire type " + wire + ", expected " + expected);
        }
    }
}
