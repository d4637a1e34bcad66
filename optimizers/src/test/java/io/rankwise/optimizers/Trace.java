package io.rankwise.optimizers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * One IVON reference trace from the official implementation (test resources, copied from
 * shared/reference): a linear regression x @ W + b with loss 0.5 · mean_rows Σ_cols (pred − y)².
 */
record Trace(
        String name,
        IvonSettings settings,
        double[][] x,
        double[][] y,
        double[][] w0,
        double[] b0,
        List<JsonNode> steps) {

    static Trace load(String file) {
        try (InputStream in = Trace.class.getResourceAsStream("/reference/" + file)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource /reference/" + file);
            }
            JsonNode root = new ObjectMapper().readTree(in);
            JsonNode hp = root.get("hyperparameters");
            IvonSettings settings =
                    new IvonSettings(
                            hp.get("lr").asDouble(),
                            hp.get("ess").asDouble(),
                            hp.get("hess_init").asDouble(),
                            hp.get("beta1").asDouble(),
                            hp.get("beta2").asDouble(),
                            hp.get("weight_decay").asDouble(),
                            hp.get("mc_samples").asInt(),
                            hp.has("hess_approx") ? hp.get("hess_approx").asText() : "price",
                            hp.has("clip_radius") && !hp.get("clip_radius").isNull()
                                    ? hp.get("clip_radius").asDouble()
                                    : Double.POSITIVE_INFINITY,
                            !hp.has("debias") || hp.get("debias").asBoolean(),
                            !hp.has("rescale_lr") || hp.get("rescale_lr").asBoolean());
            List<JsonNode> steps = new ArrayList<>();
            root.get("steps").forEach(steps::add);
            return new Trace(
                    file,
                    settings,
                    matrix(root.get("x")),
                    matrix(root.get("y")),
                    matrix(root.get("initial").get("W")),
                    vector(root.get("initial").get("b")),
                    steps);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static double[][] matrix(JsonNode node) {
        double[][] m = new double[node.size()][];
        for (int i = 0; i < m.length; i++) {
            m[i] = vector(node.get(i));
        }
        return m;
    }

    static double[] vector(JsonNode node) {
        double[] v = new double[node.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = node.get(i).asDouble();
        }
        return v;
    }

    static double[] flat(double[][] m) {
        return java.util.Arrays.stream(m).flatMapToDouble(java.util.Arrays::stream).toArray();
    }

    /**
     * A parameter's values (W flattened row-major, or b) from a step's object such as {@code
     * mean_after}.
     */
    static double[] values(JsonNode object, String parameter) {
        JsonNode node = object.get(parameter);
        return node.get(0).isArray() ? flat(matrix(node)) : vector(node);
    }

    /** The recorded draws: step-major, then sample, then parameter (W, b). */
    List<List<List<double[]>>> draws() {
        List<List<List<double[]>>> all = new ArrayList<>();
        for (JsonNode step : steps) {
            List<List<double[]>> samples = new ArrayList<>();
            for (JsonNode sample : step.get("samples")) {
                JsonNode eps = sample.get("standard_normal");
                samples.add(List.of(values(eps, "W"), values(eps, "b")));
            }
            all.add(samples);
        }
        return all;
    }
}
