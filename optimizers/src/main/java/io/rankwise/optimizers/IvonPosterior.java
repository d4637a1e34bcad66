package io.rankwise.optimizers;

import io.rankwise.api.Backend;
import io.rankwise.api.CompiledFunction;
import io.rankwise.api.DType;
import io.rankwise.api.Ops;
import io.rankwise.api.Shape;
import io.rankwise.api.Tensor;
import io.rankwise.api.Variable;
import io.rankwise.api.optim.Posterior;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntConsumer;

/** IVON's posterior N(m, σ²) with σ = 1/√(λ(h + δ)), read from the optimizer's own slots. */
final class IvonPosterior implements Posterior {
    private final Backend backend;
    private final List<Variable> parameters;
    private final List<Variable> hessians;
    private final IvonSettings settings;
    private List<Variable> backups;
    private CompiledFunction sample;
    private CompiledFunction restore;

    IvonPosterior(
            Backend backend,
            List<Variable> parameters,
            List<Variable> hessians,
            IvonSettings settings) {
        this.backend = backend;
        this.parameters = parameters;
        this.hessians = hessians;
        this.settings = settings;
    }

    private int indexOf(Variable parameter) {
        int i = parameters.indexOf(parameter);
        if (i < 0) {
            throw new IllegalArgumentException(
                    "ivon: "
                            + parameter.name()
                            + " is not a trainable parameter of this optimizer, so it has no posterior");
        }
        return i;
    }

    @Override
    public Tensor mean(Ops ops, Variable parameter) {
        indexOf(parameter);
        return ops.read(parameter);
    }

    @Override
    public Tensor std(Ops ops, Variable parameter) {
        Tensor h = ops.read(hessians.get(indexOf(parameter)));
        return ops.rsqrt(ops.mul(ops.add(h, settings.weightDecay()), settings.ess()));
    }

    @Override
    public double[] meanValues(Variable parameter) {
        indexOf(parameter);
        return parameter.toDoubles();
    }

    @Override
    public double[] stdValues(Variable parameter) {
        double[] h = hessians.get(indexOf(parameter)).toDoubles();
        double[] sigma = new double[h.length];
        for (int j = 0; j < h.length; j++) {
            sigma[j] = 1 / Math.sqrt(settings.ess() * (h[j] + settings.weightDecay()));
        }
        return sigma;
    }

    @Override
    public void withSampledWeights(long seed, int draws, IntConsumer body) {
        if (draws < 1) {
            throw new IllegalArgumentException(
                    "posterior sampling: draws is " + draws + "; it must be >= 1");
        }
        prepare();
        for (int k = 0; k < draws; k++) {
            try (Tensor seedInput =
                    backend.tensor(new long[] {seed, k}, Shape.of(2), DType.INT64)) {
                sample.call(seedInput).forEach(Tensor::close);
            }
            try {
                body.accept(k);
            } finally {
                restore.call().forEach(Tensor::close);
            }
        }
    }

    private synchronized void prepare() {
        if (sample != null) {
            return;
        }
        backups = new ArrayList<>();
        for (Variable p : parameters) {
            backups.add(
                    backend.variable(
                            p.name() + "/ivon.mean_backup",
                            new double[Math.toIntExact(p.shape().size())],
                            p.shape(),
                            p.dtype(),
                            false));
        }
        sample =
                backend.compile(
                        (ops, in) -> {
                            for (int i = 0; i < parameters.size(); i++) {
                                Variable p = parameters.get(i);
                                Tensor m = ops.read(p);
                                Tensor streamSeed =
                                        ops.add(
                                                in.get(0),
                                                ops.constant(
                                                        new long[] {0, 1_000_003L * (i + 1)},
                                                        Shape.of(2),
                                                        DType.INT64));
                                Tensor epsilon =
                                        ops.randomNormal(p.shape(), p.dtype(), streamSeed, 0, 1);
                                ops.assign(backups.get(i), m);
                                ops.assign(p, ops.add(m, ops.mul(std(ops, p), epsilon)));
                            }
                            return List.of();
                        });
        restore =
                backend.compile(
                        (ops, in) -> {
                            for (int i = 0; i < parameters.size(); i++) {
                                ops.assign(parameters.get(i), ops.read(backups.get(i)));
                            }
                            return List.of();
                        });
    }
}
