package io.rankwise.allocators;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rankwise.allocators.adapters.SvdLowRankAdapter;
import io.rankwise.api.Backend;
import io.rankwise.api.CompiledFunction;
import io.rankwise.api.DType;
import io.rankwise.api.HostRandom;
import io.rankwise.api.Tensor;
import io.rankwise.api.Variable;
import io.rankwise.api.adapt.ImportanceMetric;
import io.rankwise.api.adapt.SvdAdapter;
import io.rankwise.api.optim.Optimizer;
import io.rankwise.api.plugin.Plugins;
import io.rankwise.optimizers.AdamW;
import io.rankwise.optimizers.Ivon;
import io.rankwise.optimizers.IvonSettings;
import io.rankwise.optimizers.noise.DeviceNoise;
import io.rankwise.testing.Backends;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every shared AdaLoRA trace (PEFT's RankAllocator for sensitivity, the paper authors'
 * VIRankAllocator for the posterior metrics) on every backend: the parameters, gradients and
 * Hessians of each step are set from the trace, the allocator runs, and the budget, the rank
 * pattern at every masking step and Λ after allocation must match (patterns exactly, values within
 * 1e-9 in float64).
 */
class AdaLoraTraceTest {
    private static final Map<String, String> CRITERIA =
            Map.of(
                    "sensitivity",
                    "sensitivity",
                    "SNR",
                    "snr",
                    "mean",
                    "magnitude",
                    "sigma",
                    "variance",
                    "SNR_mean_abs",
                    "snr-abs",
                    "E_mean_abs",
                    "mean-abs");

