package io.rankwise.models.encoder;

import java.util.List;

/**
 * Which linear layers get adapters, by module-name patterns as PEFT's {@code target_modules}: a
 * module matches a pattern when its name equals it or ends with "." + pattern. So {@code query}
 * matches {@code encoder.layer.0.attention.self.query}, and {@code output.dense} matches both the
 * attention output and the feed-forward output of every layer.
 *
 * @param patterns the patterns
 */
public record TargetModules(List<String> patterns) {

    /** The modules AdaLoRA adapts in the paper: every linear layer of every encoder layer. */
    public static TargetModules paper() {
        return new TargetModules(
                List.of(
                        "query",
                        "key",
                        "value",
                        "attention.output.dense",
                        "intermediate.dense",
                        "output.dense"));
    }

    /** Copies the list and refuses empty patterns. */
    public TargetModules {
        patterns = List.copyOf(patterns);
        for (String p : patterns) {
            if (p.isBlank()) {
                throw new IllegalArgumentException(
                        "target_modules contains an empty pattern; accepted: module names such as query, value, output.dense");
            }
        }
    }

    /** Whether {@code module} is adapted. */
    public boolean matches(String module) {
        for (String p : patterns) {
            if (module.equals(p) || module.endsWith("." + p)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Refuses patterns that matched none of an encoder's linear layers, naming how its layers are
     * called ({@code example}); no patterns at all is fine (no adapters).
     *
     * @param matchedAny whether any layer matched
     * @throws IllegalArgumentException naming the patterns and the layers' naming
     */
    public void requireMatched(boolean matchedAny, String example) {
        if (!matchedAny && !patterns.isEmpty()) {
            throw new IllegalArgumentException(
                    "target_modules "
                            + patterns
                            + " match no linear layer; the layers are named like "
                            + example
                            + " (patterns match a whole name or a suffix after a dot)");
        }
    }
}
