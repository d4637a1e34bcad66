package io.rankwise.training.spec;

import io.rankwise.api.DType;
import io.rankwise.api.Device;
import io.rankwise.models.encoder.Pooling;
import java.io.Serializable;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * Everything one fine-tuning run is: which engine, which pretrained model, which adapters, which
 * allocator, optimizer and importance metric (plugins, by name, with their options), which data,
 * and how long and how it trains. Immutable and {@link Serializable}: the same spec, shipped to
 * another JVM, builds the same run there and gives the same numbers on the same backend.
 *
 * <p>Plugin names are checked when the run is assembled ({@link RunAssembly}), before anything is
 * computed; each plugin checks its own options. The rest of the values are checked here.
 *
 * @param backend the engine and its device
 * @param model the pretrained encoder
 * @param adapter the low-rank adapters on the encoder's linear layers
 * @param allocator the rank allocator plugin and its options (AdaLoRA's budget schedule)
 * @param optimizer the optimizer plugin and its options ({@code ess: auto} stands for the
 *     training-set size)
 * @param metric the importance-metric plugin and its options
 * @param task the data
 * @param training length, batches, schedule, cadence of logs, evaluations and checkpoints, seed
 */
public record RunSpec(
        Backend backend,
        Model model,
        Adapter adapter,
        Plugin allocator,
        Plugin optimizer,
        Plugin metric,
        Data task,
        Training training)
        implements Serializable {
    private static final long serialVersionUID = 1L;

    /** The optimizer option that {@link #AUTO} may stand for: the effective sample size. */
    public static final String ESS = "ess";

    /**
     * The value of {@link #ESS} that stands for the training set's size, resolved when the run
     * starts.
     */
    public static final String AUTO = "auto";

    /** Requires every part. */
    public RunSpec {
        Objects.requireNonNull(backend, "backend");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(adapter, "adapter");
        Objects.requireNonNull(allocator, "allocator");
        Objects.requireNonNull(optimizer, "optimizer");
        Objects.requireNonNull(metric, "metric");
        Objects.requireNonNull(task, "task");
        Objects.requireNonNull(training, "training");
    }

    /** This spec on another engine, device or thread budget (what a grid executor grants a run). */
    public RunSpec withBackend(Backend other) {
        return new RunSpec(other, model, adapter, allocator, optimizer, metric, task, training);
    }

    /**
     * The engine.
     *
     * @param name a backend plugin name; blank: the registry's choice (system property {@code
     *     rankwise.backend}, then {@code RANKWISE_BACKEND}, then the highest-ranked backend that
     *     loads)
     * @param device where it computes
     * @param threads the engine's compute threads: the CPU cores the run may use (a cluster
     *     executor sets it from what it granted the run); 0 keeps the backend's defaults (for the
     *     built-in backends, the cores the process may use)
     */
    public record Backend(String name, Device device, int threads) implements Serializable {
        private static final long serialVersionUID = 1L;

        /** Requires a name and a device, and at least 0 threads. */
        public Backend {
            Objects.requireNonNull(name, "backend.name");
            Objects.requireNonNull(device, "backend.device");
            check("backend.threads", threads, threads >= 0, "0 (engine default) or more");
        }

        /** With the engine's default threads. */
        public Backend(String name, Device device) {
            this(name, device, 0);
        }
    }

    /**
     * The pretrained encoder.
     *
     * @param source {@value ModelSources#EMBEDDED_MINILM} or a Hugging Face checkpoint folder
     * @param maxLength tokens per sequence, [CLS] and [SEP] included
     * @param pooling how the task head pools the sequence
     * @param dropout dropout rate while training, in [0, 1)
     * @param dtype parameter and activation type
     */
    public record Model(String source, int maxLength, Pooling pooling, double dropout, DType dtype)
            implements Serializable {
        private static final long serialVersionUID = 1L;

        /** Checks the ranges. */
        public Model {
            Objects.requireNonNull(source, "model.source");
            Objects.requireNonNull(pooling, "model.pooling");
            Objects.requireNonNull(dtype, "model.dtype");
            check("model.max_length", maxLength, maxLength >= 2, "an integer >= 2");
            check("model.dropout", dropout, dropout >= 0 && dropout < 1, "a number in [0, 1)");
        }
    }

    /**
     * The adapters.
     *
     * @param kind the adapter plugin name: {@value #ADALORA} (SVD form P diag(Λ) Q, whose rank the
     *     allocator prunes) or {@value #LORA} (plain LoRA B A at the fixed rank {@code initR}, no
     *     allocator, no importance metric)
     * @param initR initial rank r₀ per adapted matrix; LoRA's r, which stays
     * @param loraAlpha α: the adapter's update is scaled by α / r₀
     * @param targetModules module-name patterns of the linear layers that get adapters
     * @param loraDropout p, the dropout rate on the adapters' input while training, as PEFT
     *     computes an adapted layer: y = x Wᵀ + b + B(A(dropout_p(x))) · scaling, the base layer
     *     seeing x undropped (PEFT's {@code lora_dropout}), in [0, 1)
     */
    public record Adapter(
            String kind,
            int initR,
            double loraAlpha,
            List<String> targetModules,
            double loraDropout)
            implements Serializable {
        private static final long serialVersionUID = 1L;

        /** The kind of AdaLoRA's SVD-form adapters, whose rank the allocator prunes. */
        public static final String ADALORA = "adalora";

        /** The kind of plain LoRA adapters, trained at the fixed rank init_r. */
        public static final String LORA = "lora";

        /** Without adapter dropout: {@code lora_dropout} 0, PEFT's default. */
        public Adapter(String kind, int initR, double loraAlpha, List<String> targetModules) {
            this(kind, initR, loraAlpha, targetModules, 0.0);
        }

        /** Checks the ranges and copies the patterns. */
        public Adapter {
            Objects.requireNonNull(kind, "adapter.kind");
            check("adapter.init_r", initR, initR >= 1, "an integer >= 1");
            check(
                    "adapter.lora_alpha",
                    loraAlpha,
                    loraAlpha > 0 && Double.isFinite(loraAlpha),
                    "a number > 0");
            check(
                    "adapter.lora_dropout",
                    loraDropout,
                    loraDropout >= 0 && loraDropout < 1,
                    "a number in [0, 1)");
            targetModules = List.copyOf(targetModules);
            if (targetModules.isEmpty()) {
                throw new IllegalArgumentException(
                        "adapter.target_modules is []; accepted: at least one module-name pattern");
            }
        }

        /**
         * Whether the adapters keep their rank: plain LoRA ({@value #LORA}), trained without a rank
         * allocator, an importance metric or the orthogonality regulariser, so that the {@code
         * allocator} and {@code metric} sections of the spec are not used.
         */
        public boolean fixedRank() {
            return LORA.equals(kind);
        }
    }

    /**
     * A plugin chosen by name, with its options as typed values ({@link Integer}, {@link Long},
     * {@link Double}, {@link Boolean} or {@link String}, all serializable), which the plugin parses
     * against its declared {@link io.rankwise.api.spi.Option}s when the run is assembled. Text is
     * accepted too ({@code "0.1"} for a number), but equal specs need equal values: the command
     * line gives each option its declared type, so that {@code lr: 10.0} and {@code lr: 10} make
     * the same spec.
     *
     * @param name the plugin's name
     * @param options its options (sorted by key, so that equal choices are equal specs)
     */
    public record Plugin(String name, Map<String, Object> options) implements Serializable {
        private static final long serialVersionUID = 2L;
        private static final Set<Class<?>> VALUE_TYPES =
                Set.of(Integer.class, Long.class, Double.class, Boolean.class, String.class);

        /**
         * Copies the options and checks that every value is one of the serializable scalar types.
         */
        public Plugin {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(options, "options");
            options.forEach(
                    (key, value) -> {
                        if (value == null || !VALUE_TYPES.contains(value.getClass())) {
                            throw new IllegalArgumentException(
                                    name
                                            + ": option '"
                                            + key
                                            + "' is "
                                            + value
                                            + (value == null
                                                    ? ""
                                                    : " (a "
                                                            + value.getClass().getSimpleName()
                                                            + ")")
                                            + "; accepted: an Integer, Long, Double, Boolean or String");
                        }
                    });
            options = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(options));
        }

        /** A plugin with its default options. */
        public static Plugin named(String name) {
            return new Plugin(name, Map.of());
        }
    }

    /**
     * The data.
     *
     * @param name {@value Tasks#SPAM_ASSASSIN} or {@code glue:<task>} ({@link Tasks#NAMES})
     * @param dataDir the GLUE download's root folder (read only for GLUE tasks)
     * @param maxTrain training examples used, a deterministic subsample by the seed; 0: all
     * @param maxEval dev examples evaluated; 0: all
     * @param skipBadRows skip malformed GLUE rows instead of failing on the first
     */
    public record Data(String name, String dataDir, int maxTrain, int maxEval, boolean skipBadRows)
            implements Serializable {
        private static final long serialVersionUID = 1L;

        /** Checks the name and the ranges. */
        public Data {
            Objects.requireNonNull(dataDir, "task.data_dir");
            if (!Tasks.NAMES.contains(name)) {
                throw new IllegalArgumentException(
                        "task.name is " + name + "; accepted: " + String.join(", ", Tasks.NAMES));
            }
            check("task.max_train", maxTrain, maxTrain >= 0, "an integer >= 0");
            check("task.max_eval", maxEval, maxEval >= 0, "an integer >= 0");
        }
    }

    /**
     * How the run trains.
     *
     * @param epochs passes over the training set
     * @param maxSteps total steps when &gt; 0 (wins over epochs)
     * @param batchSize examples per micro-batch
     * @param gradAccumulation micro-batches per step
     * @param lrSchedule the learning-rate schedule around the optimizer's lr
     * @param testSamples posterior draws at evaluation (0: at the mean)
     * @param logEvery steps between logged steps
     * @param evalEvery steps between dev evaluations (0: only at the end)
     * @param checkpointEvery steps between checkpoints (0: only the last step's)
     * @param seed the seed of everything random: initialisation, data order, dropout, weight noise
     */
    public record Training(
            int epochs,
            long maxSteps,
            int batchSize,
            int gradAccumulation,
            LrSchedule lrSchedule,
            int testSamples,
            int logEvery,
            int evalEvery,
            int checkpointEvery,
            long seed)
            implements Serializable {
        private static final long serialVersionUID = 1L;

        /** Checks the ranges. */
        public Training {
            Objects.requireNonNull(lrSchedule, "training.lr_schedule");
            check("training.epochs", epochs, epochs >= 1, "an integer >= 1");
            check("training.max_steps", maxSteps, maxSteps >= 0, "an integer >= 0");
            check("training.batch_size", batchSize, batchSize >= 1, "an integer >= 1");
            check(
                    "training.grad_accumulation",
                    gradAccumulation,
                    gradAccumulation >= 1,
                    "an integer >= 1");
            check("training.test_samples", testSamples, testSamples >= 0, "an integer >= 0");
            check("run.log_every", logEvery, logEvery >= 1, "an integer >= 1");
            check("run.eval_every", evalEvery, evalEvery >= 0, "an integer >= 0");
            check("run.checkpoint_every", checkpointEvery, checkpointEvery >= 0, "an integer >= 0");
        }

        /** Examples per optimizer step: batch_size × grad_accumulation. */
        public int examplesPerStep() {
            return batchSize * gradAccumulation;
        }

        /** T, the run's steps on a training set of {@code trainSize} examples. */
        public long totalSteps(int trainSize) {
            return totalSteps(maxSteps, epochs, examplesPerStep(), trainSize);
        }

        /**
         * T: {@code maxSteps} when &gt; 0, else {@code epochs} passes of whole steps over {@code
         * trainSize} examples (an incomplete last batch is dropped). The one formula for the run's
         * length, also used where only the configuration is at hand.
         */
        public static long totalSteps(
                long maxSteps, int epochs, int examplesPerStep, int trainSize) {
            return maxSteps > 0 ? maxSteps : (long) (trainSize / examplesPerStep) * epochs;
        }
    }

    /**
     * The optimizer's options as the optimizer gets them: {@code ess: auto} ({@link #AUTO}) becomes
     * {@code trainingExamples}, the size of the training set the run was trained on (IVON's
     * posterior spread depends on it, so evaluation must resolve it the same way as training).
     */
    public Map<String, Object> resolvedOptimizerOptions(int trainingExamples) {
        Map<String, Object> options = new java.util.HashMap<>(optimizer.options());
        if (isAuto(options.get(ESS))) {
            options.put(ESS, (double) trainingExamples);
        }
        return options;
    }

    /** Whether an option value is {@link #AUTO}, written in any case. */
    public static boolean isAuto(Object value) {
        return value instanceof String s && s.trim().equalsIgnoreCase(AUTO);
    }

    private static void check(String key, double value, boolean ok, String accepted) {
        if (!ok) {
            String shown =
                    value == Math.rint(value) && !Double.isInfinite(value)
                            ? String.valueOf((long) value)
                            : String.valueOf(value);
            throw new IllegalArgumentException(key + " is " + shown + "; accepted: " + accepted);
        }
    }
}
