package io.rankwise.models.data;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.IntStream;

/**
 * A task with its data: the spec and the splits that were found (train, dev, test, or others such
 * as MNLI's dev_mismatched). Only the splits that exist are held; {@link #dev()} and {@link
 * #test()} are empty when absent (GLUE's test sets have no public labels and are not read).
 */
public record Task(TaskSpec spec, List<Split> splits) {
    public Task {
        Objects.requireNonNull(spec, "spec");
        splits = List.copyOf(splits);
        Set<String> names = new HashSet<>();
        for (Split s : splits) {
            if (!names.add(s.name())) {
                throw new IllegalArgumentException(
                        spec.name() + ": split '" + s.name() + "' appears twice");
            }
            for (Example e : s.examples()) {
                spec.kind().checkLabel(e.label(), e.source());
            }
        }
    }

    /** The task's name. */
    public String name() {
        return spec.name();
    }

    /** The split with the given name, if present. */
    public Optional<Split> split(String name) {
        return splits.stream().filter(s -> s.name().equals(name)).findFirst();
    }

    /** The training split; fails, naming the splits there are, if there is none. */
    public Split train() {
        return split(Split.TRAIN)
                .orElseThrow(
                        () ->
                                new IllegalStateException(
                                        name()
                                                + " has no '"
                                                + Split.TRAIN
                                                + "' split; it has "
                                                + splitNames()));
    }

    /** The first evaluation split of the spec (e.g. MNLI's dev_matched), if present. */
    public Optional<Split> dev() {
        return split(spec.evalSplits().get(0));
    }

    /**
     * The evaluation splits of the spec that are present, in the spec's order (MNLI: dev_matched,
     * then dev_mismatched).
     */
    public List<Split> evalSplits() {
        return spec.evalSplits().stream().flatMap(name -> split(name).stream()).toList();
    }

    /** The test split, if present. */
    public Optional<Split> test() {
        return split(Split.TEST);
    }

    /** The names of the splits, in order. */
    public List<String> splitNames() {
        return splits.stream().map(Split::name).toList();
    }

    /**
     * A deterministic subsample: at most {@code maxTrain} examples of the train split and at most
     * {@code maxEval} of every other split. An example is kept if its hash {@link
     * StableHash#of}(seed + "/" + source key) is among the smallest in its split, so the choice
     * depends only on the seed and on each example's file and line, never on a random generator;
     * kept examples stay in their original order.
     */
    public Task subsample(int maxTrain, int maxEval, long seed) {
        if (maxTrain < 0 || maxEval < 0) {
            throw new IllegalArgumentException(
                    "maxTrain = " + maxTrain + ", maxEval = " + maxEval + "; expected >= 0");
        }
        List<Split> out = new ArrayList<>();
        for (Split s : splits) {
            int max = s.name().equals(Split.TRAIN) ? maxTrain : maxEval;
            out.add(
                    s.size() <= max
                            ? s
                            : new Split(s.name(), pick(s.examples(), max, seed), s.report()));
        }
        return new Task(spec, out);
    }

    private static List<Example> pick(List<Example> examples, int max, long seed) {
        long[] keys =
                examples.stream()
                        .mapToLong(e -> StableHash.of(seed + "/" + e.source().stableKey()))
                        .toArray();
        int[] kept =
                IntStream.range(0, examples.size())
                        .boxed()
                        .sorted(
                                Comparator.<Integer, Long>comparing(
                                                i -> keys[i], Long::compareUnsigned)
                                        .thenComparingInt(i -> i))
                        .limit(max)
                        .mapToInt(Integer::intValue)
                        .sorted()
                        .toArray();
        return IntStream.of(kept).mapToObj(examples::get).toList();
    }
}
