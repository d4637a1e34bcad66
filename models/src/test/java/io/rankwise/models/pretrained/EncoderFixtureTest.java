package io.rankwise.models.pretrained;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rankwise.api.Backend;
import io.rankwise.api.DType;
import io.rankwise.api.RecordFunction;
import io.rankwise.api.Shape;
import io.rankwise.api.Tensor;
import io.rankwise.models.encoder.Encoder;
import io.rankwise.models.encoder.EncoderInputs;
import io.rankwise.models.encoder.HeadLayout;
import io.rankwise.models.encoder.Pooling;
import io.rankwise.models.encoder.TargetModules;
import io.rankwise.models.encoder.TaskHead;
import io.rankwise.models.tokenize.BertTokenizer;
import io.rankwise.models.tokenize.TokenizedBatch;
import io.rankwise.testing.Backends;
import io.rankwise.testing.EncoderFixtures;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each family's encoder and Hugging Face head against reference outputs of its
 * *ForSequenceClassification model: small random-weight checkpoints in Hugging Face's layout
 * ({@link EncoderFixtures}: an independent PyTorch re-implementation of transformers' modeling code
 * made them). Checked on every backend: the token ids of the texts, the last hidden state at every
 * position of padded batches and pairs, and the logits, within the fixture's tolerance (1e-4 in
 * float32).
 */
class EncoderFixtureTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    static Stream<Arguments> cases() {
        List<Arguments> all = new ArrayList<>();
        for (String fixture : List.of("bert", "roberta")) {
            for (String backend : Backends.names()) {
                all.add(Arguments.of(fixture, backend));
            }
        }
        return all.stream();
    }

    @ParameterizedTest(name = "{0} on {1}")
    @MethodSource("cases")
    void matchesTheReference(String fixture, String backendName) throws Exception {
        Path dir = EncoderFixtures.folder(fixture);
        JsonNode reference = JSON.readTree(dir.resolve("reference.json").toFile());
        double tolerance = reference.get("tolerance").asDouble();
        PretrainedModels.Loaded loaded = PretrainedModels.load(dir);
        assertEquals(reference.get("model_type").asText(), loaded.encoder().family().modelType());
        Backend backend = Backends.get(backendName);
        String prefix = Backends.unique(fixture);
        Encoder encoder =
                loaded.encoder()
                        .build(backend, DType.FLOAT32, new TargetModules(List.of()), null, prefix);
        HeadLayout layout = Pooling.POOLER.layout(loaded.encoder().family());
        int labels = reference.get("labels").size();
        TaskHead head =
                new TaskHead(
                        backend,
                        prefix,
                        layout,
                        loaded.encoder().hiddenSize(),
                        labels,
                        DType.FLOAT32,
                        1,
                        loaded.encoder().headTensors());
        assertTrue(head.fromPretrained(), "the head is the checkpoint's");
        for (JsonNode c : reference.get("cases")) {
            String what = fixture + "/" + c.get("name").asText() + " on " + backendName;
            long[][] ids = longs(c.get("input_ids"));
            checkTokenizer(what, loaded, c, ids, loaded.encoder().padTokenId());
            int batch = ids.length;
            int length = ids[0].length;
            Shape shape = Shape.of(batch, length);
            try (EncoderInputs inputs =
                            new EncoderInputs(
                                    backend.tensor(flat(ids), shape, DType.INT64),
                                    backend.tensor(
                                            flat(longs(c.get("attention_mask"))),
                                            shape,
                                            DType.INT64),
                                    backend.tensor(
                                            flat(longs(c.get("token_type_ids"))),
                                            shape,
                                            DType.INT64));
                    RecordFunction<EncoderInputs> forward =
                            RecordFunction.compile(
                                    backend,
                                    (ops, in) -> {
                                        Tensor hidden = encoder.forward(ops, in, ops::read, null);
                                        return List.of(
                                                hidden,
                                                head.logits(
                                                        ops, hidden, in.mask(), ops::read, null));
                                    })) {
                List<Tensor> out = forward.call(inputs);
                double[] hidden = out.get(0).toDoubles();
                double[] logits = out.get(1).toDoubles();
                out.forEach(Tensor::close);
                assertClose(
                        what + " last_hidden_state", c.get("last_hidden_state"), hidden, tolerance);
                assertClose(what + " logits", c.get("logits"), logits, tolerance);
            }
        }
    }

    /**
     * The fixture's texts through tokenizer.json give the fixture's ids, padded with the pad id.
     */
    private static void checkTokenizer(
            String what, PretrainedModels.Loaded loaded, JsonNode c, long[][] ids, int padId)
            throws IOException {
        List<String> first = texts(c.get("text"));
        JsonNode pair = c.get("text_pair");
        try (BertTokenizer tokenizer =
                BertTokenizer.fromFile(loaded.tokenizerJson(), ids[0].length, padId)) {
            TokenizedBatch got =
                    pair == null || pair.isNull()
                            ? tokenizer.encode(first)
                            : tokenizer.encodePairs(first, texts(pair));
            assertEquals(ids.length, got.batchSize(), what);
            for (int r = 0; r < ids.length; r++) {
                assertArrayEquals(ids[r], got.inputIds(r), what + " ids of row " + r);
            }
        }
    }

    private static void assertClose(String what, JsonNode want, double[] got, double tolerance) {
        JsonNode data = want.get("data");
        assertEquals(data.size(), got.length, what + " size");
        double worst = 0;
        int at = -1;
        for (int i = 0; i < got.length; i++) {
            double diff = Math.abs(got[i] - data.get(i).asDouble());
            if (!(diff <= worst)) {
                worst = diff;
                at = i;
            }
        }
        assertTrue(
                worst <= tolerance,
                what + ": largest difference " + worst + " at flat index " + at);
    }

    private static List<String> texts(JsonNode list) {
        List<String> out = new ArrayList<>();
        list.forEach(t -> out.add(t.asText()));
        return out;
    }

    private static long[][] longs(JsonNode rows) {
        long[][] out = new long[rows.size()][];
        for (int r = 0; r < rows.size(); r++) {
            JsonNode row = rows.get(r);
            out[r] = new long[row.size()];
            for (int i = 0; i < row.size(); i++) {
                out[r][i] = row.get(i).asLong();
            }
        }
        return out;
    }

    private static long[] flat(long[][] rows) {
        return java.util.Arrays.stream(rows).flatMapToLong(java.util.Arrays::stream).toArray();
    }
}
