package io.rankwise.cli.train;

import io.rankwise.allocators.AdaLoraAllocator;
import io.rankwise.allocators.AdaLoraConfig;
import io.rankwise.allocators.AdaLoraTrainer;
import io.rankwise.allocators.MetricRequirements;
import io.rankwise.api.Backend;
import io.rankwise.api.DType;
import io.rankwise.api.Shape;
import io.rankwise.api.Tensor;
import io.rankwise.api.Variable;
import io.rankwise.api.adapt.ImportanceMetric;
import io.rankwise.api.optim.Optimizer;
import io.rankwise.api.plugin.Plugins;
import io.rankwise.api.spi.ImportanceMetricProvider;
import io.rankwise.api.spi.OptimizerProvider;
import io.rankwise.models.bert.Dropout;
import io.rankwise.models.bert.SequenceClassifier;
import io.rankwise.models.data.Example;
import io.rankwise.models.data.Task;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * One AdaLoRA fine-tuning run of a BERT-family classifier, in the call order of docs/algorithms.md §2:
 * per step, the learning rate from the schedule, forward and backward over the step's micro-batches
 * (at sampled weights under IVON), the optimizer update, the allocator, then logging, evaluation
 * and atomic checkpoints (every {@code checkpoint_every} steps, and always after the last step).
 * A NaN or infinite loss stops the run naming the step, leaving the last checkpoint in place;
 * {@code resume} continues from it and reaches the same numbers as an uninterrupted run on the
 * same backend (shuffling, dropout and weight noise are pure functions of the seed and the step).
 */
public final class FineTuning {
    private final RunSettings settings;
    private final Task task;
    private final List<RunListener> listeners;

    /** A run of {@code settings} on {@code task}, reporting to {@code listeners}. */
    public FineTuning(RunSettings settings, Task task, List<RunListener> listeners) {
        this.settings = settings;
        this.task = task;
        this.listeners = List.copyOf(listeners);
    }

    /**
     * Creates a plugin, naming the configuration section in a refusal of its options; an unknown
     * option usually means the name was switched while the other plugin's options stayed.
     */
    private static <T> T withSection(String section, java.util.function.Supplier<T> create) {
        try {
            return create.get();
        } catch (IllegalArgumentException e) {
            String hint = e.getMessage() != null && e.getMessage().contains("unknown option")
                    ? " (after switching " + section + ".name, clear the previous plugin's options with --set " + section
                            + ".options=null)"
                    : "";
            throw new IllegalArgumentException(section + ".options: " + e.getMessage() + hint, e);
        }
    }

