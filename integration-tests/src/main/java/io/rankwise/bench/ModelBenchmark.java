package io.rankwise.bench;

import io.rankwise.allocators.adapters.SvdLowRankAdapter;
import io.rankwise.api.Backend;
import io.rankwise.api.CompiledFunction;
import io.rankwise.api.DType;
import io.rankwise.api.Device;
import io.rankwise.api.HostRandom;
import io.rankwise.api.RecordFunction;
import io.rankwise.api.Shape;
import io.rankwise.api.Tensor;
import io.rankwise.api.Variable;
import io.rankwise.api.optim.Optimizer;
import io.rankwise.api.plugin.Plugins;
import io.rankwise.models.bert.BertEncoder;
import io.rankwise.models.encoder.ClassifierBatch;
import io.rankwise.models.encoder.EncoderInputs;
import io.rankwise.models.encoder.Pooling;
import io.rankwise.models.encoder.SequenceClassifier;
import io.rankwise.models.encoder.TargetModules;
import io.rankwise.models.encoder.TaskHead;
import io.rankwise.models.weights.BertConfig;
import io.rankwise.models.weights.BertWeights;
import io.rankwise.models.weights.EmbeddedModels;
import io.rankwise.training.ProcessMemory;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Benchmark command: one training step of MiniLM-L6 with AdaLoRA adapters on all 36 linear layers
 * (init_r 6), batch 16, sequence 128, float32, Adam, on one backend per JVM (so that peak memory is
 * the backend's own). Prints step time, the step's GFLOP/s, the engine's matmul rate through the
 * same framework, and peak resident memory.
 *
 * <p>FLOPs are counted analytically: the forward pass is 2 · (dense multiply-adds + attention
 * multiply-adds) over the batch's tokens, and the backward pass with frozen weights costs about as
 * much again (gradients of activations only; the adapters' share is under 1%), so a step is 2 ×
 * forward. For MiniLM-L6 at 16 × 128 tokens that is 92 GFLOP.
 *
 * <p>A second table breaks the memory down: JVM heap, resident memory after the model is built, the
 * model's frozen and trainable weights, one training step's activations (its peak resident memory
 * minus the resident memory before it), native memory and the peak.
 *
 * <p>Arguments: {@code backend=djl} (required), {@code steps=N} (default 5), {@code batch=N} and
 * {@code length=N} (default 16 and 128; smaller only to check that the command works).
 *
 * <p>With {@code competitor=N} it measures instead how the step slows down beside N CPU-bound
 * processes ({@link Contention}): the same step quiet and contended, one child JVM per wait policy
 * ({@code wait=PASSIVE,unset}) and thread count ({@code threads=0}, 0 being the backend's default),
 * {@code rounds=N} blocks of {@code steps} each (default 2).
 */
public final class ModelBenchmark {
    private static final double MIB = 1024.0 * 1024.0;

    private ModelBenchmark() {}

    /** Runs the benchmark and prints one Markdown table (with a header). */
    public static void main(String[] args) throws Exception {
        Map<String, String> a = Contention.arguments(args);
        String name = a.get("backend");
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException(
                    "ModelBenchmark: give backend=djl or backend=tensorflow");
        }
        int steps = Contention.positive(a, "steps", 5);
        int batch = Contention.positive(a, "batch", 16);
        int length = Contention.positive(a, "length", 128);
        if (a.containsKey("competitor") && !a.containsKey(Contention.CHILD)) {
            Contention.compare(name, a, steps, batch, length);
            return;
        }
        int threads = Contention.atLeastZero(a, "threads", 0);
        try (Training training = Training.open(name, batch, length, threads)) {
            if (a.containsKey(Contention.CHILD)) {
                Contention.measure(training, a, steps);
                return;
            }
            report(name, training, steps);
        }
    }

    private static void report(String name, Training training, int steps) {
        Backend backend = training.backend();
        double matmulGflops = matmulRate(backend, training.batch() * training.length());
        // The first call traces (TensorFlow) and warms the allocator. Its activations are measured
        // here: later steps reuse memory the allocator kept, so their peak barely moves.
        double peakBeforeSteps = ProcessMemory.peakMiB();
        boolean reset = ProcessMemory.resetPeak();
        double beforeFirstStep = ProcessMemory.currentMiB();
        training.step(1);
        double firstStepPeak = ProcessMemory.peakMiB();
        double[] ms = new double[steps];
        long allocatedBefore = allocatedBytes();
        for (int t = 0; t < steps; t++) {
            ms[t] = training.step(t + 2);
            System.err.printf(Locale.ROOT, "  step %d: %.0f ms%n", t + 2, ms[t]);
        }
        double garbagePerStepKiB = (allocatedBytes() - allocatedBefore) / 1024.0 / steps;
        double forwardMs = training.forwardMs();
        double median = StepBenchmark.median(ms);
        double gflop = stepFlops(training.config(), training.batch(), training.length()) / 1e9;
        System.out.println();
        System.out.println(
                "| backend | step ms (median of "
                        + steps
                        + ") | forward ms | GFLOP/step | GFLOP/s | matmul GFLOP/s | share of matmul rate | peak RSS MiB |");
        System.out.println("| --- | --- | --- | --- | --- | --- | --- | --- |");
        System.out.printf(
                Locale.ROOT,
                "| %s | %.0f | %.0f | %.1f | %.1f | %.1f | %.0f%% | %.0f |%n",
                name,
                median,
                forwardMs,
                gflop,
                gflop / (median / 1e3),
                matmulGflops,
                100 * gflop / (median / 1e3) / matmulGflops,
                Math.max(peakBeforeSteps, ProcessMemory.peakMiB()));
        String activations =
                reset
                        ? String.format(Locale.ROOT, "%.0f", firstStepPeak - beforeFirstStep)
                        : "n/a (/proc/self/clear_refs not writable: the peak cannot be reset)";
        printBreakdown(
                name,
                training,
                activations,
                garbagePerStepKiB,
                Math.max(peakBeforeSteps, ProcessMemory.peakMiB()));
    }

    /**
     * Bytes this thread has allocated on the JVM heap so far (HotSpot's per-thread counter), which
     * the steps' own allocations move: they run on the calling thread.
     */
    private static long allocatedBytes() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean())
                .getCurrentThreadAllocatedBytes();
    }

    /**
     * A second table: where the memory goes. Heap used and committed (after the steps), resident
     * memory right after the model was built, the bytes of the model's variables (frozen pretrained
     * weights; trainable adapters and head), the activations of the first training step (its peak
     * resident memory minus the resident memory just before it, the kernel's peak reset in between;
     * on TensorFlow this includes tracing the graph), the JVM heap a step allocates (the garbage
     * each step leaves for the collector), native memory (resident minus heap committed) and the
     * process's peak.
     */
    private static void printBreakdown(
            String name,
            Training training,
            String activations,
            double garbagePerStepKiB,
            double peak) {
        double rss = ProcessMemory.currentMiB();
        MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        double heapCommitted = heap.getCommitted() / MIB;
        System.out.println();
        System.out.println(
                "| backend | heap used MiB | heap committed MiB | RSS after build MiB | frozen weights"
                        + " MiB | trainable weights MiB | activations MiB (first step) | JVM heap"
                        + " allocated per step KiB | native MiB (RSS − heap committed) | peak RSS"
                        + " MiB |");
        System.out.println("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |");
        System.out.printf(
                Locale.ROOT,
                "| %s | %.0f | %.0f | %.0f | %.1f | %.1f | %s | %.0f | %.0f | %.0f |%n",
                name,
                heap.getUsed() / MIB,
                heapCommitted,
                training.residentAfterBuildMiB(),
                bytes(training.frozenWeights()) / MIB,
                bytes(training.trainableWeights()) / MIB,
                activations,
                garbagePerStepKiB,
                rss - heapCommitted,
                peak);
    }

    /** The bytes the variables' values take: elements × the dtype's width. */
    private static double bytes(Collection<Variable> variables) {
        double sum = 0;
        for (Variable v : variables) {
            sum += (double) v.shape().size() * v.dtype().bytes();
        }
        return sum;
    }

    /**
     * The benchmark's model on one backend, ready to step: MiniLM-L6 with adapters, a task head,
     * Adam, and one fixed random batch.
     */
    static final class Training implements AutoCloseable {
        private final Backend backend;
        private final BertConfig config;
        private final SequenceClassifier model;
        private final Optimizer adam;
        private final RecordFunction<Step> step;
        private final ClassifierBatch batchInputs;
        private final int batch;
        private final int length;
        private final Collection<Variable> frozenWeights;
        private final List<Variable> trainableWeights;
        private final double residentAfterBuildMiB;

        private Training(
                Backend backend,
                BertConfig config,
                SequenceClassifier model,
                Optimizer adam,
                RecordFunction<Step> step,
                ClassifierBatch batchInputs,
                int batch,
                int length,
                Collection<Variable> frozenWeights,
                List<Variable> trainableWeights) {
            this.backend = backend;
            this.config = config;
            this.model = model;
            this.adam = adam;
            this.step = step;
            this.batchInputs = batchInputs;
            this.batch = batch;
            this.length = length;
            this.frozenWeights = frozenWeights;
            this.trainableWeights = trainableWeights;
            this.residentAfterBuildMiB = ProcessMemory.currentMiB();
        }

        /** Builds it on the CPU; {@code threads} as for {@code BackendProvider.create}. */
        static Training open(String name, int batch, int length, int threads) throws IOException {
            BertWeights weights = EmbeddedModels.miniLmL6().loadWeights();
            BertConfig c = weights.config();
            if (length > c.maxPositionEmbeddings()) {
                throw new IllegalArgumentException(
                        "ModelBenchmark: length is "
                                + length
                                + "; accepted: 1 to "
                                + c.maxPositionEmbeddings());
            }
            Backend backend = Plugins.discover().backends().get(name).create(Device.cpu(), threads);
            System.err.println("benchmarking " + name + ": " + backend.describe());
            BertEncoder encoder =
                    new BertEncoder(
                            backend,
                            weights,
                            DType.FLOAT32,
                            TargetModules.paper(),
                            (b, module, dIn, dOut) ->
                                    new SvdLowRankAdapter(
                                            b,
                                            module,
                                            dIn,
                                            dOut,
                                            6,
                                            12,
                                            DType.FLOAT32,
                                            HostRandom.forStream(1, module.hashCode())),
                            "bench.");
            TaskHead head =
                    new TaskHead(
                            backend, "bench.", c.hiddenSize(), 2, Pooling.MEAN, DType.FLOAT32, 1);
            SequenceClassifier model = new SequenceClassifier(encoder, head, false);
            Optimizer adam =
                    Plugins.discover().optimizers().get("adam").create(Map.of("lr", "1e-3"));
            List<Variable> trainable = new ArrayList<>(encoder.adapterParameters());
            trainable.addAll(head.parameters());
            adam.attach(backend, trainable);
            List<Variable> order = adam.parameters();
            RecordFunction<Step> step =
                    RecordFunction.compile(
                            backend,
                            (ops, in) ->
                                    List.of(
                                            adam.minimize(
                                                            ops,
                                                            List.of(
                                                                    values ->
                                                                            model.loss(
                                                                                    ops,
                                                                                    in.batch(),
                                                                                    v ->
                                                                                            values
                                                                                                    .get(
                                                                                                            order
                                                                                                                    .indexOf(
                                                                                                                            v)),
                                                                                    null)),
                                                            in.optimizer())
                                                    .loss()));
            HostRandom random = new HostRandom(3);
            Shape shape = Shape.of(batch, length);
            long[] ids = random.integers(batch * length, c.vocabSize());
            long[] mask = new long[batch * length];
            Arrays.fill(mask, 1);
            ClassifierBatch inputs =
                    new ClassifierBatch(
                            new EncoderInputs(
                                    backend.tensor(ids, shape, DType.INT64),
                                    backend.tensor(mask, shape, DType.INT64),
                                    backend.tensor(new long[batch * length], shape, DType.INT64)),
                            backend.tensor(
                                    random.integers(batch, 2), Shape.of(batch), DType.INT64));
            return new Training(
                    backend,
                    c,
                    model,
                    adam,
                    step,
                    inputs,
                    batch,
                    length,
                    encoder.frozenWeights().values(),
                    List.copyOf(trainable));
        }

        /** The pretrained weights, frozen variables on the backend. */
        Collection<Variable> frozenWeights() {
            return frozenWeights;
        }

        /** The adapters' and the head's variables (not the optimizer's state). */
        List<Variable> trainableWeights() {
            return trainableWeights;
        }

        /** Resident memory once the model, optimizer and batch were made, before any step. */
        double residentAfterBuildMiB() {
            return residentAfterBuildMiB;
        }

        Backend backend() {
            return backend;
        }

        BertConfig config() {
            return config;
        }

        int batch() {
            return batch;
        }

        int length() {
            return length;
        }

        /**
         * Runs training step {@code t} (1-based, Adam's step count) and returns its milliseconds.
         */
        double step(long t) {
            Optimizer.StepInputs stepInputs = adam.stepInputs(backend, t);
            long start = System.nanoTime();
            step.call(new Step(batchInputs, stepInputs)).forEach(Tensor::close);
            double ms = (System.nanoTime() - start) / 1e6;
            stepInputs.close();
            return ms;
        }

        /** One forward pass, after one to trace and warm it. */
        double forwardMs() {
            try (RecordFunction<EncoderInputs> forward =
                    RecordFunction.compile(
                            backend,
                            (ops, in) ->
                                    List.of(ops.sum(model.logits(ops, in, ops::read, null))))) {
                forward.call(batchInputs.inputs()).forEach(Tensor::close);
                long start = System.nanoTime();
                forward.call(batchInputs.inputs()).forEach(Tensor::close);
                return (System.nanoTime() - start) / 1e6;
            }
        }

        @Override
        public void close() {
            backend.close();
        }
    }

    /**
     * The inputs of one training step.
     *
     * @param batch the classifier's batch
     * @param optimizer Adam's step inputs
     */
    private record Step(ClassifierBatch batch, Optimizer.StepInputs optimizer) {}

    /**
     * 2 × forward FLOPs, forward = 2 × multiply-adds of the dense layers and the attention
     * products.
     */
    static double stepFlops(BertConfig c, int batch, int length) {
        double tokens = (double) batch * length;
        double h = c.hiddenSize();
        double dense = 4 * h * h + 2 * h * c.intermediateSize();
        double attention = 2 * length * h;
        double forward = 2 * tokens * c.numHiddenLayers() * (dense + attention);
        return 2 * forward;
    }

    /**
     * The rate of the encoder's largest matmul shape, [rows, 384] × [384, 1536], through the
     * framework (rows: the batch's tokens).
     */
    static double matmulRate(Backend backend, int rows) {
        HostRandom random = new HostRandom(9);
        try (Tensor a =
                        backend.tensor(
                                random.normal(rows * 384, 0, 1),
                                Shape.of(rows, 384),
                                DType.FLOAT32);
                Tensor b =
                        backend.tensor(
                                random.normal(384 * 1536, 0, 1),
                                Shape.of(384, 1536),
                                DType.FLOAT32);
                CompiledFunction f =
                        backend.compile(
                                (ops, in) -> List.of(ops.sum(ops.matmul(in.get(0), in.get(1)))))) {
            f.call(a, b).forEach(Tensor::close);
            int repeats = 20;
            long start = System.nanoTime();
            for (int i = 0; i < repeats; i++) {
                f.call(a, b).forEach(Tensor::close);
            }
            double seconds = (System.nanoTime() - start) / 1e9 / repeats;
            return 2.0 * rows * 384 * 1536 / seconds / 1e9;
        }
    }
}
