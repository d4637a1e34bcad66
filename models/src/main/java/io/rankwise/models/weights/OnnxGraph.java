package io.rankwise.models.weights;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The parsed graph of an ONNX model: its nodes, inputs, outputs and initializers. Initializers stay
 * in the memory-mapped file until {@link #readFloats} decodes one.
 */
public final class OnnxGraph {
    private final Path file;
    private final ByteBuffer mapped;
    private final String name;
    private final List<OnnxNode> nodes;
    private final List<String> inputs;
    private final List<String> outputs;
    private final Map<String, OnnxInitializer> initializers;

    OnnxGraph(
            Path file,
            ByteBuffer mapped,
            String name,
            List<OnnxNode> nodes,
            List<String> inputs,
            List<String> outputs,
            Map<String, OnnxInitializer> initializers) {
        this.file = file;
        this.mapped = mapped;
        this.name = name;
        this.nodes = List.copyOf(nodes);
        this.inputs = List.copyOf(inputs);
        this.outputs = List.copyOf(outputs);
        this.initializers = Collections.unmodifiableMap(initializers);
    }

    /** The file this graph was read from. */
    public Path file() {
        return file;
    }

    /** The graph's name. */
    public String name() {
        return name;
    }

    /** The nodes in file order (ONNX requires topological order). */
    public List<OnnxNode> nodes() {
        return nodes;
    }

    /** The names of the graph inputs, e.g. {@code input_ids}. */
    public List<String> inputs() {
        return inputs;
    }

    /** The names of the graph outputs, e.g. {@code last_hidden_state}. */
    public List<String> outputs() {
        return outputs;
    }

    /** The initializer names, in file order. */
    public List<String> initializerNames() {
        return List.copyOf(initializers.keySet());
    }

    /** The dimensions of an initializer, if there is one of that name. */
    public Optional<long[]> initializerShape(String initializer) {
        return Optional.ofNullable(initializers.get(initializer)).map(i -> i.dims.clone());
    }

    /** The ONNX data type of an initializer ({@code FLOAT}, {@code INT64}, …), if present. */
    public Optional<String> initializerType(String initializer) {
        return Optional.ofNullable(initializers.get(initializer))
                .map(i -> OnnxInitializer.typeName(i.dataType));
    }

    /**
     * Decodes a floating-point initializer (FLOAT, FLOAT16, BFLOAT16 or DOUBLE) to float32.
     *
     * @throws WeightFormatException if it is absent, not floating point, or its stored size does
     *     not match its dimensions
     */
    public NamedArray readFloats(String initializer) throws WeightFormatException {
        OnnxInitializer init = initializers.get(initializer);
        if (init == null) {
            throw new WeightFormatException(file, "no initializer named '" + initializer + "'");
        }
        try {
            return new NamedArray(initializer, init.dims, init.toFloats(mapped));
        } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
            throw new WeightFormatException(file, "malformed ONNX: " + e.getMessage(), e);
        }
    }

    boolean isFloatingInitializer(String initializer) {
        OnnxInitializer init = initializers.get(initializer);
        return init != null && init.isFloating();
    }
}