    static Stream<Arguments> cases() {
        List<Arguments> cases = new ArrayList<>();
        for (String backend : Backends.names()) {
            for (String trace :
                    List.of(
                            "adalora_sensitivity.json",
                            "adalora_snr.json",
                            "adalora_snr_abs.json",
                            "adalora_magnitude.json",
                            "adalora_variance.json")) {
                cases.add(Arguments.of(backend, trace));
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void budgetsPatternsAndMaskedValuesMatchTheReference(String backendName, String file)
            throws IOException {
        JsonNode root;
        try (InputStream in = getClass().getResourceAsStream("/reference/" + file)) {
            root = new ObjectMapper().readTree(in);
        }
        JsonNode config = root.get("config");
        int initR = root.get("init_r").asInt();
        String metricName = CRITERIA.get(root.get("criterion").asText());
        Backend backend = Backends.get(backendName);
        String prefix = Backends.unique(file);

        List<SvdAdapter> adapters = new ArrayList<>();
        List<Variable> parameters = new ArrayList<>();
        for (JsonNode m : root.get("matrices")) {
            SvdLowRankAdapter a =
                    new SvdLowRankAdapter(
                            backend,
                            prefix + m.get("name").asText(),
                            m.get("d_in").asInt(),
                            m.get("d_out").asInt(),
                            initR,
                            1.0,
                            DType.FLOAT64,
                            new HostRandom(1));
            adapters.add(a);
            parameters.addAll(a.parameters());
        }
        boolean posterior = config.has("ess");
        Optimizer optimizer =
                posterior
                        ? new Ivon(
                                new IvonSettings(
                                        0.1,
                                        config.get("ess").asDouble(),
                                        1.0,
                                        0.9,
                                        0.99999,
                                        config.get("weight_decay").asDouble(),
                                        1,
                                        "price",
                                        Double.POSITIVE_INFINITY,
                                        true,
                                        true),
                                new DeviceNoise(0))
                        : new AdamW(1e-3, 0.9, 0.999, 1e-8, 0);
        optimizer.attach(backend, parameters);
        Map<String, String> metricOptions =
                config.has("beta1")
                        ? Map.of(
                                "beta1",
                                config.get("beta1").asText(),
                                "beta2",
                                config.get("beta2").asText())
                        : Map.of();
        ImportanceMetric metric =
                Plugins.discover().metrics().get(metricName).create(metricOptions);
        AdaLoraAllocator allocator =
                new AdaLoraAllocator(
                        new AdaLoraConfig(
                                initR,
                                config.get("target_r").asInt(),
                                config.get("tinit").asLong(),
                                config.get("tfinal").asLong(),
                                config.get("deltaT").asLong(),
                                config.get("total_step").asLong(),
                                0));
        allocator.attach(backend, adapters, metric, optimizer);

        try (CompiledFunction observe =
                backend.compile(
                        (ops, grads) -> {
                            allocator.observe(
                                    ops, grads, parameters.stream().map(ops::read).toList());
                            return List.of();
                        })) {
            for (JsonNode step : root.get("steps")) {
                long t = step.get("step").asLong();
                String where = backendName + " " + file + " step " + t;
                for (int k = 0; k < adapters.size(); k++) {
                    SvdAdapter a = adapters.get(k);
                    String layer = root.get("matrices").get(k).get("name").asText();
                    set(a.left(), step.get("weights").get(layer + ".lora_B.default"));
                    set(a.singularValues(), step.get("weights").get(layer + ".lora_E.default"));
                    set(a.right(), step.get("weights").get(layer + ".lora_A.default"));
                    if (posterior) {
                        List<Variable> hessians = ((Ivon) optimizer).hessians();
                        set(hessians.get(3 * k), step.get("hess").get(layer + ".lora_B.default"));
                        set(
                                hessians.get(3 * k + 1),
                                step.get("hess").get(layer + ".lora_E.default"));
                        set(
                                hessians.get(3 * k + 2),
                                step.get("hess").get(layer + ".lora_A.default"));
                    }
                }
                if (allocator.observesAt(t)) {
                    List<Tensor> grads = new ArrayList<>();
                    for (int k = 0; k < adapters.size(); k++) {
                        String layer = root.get("matrices").get(k).get("name").asText();
                        for (String part :
                                List.of(".lora_B.default", ".lora_E.default", ".lora_A.default")) {
                            Variable v = parameters.get(grads.size());
                            grads.add(
                                    backend.tensor(
                                            flat(step.get("grads").get(layer + part)),
                                            v.shape(),
                                            DType.FLOAT64));
                        }
                    }
                    observe.call(grads).forEach(Tensor::close);
                    grads.forEach(Tensor::close);
                }
                allocator.afterStep(t);

                JsonNode expected = step.get("expected");
                assertEquals(
                        expected.get("budget").asInt(), allocator.budget(t), where + ": budget");
                if (expected.has("rank_pattern")) {
                    Map<String, boolean[]> pattern = allocator.rankPattern();
                    for (int k = 0; k < adapters.size(); k++) {
                        String layer = root.get("matrices").get(k).get("name").asText();
                        JsonNode want = expected.get("rank_pattern").get(layer + ".lora_E.default");
                        boolean[] wanted = new boolean[want.size()];
                        for (int i = 0; i < wanted.length; i++) {
                            wanted[i] = want.get(i).asBoolean();
                        }
                        assertArrayEquals(
                                wanted,
                                pattern.get(adapters.get(k).module()),
                                where + ": pattern of " + layer);
                    }
                }
                for (int k = 0; k < adapters.size(); k++) {
                    String layer = root.get("matrices").get(k).get("name").asText();
                    double[] want = flat(step.get("lora_E_after").get(layer + ".lora_E.default"));
                    double[] got = adapters.get(k).singularValues().toDoubles();
                    for (int i = 0; i < want.length; i++) {
                        assertEquals(
                                want[i],
                                got[i],
                                1e-9 * Math.max(1, Math.abs(want[i])),
                                where + ": Λ of " + layer + "[" + i + "]");
                    }
                }
            }
        }
    }

    private static void set(Variable v, JsonNode values) {
        v.assign(flat(values));
    }

    private static double[] flat(JsonNode node) {
        List<Double> out = new ArrayList<>();
        collect(node, out);
        return out.stream().mapToDouble(Double::doubleValue).toArray();
    }

    private static void collect(JsonNode node, List<Double> out) {
        if (node.isArray()) {
            for (Iterator<JsonNode> it = node.elements(); it.hasNext(); ) {
                collect(it.next(), out);
            }
        } else {
            out.add(node.asDouble());
        }
    }
}
