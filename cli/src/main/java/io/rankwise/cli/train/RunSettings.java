package io.rankwise.cli.train;

import io.rankwise.api.DType;
import io.rankwise.api.Device;
import io.rankwise.models.bert.Pooling;
import io.rankwise.models.bert.TargetModules;
import java.nio.file.Path;
import java.util.Map;

/**
 * What one fine-tuning run needs, already validated (the YAML configuration maps onto this).
 *
 * @param backend backend name (blank: the registry's choice)
 * @param device the device
 * @param modelSource {@code embedded:all-minilm-l6-v2} or a Hugging Face checkpoint folder
 * @param maxLength tokens per sequence
 * @param pooling how the head pools the sequence
 * @param dropout dropout rate while training
 * @param dtype parameter and activation type
 * @param initR AdaLoRA's initial rank per adapted matrix
 * @param loraAlpha α (the update is scaled by α/init_r)
 * @param targets which linear layers get adapters
 * @param targetR the average rank at the end
 * @param tinit warm-up steps before budgeting
 * @param tfinal final steps with the pattern frozen
 * @param deltaT steps between masks
 * @param orthRegWeight γ
 * @param optimizer optimizer plugin name
 * @param optimizerOptions its options ({@code ess: auto} becomes the training-set size)
 * @param metric importance metric plugin name
 * @param metricOptions its options
 * @param epochs passes over the training set
 * @param maxSteps total steps when &gt; 0 (wins over epochs)
 * @param batchSize examples per micro-batch
 * @param gradAccumulation micro-batches per step
 * @param schedule the learning-rate schedule, given the base lr and the total steps
 * @param logEvery steps between metrics.jsonl lines
 * @param evalEvery steps between dev evaluations (0: only at the end)
 * @param checkpointEvery steps between checkpoints (0: only the last step's)
 * @param testSamples posterior draws at evaluation (0: at the mean)
 * @param seed the run's seed
 * @param runDir the run folder
 */
public record RunSettings(String backend, Device device, String modelSource, int maxLength, Pooling pooling, double dropout,
        DType dtype, int initR, double loraAlpha, TargetModules targets, int targetR, long tinit, long tfinal, long deltaT,
        double orthRegWeight, String optimizer, Map<String, String> optimizerOptions, String metric,
        Map<String, String> metricOptions, int epochs, long maxSteps, int batchSize, int gradAccumulation, ScheduleFactory schedule,
        int logEvery, int evalEvery, int checkpointEvery, int testSamples, long seed, Path runDir) {

    /** Makes the schedule once the base lr and the total number of steps are known. */
    @FunctionalInterface
    public interface ScheduleFactory {
        /** The schedule for base rate {@code lr} over {@code totalSteps}. */
        LearningRateSchedule create(double lr, long totalSteps);
    }

    /** Copies the option maps. */
    public RunSettings {
        optimizerOptions = Map.copyOf(optimizerOptions);
        metricOptions = Map.copyOf(metricOptions);
    }

    /**
     * The optimizer options as the optimizer gets them: {@code ess: auto} becomes
     * {@code trainingExamples}, the size of the training set the run was trained on (IVON's
     * posterior spread depends on it, so evaluation must resolve it the same way as training).
     */
    public Map<String, String> resolvedOptimizerOptions(int trainingExamples) {
        Map<String, String> options = new java.util.HashMap<>(optimizerOptions);
        if ("auto".equalsIgnoreCase(options.getOrDefault("ess", ""))) {
            options.put("ess", String.valueOf(trainingExamples));
        }
        return options;
    }
}
