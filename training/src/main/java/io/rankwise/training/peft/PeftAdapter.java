package io.rankwise.training.peft;

import io.rankwise.training.model.AdapterWeights;
import io.rankwise.training.model.HeadWeights;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * An AdaLoRA adapter read back from a PEFT folder, at full rank init_r.
 *
 * @param settings the settings from {@code adapter_config.json}
 * @param adapters one per module, in model order ({@link PeftNames#MODULE_ORDER}); triplets the
 *     rank pattern pruned are zero (Λ and the P column and Q row)
 * @param rankPattern module → surviving triplets, for every adapter (all true for a module the
 *     file's pattern does not list)
 * @param head the classification head saved under {@code modules_to_save}, if the folder holds one
 */
public record PeftAdapter(
        AdaLoraSettings settings,
        List<AdapterWeights> adapters,
        Map<String, boolean[]> rankPattern,
        Optional<HeadWeights> head) {

    /** Copies the list and map (not the arrays). */
    public PeftAdapter {
        adapters = List.copyOf(adapters);
        rankPattern = Collections.unmodifiableMap(new LinkedHashMap<>(rankPattern));
        Objects.requireNonNull(head, "head");
    }

    /** An adapter without a classification head. */
    public PeftAdapter(
            AdaLoraSettings settings,
            List<AdapterWeights> adapters,
            Map<String, boolean[]> rankPattern) {
        this(settings, adapters, rankPattern, Optional.empty());
    }
}
