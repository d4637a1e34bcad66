package io.rankwise.training.eval;

import io.rankwise.api.Backend;
import io.rankwise.api.DType;
import io.rankwise.api.RecordFunction;
import io.rankwise.api.Tensor;
import io.rankwise.api.optim.Posterior;
import io.rankwise.models.data.Example;
import io.rankwise.models.data.TaskSpec;
import io.rankwise.models.encoder.ClassifierBatch;
import io.rankwise.models.encoder.EncoderInputs;
import io.rankwise.models.encoder.SequenceClassifier;
import io.rankwise.models.metrics.TaskMetric;
import io.rankwise.models.tokenize.BertTokenizer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Evaluates a classifier on a split: at the posterior mean (the weights as they are), or, with
 * {@code testSamples} &gt; 0 and a posterior, as the posterior predictive: the class probabilities
 * averaged over that many seeded weight draws θ ~ N(m, σ²) (the means are restored afterwards).
 * Regression tasks are evaluated at the mean (their predictions are averaged likewise).
 */
public final class Evaluator implements AutoCloseable {
    private final Backend backend;
    private final SequenceClassifier model;
    private final BertTokenizer tokenizer;
    private final TaskSpec spec;
    private final int batchSize;
    private final DType dtype;
    private final RecordFunction<EncoderInputs> logits;

    /** Prepares the compiled forward pass. */
    public Evaluator(
            Backend backend,
            SequenceClassifier model,
            BertTokenizer tokenizer,
            TaskSpec spec,
            int batchSize,
            DType dtype) {
        this.backend = backend;
        this.model = model;
        this.tokenizer = tokenizer;
        this.spec = spec;
        this.batchSize = batchSize;
        this.dtype = dtype;
        this.logits =
                RecordFunction.compile(
                        backend,
                        (ops, in) -> {
                            Tensor z = model.logits(ops, in, ops::read, null);
                            return List.of(model.regression() ? z : ops.softmax(z, -1));
                        });
    }

    /**
     * Evaluates {@code examples} under {@code name}.
     *
     * @param posterior the optimizer's posterior, for predictive sampling
     * @param testSamples 0 for the mean, N for N posterior draws (needs a posterior)
     */
    public Evaluation evaluate(
            String name,
            List<Example> examples,
            Optional<Posterior> posterior,
            int testSamples,
            long seed) {
        if (examples.isEmpty()) {
            throw new IllegalArgumentException("split " + name + " has no examples to evaluate");
        }
        int outputs = model.head().outputs();
        double[][] predictions = new double[examples.size()][outputs];
        if (testSamples > 0) {
            Posterior q =
                    posterior.orElseThrow(
                            () ->
                                    new IllegalArgumentException(
                                            "test_samples is "
                                                    + testSamples
                                                    + " but the optimizer has no posterior; use test_samples: 0 or an optimizer with a posterior (ivon)"));
            q.withSampledWeights(
                    seed, testSamples, k -> accumulate(examples, predictions, 1.0 / testSamples));
        } else {
            accumulate(examples, predictions, 1.0);
        }
        return new Evaluation(name, metrics(examples, predictions));
    }

    private void accumulate(List<Example> examples, double[][] into, double weight) {
        for (int start = 0; start < examples.size(); start += batchSize) {
            List<Example> part =
                    examples.subList(start, Math.min(examples.size(), start + batchSize));
            try (ClassifierBatch batch =
                    model.tensors(
                            backend, SequenceClassifier.tokenize(tokenizer, part), part, dtype)) {
                List<Tensor> out = logits.call(batch.inputs());
                double[] values = out.get(0).toDoubles();
                out.forEach(Tensor::close);
                int k = into[0].length;
                for (int i = 0; i < part.size(); i++) {
                    for (int c = 0; c < k; c++) {
                        into[start + i][c] += weight * values[i * k + c];
                    }
                }
            }
        }
    }

    private Map<String, Double> metrics(List<Example> examples, double[][] predictions) {
        double[] gold = examples.stream().mapToDouble(Example::label).toArray();
        double[] predicted = new double[examples.size()];
        for (int i = 0; i < predicted.length; i++) {
            predicted[i] = model.regression() ? predictions[i][0] : argmax(predictions[i]);
        }
        Map<String, Double> values = new LinkedHashMap<>();
        for (TaskMetric metric : spec.metrics()) {
            values.put(metric.id(), metric.compute(predicted, gold));
        }
        if (!model.regression()) {
            int[] classes = examples.stream().mapToInt(Example::classIndex).toArray();
            values.putAll(Evaluation.calibration(predictions, classes));
        }
        return values;
    }

    private static int argmax(double[] p) {
        int best = 0;
        for (int i = 1; i < p.length; i++) {
            if (p[i] > p[best]) {
                best = i;
            }
        }
        return best;
    }

    @Override
    public void close() {
        logits.close();
    }
}
