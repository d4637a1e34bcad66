package io.rankwise.optimizers;

import io.rankwise.api.Backend;
import io.rankwise.api.Ops;
import io.rankwise.api.Tensor;
import io.rankwise.api.ValueAndGradients;
import io.rankwise.api.Variable;
import io.rankwise.api.optim.Capability;
import io.rankwise.api.optim.NoiseSource;
import io.rankwise.api.optim.Posterior;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * IVON, the Improved Variational Online Newton optimizer, exactly as the official {@code ivon}
 * 0.1.3 computes it (docs/algorithms.md §3). Per element it keeps the mean m (the parameter
 * itself), the momentum ḡ and the Hessian estimate h; σ = 1/√(λ(h + δ)). Each step:
 *
 * <pre>
 *   for s = 1..S:  ε_s ~ N(0, I),  θ_s = m + σ ε_s,  g_s = ∇L(θ_s)
 *   ĝ = mean_s g_s
 *   f = λ · mean_s(σ ε_s · g_s) · (h + δ)        (price)    or   λ · mean_s(g_s²)   (gradsq)
 *   ḡ ← β₁ ḡ + (1 − β₁) ĝ
 *   h ← β₂ h + (1 − β₂) f + ½ (1 − β₂)² (h − f)² / (h + δ)
 *   m ← m − lr' · clip((ḡ / d + δ m) / (h + δ), −ρ, ρ)
 * </pre>
 *
 * with lr' = lr (h₀ + δ) when rescaling and d = 1 − β₁ᵗ when debiasing.
 */
public final class Ivon extends BaseOptimizer {
    private final IvonSettings settings;
    private final NoiseSource noise;
    private final List<Variable> momenta = new ArrayList<>();
    private final List<Variable> hessians = new ArrayList<>();
    private IvonPosterior posterior;

    /** An IVON drawing its noise from {@code noise}. */
    public Ivon(IvonSettings settings, NoiseSource noise) {
        super("ivon", settings.lr());
        this.settings = settings;
        this.noise = noise;
    }

    /** The hyperparameters. */
    public IvonSettings settings() {
        return settings;
    }

    @Override
    public Set<Capability> capabilities() {
        return Set.of(Capability.GRADIENTS, Capability.POSTERIOR);
    }

    @Override
    void createSlots(Backend backend, Variable parameter) {
        momenta.add(slot(backend, parameter, "momentum", 0));
        hessians.add(slot(backend, parameter, "hess", settings.hessInit()));
    }

    /**
     * IVON's step inputs, made on the host because they depend on the step and the schedule.
     *
     * @param lr the effective learning rate lr' (lr (h₀ + δ) when rescaling)
     * @param debias the momentum's debiasing divisor d (1 − β₁ᵗ, or 1 without debiasing)
     * @param noise what the {@link NoiseSource} needs fed this step (seeds or the draws themselves)
     */
    public record Inputs(Tensor lr, Tensor debias, NoiseSource.Inputs noise)
            implements StepInputs {}

    @Override
    public Inputs stepInputs(Backend backend, long step) {
        // Made in the same order as before the inputs were named, so host-side draws are unchanged.
        Tensor lr = scalarInput(backend, settings.effectiveLr(learningRate()));
        Tensor debias = scalarInput(backend, settings.debiasFactor(step));
        NoiseSource.Inputs noiseInputs;
        try {
            noiseInputs = noise.inputs(backend, step, parameters(), settings.mcSamples());
        } catch (RuntimeException e) {
            lr.close();
            debias.close();
            throw e;
        }
        return new Inputs(lr, debias, noiseInputs);
    }

