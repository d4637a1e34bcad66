package io.rankwise.models.weights;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Which ONNX initializer holds which Hugging Face parameter of a BERT encoder.
 *
 * <p>Embeddings, LayerNorms and biases keep their Hugging Face names in an exported graph (with or
 * without a prefix such as {@code bert.}). The weights of linear layers do not: PyTorch's exporter
 * folds the transpose of {@code nn.Linear} into a constant named {@code onnx::MatMul_NNN} of layout
 * [in, out]. Such a weight is identified through the graph: the {@code MatMul} that reads it as its
 * second operand, then the {@code Add} that adds a named bias to that product — the weight of
 * {@code X.bias} is {@code X.weight}.
 */
public final class OnnxBertMapping {

    /**
     * Where one parameter comes from.
     *
     * @param initializer the ONNX initializer's name
     * @param transposed whether it is stored [in, out] and must be transposed to [out, in]
     */
    public record Source(String initializer, boolean transposed) {}

    private final Map<String, Source> sources;
    private final List<String> unmapped;

    private OnnxBertMapping(Map<String, Source> sources, List<String> unmapped) {
        this.sources = Collections.unmodifiableMap(sources);
        this.unmapped = List.copyOf(unmapped);
    }

    /** The parameter names found and their sources, in graph order. */
    public Map<String, Source> sources() {
        return sources;
    }

    /**
     * Floating-point initializers that are neither a BERT parameter nor a linear weight traced to
     * one (constants of the graph, heads of other tasks).
     */
    public List<String> unmapped() {
        return unmapped;
    }

    /** The source of a parameter, if the graph holds it. */
    public Optional<Source> source(String parameter) {
        return Optional.ofNullable(sources.get(parameter));
    }

    /**
     * Maps the floating-point initializers of {@code graph} to Hugging Face names.
     *
     * @throws WeightFormatException if two initializers claim the same parameter, or a weight is
     *     read by more than one MatMul
     */
    public static OnnxBertMapping of(OnnxGraph graph) throws WeightFormatException {
        Map<String, List<OnnxNode>> consumers = new HashMap<>();
        for (OnnxNode node : graph.nodes()) {
            for (String input : node.inputs()) {
                consumers.computeIfAbsent(input, k -> new ArrayList<>()).add(node);
            }
        }
        Map<String, Source> sources = new LinkedHashMap<>();
        List<String> unmapped = new ArrayList<>();
        for (String init : graph.initializerNames()) {
            if (!graph.isFloatingInitializer(init)) {
                continue;
            }
            Optional<String> direct = BertNames.normalise(init);
            Optional<String> traced =
                    direct.isPresent() ? Optional.empty() : traceLinear(graph, init, consumers);
            Optional<String> parameter = direct.isPresent() ? direct : traced;
            if (parameter.isEmpty()) {
                unmapped.add(init);
                continue;
            }
            Source previous = sources.put(parameter.get(), new Source(init, traced.isPresent()));
            if (previous != null) {
                throw new WeightFormatException(
                        graph.file(),
                        "initializers '"
                                + previous.initializer()
                                + "' and '"
                                + init
                                + "' both map to "
                                + parameter.get());
            }
        }
        return new OnnxBertMapping(sources, unmapped);
    }

    /**
     * The parameter name of a linear weight: {@code MatMul(x, init)} followed by {@code
     * Add(product, bias)} or {@code Add(bias, product)} with a named bias.
     */
    private static Optional<String> traceLinear(
            OnnxGraph graph, String init, Map<String, List<OnnxNode>> consumers)
            throws WeightFormatException {
        if (graph.initializerShape(init).map(d -> d.length).orElse(0) != 2) {
            return Optional.empty();
        }
        List<OnnxNode> matMuls =
                consumers.getOrDefault(init, List.of()).stream()
                        .filter(
                                n ->
                                        n.opType().equals("MatMul")
                                                && n.inputs().size() == 2
                                                && n.inputs().get(1).equals(init))
                        .toList();
        if (matMuls.isEmpty()) {
            return Optional.empty();
        }
        if (matMuls.size() > 1) {
            throw new WeightFormatException(
                    graph.file(),
                    "initializer '"
                            + init
                            + "' is read by "
                            + matMuls.size()
                            + " MatMul nodes; a shared weight cannot be named");
        }
        String product = matMuls.get(0).outputs().get(0);
        for (OnnxNode add : consumers.getOrDefault(product, List.of())) {
            if (!add.opType().equals("Add") || add.inputs().size() != 2) {
                continue;
            }
            String other =
                    add.inputs().get(0).equals(product) ? add.inputs().get(1) : add.inputs().get(0);
            Optional<String> bias = BertNames.normalise(other).filter(b -> b.endsWith(".bias"));
            if (bias.isPresent() && graph.isFloatingInitializer(other)) {
                String b = bias.get();
                return Optional.of(b.substring(0, b.length() - ".bias".length()) + ".weight");
            }
        }
        return Optional.empty();
    }
}
