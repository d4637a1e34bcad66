package io.rankwise.cli.report;

/**
 * One logged training step of {@code metrics.jsonl}.
 *
 * @param step the optimizer step (1-based as the training loop counts)
 * @param loss the training loss at that step
 * @param lr the learning rate used for that step
 * @param budget the allocator's total rank budget after that step (a LoRA run: its constant total
 *     rank)
 * @param seconds wall time since the run started
 */
public record StepEntry(long step, double loss, double lr, int budget, double seconds) {}
