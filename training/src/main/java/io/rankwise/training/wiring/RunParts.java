package io.rankwise.training.wiring;

import com.google.inject.Inject;
import com.google.inject.Provider;
import com.google.inject.ProvisionException;
import io.rankwise.api.Backend;
import io.rankwise.api.adapt.ImportanceMetric;
import io.rankwise.api.adapt.RankAllocator;
import io.rankwise.api.optim.Optimizer;
import io.rankwise.api.spi.AdapterProvider;
import io.rankwise.api.spi.ImportanceMetricProvider;
import io.rankwise.api.spi.OptimizerProvider;
import io.rankwise.api.spi.Options;
import io.rankwise.api.spi.RankAllocatorProvider;
import io.rankwise.training.spec.RunSpec;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The plugins of one run, injected by {@link RunAssembly}, and how each is made from the spec: the
 * backend, the optimizer (once the training-set size is known, for {@code ess: auto}), the
 * importance metric and the allocator (once the run's length is known; AdaLoRA runs only, a LoRA
 * run has neither) and the adapter provider. Training, evaluation and export all make their parts
 * here, so that they get the same ones.
 */
public final class RunParts {
    private final RunSpec spec;
    private final Provider<Backend> backend;
    private final OptimizerProvider optimizer;
    private final ImportanceMetricProvider metric;
    private final RankAllocatorProvider allocator;
    private final AdapterProvider adapter;

    @Inject
    RunParts(
            RunSpec spec,
            Provider<Backend> backend,
            OptimizerProvider optimizer,
            ImportanceMetricProvider metric,
            RankAllocatorProvider allocator,
            AdapterProvider adapter) {
        this.spec = spec;
        this.backend = backend;
        this.optimizer = optimizer;
        this.metric = metric;
        this.allocator = allocator;
        this.adapter = adapter;
    }

    /** The spec these parts were made for. */
    public RunSpec spec() {
        return spec;
    }

    /**
     * Starts a backend on the spec's device; the caller closes it.
     *
     * @throws IllegalArgumentException if the device cannot be used
     * @throws IllegalStateException if no backend could be started
     */
    public Backend startBackend() {
        try {
            return backend.get();
        } catch (ProvisionException e) {
            // Guice wraps what the provider threw; the plugin's own message is the one that helps.
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw e;
        }
    }

    /** The optimizer, with {@code ess: auto} resolved to {@code trainingExamples}. */
    public Optimizer optimizer(int trainingExamples) {
        return withSection(
                "optimizer",
                () -> optimizer.create(spec.resolvedOptimizerOptions(trainingExamples)));
    }

    /**
     * The importance metric.
     *
     * @throws IllegalStateException for a LoRA spec, which has none
     */
    public ImportanceMetric metric() {
        requireAllocated("an importance metric");
        return withSection("metric", () -> metric.create(spec.metric().options()));
    }

    /**
     * The allocator for a run of {@code totalSteps} steps.
     *
     * @throws IllegalArgumentException for options the allocator refuses, or a schedule that does
     *     not fit {@code totalSteps}
     */
    public RankAllocator allocator(long totalSteps) {
        requireAllocated("a rank allocator");
        return allocator.create(spec.allocator().options(), spec.adapter().initR(), totalSteps);
    }

    /** A LoRA run computes nothing of AdaLoRA's: asking for it is a bug, not bad input. */
    private void requireAllocated(String what) {
        if (spec.adapter().fixedRank()) {
            throw new IllegalStateException(
                    "adapter.kind is "
                            + spec.adapter().kind()
                            + ": its adapters keep their rank, and the run has no "
                            + what.substring(what.indexOf(' ') + 1));
        }
    }

    /** The adapter provider. */
    public AdapterProvider adapterProvider() {
        return adapter;
    }

    /**
     * The adapter options every adapted module gets, parsed once against the adapter plugin's
     * declaration: the spec's rank and α, the model's dtype, and the run's seed (each module draws
     * its own stream of it). The rank goes under the name the plugin declares: {@code init_r}
     * (AdaLoRA's r₀) or {@code r} (plain LoRA's, as PEFT's {@code LoraConfig} names it).
     */
    public Options adapterOptions() {
        Map<String, Object> options = new HashMap<>();
        boolean initR = adapter.options().stream().anyMatch(o -> o.name().equals("init_r"));
        options.put(initR ? "init_r" : "r", spec.adapter().initR());
        options.put("lora_alpha", spec.adapter().loraAlpha());
        options.put("dtype", spec.model().dtype().name().toLowerCase(java.util.Locale.ROOT));
        options.put("seed", spec.training().seed());
        return Options.parse(adapter, options);
    }

    /**
     * Creates a plugin, naming the configuration section in a refusal of its options; an unknown
     * option usually means the name was switched while the other plugin's options stayed.
     */
    private static <T> T withSection(String section, Supplier<T> create) {
        try {
            return create.get();
        } catch (IllegalArgumentException e) {
            String hint =
                    e.getMessage() != null && e.getMessage().contains("unknown option")
                            ? " (after switching "
                                    + section
                                    + ".name, clear the previous plugin's options with --set "
                                    + section
                                    + ".options=null)"
                            : "";
            throw new IllegalArgumentException(section + ".options: " + e.getMessage() + hint, e);
        }
    }
}
