package io.rankwise.models.weights;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * A reader of protobuf's wire format over a window [start, end) of a buffer: tags, varints,
 * fixed32/64 and length-delimited fields, no schema. Every length is checked against the window
 * before it is used, so a corrupted file yields a {@link ProtoException} with the byte offset,
 * never a huge allocation or an index error.
 *
 * <p>Offsets are absolute positions in the underlying buffer (the file, when it is mapped whole),
 * so errors point at the byte that is wrong.
 */
final class ProtoReader {
    static final int VARINT = 0;
    static final int FIXED64 = 1;
    static final int LENGTH_DELIMITED = 2;
    static final int FIXED32 = 5;

    private final ByteBuffer buf;
    private final int end;
    private int pos;

    /** A reader of the whole buffer. */
    ProtoReader(ByteBuffer buf) {
        this(buf, 0, buf.limit());
    }

    /** A reader of bytes [start, end) of {@code buf}. */
    ProtoReader(ByteBuffer buf, int start, int end) {
        if (start < 0 || end < start || end > buf.limit()) {
            throw new IllegalArgumentException(
                    "window ["
                            + start
                            + ", "
                            + end
                            + ") outside buffer of "
                            + buf.limit()
                            + " bytes");
        }
        this.buf = buf.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        this.pos = start;
        this.end = end;
    }

    boolean hasMore() {
        return pos < end;
    }

    /** The absolute offset of the next byte. */
    int position() {
        return pos;
    }

    /** The underlying buffer (shared; little-endian). */
    ByteBuffer buffer() {
        return buf;
    }

    /**
     * The next tag: field number in the high bits, wire type in the low three. Groups (wire types 3
     * and 4) are obsolete and not in ONNX, so they are rejected.
     */
    int readTag() {
        int at = pos;
        long tag = readVarint();
        int wireType = (int) (tag & 7);
        long field = tag >>> 3;
        if (field == 0 || field > 0x1FFFFFFF) {
            throw new ProtoException("invalid field number " + field + " at offset " + at);
        }
        if (wireType != VARINT
                && wireType != FIXED64
                && wireType != LENGTH_DELIMITED
                && wireType != FIXED32) {
            throw new ProtoException("unsupported wire type " + wireType + " at offset " + at);
        }
        return (int) tag;
    }

    static int fieldNumber(int tag) {
        return tag >>> 3;
    }

    static int wireType(int tag) {
        return tag & 7;
    }

    /** A base-128 varint of at most ten bytes. */
    long readVarint() {
        int at = pos;
        long result = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (pos >= end) {
                throw new ProtoException("truncated varint at offset " + at);
            }
            byte b = buf.get(pos++);
            result |= (long) (b & 0x7F) << shift;
            if (b >= 0) {
                return result;
            }
        }
        throw new ProtoException("varint longer than ten bytes at offset " + at);
    }

    int readFixed32() {
        require(4, "fixed32");
        int v = buf.getInt(pos);
        pos += 4;
        return v;
    }

    long readFixed64() {
        require(8, "fixed64");
        long v = buf.getLong(pos);
        pos += 8;
        return v;
    }

    /**
     * The length prefix of a length-delimited field, checked against the bytes that remain; the
     * reader then stands at the field's first byte.
     */
    int readLength() {
        int at = pos;
        long len = readVarint();
        if (len < 0 || len > end - pos) {
            throw new ProtoException(
                    "length-delimited field at offset "
                            + at
                            + " claims "
                            + Long.toUnsignedString(len)
                            + " bytes but only "
                            + (end - pos)
                            + " remain");
        }
        return (int) len;
    }

    /** A reader of the embedded message that follows; this reader skips past it. */
    ProtoReader readMessage() {
        int len = readLength();
        ProtoReader sub = new ProtoReader(buf, pos, pos + len);
        pos += len;
        return sub;
    }

    /** A length-delimited field as a UTF-8 string. */
    String readString() {
        int len = readLength();
        byte[] bytes = new byte[len];
        buf.get(pos, bytes);
        pos += len;
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /**
     * The absolute range [start, end) of the length-delimited field that follows, without copying
     * it; this reader skips past it.
     */
    long[] readRange() {
        int len = readLength();
        long[] range = {pos, pos + len};
        pos += len;
        return range;
    }

    /** Skips the value of a field of this wire type. */
    void skip(int wireType) {
        switch (wireType) {
            case VARINT -> readVarint();
            case FIXED64 -> skipBytes(8, "fixed64");
            case LENGTH_DELIMITED -> {
                // Read the length first: "pos += readLength()" would add it to the old position.
                int len = readLength();
                pos += len;
            }
            case FIXED32 -> skipBytes(4, "fixed32");
            default ->
                    throw new ProtoException(
                            "unsupported wire type " + wireType + " at offset " + pos);
        }
    }

    private void skipBytes(int n, String what) {
        require(n, what);
        pos += n;
    }

    private void require(int n, String what) {
        if (end - pos < n) {
            throw new ProtoException(
                    "truncated "
                            + what
                            + " at offset "
                            + pos
                            + ": "
                            + n
                            + " bytes needed, "
                            + (end - pos)
                            + " remain");
        }
    }

    /** A malformed protobuf message; the caller names the file. */
    static final class ProtoException extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        ProtoException(String message) {
            super(message);
        }
    }
}
