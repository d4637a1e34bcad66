package io.rankwise.cli.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rankwise.allocators.AdaLoraAllocatorProvider;
import io.rankwise.api.plugin.Plugins;
import io.rankwise.api.spi.Option;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The documentation lists every key with its default, and every plugin option from the plugin's
 * declaration.
 */
class ConfigDocsTest {
    private static final Plugins PLUGINS = ConfigLoader.builtInPlugins();

    /** Every key path, written out here so that a key added without documentation is noticed. */
    private static final List<String> KEYS =
            List.of(
                    "run.name",
                    "run.output_dir",
                    "run.seed",
                    "run.log_every",
                    "run.eval_every",
                    "run.checkpoint_every",
                    "backend.name",
                    "backend.device",
                    "model.source",
                    "model.max_length",
                    "model.pooling",
                    "model.dropout",
                    "model.dtype",
                    "adapter.kind",
                    "adapter.init_r",
                    "adapter.lora_alpha",
                    "adapter.lora_dropout",
                    "adapter.target_modules",
                    "allocator.name",
                    "allocator.options",
                    "optimizer.name",
                    "optimizer.options",
                    "metric.name",
                    "metric.options",
                    "task.name",
                    "task.data_dir",
                    "task.max_train",
                    "task.max_eval",
                    "task.skip_bad_rows",
                    "training.epochs",
                    "training.max_steps",
                    "training.batch_size",
                    "training.grad_accumulation",
                    "training.lr_schedule.kind",
                    "training.lr_schedule.warmup_steps",
                    "training.lr_schedule.hold_steps",
                    "training.lr_schedule.lr_high",
                    "training.test_samples",
                    "ablation.backends",
                    "ablation.pairs",
                    "ablation.pairs[].adapter",
                    "ablation.pairs[].optimizer",
                    "ablation.pairs[].metric",
                    "ablation.pairs[].optimizer_options",
                    "ablation.pairs[].metric_options",
                    "ablation.pairs[].lr_schedule.kind",
                    "ablation.pairs[].lr_schedule.warmup_steps",
                    "ablation.pairs[].lr_schedule.hold_steps",
                    "ablation.pairs[].lr_schedule.lr_high",
                    "ablation.seeds",
                    "ablation.tasks");

    @Test
    void everyKeyIsDocumented() {
        assertEquals(KEYS, ConfigDocs.paths());
        String text = ConfigDocs.text(PLUGINS);
        String markdown = ConfigDocs.markdown(PLUGINS);
        for (String key : KEYS) {
            assertTrue(text.contains("  " + key + " "), key);
            assertTrue(markdown.contains("| `" + key + "` |"), key);
        }
    }

    @Test
    void textShowsDefaultAndAcceptedValuesUnderEachKey() {
        List<String> lines = new ArrayList<>(ConfigDocs.text(PLUGINS).lines().toList());
        int i =
                lines.indexOf(
                        lines.stream()
                                .filter(l -> l.startsWith("  training.batch_size "))
                                .findFirst()
                                .orElseThrow());
        assertEquals("  training.batch_size                examples per micro-batch", lines.get(i));
        assertEquals("default 16; accepted: integer >= 1", lines.get(i + 1).trim());
    }

    @Test
    void markdownRowsHaveDefaultAcceptedValuesAndMeaning() {
        String markdown = ConfigDocs.markdown(PLUGINS);
        assertTrue(
                markdown.contains(
                        "| `model.pooling` | `pooler` | pooler, cls, mean | the task head: pooler is Hugging Face's"
                                + " head of the model's family"),
                markdown);
        assertTrue(
                markdown.contains(
                        "| `ablation.pairs[].metric` | `''` | an importance-metric plugin name; left out for"
                                + " adapter lora |"),
                markdown);
        // Angle brackets would be read as HTML tags and vanish from the rendered README.
        assertTrue(
                markdown.contains(
                        "empty: &lt;task>-&lt;optimizer>-&lt;metric>-&lt;date-time> (a lora run:"
                                + " &lt;task>-lora-&lt;optimizer>-&lt;date-time>) |"),
                markdown);
    }

    /**
     * The allocator's keys, defaults, ranges and meanings are the adalora plugin's declared
     * options, row by row.
     */
    @Test
    void pluginOptionRowsComeFromTheDeclarations() {
        String markdown = ConfigDocs.markdown(PLUGINS);
        String text = ConfigDocs.text(PLUGINS);
        for (Option<?> o : new AdaLoraAllocatorProvider().options()) {
            String row =
                    "| `allocator.options."
                            + o.name()
                            + "` (adalora) | `"
                            + Option.show(o.defaultValue())
                            + "` | "
                            + o.accepted().replace("<", "&lt;")
                            + " | "
                            + o.doc()
                            + " |";
            assertTrue(markdown.contains(row), row + " in\n" + markdown);
            assertTrue(text.contains("  allocator.options." + o.name() + " (adalora) "), o.name());
        }
        assertTrue(
                markdown.contains(
                        "| `allocator.options.target_r` (adalora) | `4` | an integer >= 1 |"),
                markdown);
        assertTrue(
                markdown.contains(
                        "| `optimizer.options.ess` (ivon) | required | a number > 0, or auto (the training-set size)"
                                + " |"),
                markdown);
        assertTrue(
                markdown.contains(
                        "| `optimizer.options.clip_radius` (ivon) | `inf` | a number in (0, inf] |"),
                markdown);
        assertTrue(
                markdown.contains(
                        "| `optimizer.options.lr` (adam) | `0.001` | a number >= 0 | learning rate |"),
                markdown);
        assertTrue(
                markdown.contains(
                        "| `metric.options.beta1` (sensitivity) | `0.85` | a number in [0, 1) |"),
                markdown);
        // A declaration that changes changes the documentation: nothing is written twice.
        Option<Integer> declared = AdaLoraAllocatorProvider.TARGET_R;
        assertEquals(4, declared.defaultValue());
    }
}
