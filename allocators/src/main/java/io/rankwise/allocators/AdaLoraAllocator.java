package io.rankwise.allocators;

import io.rankwise.api.Backend;
import io.rankwise.api.CompiledFunction;
import io.rankwise.api.DType;
import io.rankwise.api.Ops;
import io.rankwise.api.Shape;
import io.rankwise.api.Tensor;
import io.rankwise.api.Variable;
import io.rankwise.api.adapt.ImportanceMetric;
import io.rankwise.api.adapt.RankAllocator;
import io.rankwise.api.adapt.SvdAdapter;
import io.rankwise.api.optim.Optimizer;
import io.rankwise.api.optim.Posterior;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * AdaLoRA's rank allocator (docs/algorithms.md §2), with any {@link ImportanceMetric}. At a masking
 * step with budget b it computes every triplet's score S_{k,i} = s(Λ_{k,i}) + mean_j s(P_{k,j,i}) +
 * mean_j s(Q_{k,i,j}) on the device, takes the (b₀ − b)-th smallest over all adapters as the
 * threshold τ on the host, and zeroes Λ where S ≤ τ. Masked triplets keep training and may come
 * back. At t = T − t_f the mask is forced, the pattern stored and the metric reset; afterwards the
 * stored pattern is re-applied after every step.
 */
public final class AdaLoraAllocator implements RankAllocator {
    private static final Logger LOG = LoggerFactory.getLogger(AdaLoraAllocator.class);

    private final AdaLoraConfig config;
    private BudgetSchedule schedule;
    private List<SvdAdapter> adapters;
    private ImportanceMetric metric;
    private Optional<Posterior> posterior;
    private Backend backend;
    private DType dtype;
    private int[][] parameterIndex;
    private CompiledFunction scoreTriplets;
    private CompiledFunction applyMask;
    private boolean[] keep;
    private boolean[] finalKeep;
    private double[] lastScores;

    /** An allocator with validated settings. */
    public AdaLoraAllocator(AdaLoraConfig config) {
        this.config = config;
    }

    /** The settings. */
    public AdaLoraConfig config() {
        return config;
    }

    /** The schedule (known after {@link #attach}). */
    public BudgetSchedule schedule() {
        if (schedule == null) {
            throw new IllegalStateException("the allocator is not attached yet");
        }
        return schedule;
    }

    @Override
    public String plan() {
        return schedule().plan();
    }

    @Override
    public double orthogonalityWeight() {
        return config.orthRegWeight();
    }

    @Override
    public void attach(
            Backend backend,
            List<SvdAdapter> adapters,
            ImportanceMetric metric,
            Optimizer optimizer) {
        MetricRequirements.check(
                metric.name(),
                metric.requires(),
                optimizer.name(),
                optimizer.capabilities(),
                java.util.List.of());
        if (adapters.isEmpty()) {
            throw new IllegalArgumentException(
                    "AdaLoRA needs at least one SVD adapter; none was given");
        }
        this.backend = backend;
        this.adapters = List.copyOf(adapters);
        this.metric = metric;
        this.schedule = new BudgetSchedule(config, adapters.size());
        this.posterior =
                metric.requires().contains(io.rankwise.api.optim.Capability.POSTERIOR)
                        ? optimizer.posterior()
                        : Optional.empty();
        List<Variable> order = optimizer.parameters();
        List<Variable> adapted = new ArrayList<>();
        parameterIndex = new int[adapters.size()][];
        for (int k = 0; k < adapters.size(); k++) {
            SvdAdapter a = adapters.get(k);
            if (a.rank() != config.initR()) {
                throw new IllegalArgumentException(
                        "adapter "
                                + a.module()
                                + " has rank "
                                + a.rank()
                                + " but init_r is "
                                + config.initR()
                                + "; every adapter must start at init_r");
            }
            List<Variable> triplet = List.of(a.left(), a.singularValues(), a.right());
            parameterIndex[k] = new int[3];
            for (int j = 0; j < 3; j++) {
                parameterIndex[k][j] = order.indexOf(triplet.get(j));
                if (parameterIndex[k][j] < 0) {
                    throw new IllegalArgumentException(
                            triplet.get(j).name()
                                    + " is not among the optimizer's trainable parameters");
                }
            }
            if (dtype == null) {
                dtype = a.singularValues().dtype();
            } else if (dtype != a.singularValues().dtype()) {
                throw new IllegalArgumentException(
                        "adapter "
                                + a.module()
                                + " is "
                                + a.singularValues().dtype()
                                + " but earlier ones are "
                                + dtype
                                + "; all adapters must share one dtype");
            }
            adapted.addAll(triplet);
        }
        metric.attach(backend, adapted);
        keep = new boolean[schedule.initialBudget()];
        Arrays.fill(keep, true);
        scoreTriplets = backend.compile(this::tripletScores);
        applyMask = backend.compile(this::maskSingularValues);
        LOG.info(schedule.plan());
    }

    @Override
    public int budget(long step) {
        return schedule().budget(step);
    }

    @Override
    public boolean observesAt(long step) {
        return metric.schedule() == ImportanceMetric.Schedule.EVERY_STEP
                && step < schedule().finalMaskStep();
    }

