package io.rankwise.models.weights;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class ProtoReaderTest {

    private static ProtoReader reader(byte[] bytes) {
        return new ProtoReader(ByteBuffer.wrap(bytes));
    }

    @Test
    void readsVarintsOfEverySize() {
        for (long v : new long[] {0, 1, 127, 128, 300, 1L << 35, Long.MAX_VALUE, -1L}) {
            ProtoReader r = reader(new ProtoBytes().rawVarint(v).toByteArray());
            assertEquals(v, r.readVarint());
            assertFalse(r.hasMore());
        }
        // The encoding of 300 from the protobuf documentation.
        assertEquals(300, reader(new byte[] {(byte) 0xAC, 0x02}).readVarint());
    }

    @Test
    void readsTagsFixedAndLengthDelimitedFields() {
        byte[] bytes =
                new ProtoBytes()
                        .varint(1, 150)
                        .string(2, "testing")
                        .fixed32(3, 0x01020304)
                        .message(4, new ProtoBytes().varint(1, 7))
                        .toByteArray();
        ProtoReader r = reader(bytes);
        int tag = r.readTag();
        assertEquals(1, ProtoReader.fieldNumber(tag));
        assertEquals(ProtoReader.VARINT, ProtoReader.wireType(tag));
        assertEquals(150, r.readVarint());
        assertEquals(2, ProtoReader.fieldNumber(r.readTag()));
        assertEquals("testing", r.readString());
        assertEquals(ProtoReader.FIXED32, ProtoReader.wireType(r.readTag()));
        assertEquals(0x01020304, r.readFixed32());
        r.readTag();
        ProtoReader sub = r.readMessage();
        assertEquals(1, ProtoReader.fieldNumber(sub.readTag()));
        assertEquals(7, sub.readVarint());
        assertFalse(sub.hasMore());
        assertFalse(r.hasMore());
    }

    @Test
    void skipsEveryWireType() {
        byte[] bytes =
                new ProtoBytes()
                        .varint(1, 1L << 40)
                        .string(2, "skip me")
                        .fixed32(3, 5)
                        .raw((4 << 3) | 1, 1, 2, 3, 4, 5, 6, 7, 8)
                        .varint(5, 42)
                        .toByteArray();
        ProtoReader r = reader(bytes);
        for (int i = 0; i < 4; i++) {
            r.skip(ProtoReader.wireType(r.readTag()));
        }
        assertEquals(5, ProtoReader.fieldNumber(r.readTag()));
        assertEquals(42, r.readVarint());
    }

    @Test
    void rejectsLengthsBeyondTheWindow() {
        byte[] bytes =
                new ProtoBytes()
                        .rawVarint((2 << 3) | 2)
                        .rawVarint(1L << 40)
                        .raw(1, 2, 3)
                        .toByteArray();
        ProtoReader r = reader(bytes);
        r.readTag();
        var e = assertThrows(ProtoReader.ProtoException.class, r::readMessage);
        assertTrue(
                e.getMessage().contains("claims 1099511627776 bytes but only 3 remain"),
                e.getMessage());
        // A length that is negative as a signed long.
        ProtoReader neg = reader(new ProtoBytes().rawVarint(-5L).toByteArray());
        assertThrows(ProtoReader.ProtoException.class, neg::readLength);
    }

    @Test
    void rejectsTruncatedAndOverlongVarints() {
        assertThrows(
                ProtoReader.ProtoException.class,
                () -> reader(new byte[] {(byte) 0x80}).readVarint());
        byte[] eleven = new byte[11];
        java.util.Arrays.fill(eleven, (byte) 0xFF);
        var e = assertThrows(ProtoReader.ProtoException.class, () -> reader(eleven).readVarint());
        assertTrue(e.getMessage().contains("longer than ten bytes"));
        assertThrows(
                ProtoReader.ProtoException.class, () -> reader(new byte[] {1, 2}).readFixed32());
        assertThrows(ProtoReader.ProtoException.class, () -> reader(new byte[] {0}).readTag());
        assertThrows(
                ProtoReader.ProtoException.class,
                () -> reader(new byte[] {(1 << 3) | 3}).readTag());
    }
}
