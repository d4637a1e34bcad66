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
 *
 * <p><b>How it is evaluated.</b> The update is memory-bound: each element-wise operation is one
 * pass over the parameters, so {@link #minimize} evaluates algebraically equal forms that need
 * fewer of them (22 per parameter for price, one sample, δ &gt; 0 and no clipping, against 14 for
 * {@link AdamW}). With s = 1/σ = √(λ(h + δ)):
 *
 * <ul>
 *   <li>θ = m + σε = m + ε / s;
 *   <li>price: f = λ(h + δ) · mean(σε · g) = λ(h + δ)/s · mean(ε · g) = s · mean(ε · g), because
 *       λ(h + δ) = s²;
 *   <li>with D = f − h: h' = β₂h + (1 − β₂)f + ½(1 − β₂)²(h − f)²/(h + δ) = h + (1 − β₂)D + ½(1 −
 *       β₂)²D²/(h + δ) = h + D · ((1 − β₂) + ½(1 − β₂)² · D/(h + δ)), whose h' + δ = (h + δ)(1 + x
 *       + x²/2) with x = (1 − β₂)D/(h + δ) is positive whatever f is;
 *   <li>without clipping: m' = m − lr' · (ḡ'/d + δm)/(h' + δ) = m − (a · ḡ' + c · m)/(h' + δ) with
 *       the host-made scalars a = lr'/d and c = lr' · δ, which saves the pass that would multiply
 *       by lr'. With clipping, lr' must stay outside the clip, and the official order is kept.
 * </ul>
 *
 * These are the same formulas in exact arithmetic; in floating point they differ from the official
 * order by a few roundings (within 1e-9 relative of the official float64 traces, which the tests
 * check).
 *
 * <p>The noise of a step comes from one {@link NoiseSource#drawAll} call, so that a source can draw
 * every parameter's ε at once.
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
     * IVON's step inputs, made on the host because they depend on the step and the schedule:
     * scalars in the parameters' dtype, and the noise source's inputs. Which scalars the update
     * reads depends on clipping (see the class comment); the others are fed but unused.
     *
     * @param lr the effective learning rate lr' (lr (h₀ + δ) when rescaling)
     * @param inverseDebias 1/d, with d = 1 − β₁ᵗ (or 1 without debiasing)
     * @param momentumRate lr'/d, the momentum's factor in the unclipped update
     * @param decayRate lr' · δ, the mean's factor in the unclipped update
     * @param noise what the {@link NoiseSource} needs fed this step (seeds or the draws themselves)
     */
    public record Inputs(
            Tensor lr,
            Tensor inverseDebias,
            Tensor momentumRate,
            Tensor decayRate,
            NoiseSource.Inputs noise)
            implements StepInputs {}

    @Override
    public Inputs stepInputs(Backend backend, long step) {
        double lr = settings.effectiveLr(learningRate());
        double debias = settings.debiasFactor(step);
        List<Tensor> scalars = new ArrayList<>(4);
        try {
            scalars.add(scalarInput(backend, lr));
            scalars.add(scalarInput(backend, 1 / debias));
            scalars.add(scalarInput(backend, lr / debias));
            scalars.add(scalarInput(backend, lr * settings.weightDecay()));
            NoiseSource.Inputs noiseInputs =
                    noise.inputs(backend, step, parameters(), settings.mcSamples());
            return new Inputs(
                    scalars.get(0), scalars.get(1), scalars.get(2), scalars.get(3), noiseInputs);
        } catch (RuntimeException e) {
            scalars.forEach(Tensor::close);
            throw e;
        }
    }

    @Override
    public Update minimize(
            Ops ops, List<Function<List<Tensor>, Tensor>> microBatches, StepInputs stepInputs) {
        Inputs in = stepInputs.as(Inputs.class);
        List<Variable> params = parameters();
        int n = params.size();
        double ess = settings.ess();
        double delta = settings.weightDecay();
        int samples = settings.mcSamples();
        boolean price = settings.hessApprox().equals("price");
        boolean clip = settings.clipRadius() < Double.POSITIVE_INFINITY;

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
        List<List<Tensor>> draws = noise.drawAll(ops, in.noise(), params, samples);
        Tensor lossSum = null;
        List<Tensor> gradSum = new ArrayList<>(n);
        List<Tensor> curvatureSum = new ArrayList<>(n);
        for (int s = 0; s < samples; s++) {
            List<Tensor> epsilon = draws.get(s);
            List<Tensor> sampled = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                sampled.add(ops.add(means.get(i), ops.div(epsilon.get(i), inverseSigmas.get(i))));
            }
            ValueAndGradients vg = meanOverMicroBatches(ops, microBatches, sampled);
            lossSum = lossSum == null ? vg.value() : ops.add(lossSum, vg.value());
            for (int i = 0; i < n; i++) {
                Tensor g = vg.gradients().get(i);
                Tensor curvature = price ? ops.mul(epsilon.get(i), g) : ops.square(g);
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
            Tensor m = means.get(i);
            Tensor g = samples == 1 ? gradSum.get(i) : ops.mul(gradSum.get(i), inverseS);
            meanGrads.add(g);
            Tensor f;
            if (price) {
                f = ops.mul(curvatureSum.get(i), inverseSigmas.get(i));
                if (samples > 1) {
                    f = ops.mul(f, inverseS);
                }
            } else {
                f = ops.mul(curvatureSum.get(i), ess * inverseS);
            }
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
            Tensor newHessPlusDelta = delta == 0 ? newHess : ops.add(newHess, delta);
            Tensor next;
            if (!clip) {
                Tensor step = ops.mul(momentum, in.momentumRate());
                if (delta != 0) {
                    step = ops.add(step, ops.mul(m, in.decayRate()));
                }
                next = ops.sub(m, ops.div(step, newHessPlusDelta));
            } else {
                Tensor numerator = ops.mul(momentum, in.inverseDebias());
                if (delta != 0) {
                    numerator = ops.add(numerator, ops.mul(m, delta));
                }
                Tensor direction =
                        ops.clip(
                                ops.div(numerator, newHessPlusDelta),
                                -settings.clipRadius(),
                                settings.clipRadius());
                next = ops.sub(m, ops.mul(direction, in.lr()));
            }
            updated.add(next);
            ops.assign(params.get(i), next);
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