    @Override
    public Update minimize(
            Ops ops, List<Function<List<Tensor>, Tensor>> microBatches, StepInputs stepInputs) {
        Inputs in = stepInputs.as(Inputs.class);
        Tensor lr = in.lr();
        Tensor debias = in.debias();
        NoiseSource.Inputs noiseInputs = in.noise();
        List<Variable> params = parameters();
        int n = params.size();
        double ess = settings.ess();
        double delta = settings.weightDecay();
        int samples = settings.mcSamples();

        // Written with s = 1/σ = √(λ(h + δ)) to save element-wise passes (the update is
        // memory-bound):
        //   θ = m + ε/s;  price: f = λ·mean(σε·g)·(h + δ) = mean(ε·g)·s;
        //   h' = β₂h + (1 − β₂)f + ½(1 − β₂)²(h − f)²/(h + δ) = h + d·((1 − β₂) + ½(1 − β₂)²·d/(h +
        // δ)), d = f − h.
        List<Tensor> means = new ArrayList<>(n);
        List<Tensor> hess = new ArrayList<>(n);
        List<Tensor> hessPlusDelta = new ArrayList<>(n);
        List<Tensor> inverseSigmas = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            means.add(ops.read(params.get(i)));
            hess.add(ops.read(hessians.get(i)));
            hessPlusDelta.add(delta == 0 ? hess.get(i) : ops.add(hess.get(i), delta));
            inverseSigmas.add(ops.sqrt(ops.mul(hessPlusDelta.get(i), ess)));
        }
        boolean price = settings.hessApprox().equals("price");
        Tensor lossSum = null;
        List<Tensor> gradSum = new ArrayList<>(n);
        List<Tensor> curvatureSum = new ArrayList<>(n);
        for (int s = 0; s < samples; s++) {
            List<Tensor> draws = new ArrayList<>(n);
            List<Tensor> sampled = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                Tensor epsilon = noise.draw(ops, noiseInputs, params, i, s);
                draws.add(epsilon);
                sampled.add(ops.add(means.get(i), ops.div(epsilon, inverseSigmas.get(i))));
            }
            ValueAndGradients vg = meanOverMicroBatches(ops, microBatches, sampled);
            lossSum = lossSum == null ? vg.value() : ops.add(lossSum, vg.value());
            for (int i = 0; i < n; i++) {
                Tensor g = vg.gradients().get(i);
                Tensor curvature = price ? ops.mul(draws.get(i), g) : ops.square(g);
                if (s == 0) {
                    gradSum.add(g);
                    curvatureSum.add(curvature);
                } else {
                    gradSum.set(i, ops.add(gradSum.get(i), g));
                    curvatureSum.set(i, ops.add(curvatureSum.get(i), curvature));
                }
            }
        }
        double inverseS = 1.0 / samples;
        double b1 = settings.beta1();
        double b2 = settings.beta2();
        double quadratic = 0.5 * (1 - b2) * (1 - b2);
        List<Tensor> meanGrads = new ArrayList<>(n);
        List<Tensor> updated = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            Tensor h = hess.get(i);
            Tensor g = samples == 1 ? gradSum.get(i) : ops.mul(gradSum.get(i), inverseS);
            meanGrads.add(g);
            Tensor f =
                    price
                            ? ops.mul(
                                    samples == 1
                                            ? curvatureSum.get(i)
                                            : ops.mul(curvatureSum.get(i), inverseS),
                                    inverseSigmas.get(i))
                            : ops.mul(curvatureSum.get(i), ess * inverseS);
            Tensor momentum = ops.add(ops.mul(ops.read(momenta.get(i)), b1), ops.mul(g, 1 - b1));
            Tensor d = ops.sub(f, h);
            Tensor newHess =
                    ops.add(
                            h,
                            ops.mul(
                                    d,
                                    ops.add(
                                            ops.mul(ops.div(d, hessPlusDelta.get(i)), quadratic),
                                            1 - b2)));
            Tensor m = means.get(i);
            Tensor numerator = ops.div(momentum, debias);
            if (delta != 0) {
                numerator = ops.add(numerator, ops.mul(m, delta));
            }
            Tensor direction = ops.div(numerator, delta == 0 ? newHess : ops.add(newHess, delta));
            if (settings.clipRadius() < Double.POSITIVE_INFINITY) {
                direction = ops.clip(direction, -settings.clipRadius(), settings.clipRadius());
            }
            updated.add(ops.sub(m, ops.mul(direction, lr)));
            ops.assign(params.get(i), updated.get(i));
            ops.assign(momenta.get(i), momentum);
            ops.assign(hessians.get(i), newHess);
        }
        Tensor loss = samples == 1 ? lossSum : ops.mul(lossSum, inverseS);
        return new Update(loss, meanGrads, updated);
    }

    @Override
    public Optional<Posterior> posterior() {
        if (posterior == null) {
            posterior = new IvonPosterior(backend(), parameters(), hessians, settings);
        }
        return Optional.of(posterior);
    }

    /** The momentum slot ḡ of each parameter, in {@link #parameters()} order. */
    public List<Variable> momenta() {
        return List.copyOf(momenta);
    }

    /** The Hessian slot h of each parameter, in {@link #parameters()} order. */
    public List<Variable> hessians() {
        return List.copyOf(hessians);
    }
}
