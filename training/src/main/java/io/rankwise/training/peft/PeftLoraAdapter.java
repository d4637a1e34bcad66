package io.rankwise.training.peft;

import io.rankwise.training.model.HeadWeights;
import io.rankwise.training.model.LoraWeights;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A plain LoRA adapter read back from a PEFT folder.
 *
 * @param settings the settings from {@code adapter_config.json}
 * @param adapters one per module, in model order ({@link PeftNames#MODULE_ORDER}), at rank r
 * @param head the classification head saved under {@code modules_to_save}, if the folder holds one
 */
public record PeftLoraAdapter(
        LoraSettings settings, List<LoraWeights> adapters, Optional<HeadWeights> head) {

    /** Copies the list (not the arrays). */
    public PeftLoraAdapter {
        Objects.requireNonNull(settings, "settings");
        adapters = List.copyOf(adapters);
        Objects.requireNonNull(head, "head");
    }
}
