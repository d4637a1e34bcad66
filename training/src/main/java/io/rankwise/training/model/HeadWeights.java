package io.rankwise.training.model;

import java.util.Arrays;
import java.util.Objects;

/**
 * The host values of the classification head, in the layout of a PyTorch {@code nn.Linear} (weight
 * [outputs, hidden], bias [outputs]), which is how PEFT saves a sequence-classification model's
 * {@code classifier} under {@code modules_to_save}.
 *
 * <p>Rankwise's head pools the encoder output as configured (mean pooling for MiniLM) and applies
 * this linear layer; Hugging Face's {@code BertForSequenceClassification} applies its {@code
 * classifier} to the CLS pooler output (dense + tanh) instead. Python PEFT therefore gets the
 * adapters exactly, and these classifier weights as they were trained on Rankwise's pooling; to
 * reproduce Rankwise's predictions in Python, pool the same way before the classifier.
 *
 * @param outputs the number of outputs (classes, or 1 for regression)
 * @param hidden the width of the pooled vector
 * @param weight outputs × hidden, row-major
 * @param bias outputs values
 */
public record HeadWeights(int outputs, int hidden, double[] weight, double[] bias) {

    /** Checks that the arrays fit the sizes; the arrays are not copied. */
    public HeadWeights {
        Objects.requireNonNull(weight, "weight");
        Objects.requireNonNull(bias, "bias");
        if (outputs < 1 || hidden < 1) {
            throw new IllegalArgumentException(
                    "classifier: outputs "
                            + outputs
                            + " and hidden "
                            + hidden
                            + " must be positive");
        }
        if ((long) outputs * hidden != weight.length || bias.length != outputs) {
            throw new IllegalArgumentException(
                    "classifier: weight must hold "
                            + outputs
                            + "×"
                            + hidden
                            + " and bias "
                            + outputs
                            + " values, got "
                            + weight.length
                            + " and "
                            + bias.length);
        }
    }

    /**
     * A head from a weight stored the other way round, hidden × outputs (as Rankwise's task head
     * keeps it, so that its forward pass is one matmul of the pooled rows).
     */
    public static HeadWeights fromHiddenByOutputs(
            int hidden, int outputs, double[] weightHiddenByOutputs, double[] bias) {
        return new HeadWeights(
                outputs, hidden, transpose(weightHiddenByOutputs, hidden, outputs), bias);
    }

    /** The weight as hidden × outputs, row-major: the inverse of {@link #fromHiddenByOutputs}. */
    public double[] weightHiddenByOutputs() {
        return transpose(weight, outputs, hidden);
    }

    private static double[] transpose(double[] m, int rows, int columns) {
        if ((long) rows * columns != m.length) {
            throw new IllegalArgumentException(
                    "classifier: weight must hold "
                            + rows
                            + "×"
                            + columns
                            + " values, got "
                            + m.length);
        }
        double[] t = new double[m.length];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < columns; c++) {
                t[c * rows + r] = m[r * columns + c];
            }
        }
        return t;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof HeadWeights h
                && outputs == h.outputs
                && hidden == h.hidden
                && Arrays.equals(weight, h.weight)
                && Arrays.equals(bias, h.bias);
    }

    @Override
    public int hashCode() {
        return Objects.hash(outputs, hidden, Arrays.hashCode(bias));
    }

    @Override
    public String toString() {
        return "HeadWeights[" + outputs + "×" + hidden + "]";
    }
}
