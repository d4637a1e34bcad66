package io.rankwise.training;

import io.rankwise.training.eval.Evaluation;
import io.rankwise.training.model.AdapterWeights;
import io.rankwise.training.model.HeadWeights;
import io.rankwise.training.model.LoraWeights;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The outcome of a run.
 *
 * @param backend the name of the backend that ran it (the registry's choice when none was
 *     configured)
 * @param steps steps trained
 * @param finalLoss the last training loss
 * @param evaluation the final evaluation on the dev split
 * @param rankPattern the final rank pattern, keyed by module; empty for a LoRA run, whose adapters
 *     keep their rank
 * @param secondsPerStep mean wall time per training step over all T steps of the run: a resumed run
 *     adds the time its checkpoint says the steps before it took
 * @param peakMemoryMiB peak resident memory of the process
 * @param adapters the AdaLoRA adapters' final values, for export; empty for a LoRA run
 * @param loraAdapters the plain LoRA adapters' final values, for export; empty for an AdaLoRA run
 * @param head the task head's final values, for export
 * @param runDir the run folder (checkpoint, rank_pattern.json, the adapter in PEFT's format)
 */
public record RunResult(
        String backend,
        long steps,
        double finalLoss,
        Evaluation evaluation,
        Map<String, boolean[]> rankPattern,
        double secondsPerStep,
        double peakMemoryMiB,
        List<AdapterWeights> adapters,
        List<LoraWeights> loraAdapters,
        HeadWeights head,
        Path runDir) {

    /** Whether the run trained plain LoRA adapters at a fixed rank (no rank pattern, no budget). */
    public boolean fixedRank() {
        return !loraAdapters.isEmpty();
    }
}
