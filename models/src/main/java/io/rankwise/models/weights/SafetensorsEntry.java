package io.rankwise.models.weights;

import java.util.Arrays;

/**
 * One tensor listed in a safetensors header.
 *
 * @param name the tensor's name
 * @param dtype its element type
 * @param shape its dimensions
 * @param begin offset of its first byte, relative to the start of the data section
 * @param end offset one past its last byte, relative to the start of the data section
 */
public record SafetensorsEntry(
        String name, SafetensorsDType dtype, long[] shape, long begin, long end) {
    /** Copies the shape. */
    public SafetensorsEntry {
        shape = shape.clone();
    }

    @Override
    public long[] shape() {
        return shape.clone();
    }

    /** The number of bytes the tensor occupies. */
    public long byteLength() {
        return end - begin;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SafetensorsEntry e
                && name.equals(e.name)
                && dtype == e.dtype
                && Arrays.equals(shape, e.shape)
                && begin == e.begin
                && end == e.end;
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + Long.hashCode(begin);
    }

    @Override
    public String toString() {
        return name + " " + dtype + " " + Arrays.toString(shape) + " [" + begin + ", " + end + ")";
    }
}
