package io.rankwise.testing;

import io.rankwise.api.Backend;
import io.rankwise.api.CompiledFunction;
import java.util.ArrayList;
import java.util.List;

/**
 * Central finite differences (f(x + h·eᵢ) − f(x − h·eᵢ)) / 2h of a compiled scalar function, for
 * checking the gradient machinery of a backend against its own forward pass.
 */
public final class FiniteDifferences {
    private FiniteDifferences() {}

    /**
     * The numerical gradient of the first (scalar) output of {@code forward} with respect to each
     * input in {@code wrt}.
     */
    public static List<double[]> gradients(
            Backend backend, CompiledFunction forward, List<Exec.In> inputs, int[] wrt, double h) {
        List<double[]> out = new ArrayList<>();
        for (int k : wrt) {
            RefArray x = inputs.get(k).value();
            double[] g = new double[x.size()];
            for (int j = 0; j < g.length; j++) {
                double plus = evaluate(backend, forward, inputs, k, j, x.data[j] + h);
                double minus = evaluate(backend, forward, inputs, k, j, x.data[j] - h);
                g[j] = (plus - minus) / (2 * h);
            }
            out.add(g);
        }
        return out;
    }

    public static double evaluate(
            Backend backend,
            CompiledFunction forward,
            List<Exec.In> inputs,
            int k,
            int j,
            double value) {
        List<Exec.In> changed = new ArrayList<>(inputs);
        RefArray x = inputs.get(k).value();
        double[] d = x.data.clone();
        d[j] = value;
        changed.set(k, new Exec.In(x.withData(d), inputs.get(k).dtype()));
        return Exec.call(backend, forward, changed).get(0).values()[0];
    }
}
