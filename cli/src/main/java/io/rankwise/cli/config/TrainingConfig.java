package io.rankwise.cli.config;

import static io.rankwise.cli.config.ValueKind.INTEGER;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rankwise.training.spec.LrSchedule;
import java.util.List;
import java.util.Objects;

/**
 * The {@code training} section: how long, in what batches, on what schedule, and how the final
 * evaluation predicts.
 *
 * @param epochs passes over the training set (when {@code maxSteps} is 0)
 * @param maxSteps total optimizer steps; 0: {@code epochs} × steps per epoch. It wins over epochs
 *     when both are set, as in Hugging Face's Trainer, so that {@code --set training.max_steps=N}
 *     works on any file
 * @param batchSize examples per micro-batch
 * @param gradAccumulation micro-batches per optimizer step
 * @param lrSchedule the learning-rate schedule
 * @param testSamples posterior-predictive draws at evaluation; 0: predict at the posterior mean
 */
public record TrainingConfig(
        int epochs,
        long maxSteps,
        int batchSize,
        int gradAccumulation,
        LrSchedule lrSchedule,
        int testSamples) {

    /** This section with another learning-rate schedule (an ablation pair's own). */
    public TrainingConfig withLrSchedule(LrSchedule schedule) {
        return new TrainingConfig(
                epochs, maxSteps, batchSize, gradAccumulation, schedule, testSamples);
    }

    /** The keys of {@code training}. */
    public static final ConfigSection SECTION =
            new ConfigSection(
                    "training",
                    "training length, batches, schedule, evaluation",
                    List.of(
                            ConfigKey.of(
                                    "epochs",
                                    INTEGER,
                                    "integer >= 1",
                                    "1",
                                    "passes over the training set (unless max_steps > 0)"),
                            ConfigKey.of(
                                    "max_steps",
                                    INTEGER,
                                    "integer >= 0",
                                    "0",
                                    "total optimizer steps; 0: epochs x steps per epoch; wins over epochs when > 0"),
                            ConfigKey.of(
                                    "batch_size",
                                    INTEGER,
                                    "integer >= 1",
                                    "16",
                                    "examples per micro-batch"),
                            ConfigKey.of(
                                    "grad_accumulation",
                                    INTEGER,
                                    "integer >= 1",
                                    "1",
                                    "micro-batches per optimizer step (a step sees batch_size x grad_accumulation examples)"),
                            ConfigKey.section(LrScheduleSection.SECTION),
                            ConfigKey.of(
                                    "test_samples",
                                    INTEGER,
                                    "integer >= 0",
                                    "0",
                                    "posterior-predictive draws at evaluation (IVON); 0: predict at the posterior mean")));

    /** Checks what the mapping checks. */
    public TrainingConfig {
        Objects.requireNonNull(lrSchedule, "lrSchedule");
        if (epochs < 1
                || maxSteps < 0
                || batchSize < 1
                || gradAccumulation < 1
                || testSamples < 0) {
            throw new IllegalArgumentException(
                    "training: epochs, batch_size, grad_accumulation >= 1; max_steps,"
                            + " test_samples >= 0");
        }
    }

    /** Examples behind one optimizer step. */
    public int examplesPerStep() {
        return batchSize * gradAccumulation;
    }

    /**
     * The total steps T for a training set of {@code trainSize} examples (incomplete batches are
     * dropped).
     */
    public long totalSteps(int trainSize) {
        return io.rankwise.training.spec.RunSpec.Training.totalSteps(
                maxSteps, epochs, examplesPerStep(), trainSize);
    }

    static TrainingConfig read(SectionReader r) {
        return new TrainingConfig(
                r.intValue("epochs", 1, Integer.MAX_VALUE),
                r.integer("max_steps", 0, Long.MAX_VALUE),
                r.intValue("batch_size", 1, Integer.MAX_VALUE),
                r.intValue("grad_accumulation", 1, Integer.MAX_VALUE),
                LrScheduleSection.read(r.section("lr_schedule")),
                r.intValue("test_samples", 0, Integer.MAX_VALUE));
    }

    void write(ObjectNode out) {
        out.put("epochs", epochs);
        out.put("max_steps", maxSteps);
        out.put("batch_size", batchSize);
        out.put("grad_accumulation", gradAccumulation);
        LrScheduleSection.write(lrSchedule, out.putObject("lr_schedule"));
        out.put("test_samples", testSamples);
    }
}
