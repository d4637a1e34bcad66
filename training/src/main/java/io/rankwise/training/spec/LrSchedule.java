package io.rankwise.training.spec;

import java.io.Serializable;

/**
 * How the learning rate moves over the T steps of a run, as a value (serializable, comparable);
 * {@link #create} makes the {@link LearningRateSchedule} once the base rate lr (the optimizer's own
 * {@code lr} option) and T are known.
 */
public sealed interface LrSchedule extends Serializable
        permits LrSchedule.Linear, LrSchedule.ConstantThenDecay, LrSchedule.Constant {

    /** The schedule's name as written in YAML. */
    String kind();

    /**
     * Linear warm-up from 0 to lr over {@code warmupSteps}, then linear decay to 0 at step T.
     *
     * @param warmupSteps warm-up steps (0: start at lr)
     */
    record Linear(long warmupSteps) implements LrSchedule {
        /** Refuses a negative warm-up. */
        public Linear {
            if (warmupSteps < 0) {
                throw new IllegalArgumentException("warmup_steps must be >= 0, got " + warmupSteps);
            }
        }

        @Override
        public String kind() {
            return "linear";
        }
    }

    /**
     * The paper's IVON schedule for the small GLUE tasks: {@code lrHigh} for the first {@code
     * holdSteps}, then linear decay from lr to 0 at step T.
     *
     * @param holdSteps steps at {@code lrHigh}
     * @param lrHigh the rate while holding
     */
    record ConstantThenDecay(long holdSteps, double lrHigh) implements LrSchedule {
        /** Refuses negative steps and a non-positive rate. */
        public ConstantThenDecay {
            if (holdSteps < 0 || !(lrHigh > 0) || Double.isInfinite(lrHigh)) {
                throw new IllegalArgumentException(
                        "hold_steps must be >= 0 and lr_high > 0, got "
                                + holdSteps
                                + ", "
                                + lrHigh);
            }
        }

        @Override
        public String kind() {
            return "constant_then_decay";
        }
    }

    /** lr at every step. */
    record Constant() implements LrSchedule {
        @Override
        public String kind() {
            return "constant";
        }
    }

    /** The schedule for base rate {@code lr} over {@code totalSteps}. */
    default LearningRateSchedule create(double lr, long totalSteps) {
        if (this instanceof Linear l) {
            return LearningRateSchedule.linear(lr, l.warmupSteps(), totalSteps);
        }
        if (this instanceof ConstantThenDecay d) {
            return LearningRateSchedule.constantThenDecay(
                    d.lrHigh(), d.holdSteps(), lr, totalSteps);
        }
        return LearningRateSchedule.constant(lr);
    }
}
