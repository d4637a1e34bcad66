package io.rankwise.cli.config;

import static io.rankwise.cli.config.ValueKind.INTEGER;
import static io.rankwise.cli.config.ValueKind.LIST;
import static io.rankwise.cli.config.ValueKind.NUMBER;
import static io.rankwise.cli.config.ValueKind.STRING;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rankwise.models.encoder.TargetModules;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * The {@code adapter} section: the low-rank adapters put beside the frozen linear layers.
 *
 * @param kind AdaLoRA (rank allocated during training) or plain LoRA
 * @param initR the initial rank r per adapted matrix
 * @param loraAlpha α; the adapter's update is scaled by α / init_r
 * @param targetModules module-name patterns of the adapted layers, as PEFT's {@code target_modules}
 * @param loraDropout dropout on the adapters' input while training, PEFT's {@code lora_dropout}
 */
public record AdapterConfig(
        AdapterKind kind,
        int initR,
        double loraAlpha,
        List<String> targetModules,
        double loraDropout) {

    /** PEFT's default {@code lora_dropout} (LoraConfig and AdaLoraConfig): no adapter dropout. */
    public static final double DEFAULT_LORA_DROPOUT = 0.0;

    /** The keys of {@code adapter}. */
    public static final ConfigSection SECTION =
            new ConfigSection(
                    "adapter",
                    "the low-rank adapters",
                    List.of(
                            ConfigKey.of(
                                    "kind",
                                    STRING,
                                    "adalora, lora",
                                    "adalora",
                                    "adalora: SVD-form adapters P diag(Λ) Q whose rank the allocator prunes; lora: plain LoRA B A at the"
                                            + " fixed rank init_r with scale lora_alpha / init_r, trained without allocator, importance metric"
                                            + " or orthogonality regulariser (the allocator and metric sections are not used)"),
                            ConfigKey.of(
                                    "init_r",
                                    INTEGER,
                                    "integer >= 1",
                                    "6",
                                    "initial rank per adapted matrix (the paper: 6 for target_r 4, 3 for target_r 2); lora: the rank r, which"
                                            + " stays"),
                            ConfigKey.of(
                                    "lora_alpha",
                                    NUMBER,
                                    "number > 0",
                                    "12",
                                    "α: the adapter's update is scaled by α / init_r"),
                            ConfigKey.of(
                                    "lora_dropout",
                                    NUMBER,
                                    "number in [0, 1)",
                                    String.valueOf(DEFAULT_LORA_DROPOUT),
                                    "dropout on the adapters' input only, while training, as PEFT computes an adapted layer: base(x) + B(A(dropout(x))) · scaling; 0.0 is PEFT's default (LoraConfig, AdaLoraConfig); exported as lora_dropout in adapter_config.json"),
                            ConfigKey.of(
                                    "target_modules",
                                    LIST,
                                    "a list of module-name patterns",
                                    "[query, key, value, attention.output.dense, intermediate.dense, output.dense]",
                                    "linear layers that get adapters: a pattern matches a module named like it or ending in .pattern")));

    /** Copies the list and checks what the mapping checks. */
    public AdapterConfig {
        Objects.requireNonNull(kind, "kind");
        targetModules = List.copyOf(targetModules);
        if (initR < 1
                || !(loraAlpha > 0)
                || targetModules.isEmpty()
                || !(loraDropout >= 0 && loraDropout < 1)) {
            throw new IllegalArgumentException(
                    "adapter: init_r >= 1, lora_alpha > 0, target_modules not empty, lora_dropout"
                            + " in [0, 1)");
        }
    }

    /** The target modules as the model layer takes them. */
    public TargetModules targets() {
        return new TargetModules(targetModules);
    }

    static AdapterConfig read(SectionReader r) {
        AdapterKind kind =
                AdapterKind.valueOf(
                        r.oneOf("kind", List.of("adalora", "lora")).toUpperCase(Locale.ROOT));
        List<String> targets = r.strings("target_modules");
        if (targets.isEmpty()) {
            throw r.bad(
                    "target_modules",
                    "a non-empty list of module-name patterns, e.g. [query, value]");
        }
        return new AdapterConfig(
                kind,
                r.intValue("init_r", 1, Integer.MAX_VALUE),
                r.number("lora_alpha", a -> a > 0),
                targets,
                r.number("lora_dropout", d -> d >= 0 && d < 1));
    }

    /** This section with another kind (an ablation pair's adapter). */
    public AdapterConfig withKind(AdapterKind other) {
        return new AdapterConfig(other, initR, loraAlpha, targetModules, loraDropout);
    }

    void write(ObjectNode out) {
        out.put("kind", kind.name().toLowerCase(Locale.ROOT));
        out.put("init_r", initR);
        out.put("lora_alpha", loraAlpha);
        out.put("lora_dropout", loraDropout);
        ArrayNode list = out.putArray("target_modules");
        targetModules.forEach(list::add);
    }
}
