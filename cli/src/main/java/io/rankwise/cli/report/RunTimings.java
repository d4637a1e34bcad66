package io.rankwise.cli.report;

/**
 * How long a run took and how much memory it used.
 *
 * @param steps training steps run
 * @param totalSeconds wall time of the whole run
 * @param secondsPerStep mean wall time per training step
 * @param peakMemoryMiB peak memory of the run
 */
public record RunTimings(
        long steps, double totalSeconds, double secondsPerStep, double peakMemoryMiB) {}
