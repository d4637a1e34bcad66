package io.rankwise.models.deberta;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.rankwise.api.Backend;
import io.rankwise.api.DType;
import io.rankwise.api.RecordFunction;
import io.rankwise.api.Shape;
import io.rankwise.api.Tensor;
import io.rankwise.models.deberta.EncoderFixtures.Case;
import io.rankwise.models.encoder.Encoder;
import io.rankwise.models.encoder.EncoderInputs;
import io.rankwise.models.encoder.HeadLayout;
import io.rankwise.models.encoder.TargetModules;
import io.rankwise.models.encoder.TaskHead;
import io.rankwise.models.family.ModelFamily;
import io.rankwise.models.pretrained.PretrainedModels;
import io.rankwise.models.tokenize.BertTokenizer;
import io.rankwise.models.tokenize.TokenizedBatch;
import io.rankwise.models.weights.NamedArray;
import io.rankwise.testing.Backends;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The DeBERTa encoder on every backend against the reference fixtures, whose outputs come from an
 * independent PyTorch re-implementation of Hugging Face's {@code
 * DebertaV2ForSequenceClassification} ({@code src/test/python/make_encoder_fixtures.py}): {@code
 * deberta-v2} (DeBERTa-v3-base's layout, c2p + p2c with shared keys) and {@code deberta-v2-c2p}
 * (c2p only, {@code pos_key_proj}). Every case is checked in float32 within the fixtures' tolerance
 * 1e-4, absolute: last_hidden_state at every position, padding included, and the logits of the
 * checkpoint's pooler and classifier.
 *
 * <p>Padding rows are compared against {@code last_hidden_state}, the current Hugging Face
 * semantics (a fully masked query attends uniformly), which the encoder implements; the fixture's
 * {@code last_hidden_state_legacy_xsoftmax} (older XSoftmax, zeroed rows) is not what it computes.
 */
class DebertaFixtureTest {
    static final List<String> FIXTURES = List.of("deberta-v2", "deberta-v2-c2p");

    static Stream<Arguments> backendsAndFixtures() {
        List<Arguments> out = new ArrayList<>();
        for (String backend : Backends.names()) {
            for (String fixture : FIXTURES) {
                out.add(Arguments.of(backend, fixture));
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("backendsAndFixtures")
    void lastHiddenStateAndLogitsMatchTheReference(String backendName, String fixture)
            throws IOException {
        JsonNode reference = EncoderFixtures.reference(fixture);
        double tolerance = reference.get("tolerance").asDouble();
        assertEquals(1e-4, tolerance);
        Backend backend = Backends.get(backendName);
        PretrainedModels.Loaded loaded = PretrainedModels.load(EncoderFixtures.folder(fixture));
        assertInstanceOf(DebertaPretrained.class, loaded.encoder());
        assertEquals(ModelFamily.DEBERTA_V2, loaded.encoder().family());
        String prefix = Backends.unique("deberta." + fixture);
        Encoder encoder =
                loaded.encoder()
                        .build(
                                backend,
                                DType.FLOAT32,
                                new TargetModules(List.of()),
                                null,
                                prefix + "encoder.");
        assertTrue(encoder.adapters().isEmpty());
        Map<String, NamedArray> headTensors = loaded.encoder().headTensors();
        assertEquals(
                Set.of(
                        "pooler.dense.weight",
                        "pooler.dense.bias",
                        "classifier.weight",
                        "classifier.bias"),
                headTensors.keySet());
        int labels = reference.get("labels").size();
        TaskHead head =
                new TaskHead(
                        backend,
                        prefix + "head.",
                        HeadLayout.DEBERTA_POOLER,
                        encoder.hiddenSize(),
                        labels,
                        DType.FLOAT32,
                        0,
                        headTensors);
        assertTrue(head.fromPretrained());

        List<String> report = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        for (Case c : EncoderFixtures.cases(reference)) {
            Shape shape = Shape.of(c.batch(), c.length());
            double[] hidden;
            double[] logits;
            try (EncoderInputs inputs =
                            new EncoderInputs(
                                    backend.tensor(c.ids(), shape, DType.INT64),
                                    backend.tensor(c.mask(), shape, DType.INT64),
                                    backend.tensor(c.types(), shape, DType.INT64));
                    RecordFunction<EncoderInputs> forward =
                            RecordFunction.compile(
                                    backend,
                                    (ops, in) -> {
                                        Tensor h = encoder.forward(ops, in, ops::read, null);
                                        return List.of(
                                                h, head.logits(ops, h, in.mask(), ops::read, null));
                                    })) {
                List<Tensor> out = forward.call(inputs);
                hidden = out.get(0).toDoubles();
                logits = out.get(1).toDoubles();
                out.forEach(Tensor::close);
            }
            assertEquals(c.lastHiddenState().length, hidden.length, c + ": hidden state size");
            assertEquals(c.logits().length, logits.length, c + ": logits size");
            double tokens = 0;
            double padding = 0;
            for (int b = 0; b < c.batch(); b++) {
                for (int t = 0; t < c.length(); t++) {
                    for (int j = 0; j < c.hidden(); j++) {
                        int i = (b * c.length() + t) * c.hidden() + j;
                        double diff = Math.abs(hidden[i] - c.lastHiddenState()[i]);
                        if (c.token(b, t)) {
                            tokens = Math.max(tokens, diff);
                        } else {
                            padding = Math.max(padding, diff);
                        }
                    }
                }
            }
            double logitDiff = 0;
            for (int i = 0; i < logits.length; i++) {
                logitDiff = Math.max(logitDiff, Math.abs(logits[i] - c.logits()[i]));
            }
            String line =
                    String.format(
                            "%s %s %s: max |Δ| last_hidden_state tokens %.3g, padding %s,"
                                    + " logits %.3g",
                            backendName,
                            fixture,
                            c,
                            tokens,
                            hasPadding(c) ? String.format("%.3g", padding) : "(none)",
                            logitDiff);
            report.add(line);
            if (!(tokens < tolerance && padding < tolerance && logitDiff < tolerance)) {
                failures.add(line);
            }
        }
        report.forEach(System.out::println);
        assertTrue(failures.isEmpty(), "beyond " + tolerance + ":\n" + String.join("\n", failures));
    }

    private static boolean hasPadding(Case c) {
        for (long m : c.mask()) {
            if (m == 0) {
                return true;
            }
        }
        return false;
    }

    /**
     * The fixture's Unigram tokenizer.json through {@link BertTokenizer} (DJL's Hugging Face
     * tokenizers) gives the reference ids, mask and token types of every case, padded to the case's
     * length with DeBERTa's pad id 0; pairs get type 1 on the second segment.
     */
    @ParameterizedTest
    @ValueSource(strings = {"deberta-v2", "deberta-v2-c2p"})
    void tokenizerGivesTheReferenceIds(String fixture) throws IOException {
        PretrainedModels.Loaded loaded = PretrainedModels.load(EncoderFixtures.folder(fixture));
        int pad = ((DebertaPretrained) loaded.encoder()).weights().config().padTokenId();
        for (Case c : EncoderFixtures.cases(EncoderFixtures.reference(fixture))) {
            try (BertTokenizer tokenizer =
                    BertTokenizer.fromFile(loaded.tokenizerJson(), c.length(), pad)) {
                TokenizedBatch batch =
                        c.textPair() == null
                                ? tokenizer.encode(c.text())
                                : tokenizer.encodePairs(c.text(), c.textPair());
                assertArrayEquals(c.ids(), batch.inputIds(), c + ": input ids");
                assertArrayEquals(c.mask(), batch.attentionMask(), c + ": attention mask");
                assertArrayEquals(c.types(), batch.tokenTypeIds(), c + ": token types");
            }
        }
    }

    /**
     * {@link RelativePositions#logBucket} against the fixture's table of {@code
     * make_log_bucket_position(r, 8, 32)} for r in [−40, 40], which the fixture script checked
     * against the formula evaluated in float64 per (i, j).
     */
    @ParameterizedTest
    @ValueSource(strings = {"deberta-v2", "deberta-v2-c2p"})
    void bucketsMatchTheReference(String fixture) {
        JsonNode buckets = EncoderFixtures.reference(fixture).get("relative_position_buckets");
        int size = buckets.get("position_buckets").asInt();
        int max = buckets.get("max_relative_positions_effective").asInt();
        JsonNode table = buckets.get("bucket_of_relative_position");
        assertEquals(81, table.size());
        table.properties()
                .forEach(
                        e ->
                                assertEquals(
                                        e.getValue().asLong(),
                                        RelativePositions.logBucket(
                                                Long.parseLong(e.getKey()), size, max),
                                        "bucket of " + e.getKey()));
    }
}
