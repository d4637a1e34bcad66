package io.rankwise.training;

import io.rankwise.api.Backend;
import io.rankwise.api.DType;
import io.rankwise.api.Shape;
import io.rankwise.api.Tensor;
import io.rankwise.api.Variable;
import io.rankwise.api.adapt.ImportanceMetric;
import io.rankwise.api.adapt.RankAllocator;
import io.rankwise.api.optim.Optimizer;
import io.rankwise.models.data.Example;
import io.rankwise.models.data.Split;
import io.rankwise.models.data.Task;
import io.rankwise.models.encoder.ClassifierBatch;
import io.rankwise.models.encoder.Dropout;
import io.rankwise.models.encoder.SequenceClassifier;
import io.rankwise.training.checkpoint.Checkpoint;
import io.rankwise.training.checkpoint.InvalidCheckpointException;
import io.rankwise.training.checkpoint.RunIdentity;
import io.rankwise.training.eval.Evaluation;
import io.rankwise.training.eval.Evaluator;
import io.rankwise.training.model.RunModel;
import io.rankwise.training.model.VariableReader;
import io.rankwise.training.peft.HeadInputs;
import io.rankwise.training.peft.PeftSettings;
import io.rankwise.training.spec.LearningRateSchedule;
import io.rankwise.training.spec.RunSpec;
import io.rankwise.training.step.AdaLoraTrainer;
import io.rankwise.training.step.AdapterTrainer;
import io.rankwise.training.wiring.RunParts;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.LongSupplier;

/**
 * One fine-tuning run of a BERT-family classifier with AdaLoRA or plain LoRA adapters, in the call
 * order of docs/algorithms.md §2: per step, the learning rate from the schedule, forward and
 * backward over the step's micro-batches (at sampled weights under IVON), the optimizer update, the
 * allocator (AdaLoRA), then logging, evaluation and atomic checkpoints (every {@code
 * checkpoint_every} steps, and always after the last step). A NaN or infinite loss stops the run
 * naming the step, leaving the last checkpoint in place; {@code resume} continues from it and
 * reaches the same numbers as an uninterrupted run on the same backend (shuffling, dropout and
 * weight noise are pure functions of the seed and the step). At the end the run folder also gets
 * the adapter in PEFT's format and, for AdaLoRA, {@code rank_pattern.json} ({@link RunArtifacts}).
 *
 * <p>A LoRA run ({@code adapter.kind: lora}) trains B A at the fixed rank r = init_r with scale
 * α/r: it makes no allocator and no importance metric (the spec's {@code allocator} and {@code
 * metric} sections are not read), adds no orthogonality regulariser ({@link
 * AdapterTrainer#fixedRank}), reports the constant total rank as its budget, and checkpoints an
 * empty rank mask beside its variables.
 *
 * <p>Its parts (backend, optimizer, metric, allocator, adapters) come from {@link RunParts}, which
 * {@link io.rankwise.training.wiring.RunAssembly} builds.
 */
public final class FineTuning {
    private final RunParts parts;
    private final RunSpec spec;
    private final Task task;
    private final Path runDir;
    private final List<RunListener> listeners;
    private final LongSupplier nanoClock;

    /** A run of {@code parts} on {@code task} in {@code runDir}, reporting to {@code listeners}. */
    public FineTuning(RunParts parts, Task task, Path runDir, List<RunListener> listeners) {
        this(parts, task, runDir, listeners, System::nanoTime);
    }

