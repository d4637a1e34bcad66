package io.rankwise.backend.tensorflow;

import org.tensorflow.GraphOperation;
import org.tensorflow.GraphOperationBuilder;
import org.tensorflow.Operation;
import org.tensorflow.Output;
import org.tensorflow.Tensor;
import org.tensorflow.exceptions.TensorFlowException;
import org.tensorflow.proto.DataType;

/**
 * Builds one graph operation by its TensorFlow op name. The backend builds raw ops rather than TF
 * Java's typed wrappers because Rankwise tensors carry their dtype at run time, not in Java types;
 * type attributes that follow from the inputs ({@code T}, {@code N}, ...) are inferred by
 * TensorFlow.
 */
final class Node {
    private final String type;
    private final String name;
    private final GraphOperationBuilder builder;

    Node(TfGraph graph, String type) {
        this(graph, type, type);
    }

    /** An op whose name starts with {@code nameHint} (made unique in the graph). */
    Node(TfGraph graph, String type, String nameHint) {
        this.type = type;
        this.name = graph.scope().makeOpName(nameHint);
        this.builder = graph.graph().opBuilder(type, name, graph.scope());
    }

    /** The op's unique name in the graph. */
    String name() {
        return name;
    }

    Node input(Output<?> input) {
        builder.addInput(input);
        return this;
    }

    Node inputList(Output<?>[] inputs) {
        builder.addInputList(inputs);
        return this;
    }

    Node attr(String name, DataType value) {
        builder.setAttr(name, value);
        return this;
    }

    Node attr(String name, long value) {
        builder.setAttr(name, value);
        return this;
    }

    Node attr(String name, boolean value) {
        builder.setAttr(name, value);
        return this;
    }

    Node attr(String name, String value) {
        builder.setAttr(name, value);
        return this;
    }

    Node attr(String name, org.tensorflow.ndarray.Shape value) {
        builder.setAttr(name, value);
        return this;
    }

    /**
     * Sets a tensor attribute; TensorFlow copies the value, so the caller may close it afterwards.
     */
    Node attr(String name, Tensor value) {
        builder.setAttr(name, value);
        return this;
    }

    Node after(Operation op) {
        builder.addControlInput(op);
        return this;
    }

    /**
     * Adds the op to the graph.
     *
     * @throws IllegalArgumentException when TensorFlow refuses it (shape inference found the inputs
     *     incompatible, a type is not supported by the kernel, ...), with TensorFlow's reason
     */
    GraphOperation build() {
        try {
            return builder.build();
        } catch (TensorFlowException
                | IllegalArgumentException e) { // TF's InvalidArgument is the latter
            throw new IllegalArgumentException(
                    "tensorflow: op " + type + " refused its inputs: " + e.getMessage(), e);
        }
    }

    /** Builds the op and returns its first output. */
    Output<?> output() {
        return build().output(0);
    }
}
