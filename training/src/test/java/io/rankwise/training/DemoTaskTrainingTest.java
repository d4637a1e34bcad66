package io.rankwise.training;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rankwise.allocators.AdaLoraAllocator;
import io.rankwise.allocators.AdaLoraConfig;
import io.rankwise.allocators.adapters.SvdLowRankAdapter;
import io.rankwise.api.Backend;
import io.rankwise.api.DType;
import io.rankwise.api.HostRandom;
import io.rankwise.api.RecordFunction;
import io.rankwise.api.Shape;
import io.rankwise.api.Tensor;
import io.rankwise.api.adapt.SvdAdapter;
import io.rankwise.api.plugin.Plugins;
import io.rankwise.models.bert.BertEncoder;
import io.rankwise.models.data.Example;
import io.rankwise.models.data.SpamAssassin;
import io.rankwise.models.data.Task;
import io.rankwise.models.encoder.ClassifierBatch;
import io.rankwise.models.encoder.Dropout;
import io.rankwise.models.encoder.EncoderInputs;
import io.rankwise.models.encoder.Pooling;
import io.rankwise.models.encoder.SequenceClassifier;
import io.rankwise.models.encoder.TargetModules;
import io.rankwise.models.encoder.TaskHead;
import io.rankwise.models.tokenize.BertTokenizer;
import io.rankwise.models.tokenize.TokenizedBatch;
import io.rankwise.models.weights.BertWeights;
import io.rankwise.models.weights.EmbeddedModel;
import io.rankwise.models.weights.EmbeddedModels;
import io.rankwise.testing.Backends;
import io.rankwise.training.step.AdaLoraTrainer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * MiniLM-L6 with AdaLoRA adapters fine-tuned on the SpamAssassin demo task on every backend (a
 * small deterministic subsample, so that it runs in about a minute): the loss falls and dev
 * accuracy is far above the majority-class rate (about 67% ham).
 */
class DemoTaskTrainingTest {
    private static final int BATCH = 16;
    private static final int LENGTH = 64;
    private static final int STEPS = 40;
    private static Task task;
    private static EmbeddedModel model;
    private static BertWeights weights;

    @BeforeAll
    static void load() throws Exception {
        task =
                SpamAssassin.builder()
                        .maxTrain(BATCH * STEPS)
                        .maxEval(12 * BATCH)
                        .seed(1)
                        .build()
                        .load();
        model = EmbeddedModels.miniLmL6();
        weights = model.loadWeights();
    }

    static List<String> backends() {
        return Backends.names();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void lossFallsAndDevAccuracyIsFarAboveChance(String backendName) throws Exception {
        Backend backend = Backends.get(backendName);
        String prefix = Backends.unique("demo");
        BertEncoder encoder =
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
                                        4,
                                        8,
                                        DType.FLOAT32,
                                        HostRandom.forStream(3, module.hashCode())),
                        prefix);
        TaskHead head = new TaskHead(backend, prefix, 384, 2, Pooling.MEAN, DType.FLOAT32, 11);
        SequenceClassifier classifier = new SequenceClassifier(encoder, head, false);
        List<SvdAdapter> adapters =
                encoder.adapters().values().stream().map(a -> (SvdAdapter) a).toList();
        AdaLoraAllocator allocator =
                new AdaLoraAllocator(new AdaLoraConfig(4, 2, 10, 10, 5, STEPS, 0.1));

        List<Double> losses = new ArrayList<>();
        double accuracy;
        try (BertTokenizer tokenizer = BertTokenizer.fromFile(model.tokenizerJson(), LENGTH);
                Tensor seed = backend.tensor(new long[] {5, 0}, Shape.of(2), DType.INT64)) {
            Dropout dropout = new Dropout(0.1, seed);
            try (AdaLoraTrainer<ClassifierBatch> trainer =
                    new AdaLoraTrainer<>(
                            backend,
                            Plugins.discover()
                                    .optimizers()
                                    .get("adam")
                                    .create(Map.of("lr", "4e-3")),
                            allocator,
                            Plugins.discover().metrics().get("sensitivity").create(Map.of()),
                            adapters,
                            head.parameters(),
                            (ops, batch, valueOf) ->
                                    classifier.loss(ops, batch, valueOf, dropout))) {
                // The corpus is ordered by group (all ham, then all spam): shuffle, with a seed.
                List<Example> train = new ArrayList<>(task.train().examples());
                java.util.Collections.shuffle(train, new java.util.Random(7));
                for (int t = 1; t <= STEPS; t++) {
                    List<Example> examples = train.subList((t - 1) * BATCH, t * BATCH);
                    TokenizedBatch tokens = SequenceClassifier.tokenize(tokenizer, examples);
                    try (ClassifierBatch batch =
                            classifier.tensors(backend, tokens, examples, DType.FLOAT32)) {
                        losses.add(trainer.step(t, batch));
                    }
                }
            }
            accuracy = devAccuracy(backend, classifier, tokenizer);
        }
        double first =
                losses.subList(0, 5).stream()
                        .mapToDouble(Double::doubleValue)
                        .average()
                        .orElseThrow();
        double last =
                losses.subList(STEPS - 5, STEPS).stream()
                        .mapToDouble(Double::doubleValue)
                        .average()
                        .orElseThrow();
        String where =
                backendName
                        + ": loss "
                        + first
                        + " -> "
                        + last
                        + ", dev accuracy "
                        + accuracy
                        + ", losses "
                        + losses;
        System.out.println("demo task, " + where);
        assertTrue(last < 0.6 * first, where);
        assertTrue(accuracy > 0.85, where);
    }

    private static double devAccuracy(
            Backend backend, SequenceClassifier classifier, BertTokenizer tokenizer) {
        List<Example> dev = task.dev().orElseThrow().examples();
        int correct = 0;
        int seen = 0;
        try (RecordFunction<EncoderInputs> logits =
                RecordFunction.compile(
                        backend,
                        (ops, in) -> List.of(classifier.logits(ops, in, ops::read, null)))) {
            for (int start = 0; start + BATCH <= dev.size(); start += BATCH) {
                List<Example> examples = dev.subList(start, start + BATCH);
                try (ClassifierBatch batch =
                        classifier.tensors(
                                backend,
                                SequenceClassifier.tokenize(tokenizer, examples),
                                examples,
                                DType.FLOAT32)) {
                    List<Tensor> out = logits.call(batch.inputs());
                    double[] z = out.get(0).toDoubles();
                    out.forEach(Tensor::close);
                    for (int i = 0; i < examples.size(); i++) {
                        int predicted = z[2 * i + 1] > z[2 * i] ? 1 : 0;
                        correct += predicted == examples.get(i).classIndex() ? 1 : 0;
                        seen++;
                    }
                }
            }
        }
        return (double) correct / seen;
    }
}
