package io.rankwise.training.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rankwise.api.Backend;
import io.rankwise.api.CompiledFunction;
import io.rankwise.api.Tensor;
import io.rankwise.api.adapt.LoraAdapter;
import io.rankwise.api.plugin.Plugins;
import io.rankwise.models.data.Example;
import io.rankwise.models.data.SpamAssassin;
import io.rankwise.models.data.Task;
import io.rankwise.models.encoder.ClassifierBatch;
import io.rankwise.models.encoder.Encoder;
import io.rankwise.models.encoder.EncoderInputs;
import io.rankwise.models.encoder.PretrainedEncoder;
import io.rankwise.models.encoder.SequenceClassifier;
import io.rankwise.models.encoder.TargetModules;
import io.rankwise.models.encoder.TaskHead;
import io.rankwise.models.pretrained.PretrainedModels;
import io.rankwise.training.SmallRun;
import io.rankwise.training.spec.RunSpec;
import io.rankwise.training.wiring.RunAssembly;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A LoRA run's model: its adapters are plain LoRA's B A at rank r = init_r with scale α/r on the
 * target modules, and since B starts at zero its logits are those of the base model (the same
 * encoder and head with no adapter) exactly. Host copies and assignment go through {@link
 * LoraWeights}, and the AdaLoRA accessors refuse a LoRA model.
 */
class LoraModelTest {
    private static final Plugins PLUGINS = Plugins.discover();
    private static Task task;

    @BeforeAll
    static void data() throws Exception {
        task = SpamAssassin.builder().maxTrain(8).maxEval(8).seed(3).build().load();
    }

    private static double[] logits(
            Backend backend, SequenceClassifier classifier, ClassifierBatch batch) {
        try (CompiledFunction f =
                backend.compile(
                        (ops, in) ->
                                List.of(
                                        classifier.logits(
                                                ops,
                                                new EncoderInputs(in.get(0), in.get(1), in.get(2)),
                                                ops::read,
                                                null)))) {
            EncoderInputs inputs = batch.inputs();
            List<Tensor> out = f.call(List.of(inputs.ids(), inputs.mask(), inputs.types()));
            try {
                return out.get(0).toDoubles();
            } finally {
                out.forEach(Tensor::close);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"djl", "tensorflow"})
    void startsAsTheBaseModelWithRankRAdaptersOnTheTargets(String backendName) throws Exception {
        RunSpec spec = SmallRun.lora(backendName, SmallRun.ivon());
        try (RunModel model = RunModel.open(RunAssembly.assemble(PLUGINS, spec), task.spec())) {
            Backend backend = model.backend();
            assertTrue(model.fixedRank());
            assertTrue(model.adapters().isEmpty(), "no SVD adapters");
            assertEquals(12, model.loraAdapters().size(), "query and value of 6 layers");
            for (LoraAdapter a : model.loraAdapters()) {
                assertTrue(
                        a.module().endsWith(".query") || a.module().endsWith(".value"), a.module());
                assertEquals(3, a.rank());
                assertEquals(6.0 / 3, a.scale(), 0.0, "alpha / r");
            }
            assertEquals(36, model.totalRank());
            assertEquals(Map.of(), model.rankPattern(new boolean[0]));
            assertThrows(IllegalArgumentException.class, () -> model.rankPattern(new boolean[3]));
            assertThrows(IllegalStateException.class, model::adapterWeights);

            // The base model: the same pretrained encoder without adapters, the same head start.
            PretrainedModels.Loaded files = PretrainedModels.embeddedMiniLm();
            PretrainedEncoder pretrained = files.encoder();
            Encoder base =
                    pretrained.build(
                            backend,
                            spec.model().dtype(),
                            new TargetModules(List.of()),
                            (b, module, dIn, dOut) -> {
                                throw new AssertionError("no module is targeted: " + module);
                            },
                            "base.");
            assertTrue(base.adapters().isEmpty());
            TaskHead head =
                    new TaskHead(
                            backend,
                            "base.",
                            spec.model().pooling().layout(pretrained.family()),
                            pretrained.hiddenSize(),
                            2,
                            spec.model().dtype(),
                            spec.training().seed(),
                            pretrained.headTensors());
            SequenceClassifier plain = new SequenceClassifier(base, head, false);

            List<Example> examples = task.train().examples().subList(0, 4);
            try (ClassifierBatch batch =
                    model.classifier()
                            .tensors(
                                    backend,
                                    SequenceClassifier.tokenize(model.tokenizer(), examples),
                                    examples,
                                    spec.model().dtype())) {
                double[] adapted = logits(backend, model.classifier(), batch);
                double[] reference = logits(backend, plain, batch);
                // B = 0 adds exact zeros: the same numbers, not merely close ones.
                assertArrayEquals(reference, adapted, 0.0, backendName + ": logits at the start");

                // With B moved the update shows, and the host copies round-trip.
                List<LoraWeights> start = model.loraWeights();
                List<LoraWeights> moved =
                        start.stream()
                                .map(
                                        w -> {
                                            double[] b = new double[w.b().length];
                                            for (int i = 0; i < b.length; i++) {
                                                // Multiples of 1/128: exact in float32, so the copy
                                                // back is too.
                                                b[i] = ((i % 7) - 3) / 128.0;
                                            }
                                            return new LoraWeights(
                                                    w.module(), w.dIn(), w.dOut(), w.a(), b);
                                        })
                                .toList();
                model.assignLora(moved, model.headWeights());
                assertEquals(moved, model.loraWeights());
                double[] changed = logits(backend, model.classifier(), batch);
                double difference = 0;
                for (int i = 0; i < changed.length; i++) {
                    difference = Math.max(difference, Math.abs(changed[i] - reference[i]));
                }
                assertTrue(difference > 1e-4, "B A moves the logits: " + difference);
            }
        }
    }
}
