package io.rankwise.models.weights;

import java.util.List;

/**
 * One node of an ONNX graph: its operator and the names of the values it reads and writes.
 * Attributes are not kept; mapping weights needs only the wiring.
 *
 * @param name the node's name (may be empty)
 * @param opType the operator, e.g. {@code MatMul}, {@code Add}
 * @param inputs names of the values read, in order (an empty name is an omitted optional input)
 * @param outputs names of the values written
 */
public record OnnxNode(String name, String opType, List<String> inputs, List<String> outputs) {
    /** Copies the lists. */
    public OnnxNode {
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
    }
}
