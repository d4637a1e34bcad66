package io.rankwise.training;

/**
 * Gives the JVM heap that loading a run needed back to the operating system before training starts.
 *
 * <p>Loading a model and its data allocates far more than it keeps: the weights' host copies, the
 * checkpoint's bytes, the parsed and tokenised examples. In the default MiniLM run the heap grew to
 * 1,280 MiB committed for a live set of about 60 MiB once the weights were on the backend, and G1
 * keeps committed heap resident (it counts in the process's resident memory, beside the engine's
 * native memory and the activations) until a full collection resizes the heap, which an
 * allocation-light training loop never triggers. One explicit collection at this point, when nearly
 * everything on the heap is dead, lets G1 shrink the heap to {@code -XX:MaxHeapFreeRatio} (default
 * 70%) above the live set and uncommit the rest. It takes tens of milliseconds, once per run;
 * {@code -XX:+DisableExplicitGC} turns it into a no-op.
 */
public final class HeapTrim {
    private HeapTrim() {}

    /** Runs the full collection; call it once the model is built and the data read. */
    @SuppressWarnings("java:S1215") // explicit GC is the point: see the class comment
    public static void afterLoading() {
        System.gc();
    }
}
