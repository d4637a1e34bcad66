package io.rankwise.training.wiring;

import com.google.inject.Guice;
import com.google.inject.Injector;
import io.rankwise.allocators.MetricRequirements;
import io.rankwise.api.plugin.Plugins;
import io.rankwise.api.spi.ImportanceMetricProvider;
import io.rankwise.api.spi.OptimizerProvider;
import io.rankwise.api.wiring.PluginModule;
import io.rankwise.training.spec.RunSpec;

/**
 * The one place where a run is assembled: a Guice injector over the process's plugins ({@link
 * PluginModule}) and the run's choices ({@link RunModule}) makes the {@link RunParts} that
 * training, evaluation and export use.
 *
 * <p>Before anything is built or computed, every name in the spec is checked against the registry
 * (a name that no plugin has is refused naming the kind, the name and the available names), and,
 * for AdaLoRA, the metric's needs against what the optimizer offers (a LoRA run uses no metric).
 */
public final class RunAssembly {
    private RunAssembly() {}

    /**
     * The parts of the run that {@code spec} describes, from {@code plugins}.
     *
     * @throws IllegalArgumentException for a name that no plugin has, or a metric that needs what
     *     the optimizer does not offer
     */
    public static RunParts assemble(Plugins plugins, RunSpec spec) {
        checkNames(plugins, spec);
        Injector injector = Guice.createInjector(new PluginModule(plugins), new RunModule(spec));
        return injector.getInstance(RunParts.class);
    }

    private static void checkNames(Plugins plugins, RunSpec spec) {
        if (!spec.backend().name().isBlank()) {
            plugins.backends().get(spec.backend().name());
        }
        OptimizerProvider optimizer = plugins.optimizers().get(spec.optimizer().name());
        ImportanceMetricProvider metric = plugins.metrics().get(spec.metric().name());
        plugins.allocators().get(spec.allocator().name());
        plugins.adapters().get(spec.adapter().kind());
        if (spec.adapter().fixedRank()) {
            // LoRA computes no importance: a metric left in the spec is not used, so what it
            // would need of the optimizer does not matter.
            return;
        }
        MetricRequirements.check(
                metric.name(),
                metric.requires(),
                optimizer.name(),
                optimizer.capabilities(),
                plugins.optimizers().providers());
    }
}
