package io.rankwise.models.data;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * A hash that is the same on every JVM and easy to recompute elsewhere: the first 8 bytes of the
 * SHA-256 of the UTF-8 text, read big-endian as an unsigned 64-bit number. Splits and subsamples
 * use it instead of a random generator so they depend only on each example's own identity.
 */
public final class StableHash {
    private StableHash() {}

    /** The hash as a (signed Java) long holding the unsigned 64-bit value. */
    public static long of(String text) {
        try {
            byte[] digest =
                    MessageDigest.getInstance("SHA-256")
                            .digest(text.getBytes(StandardCharsets.UTF_8));
            return ByteBuffer.wrap(digest, 0, Long.BYTES).getLong();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform must provide SHA-256", e);
        }
    }

    /** The hash modulo {@code buckets}, taking the hash as unsigned: a bucket in [0, buckets). */
    public static int bucket(String text, int buckets) {
        return (int) Long.remainderUnsigned(of(text), buckets);
    }
}
