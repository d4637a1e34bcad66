package io.rankwise.api.optim;

/** What an optimizer can offer, and what an importance metric may require. */
public enum Capability {
    /** Per-element gradients of each step. Every optimizer offers them. */
    GRADIENTS,
    /** A Gaussian posterior: mean m and standard deviation σ per element (IVON). */
    POSTERIOR
}
