package io.rankwise.cli.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * How far the configurations of an ablation agree on <em>which</em> triplets to keep: for every two
 * configurations run on the same backend, task and seed, the Jaccard index of their final rank
 * patterns,
 *
 * <pre>  J(A, B) = |A ∩ B| / |A ∪ B|,  A, B = the kept (module, triplet) pairs,</pre>
 *
 * averaged over the seeds both ran. A short run on an easy task often ends with the same accuracy
 * whatever the metric; the agreement still shows whether two metrics rank triplets alike (snr and
 * magnitude do when σ is nearly uniform, since snr = |m|/σ), which is the mechanism behind the
 * paper's finding that magnitude, not variance, carries the importance.
 *
 * <p>Plain LoRA configurations ({@code lora-<optimizer>}) keep every rank and have no rank pattern:
 * they are listed with {@code n/a}.
 */
public final class RankPatternAgreement {

    /**
     * One finished cell's final rank pattern.
     *
     * @param backend the backend as the table shows it
     * @param task the task's name
     * @param seed the seed
     * @param configuration {@code optimizer+metric}, or {@code lora-optimizer}
     * @param pattern the kept triplets per adapter ({@code true} = kept); empty when not allocated
     * @param allocated whether the cell allocated ranks (AdaLoRA); false for plain LoRA, which has
     *     no rank pattern
     */
    public record Cell(
            String backend,
            String task,
            long seed,
            String configuration,
            Map<String, boolean[]> pattern,
            boolean allocated) {
        /** Requires every part. */
        public Cell {
            Objects.requireNonNull(backend, "backend");
            Objects.requireNonNull(task, "task");
            Objects.requireNonNull(configuration, "configuration");
            Objects.requireNonNull(pattern, "pattern");
        }

        /** An AdaLoRA cell. */
        public Cell(
                String backend,
                String task,
                long seed,
                String configuration,
                Map<String, boolean[]> pattern) {
            this(backend, task, seed, configuration, pattern, true);
        }
    }

    /** What the matrix shows for a configuration without a rank pattern. */
    public static final String NOT_APPLICABLE = "n/a";

    private final List<Cell> cells;

    private RankPatternAgreement(List<Cell> cells) {
        this.cells = List.copyOf(cells);
    }

    /** The agreement over {@code cells}. */
    public static RankPatternAgreement of(List<Cell> cells) {
        return new RankPatternAgreement(cells);
    }

    /** J(A, B); two empty patterns agree fully. */
    public static double jaccard(Map<String, boolean[]> a, Map<String, boolean[]> b) {
        long both = 0;
        long either = 0;
        Set<String> modules = new LinkedHashSet<>(a.keySet());
        modules.addAll(b.keySet());
        for (String module : modules) {
            boolean[] x = a.getOrDefault(module, new boolean[0]);
            boolean[] y = b.getOrDefault(module, new boolean[0]);
            for (int i = 0; i < Math.max(x.length, y.length); i++) {
                boolean inX = i < x.length && x[i];
                boolean inY = i < y.length && y[i];
                both += inX && inY ? 1 : 0;
                either += inX || inY ? 1 : 0;
            }
        }
        return either == 0 ? 1.0 : (double) both / either;
    }

    /** The number of kept triplets. */
    public static int kept(Map<String, boolean[]> pattern) {
        int n = 0;
        for (boolean[] keep : pattern.values()) {
            for (boolean k : keep) {
                n += k ? 1 : 0;
            }
        }
        return n;
    }

    /**
     * The J that two independent uniform random choices of {@code a} and {@code b} of {@code n}
     * triplets have on average (to first order): E|A ∩ B| = ab/n, so J ≈ (ab/n) / (a + b − ab/n).
     * The scale against which an agreement means something.
     */
    public static double chance(int a, int b, int n) {
        if (n == 0 || a + b == 0) {
            return 1.0;
        }
        double both = (double) a * b / n;
        return both / (a + b - both);
    }

    /** The number of triplets a pattern covers, kept or not. */
    public static int slots(Map<String, boolean[]> pattern) {
        return pattern.values().stream().mapToInt(keep -> keep.length).sum();
    }