    /** Thrown when the loss is NaN or infinite. */
    public static final class DivergedException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        DivergedException(String message) {
            super(message);
        }
    }

    /**
     * Runs training (from the last checkpoint when {@code resume}) and the final evaluation.
     *
     * @throws IllegalArgumentException for settings the plugins refuse, before any training
     * @throws IOException if model files or the run folder cannot be read or written
     */
    public RunResult run(boolean resume) throws IOException {
        Plugins plugins = Plugins.discover();
        OptimizerProvider optimizerProvider = plugins.optimizers().get(settings.optimizer());
        ImportanceMetricProvider metricProvider = plugins.metrics().get(settings.metric());
        MetricRequirements.check(metricProvider.name(), metricProvider.requires(), optimizerProvider.name(),
                optimizerProvider.capabilities());
        List<Example> train = task.train().examples();
        int perStep = settings.batchSize() * settings.gradAccumulation();
        long stepsPerEpoch = train.size() / perStep;
        if (stepsPerEpoch < 1) {
            throw new IllegalArgumentException("the training set has " + train.size() + " examples, fewer than one step's "
                    + perStep + " (batch_size x grad_accumulation)");
        }
        long total = settings.maxSteps() > 0 ? settings.maxSteps() : stepsPerEpoch * settings.epochs();
        Optimizer optimizer = withSection("optimizer", () -> optimizerProvider.create(settings.resolvedOptimizerOptions(train.size())));
        ImportanceMetric metric = withSection("metric", () -> metricProvider.create(settings.metricOptions()));
        AdaLoraConfig allocation;
        try {
            allocation = new AdaLoraConfig(settings.initR(), settings.targetR(), settings.tinit(), settings.tfinal(),
                    settings.deltaT(), total, settings.orthRegWeight());
        } catch (IllegalArgumentException e) {
            // The run's length comes from the training section and the data: say so beside the allocator's rule.
            throw new IllegalArgumentException("allocator: " + e.getMessage() + "; this run has " + total + " steps ("
                    + train.size() + " examples / (batch_size x grad_accumulation = " + perStep + ") x epochs, or max_steps)", e);
        }
        AdaLoraAllocator allocator = new AdaLoraAllocator(allocation);
        LearningRateSchedule schedule = settings.schedule().create(optimizer.learningRate(), total);

        try (RunModel model = RunModel.open(plugins, settings, task.spec())) {
            Backend backend = model.backend();
            SequenceClassifier classifier = model.classifier();
            double dropoutRate = settings.dropout();
            try (AdaLoraTrainer trainer = new AdaLoraTrainer(backend, optimizer, allocator, metric, model.adapters(),
                    model.head().parameters(), settings.orthRegWeight(), (ops, batch, valueOf) ->
                            classifier.loss(ops, batch.subList(0, 4), valueOf, new Dropout(dropoutRate, batch.get(4))));
                    Evaluator evaluator = new Evaluator(backend, classifier, model.tokenizer(), task.spec(), settings.batchSize(),
                            settings.dtype())) {
                List<Variable> checkpointed = new ArrayList<>(optimizer.parameters());
                checkpointed.addAll(optimizer.state());
                checkpointed.addAll(metric.state());
                long first = 1;
                if (resume) {
                    Checkpoint.Restored restored = Checkpoint.load(settings.runDir(), checkpointed);
                    allocator.restore(restored.allocator());
                    first = restored.step() + 1;
                    long from = restored.step();
                    listeners.forEach(l -> l.resumed(from));
                }
                listeners.forEach(l -> l.started(total, allocator.schedule().plan()));
                try (VariableReader checkpointReader = new VariableReader(backend, checkpointed)) {
                    return train(model, trainer, allocator, optimizer, schedule, evaluator, checkpointReader, first, total,
                            stepsPerEpoch);
                }
            }
        }
    }

    private RunResult train(RunModel model, AdaLoraTrainer trainer, AdaLoraAllocator allocator, Optimizer optimizer,
            LearningRateSchedule schedule, Evaluator evaluator, VariableReader checkpointed, long first, long total,
            long stepsPerEpoch) throws IOException {
        Backend backend = model.backend();
        List<Example> train = task.train().examples();
        int perStep = settings.batchSize() * settings.gradAccumulation();
        long start = System.nanoTime();
        double lastLoss = Double.NaN;
        List<Integer> order = null;
        long orderEpoch = -1;
        long lastCheckpoint = first - 1;
        for (long t = first; t <= total; t++) {
            long epoch = (t - 1) / stepsPerEpoch;
            if (epoch != orderEpoch) {
                order = shuffled(train.size(), settings.seed() * 1_000_003L + epoch);
                orderEpoch = epoch;
            }
            int offset = (int) (((t - 1) % stepsPerEpoch) * perStep);
            List<List<Tensor>> microBatches = new ArrayList<>();
            try {
                for (int b = 0; b < settings.gradAccumulation(); b++) {
                    List<Example> examples = new ArrayList<>(settings.batchSize());
                    for (int i = 0; i < settings.batchSize(); i++) {
                        examples.add(train.get(order.get(offset + b * settings.batchSize() + i)));
                    }
                    List<Tensor> batch = new ArrayList<>(model.classifier().tensors(backend,
                            SequenceClassifier.tokenize(model.tokenizer(), examples), examples, settings.dtype()));
                    batch.add(backend.tensor(new long[] {settings.seed(), t * 64 + b}, Shape.of(2), DType.INT64));
                    microBatches.add(batch);
                }
                double lr = schedule.at(t);
                optimizer.setLearningRate(lr);
                lastLoss = trainer.stepAccumulated(t, microBatches);
                if (!Double.isFinite(lastLoss)) {
                    throw new DivergedException("the loss is " + lastLoss + " at step " + t + "; stopping. "
                            + (lastCheckpoint >= 1 ? "The checkpoint of step " + lastCheckpoint + " is kept in "
                                    + Checkpoint.file(settings.runDir()) : "No checkpoint was written yet")
                            + ". Try a lower learning rate.");
                }
                double seconds = (System.nanoTime() - start) / 1e9;
                if (t % settings.logEvery() == 0 || t == total) {
                    long tt = t;
                    double l = lastLoss;
                    listeners.forEach(x -> x.step(tt, l, lr, allocator.budget(tt), seconds));
                }
            } finally {
                microBatches.forEach(b -> b.forEach(Tensor::close));
            }
            if (settings.evalEvery() > 0 && t % settings.evalEvery() == 0 && t != total) {
                evaluate(evaluator, optimizer, t);
            }
            // The last step is always saved, so that every finished run folder holds its final state
            // (the adapters, the head and the optimizer's posterior) for evaluate and export.
            if (t == total || (settings.checkpointEvery() > 0 && t % settings.checkpointEvery() == 0)) {
                Checkpoint.save(settings.runDir(), t, checkpointed, allocator.state());
                lastCheckpoint = t;
            }
        }
        double secondsPerStep = (System.nanoTime() - start) / 1e9 / Math.max(1, total - first + 1);
        Evaluation finalEvaluation = evaluate(evaluator, optimizer, total);
        RunResult result = new RunResult(model.backend().name(), total, lastLoss, finalEvaluation, allocator.rankPattern(), secondsPerStep,
                ProcessMemory.peakMiB(), model.adapterWeights(), model.headWeights());
        listeners.forEach(l -> l.finished(result));
        return result;
    }

    private Evaluation evaluate(Evaluator evaluator, Optimizer optimizer, long step) {
        String split = task.dev().map(s -> s.name()).orElse("train");
        List<Example> examples = task.dev().map(s -> s.examples()).orElse(task.train().examples());
        Evaluation e = evaluator.evaluate(split, examples, optimizer.posterior(), settings.testSamples(), settings.seed() + step);
        listeners.forEach(l -> l.evaluated(step, e));
        return e;
    }

    private static List<Integer> shuffled(int n, long seed) {
        List<Integer> order = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            order.add(i);
        }
        Collections.shuffle(order, new Random(seed));
        return order;
    }
}
