package io.rankwise.testing.fuzz;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/**
 * Mutants of valid files for the readers' fuzz tests: bit flips, truncations, overwritten bytes,
 * length fields set to huge or negative values, deleted or repeated stretches, and random bytes.
 * Every mutation is drawn from jqwik arbitraries, so a failing case shrinks to a small change of
 * the valid file it started from.
 */
public final class Mutations {
    /**
     * Values that break length and count fields: zero, one, the edges of int and long, and the
     * unsigned maxima, which a reader of a signed field sees as negative.
     */
    public static final List<Long> HUGE_OR_NEGATIVE =
            List.of(
                    0L,
                    1L,
                    -1L,
                    255L,
                    65_535L,
                    0x7FFF_FFFFL,
                    0x8000_0000L,
                    0xFFFF_FFFFL,
                    0x1_0000_0000L,
                    Long.MAX_VALUE,
                    Long.MIN_VALUE,
                    300_000_000L);

    /** The same values as JSON number tokens, with a few that no integer field accepts. */
    public static final List<String> JSON_NUMBERS =
            List.of(
                    "0",
                    "-1",
                    "1",
                    "2147483647",
                    "2147483648",
                    "-2147483648",
                    "4294967295",
                    "9223372036854775807",
                    "99999999999999999999999",
                    "300000000",
                    "1.5",
                    "1e309",
                    "-0.0");

    private static final Pattern JSON_NUMBER = Pattern.compile("-?\\d+(\\.\\d+)?([eE][+-]?\\d+)?");

    private Mutations() {}

    /** Every binary mutation of {@code seed}. */
    public static Arbitrary<byte[]> binary(byte[] seed) {
        if (seed.length == 0) {
            return randomBytes();
        }
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(3, bitFlips(seed)),
                net.jqwik.api.Tuple.of(2, truncations(seed)),
                net.jqwik.api.Tuple.of(2, overwrites(seed)),
                net.jqwik.api.Tuple.of(3, integerFields(seed)),
                net.jqwik.api.Tuple.of(1, splices(seed)),
                net.jqwik.api.Tuple.of(1, randomBytes()));
    }

    /** The binary mutations, plus JSON number tokens set to huge or negative values. */
    public static Arbitrary<byte[]> json(byte[] seed) {
        if (numberSpans(seed).isEmpty()) {
            return binary(seed);
        }
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(3, binary(seed)), net.jqwik.api.Tuple.of(3, numbers(seed)));
    }

    /** Up to eight bits flipped. */
    public static Arbitrary<byte[]> bitFlips(byte[] seed) {
        return Arbitraries.integers()
                .between(0, seed.length * 8 - 1)
                .list()
                .ofMinSize(1)
                .ofMaxSize(8)
                .map(
                        bits -> {
                            byte[] out = seed.clone();
                            for (int bit : bits) {
                                out[bit / 8] ^= (byte) (1 << (bit % 8));
                            }
                            return out;
                        });
    }

    /** The first n bytes, n shorter than the seed. */
    public static Arbitrary<byte[]> truncations(byte[] seed) {
        return Arbitraries.integers().between(0, seed.length - 1).map(n -> Arrays.copyOf(seed, n));
    }

    /** One to eight random bytes written at some position. */
    public static Arbitrary<byte[]> overwrites(byte[] seed) {
        return Combinators.combine(
                        Arbitraries.integers().between(0, seed.length - 1),
                        Arbitraries.bytes().array(byte[].class).ofMinSize(1).ofMaxSize(8))
                .as(
                        (at, bytes) -> {
                            byte[] out = seed.clone();
                            for (int i = 0; i < bytes.length && at + i < out.length; i++) {
                                out[at + i] = bytes[i];
                            }
                            return out;
                        });
    }

    /**
     * A 1-, 2-, 4- or 8-byte integer, little- or big-endian, set to one of {@link
     * #HUGE_OR_NEGATIVE} at some position: what a length, count or offset field becomes.
     */
    public static Arbitrary<byte[]> integerFields(byte[] seed) {
        return Combinators.combine(
                        Arbitraries.integers().between(0, seed.length - 1),
                        Arbitraries.of(1, 2, 4, 8),
                        Arbitraries.of(HUGE_OR_NEGATIVE),
                        Arbitraries.of(true, false))
                .as(
                        (at, width, value, littleEndian) ->
                                writeInteger(seed, at, width, value, littleEndian));
    }

    /** {@code value} written over {@code width} bytes at {@code at}, cut at the end of the seed. */
    public static byte[] writeInteger(
            byte[] seed, int at, int width, long value, boolean littleEndian) {
        byte[] out = seed.clone();
        for (int i = 0; i < width && at + i < out.length; i++) {
            int shift = 8 * (littleEndian ? i : width - 1 - i);
            out[at + i] = (byte) (value >>> shift);
        }
        return out;
    }

    /** A stretch deleted, or repeated in place. */
    public static Arbitrary<byte[]> splices(byte[] seed) {
        return Combinators.combine(
                        Arbitraries.integers().between(0, seed.length - 1),
                        Arbitraries.integers().between(1, Math.max(1, Math.min(seed.length, 2048))),
                        Arbitraries.of(true, false))
                .as(
                        (at, length, delete) -> {
                            int end = Math.min(seed.length, at + length);
                            byte[] out =
                                    new byte
                                            [delete
                                                    ? seed.length - (end - at)
                                                    : seed.length + (end - at)];
                            System.arraycopy(seed, 0, out, 0, delete ? at : end);
                            if (delete) {
                                System.arraycopy(seed, end, out, at, seed.length - end);
                            } else {
                                System.arraycopy(seed, at, out, end, seed.length - at);
                            }
                            return out;
                        });
    }

    /** Up to 512 random bytes. */
    public static Arbitrary<byte[]> randomBytes() {
        return Arbitraries.bytes().array(byte[].class).ofMaxSize(512);
    }

    /** One JSON number token of the seed replaced by one of {@link #JSON_NUMBERS}. */
    public static Arbitrary<byte[]> numbers(byte[] seed) {
        List<int[]> spans = numberSpans(seed);
        return Combinators.combine(
                        Arbitraries.integers().between(0, spans.size() - 1),
                        Arbitraries.of(JSON_NUMBERS))
                .as(
                        (which, number) -> {
                            int[] span = spans.get(which);
                            return replace(seed, span[0], span[1], number);
                        });
    }

    /** The seed with bytes [start, end) replaced by {@code text} in UTF-8. */
    public static byte[] replace(byte[] seed, int start, int end, String text) {
        byte[] insert = text.getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[seed.length - (end - start) + insert.length];
        System.arraycopy(seed, 0, out, 0, start);
        System.arraycopy(insert, 0, out, start, insert.length);
        System.arraycopy(seed, end, out, start + insert.length, seed.length - end);
        return out;
    }

    /** Where the number tokens outside strings lie, as [start, end) byte offsets. */
    private static List<int[]> numberSpans(byte[] seed) {
        // ISO-8859-1 maps byte i to char i, so the offsets are byte offsets.
        String text = new String(seed, StandardCharsets.ISO_8859_1);
        List<int[]> spans = new ArrayList<>();
        boolean inString = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"' && (i == 0 || text.charAt(i - 1) != '\\')) {
                inString = !inString;
            } else if (!inString && (c == '-' || Character.isDigit(c))) {
                Matcher m = JSON_NUMBER.matcher(text).region(i, text.length());
                if (m.lookingAt()) {
                    spans.add(new int[] {i, m.end()});
                    i = m.end() - 1;
                }
            }
        }
        return spans;
    }
}
