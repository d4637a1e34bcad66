package io.rankwise.models.bert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.rankwise.allocators.adapters.SvdLowRankAdapter;
import io.rankwise.api.Backend;
import io.rankwise.api.DType;
import io.rankwise.api.HostRandom;
import io.rankwise.api.RecordFunction;
import io.rankwise.api.Shape;
import io.rankwise.api.Tensor;
import io.rankwise.models.encoder.EncoderInputs;
import io.rankwise.models.encoder.TargetModules;
import io.rankwise.models.tokenize.BertTokenizer;
import io.rankwise.models.tokenize.TokenizedBatch;
import io.rankwise.models.weights.BertWeights;
import io.rankwise.models.weights.EmbeddedModel;
import io.rankwise.models.weights.EmbeddedModels;
import io.rankwise.testing.Backends;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The encoder on every backend against ONNX Runtime running the same ONNX file (all-MiniLM-L6-v2):
 * last_hidden_state for single sentences and pairs, with padding, within 1e-4 — both without
 * adapters and with SVD adapters at their initial state (Λ = 0, so ΔW = 0 and nothing changes).
 */
class EncoderVersusOnnxRuntimeTest {
    private static final int LENGTH = 24;
    private static EmbeddedModel model;
    private static BertWeights weights;
    private static List<TokenizedBatch> batches;
    private static List<float[][][]> references;

    @BeforeAll
    static void runOnnxRuntime() throws Exception {
        model = EmbeddedModels.miniLmL6();
        weights = model.loadWeights();
        try (BertTokenizer tokenizer = BertTokenizer.fromFile(model.tokenizerJson(), LENGTH)) {
            batches =
                    List.of(
                            tokenizer.encode(
                                    List.of(
                                            "The cat sat on the mat.",
                                            "Rankwise prunes adapter ranks where they matter least.",
                                            "Short.")),
                            tokenizer.encodePairs(
                                    List.of(
                                            "A question about low-rank adaptation?",
                                            "Two segments"),
                                    List.of(
                                            "Yes: AdaLoRA with a Bayesian view.",
                                            "and padding after them.")));
        }
        references = new java.util.ArrayList<>();
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession session =
                env.createSession(model.onnxFile().toString(), new OrtSession.SessionOptions())) {
            for (TokenizedBatch batch : batches) {
                try (OnnxTensor ids = tensor(env, batch, batch.inputIds());
                        OnnxTensor mask = tensor(env, batch, batch.attentionMask());
                        OnnxTensor types = tensor(env, batch, batch.tokenTypeIds());
                        OrtSession.Result result =
                                session.run(
                                        Map.of(
                                                "input_ids",
                                                ids,
                                                "attention_mask",
                                                mask,
                                                "token_type_ids",
                                                types))) {
                    references.add(
                            (float[][][]) result.get("last_hidden_state").orElseThrow().getValue());
                }
                assertTrue(
                        java.util.Arrays.stream(batch.attentionMask()).anyMatch(m -> m == 0),
                        "the batch has padding");
            }
        }
        assertTrue(
                java.util.Arrays.stream(batches.get(1).tokenTypeIds()).anyMatch(t -> t == 1),
                "pairs have segment 1");
    }

    private static OnnxTensor tensor(OrtEnvironment env, TokenizedBatch batch, long[] values)
            throws OrtException {
        return OnnxTensor.createTensor(
                env,
                java.nio.LongBuffer.wrap(values),
                new long[] {batch.batchSize(), batch.sequenceLength()});
    }

    static List<String> backends() {
        return Backends.names();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void lastHiddenStateMatchesOnnxRuntime(String backendName) {
        Backend backend = Backends.get(backendName);
        String prefix = Backends.unique("minilm");
        BertEncoder plain =
                new BertEncoder(
                        backend,
                        weights,
                        DType.FLOAT32,
                        new TargetModules(List.of()),
                        null,
                        prefix + "plain.");
        compare(backendName + " without adapters", backend, plain);
        BertEncoder adapted =
                new BertEncoder(
                        backend,
                        weights,
                        DType.FLOAT32,
                        TargetModules.paper(),
                        (b, module, dIn, dOut) ->
                                new SvdLowRankAdapter(
                                        b,
                                        prefix + module,
                                        dIn,
                                        dOut,
                                        6,
                                        12,
                                        DType.FLOAT32,
                                        HostRandom.forStream(5, module.hashCode())),
                        prefix + "adapted.");
        assertEquals(36, adapted.adapters().size(), "6 layers x 6 linear layers adapted");
        compare(backendName + " with adapters at init", backend, adapted);
    }

    private static void compare(String what, Backend backend, BertEncoder encoder) {
        for (int i = 0; i < batches.size(); i++) {
            compare(what + ", batch " + i, backend, encoder, batches.get(i), references.get(i));
        }
    }

    private static void compare(
            String what,
            Backend backend,
            BertEncoder encoder,
            TokenizedBatch batch,
            float[][][] reference) {
        Shape shape = Shape.of(batch.batchSize(), batch.sequenceLength());
        try (EncoderInputs inputs =
                        new EncoderInputs(
                                backend.tensor(batch.inputIds(), shape, DType.INT64),
                                backend.tensor(batch.attentionMask(), shape, DType.INT64),
                                backend.tensor(batch.tokenTypeIds(), shape, DType.INT64));
                RecordFunction<EncoderInputs> forward =
                        RecordFunction.compile(
                                backend,
                                (ops, in) ->
                                        List.of(
                                                encoder.forward(
                                                        ops,
                                                        in.ids(),
                                                        in.mask(),
                                                        in.types(),
                                                        ops::read,
                                                        null)))) {
            List<Tensor> out = forward.call(inputs);
            double[] hidden = out.get(0).toDoubles();
            out.forEach(Tensor::close);
            int h = encoder.config().hiddenSize();
            double worst = 0;
            for (int b = 0; b < batch.batchSize(); b++) {
                for (int t = 0; t < batch.sequenceLength(); t++) {
                    for (int j = 0; j < h; j++) {
                        double diff =
                                Math.abs(
                                        hidden[(b * batch.sequenceLength() + t) * h + j]
                                                - reference[b][t][j]);
                        worst = Math.max(worst, diff);
                    }
                }
            }
            assertTrue(worst < 1e-4, what + ": largest difference from ONNX Runtime is " + worst);
        }
    }
}
