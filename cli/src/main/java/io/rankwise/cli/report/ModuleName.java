package io.rankwise.cli.report;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where an adapter sits in a BERT-style encoder, read from its name: the layer index and the matrix
 * type. {@code encoder.layer.3.attention.self.query.lora_E} is layer 3, {@code query}.
 *
 * @param layer the layer index, or -1 when the name has none
 * @param type one of {@link #TYPES}, or {@link #OTHER} for a name that matches none
 */
public record ModuleName(int layer, String type) {

    /** The matrix types AdaLoRA adapts in a BERT layer, in the order of the forward pass. */
    public static final List<String> TYPES =
            List.of(
                    "query",
                    "key",
                    "value",
                    "attention.output.dense",
                    "intermediate.dense",
                    "output.dense");

    /** The type of names that match none of {@link #TYPES}. */
    public static final String OTHER = "other";

    private static final Pattern LAYER = Pattern.compile("(?:^|\\.)layers?\\.(\\d+)\\.(.*)$");

    /**
     * Parses {@code name}, with or without a {@code .lora_E}/{@code .lora_A}/{@code .lora_B} suffix
     * and any prefix ({@code base_model.model.}, {@code bert.}).
     */
    public static ModuleName parse(String name) {
        String module = name.replaceFirst("\\.lora_[ABE](\\.[^.]+)?$", "");
        Matcher m = LAYER.matcher(module);
        if (!m.find()) {
            return new ModuleName(-1, OTHER);
        }
        return new ModuleName(Integer.parseInt(m.group(1)), type(m.group(2)));
    }

    /**
     * The type of the part after the layer index. {@code attention.output.dense} also ends in
     * {@code output.dense}, so whole-part matches are tried before the bare q/k/v suffixes.
     */
    private static String type(String rest) {
        for (String t : TYPES) {
            if (rest.equals(t)) {
                return t;
            }
        }
        for (String t : List.of("query", "key", "value")) {
            if (rest.equals("attention.self." + t) || rest.endsWith("." + t)) {
                return t;
            }
        }
        return OTHER;
    }
}
