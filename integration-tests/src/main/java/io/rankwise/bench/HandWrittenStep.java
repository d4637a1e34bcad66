package io.rankwise.bench;

/** One LoRA training step written directly against an engine, without Rankwise in between. */
interface HandWrittenStep extends AutoCloseable {

    /** Runs step t (from 1) and returns the loss before the update. */
    double step(long t);

    @Override
    void close();
}
