package io.rankwise.optimizers.noise;

import io.rankwise.api.Variable;
import java.util.List;

/**
 * Replays recorded standard-normal draws, as the reference traces list them: for step t (from 1),
 * sample s, parameter i, {@code draws.get(t − 1).get(s).get(i)}.
 */
public final class ReplayNoise extends HostFedNoise {
    private final List<List<List<double[]>>> draws;

    /** Replays {@code draws} (step-major, then sample, then parameter). */
    public ReplayNoise(List<List<List<double[]>>> draws) {
        this.draws = draws;
    }

    @Override
    double[] values(long step, int sample, int index, Variable parameter) {
        if (step < 1 || step > draws.size()) {
            throw new IllegalStateException(
                    "replayed noise covers steps 1.."
                            + draws.size()
                            + "; step "
                            + step
                            + " was asked for");
        }
        List<List<double[]>> samples = draws.get((int) step - 1);
        if (sample >= samples.size() || index >= samples.get(sample).size()) {
            throw new IllegalStateException(
                    "replayed noise at step "
                            + step
                            + " has "
                            + samples.size()
                            + " samples; sample "
                            + sample
                            + ", parameter "
                            + index
                            + " ("
                            + parameter.name()
                            + ") was asked for");
        }
        return samples.get(sample).get(index);
    }
}
