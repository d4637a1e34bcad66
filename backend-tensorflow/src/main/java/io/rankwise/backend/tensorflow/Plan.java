package io.rankwise.backend.tensorflow;

import io.rankwise.api.Tensor;
import java.util.ArrayList;
import java.util.List;
import org.tensorflow.GraphOperation;
import org.tensorflow.Output;
import org.tensorflow.Result;
import org.tensorflow.Session;

/**
 * What a traced signature runs on each call: the placeholders to feed, the outputs to fetch and the
 * variable writes to run as targets, all in one {@code Session.run}.
 */
final class Plan {
    private final TfBackend backend;
    private final Output<?>[] feeds;
    private final Output<?>[] fetches;
    private final GraphOperation[] targets;

    Plan(
            TfBackend backend,
            List<Output<?>> feeds,
            List<Output<?>> fetches,
            List<GraphOperation> targets) {
        this.backend = backend;
        this.feeds = feeds.toArray(new Output<?>[0]);
        this.fetches = fetches.toArray(new Output<?>[0]);
        this.targets = targets.toArray(new GraphOperation[0]);
    }

    /**
     * Feeds {@code inputs} (concrete tensors of this backend, checked by the caller) and returns
     * the fetched outputs, which the caller owns.
     */
    List<Tensor> run(List<Tensor> inputs) {
        Session.Runner runner = backend.graph().session().runner();
        for (int i = 0; i < feeds.length; i++) {
            runner.feed(feeds[i], ((ConcreteTensor) inputs.get(i)).value());
        }
        for (Output<?> f : fetches) {
            runner.fetch(f);
        }
        for (GraphOperation t : targets) {
            runner.addTarget(t);
        }
        // The Result is not closed: closing it would free the fetched tensors, which now belong to
        // the caller through the ConcreteTensors below. It holds nothing else native.
        Result result = runner.run();
        List<Tensor> out = new ArrayList<>(fetches.length);
        for (int i = 0; i < fetches.length; i++) {
            out.add(new ConcreteTensor(backend, result.get(i)));
        }
        return out;
    }
}
