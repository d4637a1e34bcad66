package io.rankwise.models.deberta;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The cases of the encoder reference fixtures ({@link io.rankwise.testing.EncoderFixtures}, made by
 * an independent PyTorch implementation): a checkpoint folder and its {@code reference.json}, whose
 * schema the folder's README describes.
 */
final class EncoderFixtures {
    private EncoderFixtures() {}

    /** The checkpoint folder of fixture {@code name}. */
    static Path folder(String name) {
        return io.rankwise.testing.EncoderFixtures.folder(name);
    }

    /** The parsed reference.json of fixture {@code name}. */
    static JsonNode reference(String name) {
        try {
            return new ObjectMapper().readTree(folder(name).resolve("reference.json").toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One case of a reference.json. */
    record Case(
            String name,
            List<String> text,
            List<String> textPair,
            int batch,
            int length,
            long[] ids,
            long[] mask,
            long[] types,
            double[] lastHiddenState,
            int hidden,
            double[] logits,
            int labels) {

        static Case of(JsonNode c) {
            long[][] ids = longs2d(c.get("input_ids"));
            int batch = ids.length;
            int length = ids[0].length;
            JsonNode state = c.get("last_hidden_state");
            JsonNode logits = c.get("logits");
            return new Case(
                    c.get("name").asText(),
                    strings(c.get("text")),
                    c.get("text_pair").isNull() ? null : strings(c.get("text_pair")),
                    batch,
                    length,
                    flat(ids),
                    flat(longs2d(c.get("attention_mask"))),
                    flat(longs2d(c.get("token_type_ids"))),
                    doubles(state.get("data")),
                    state.get("shape").get(2).asInt(),
                    doubles(logits.get("data")),
                    logits.get("shape").get(1).asInt());
        }

        /** Whether position t of row b is a token (not padding). */
        boolean token(int b, int t) {
            return mask[b * length + t] != 0;
        }

        @Override
        public String toString() {
            return name;
        }
    }

    /** The cases of a reference.json. */
    static List<Case> cases(JsonNode reference) {
        List<Case> cases = new ArrayList<>();
        for (JsonNode c : reference.get("cases")) {
            cases.add(Case.of(c));
        }
        return cases;
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    private static long[][] longs2d(JsonNode rows) {
        long[][] out = new long[rows.size()][];
        for (int r = 0; r < out.length; r++) {
            JsonNode row = rows.get(r);
            out[r] = new long[row.size()];
            for (int i = 0; i < out[r].length; i++) {
                out[r][i] = row.get(i).asLong();
            }
        }
        return out;
    }

    private static long[] flat(long[][] rows) {
        int n = rows.length * rows[0].length;
        long[] out = new long[n];
        for (int r = 0; r < rows.length; r++) {
            System.arraycopy(rows[r], 0, out, r * rows[r].length, rows[r].length);
        }
        return out;
    }

    private static double[] doubles(JsonNode array) {
        double[] out = new double[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).asDouble();
        }
        return out;
    }
}