    /** As the public constructor, timing the steps by {@code nanoClock} (tests set the time). */
    FineTuning(
            RunParts parts,
            Task task,
            Path runDir,
            List<RunListener> listeners,
            LongSupplier nanoClock) {
        this.parts = parts;
        this.spec = parts.spec();
        this.task = task;
        this.runDir = runDir;
        this.listeners = List.copyOf(listeners);
        this.nanoClock = nanoClock;
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
     * @throws IllegalArgumentException for settings the plugins refuse, before any training; when
     *     resuming, an {@link InvalidCheckpointException} for a checkpoint that is corrupted,
     *     truncated, of another format version or of another run (its configuration hash or T)
     * @throws IOException if model files or the run folder cannot be read or written
     */
    public RunResult run(boolean resume) throws IOException {
        RunSpec.Training training = spec.training();
        List<Example> train = task.train().examples();
        int perStep = training.examplesPerStep();
        long stepsPerEpoch = train.size() / perStep;
        if (stepsPerEpoch < 1) {
            throw new IllegalArgumentException(
                    "the training set has "
                            + train.size()
                            + " examples, fewer than one step's "
                            + perStep
                            + " (batch_size x grad_accumulation)");
        }
        long total = training.totalSteps(train.size());
        Optimizer optimizer = parts.optimizer(train.size());
        boolean fixedRank = spec.adapter().fixedRank();
        // LoRA computes nothing of AdaLoRA's: no metric, no allocator.
        ImportanceMetric metric = fixedRank ? null : parts.metric();
        RankAllocator allocator = null;
        PeftSettings export;
        try {
            if (!fixedRank) {
                allocator = parts.allocator(total);
            }
            export = PeftSettings.forRun(spec, total);
        } catch (IllegalArgumentException e) {
            if (fixedRank) {
                throw new IllegalArgumentException("adapter: " + e.getMessage(), e);
            }
            // The run's length comes from the training section and the data: say so beside the
            // allocator's rule.
            throw new IllegalArgumentException(
                    "allocator: "
                            + e.getMessage()
                            + "; this run has "
                            + total
                            + " steps ("
                            + train.size()
                            + " examples / (batch_size x grad_accumulation = "
                            + perStep
                            + ") x epochs, or max_steps)",
                    e);
        }
        LearningRateSchedule schedule =
                training.lrSchedule().create(optimizer.learningRate(), total);
        RunIdentity identity = RunIdentity.of(spec, total);

        try (RunModel model = RunModel.open(parts, task.spec())) {
            Backend backend = model.backend();
            SequenceClassifier classifier = model.classifier();
            double dropoutRate = spec.model().dropout();
            double adapterDropoutRate = spec.adapter().loraDropout();
            AdapterTrainer.Loss<TrainingBatch> loss =
                    (ops, micro, valueOf) ->
                            classifier.loss(
                                    ops,
                                    micro.batch(),
                                    valueOf,
                                    new Dropout(
                                            dropoutRate, adapterDropoutRate, micro.dropoutSeed()));
            Allocation allocation =
                    fixedRank ? new Allocation(model) : new Allocation(allocator, model);
            try (AdapterTrainer<TrainingBatch> trainer =
                            fixedRank
                                    ? AdapterTrainer.fixedRank(
                                            backend,
                                            optimizer,
                                            model.loraAdapters(),
                                            model.head().parameters(),
                                            loss)
                                    : new AdaLoraTrainer<>(
                                            backend,
                                            optimizer,
                                            allocator,
                                            metric,
                                            model.adapters(),
                                            model.head().parameters(),
                                            loss);
                    Evaluator evaluator =
                            new Evaluator(
                                    backend,
                                    classifier,
                                    model.tokenizer(),
                                    task.spec(),
                                    training.batchSize(),
                                    spec.model().dtype())) {
                List<Variable> checkpointed = new ArrayList<>(optimizer.parameters());
                checkpointed.addAll(optimizer.state());
                if (metric != null) {
                    checkpointed.addAll(metric.state());
                }
                long first = 1;
                double secondsBefore = 0;
                if (resume) {
                    Checkpoint.Restored restored = Checkpoint.load(runDir, identity, checkpointed);
                    try {
                        allocation.restore(restored.allocator());
                    } catch (IllegalArgumentException e) {
                        throw new InvalidCheckpointException(
                                Checkpoint.file(runDir) + ": " + e.getMessage(), e);
                    }
                    first = restored.step() + 1;
                    secondsBefore = restored.trainingSeconds();
                    long from = restored.step();
                    listeners.forEach(l -> l.resumed(from));
                }
                HeapTrim.afterLoading();
                listeners.forEach(l -> l.started(total, allocation.plan()));
                try (VariableReader checkpointReader = new VariableReader(backend, checkpointed)) {
                    RunResult result =
                            train(
                                    model,
                                    trainer,
                                    allocation,
                                    optimizer,
                                    schedule,
                                    evaluator,
                                    checkpointReader,
                                    identity,
                                    first,
                                    secondsBefore,
                                    total,
                                    stepsPerEpoch);
                    RunArtifacts.write(
                            runDir,
                            result,
                            model.family(),
                            export,
                            HeadInputs.of(spec, model.family()));
                    listeners.forEach(l -> l.finished(result));
                    return result;
                }
            }
        }
    }

    private RunResult train(
            RunModel model,
            AdapterTrainer<TrainingBatch> trainer,
            Allocation allocator,
            Optimizer optimizer,
            LearningRateSchedule schedule,
            Evaluator evaluator,
            VariableReader checkpointed,
            RunIdentity identity,
            long first,
            double secondsBefore,
            long total,
            long stepsPerEpoch)
            throws IOException {
        Backend backend = model.backend();
        List<Example> train = task.train().examples();
        int perStep = spec.training().examplesPerStep();
        long start = nanoClock.getAsLong();
        // The wall time of steps 1..t, over this process and those before it (from the
        // checkpoint): saved with each checkpoint, so that the time per step of a resumed run is
        // the mean over the whole run, not over the steps since it resumed.
        double trainingSeconds = secondsBefore;
        double lastLoss = Double.NaN;
        List<Integer> order = null;
        long orderEpoch = -1;
        long lastCheckpoint = first - 1;
        for (long t = first; t <= total; t++) {
            long epoch = (t - 1) / stepsPerEpoch;
            if (epoch != orderEpoch) {
                order = shuffled(train.size(), spec.training().seed() * 1_000_003L + epoch);
                orderEpoch = epoch;
            }
            int offset = (int) (((t - 1) % stepsPerEpoch) * perStep);
            List<TrainingBatch> microBatches = new ArrayList<>();
            try {
                for (int b = 0; b < spec.training().gradAccumulation(); b++) {
                    List<Example> examples = new ArrayList<>(spec.training().batchSize());
                    for (int i = 0; i < spec.training().batchSize(); i++) {
                        examples.add(
                                train.get(order.get(offset + b * spec.training().batchSize() + i)));
                    }
                    microBatches.add(
                            trainingBatch(
                                    backend,
                                    model.classifier()
                                            .tensors(
                                                    backend,
                                                    SequenceClassifier.tokenize(
                                                            model.tokenizer(), examples),
                                                    examples,
                                                    spec.model().dtype()),
                                    t,
                                    b));
                }
                double lr = schedule.at(t);
                optimizer.setLearningRate(lr);
                lastLoss = trainer.stepAccumulated(t, microBatches);
                if (!Double.isFinite(lastLoss)) {
                    throw new DivergedException(
                            "the loss is "
                                    + lastLoss
                                    + " at step "
                                    + t
                                    + "; stopping. "
                                    + (lastCheckpoint >= 1
                                            ? "The checkpoint of step "
                                                    + lastCheckpoint
                                                    + " is kept in "
                                                    + Checkpoint.file(runDir)
                                            : "No checkpoint was written yet")
                                    + ". Try a lower learning rate.");
                }
                double seconds = (nanoClock.getAsLong() - start) / 1e9;
                if (t % spec.training().logEvery() == 0 || t == total) {
                    long tt = t;
                    double l = lastLoss;
                    listeners.forEach(x -> x.step(tt, l, lr, allocator.budget(tt), seconds));
                }
            } finally {
                microBatches.forEach(TrainingBatch::close);
            }
            if (spec.training().evalEvery() > 0
                    && t % spec.training().evalEvery() == 0
                    && t != total) {
                evaluate(evaluator, optimizer, t);
            }
            trainingSeconds = secondsBefore + (nanoClock.getAsLong() - start) / 1e9;
            // The last step is always saved, so that every finished run folder holds its final
            // state
            // (the adapters, the head and the optimizer's posterior) for evaluate and export.
            if (t == total
                    || (spec.training().checkpointEvery() > 0
                            && t % spec.training().checkpointEvery() == 0)) {
                Checkpoint.save(
                        runDir, identity, t, trainingSeconds, checkpointed, allocator.state());
                lastCheckpoint = t;
            }
        }
        // A finished run resumed trains no step: its mean is the one its last checkpoint holds.
        double secondsPerStep = trainingSeconds / total;
        Evaluation finalEvaluation = evaluate(evaluator, optimizer, total);
        return new RunResult(
                model.backend().name(),
                total,
                lastLoss,
                finalEvaluation,
                allocator.rankPattern(),
                secondsPerStep,
                ProcessMemory.peakMiB(),
                model.fixedRank() ? List.of() : model.adapterWeights(),
                model.fixedRank() ? model.loraWeights() : List.of(),
                model.headWeights(),
                runDir);
    }

    /**
     * The rank allocation of a run as the loop sees it: AdaLoRA's allocator, or for LoRA its
     * absence, which keeps the total rank as the budget, has no rank pattern and checkpoints an
     * empty rank mask.
     */
    private static final class Allocation {
        /** A LoRA checkpoint's allocator state: no triplets, nothing frozen, no scores. */
        private static final RankAllocator.State FIXED_RANK =
                new RankAllocator.State(new boolean[0], null, null);

        private final RankAllocator allocator;
        private final int totalRank;
        private final String plan;

        /** AdaLoRA's allocator (its plan is asked for once the trainer has attached it). */
        Allocation(RankAllocator allocator, RunModel model) {
            this.allocator = allocator;
            this.totalRank = model.totalRank();
            this.plan = null;
        }

        /** LoRA's fixed rank. */
        Allocation(RunModel model) {
            this.allocator = null;
            this.totalRank = model.totalRank();
            int matrices = model.loraAdapters().size();
            int r = matrices == 0 ? 0 : model.loraAdapters().get(0).rank();
            this.plan =
                    String.format(
                            java.util.Locale.ROOT,
                            "LoRA: fixed rank r = %d on %d matrices (total rank %d) for the whole"
                                    + " run; no rank allocation, importance metric or"
                                    + " orthogonality regulariser (the allocator and metric"
                                    + " sections are not used)",
                            r,
                            matrices,
                            totalRank);
        }

        String plan() {
            return allocator == null ? plan : allocator.plan();
        }

        int budget(long step) {
            return allocator == null ? totalRank : allocator.budget(step);
        }

        RankAllocator.State state() {
            return allocator == null ? FIXED_RANK : allocator.state();
        }

        Map<String, boolean[]> rankPattern() {
            return allocator == null ? Map.of() : allocator.rankPattern();
        }

        /**
         * @throws IllegalArgumentException for a state of another number of triplets (a LoRA run's
         *     has none)
         */
        void restore(RankAllocator.State state) {
            if (allocator != null) {
                allocator.restore(state);
            } else if (state.keep().length != 0 || state.finalKeep() != null) {
                throw new IllegalArgumentException(
                        "it holds a rank mask of "
                                + state.keep().length
                                + " triplets; a LoRA run's adapters have no triplets to prune"
                                + " (was it written by an AdaLoRA run?)");
            }
        }
    }

    /**
     * Adds micro-batch b of step t's dropout seed to {@code batch} (closing the batch if that
     * fails).
     */
    private TrainingBatch trainingBatch(Backend backend, ClassifierBatch batch, long t, int b) {
        try {
            Tensor dropoutSeed =
                    backend.tensor(
                            new long[] {spec.training().seed(), t * 64 + b},
                            Shape.of(2),
                            DType.INT64);
            return new TrainingBatch(batch, dropoutSeed);
        } catch (RuntimeException e) {
            batch.close();
            throw e;
        }
    }

    /**
     * Evaluates every evaluation split of the task (MNLI's two dev sets; the train split if it has
     * none), telling the listeners of each, and returns the first: the run's headline result.
     */
    private Evaluation evaluate(Evaluator evaluator, Optimizer optimizer, long step) {
        List<Split> splits = task.evalSplits();
        if (splits.isEmpty()) {
            splits = List.of(task.train());
        }
        Evaluation first = null;
        for (Split split : splits) {
            Evaluation e =
                    evaluator.evaluate(
                            split.name(),
                            split.examples(),
                            optimizer.posterior(),
                            spec.training().testSamples(),
                            spec.training().seed() + step);
            listeners.forEach(l -> l.evaluated(step, e));
            if (first == null) {
                first = e;
            }
        }
        return first;
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