    @Override
    public void observe(Ops ops, List<Tensor> gradients, List<Tensor> valuesAfterStep) {
        for (int k = 0; k < adapters.size(); k++) {
            SvdAdapter a = adapters.get(k);
            List<Variable> triplet = List.of(a.left(), a.singularValues(), a.right());
            for (int j = 0; j < 3; j++) {
                int i = parameterIndex[k][j];
                metric.observe(ops, triplet.get(j), valuesAfterStep.get(i), gradients.get(i));
            }
        }
    }

    @Override
    public void afterStep(long step) {
        long finalStep = schedule().finalMaskStep();
        if (step < finalStep) {
            if (schedule.masksAt(step)) {
                maskToBudget(schedule.budget(step), scores(step));
            }
        } else if (step == finalStep) {
            maskToBudget(schedule.budget(step), scores(step));
            finalKeep = keep.clone();
            metric.reset();
        } else {
            if (finalKeep == null) {
                throw new IllegalStateException(
                        "step "
                                + step
                                + " is after the final mask ("
                                + finalStep
                                + ") but no final pattern was stored; afterStep must be called for every step");
            }
            apply(finalKeep);
        }
    }

    /** The triplet scores S, all adapters concatenated (for tests and reports). */
    public double[] tripletScoresOnHost() {
        List<Tensor> out = scoreTriplets.call();
        try (Tensor scores = out.get(0)) {
            return scores.toDoubles();
        }
    }

    /**
     * The triplet scores for the mask at step t. Metrics that read the optimizer's state are
     * recomputed only at regular masking steps (t mod ΔT = 0); at a forced final mask between them,
     * the last scores stand, as in the reference implementation (VIRankAllocator).
     */
    private double[] scores(long step) {
        boolean regular = step % config.deltaT() == 0;
        if (metric.schedule() == ImportanceMetric.Schedule.MASKING_STEPS
                && !regular
                && lastScores != null) {
            return lastScores;
        }
        lastScores = tripletScoresOnHost();
        return lastScores;
    }

    private void maskToBudget(int budget, double[] scores) {
        int toPrune = schedule.initialBudget() - budget;
        if (toPrune <= 0) {
            return; // nothing to prune: nothing is masked (PEFT's kthvalue with k = 0 crashes here)
        }
        double[] sorted = scores.clone();
        Arrays.sort(sorted);
        double threshold = sorted[toPrune - 1];
        for (int i = 0; i < scores.length; i++) {
            keep[i] = !(scores[i] <= threshold);
        }
        apply(keep);
    }

    private void apply(boolean[] pattern) {
        double[] mask = new double[pattern.length];
        for (int i = 0; i < mask.length; i++) {
            mask[i] = pattern[i] ? 1 : 0;
        }
        try (Tensor in = backend.tensor(mask, Shape.of(mask.length), dtype)) {
            applyMask.call(in).forEach(Tensor::close);
        }
        if (pattern != keep) {
            System.arraycopy(pattern, 0, keep, 0, pattern.length);
        }
    }

    private List<Tensor> tripletScores(Ops ops, List<Tensor> in) {
        List<Tensor> parts = new ArrayList<>();
        for (SvdAdapter a : adapters) {
            Tensor p = ops.mean(elementScores(ops, a.left()), new int[] {0}, false);
            Tensor lambda = elementScores(ops, a.singularValues());
            Tensor q = ops.mean(elementScores(ops, a.right()), new int[] {1}, false);
            parts.add(ops.add(ops.add(lambda, p), q));
        }
        return List.of(parts.size() == 1 ? parts.get(0) : ops.concat(parts, 0));
    }

    /** The metric's scores with NaN counted as 0. */
    private Tensor elementScores(Ops ops, Variable parameter) {
        Tensor s = metric.scores(ops, parameter, posterior);
        return ops.where(ops.equal(s, s), s, ops.zeros(Shape.scalar(), s.dtype()));
    }

    private List<Tensor> maskSingularValues(Ops ops, List<Tensor> in) {
        Tensor mask = in.get(0);
        long offset = 0;
        Tensor zero = ops.zeros(Shape.scalar(), dtype);
        Tensor half = ops.scalar(0.5, dtype);
        for (SvdAdapter a : adapters) {
            Tensor part = ops.slice(mask, new long[] {offset}, new long[] {a.rank()});
            Variable lambda = a.singularValues();
            ops.assign(lambda, ops.where(ops.greater(part, half), ops.read(lambda), zero));
            offset += a.rank();
        }
        return List.of();
    }

    /** A copy of the host-side state, for checkpoints. */
    @Override
    public State state() {
        return new State(
                keep.clone(),
                finalKeep == null ? null : finalKeep.clone(),
                lastScores == null ? null : lastScores.clone());
    }

    @Override
    public void restore(State state) {
        if (state.keep().length != keep.length) {
            throw new IllegalArgumentException(
                    "the checkpoint's rank pattern has "
                            + state.keep().length
                            + " triplets; this model has "
                            + keep.length);
        }
        System.arraycopy(state.keep(), 0, keep, 0, keep.length);
        finalKeep = state.finalKeep() == null ? null : state.finalKeep().clone();
        lastScores = state.lastScores() == null ? null : state.lastScores().clone();
    }

    @Override
    public Map<String, boolean[]> rankPattern() {
        Map<String, boolean[]> pattern = new LinkedHashMap<>();
        int offset = 0;
        for (SvdAdapter a : adapters) {
            pattern.put(a.module(), Arrays.copyOfRange(keep, offset, offset + a.rank()));
            offset += a.rank();
        }
        return Collections.unmodifiableMap(pattern);
    }
}
