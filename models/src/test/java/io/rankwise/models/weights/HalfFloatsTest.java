package io.rankwise.models.weights;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class HalfFloatsTest {
    @Test
    void convertsHalfPrecisionExactly() {
        // Reference bit patterns from the IEEE 754 binary16 tables.
        assertEquals(1.0f, HalfFloats.fromHalf((short) 0x3C00));
        assertEquals(-2.0f, HalfFloats.fromHalf((short) 0xC000));
        assertEquals(65504f, HalfFloats.fromHalf((short) 0x7BFF));
        assertEquals(0x1p-14f, HalfFloats.fromHalf((short) 0x0400));
        assertEquals(0x1p-24f, HalfFloats.fromHalf((short) 0x0001));
        assertEquals(0x3FFp-24f, HalfFloats.fromHalf((short) 0x03FF));
        assertEquals(0.333251953125f, HalfFloats.fromHalf((short) 0x3555));
        assertEquals(Float.POSITIVE_INFINITY, HalfFloats.fromHalf((short) 0x7C00));
        assertEquals(Float.NEGATIVE_INFINITY, HalfFloats.fromHalf((short) 0xFC00));
        assertTrue(Float.isNaN(HalfFloats.fromHalf((short) 0x7E00)));
        assertEquals(
                Float.floatToIntBits(-0.0f),
                Float.floatToIntBits(HalfFloats.fromHalf((short) 0x8000)));
    }

    @Test
    void convertsBfloat16() {
        assertEquals(1.0f, HalfFloats.fromBfloat16((short) 0x3F80));
        assertEquals(-3.0f, HalfFloats.fromBfloat16((short) 0xC040));
        assertEquals(Float.POSITIVE_INFINITY, HalfFloats.fromBfloat16((short) 0x7F80));
    }
}
