package io.rankwise.training.spec;

/**
 * The learning rate at step t (from 1) of T:
 *
 * <ul>
 *   <li>{@code linear}: lr · t / w during w warm-up steps, then linear decay to 0 at T;
 *   <li>{@code constant_then_decay}: the paper's IVON schedule for small GLUE tasks: a constant
 *       {@code high} for the first {@code hold} steps, then linear decay from lr to 0 at T;
 *   <li>{@code constant}: lr throughout.
 * </ul>
 */
public interface LearningRateSchedule {

    /** The rate at step t. */
    double at(long step);

    /** Linear warm-up over {@code warmup} steps, then linear decay to zero at {@code total}. */
    static LearningRateSchedule linear(double lr, long warmup, long total) {
        return t -> {
            if (warmup > 0 && t <= warmup) {
                return lr * t / warmup;
            }
            long remaining = total - t;
            long span = Math.max(1, total - warmup);
            return lr * Math.max(0, remaining) / span;
        };
    }

    /**
     * {@code high} for {@code hold} steps, then linear decay from {@code lr} to zero at {@code
     * total}.
     */
    static LearningRateSchedule constantThenDecay(double high, long hold, double lr, long total) {
        return t -> t <= hold ? high : lr * Math.max(0, total - t) / Math.max(1, total - hold);
    }

    /** The same rate at every step. */
    static LearningRateSchedule constant(double lr) {
        return t -> lr;
    }
}