    /**
     * The mean J over the seeds that both configurations ran on {@code backend} and {@code task};
     * NaN when they share no seed, or when either has no rank pattern (plain LoRA).
     */
    public double mean(String backend, String task, String first, String second) {
        double sum = 0;
        int n = 0;
        for (Cell a : cells) {
            if (!a.backend().equals(backend)
                    || !a.task().equals(task)
                    || !a.configuration().equals(first)
                    || !a.allocated()) {
                continue;
            }
            for (Cell b : cells) {
                if (b.backend().equals(backend)
                        && b.task().equals(task)
                        && b.configuration().equals(second)
                        && b.allocated()
                        && b.seed() == a.seed()) {
                    sum += jaccard(a.pattern(), b.pattern());
                    n++;
                }
            }
        }
        return n == 0 ? Double.NaN : sum / n;
    }

    /**
     * A Markdown section per (backend, task): a configuration × configuration matrix of the mean J,
     * with the mean number of kept triplets; plain LoRA configurations are rows and columns of
     * {@code n/a}. Empty when there are fewer than two configurations, or none with a rank pattern.
     */
    public String toMarkdown() {
        Map<String, List<Cell>> groups = new LinkedHashMap<>();
        for (Cell c : cells) {
            groups.computeIfAbsent(c.backend() + "\u0000" + c.task(), k -> new ArrayList<>())
                    .add(c);
        }
        StringBuilder md = new StringBuilder();
        for (List<Cell> group : groups.values()) {
            String backend = group.get(0).backend();
            String task = group.get(0).task();
            List<String> configurations =
                    group.stream().map(Cell::configuration).distinct().toList();
            List<Cell> allocated = group.stream().filter(Cell::allocated).toList();
            if (configurations.size() < 2 || allocated.isEmpty()) {
                continue;
            }
            java.util.Set<String> unallocated = new java.util.HashSet<>();
            group.stream()
                    .filter(c -> !c.allocated())
                    .forEach(c -> unallocated.add(c.configuration()));
            long seeds = group.stream().mapToLong(Cell::seed).distinct().count();
            md.append(
                    String.format(
                            Locale.ROOT, "%n## Which triplets survive: %s, %s%n%n", backend, task));
            md.append(
                    String.format(
                            Locale.ROOT,
                            "Jaccard index |A ∩ B| / |A ∪ B| of the kept triplets of two configurations'"
                                    + " final rank patterns, mean over %d seed%s (1 = the same triplets kept).%n%n",
                            seeds,
                            seeds == 1 ? "" : "s"));
            md.append("| configuration | kept |");
            configurations.forEach(c -> md.append(' ').append(c).append(" |"));
            md.append("\n| --- | ---: |");
            configurations.forEach(c -> md.append(" ---: |"));
            md.append('\n');
            for (String row : configurations) {
                boolean rowAllocated = !unallocated.contains(row);
                double keptMean =
                        group.stream()
                                .filter(c -> c.configuration().equals(row))
                                .mapToInt(c -> kept(c.pattern()))
                                .average()
                                .orElse(Double.NaN);
                md.append("| ")
                        .append(row)
                        .append(" | ")
                        .append(
                                rowAllocated
                                        ? String.format(Locale.ROOT, "%.0f", keptMean)
                                        : NOT_APPLICABLE)
                        .append(" |");
                for (String column : configurations) {
                    double j = mean(backend, task, row, column);
                    md.append(' ')
                            .append(
                                    !rowAllocated || unallocated.contains(column)
                                            ? NOT_APPLICABLE
                                            : Double.isNaN(j)
                                                    ? "—"
                                                    : String.format(Locale.ROOT, "%.2f", j))
                            .append(" |");
                }
                md.append('\n');
            }
            if (!unallocated.isEmpty()) {
                md.append(
                        String.format(
                                Locale.ROOT,
                                "%nn/a: %s trains plain LoRA at a fixed rank, with no rank pattern to"
                                        + " compare.%n",
                                String.join(", ", unallocated.stream().sorted().toList())));
            }
            int budget = allocated.stream().mapToInt(c -> kept(c.pattern())).max().orElse(0);
            int n = slots(allocated.get(0).pattern());
            md.append(
                    String.format(
                            Locale.ROOT,
                            "%nFor scale: two random choices of %d of the %d triplets agree at J ≈ %.2f.%n",
                            budget,
                            n,
                            chance(budget, budget, n)));
        }
        return md.toString();
    }
}
