package io.rankwise.api.spi;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A plugin's options, checked against its {@link OptionSpec}s: unknown keys are refused with the list
 * of known ones, missing keys take their defaults (a spec without a default is required), and typed getters refuse values outside the
 * accepted range, naming the plugin, the option, the value and what is accepted.
 */
public final class Options {
    private final String plugin;
    private final Map<String, String> values = new LinkedHashMap<>();

    private Options(String plugin) {
        this.plugin = plugin;
    }

    /**
     * Checks {@code given} against {@code specs} and fills in defaults.
     *
     * @throws IllegalArgumentException for a key that no spec names, listing the known keys
     */
    public static Options parse(String plugin, List<OptionSpec> specs, Map<String, String> given) {
        Options options = new Options(plugin);
        Set<String> known = specs.stream().map(OptionSpec::name).collect(Collectors.toCollection(java.util.LinkedHashSet::new));
        for (String key : given.keySet()) {
            if (!known.contains(key)) {
                throw new IllegalArgumentException(plugin + ": unknown option '" + key + "'; known options: "
                        + String.join(", ", known));
            }
        }
        for (OptionSpec spec : specs) {
            String value = given.get(spec.name());
            if (value == null && spec.defaultValue() == null) {
                throw new IllegalArgumentException(plugin + ": option '" + spec.name() + "' is required (" + spec.description() + ")");
            }
            options.values.put(spec.name(), value != null ? value.trim() : spec.defaultValue());
        }
        return options;
    }

    /** The raw text of an option (after defaults). */
    public String text(String name) {
        String v = values.get(name);
        if (v == null) {
            throw new IllegalStateException(plugin + ": option '" + name + "' is not declared");
        }
        return v;
    }

    /**
     * A double in [{@code min}, {@code max}] (either bound may be open). Accepts {@code inf}.
     *
     * @throws IllegalArgumentException naming the option, the value and the accepted range
     */
    public double doubleIn(String name, double min, boolean minOpen, double max, boolean maxOpen) {
        String text = text(name);
        double v;
        try {
            v = parseDouble(text);
        } catch (NumberFormatException e) {
            throw bad(name, text, "a number " + range(min, minOpen, max, maxOpen));
        }
        boolean below = minOpen ? !(v > min) : !(v >= min);
        boolean above = maxOpen ? !(v < max) : !(v <= max);
        if (below || above) {
            throw bad(name, text, range(min, minOpen, max, maxOpen));
        }
        return v;
    }

    /**
     * An integer in [{@code min}, {@code max}].
     *
     * @throws IllegalArgumentException naming the option, the value and the accepted range
     */
    public int intIn(String name, int min, int max) {
        String text = text(name);
        int v;
        try {
            v = Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw bad(name, text, "an integer in [" + min + ", " + max + "]");
        }
        if (v < min || v > max) {
            throw bad(name, text, "an integer in [" + min + ", " + max + "]");
        }
        return v;
    }

    /** {@code true} or {@code false}. */
    public boolean bool(String name) {
        String text = text(name).toLowerCase(Locale.ROOT);
        if (text.equals("true") || text.equals("false")) {
            return Boolean.parseBoolean(text);
        }
        throw bad(name, text, "true or false");
    }

    /** One of {@code accepted} (case-insensitive), returned in lower case. */
    public String oneOf(String name, String... accepted) {
        String text = text(name).toLowerCase(Locale.ROOT);
        for (String a : accepted) {
            if (a.equals(text)) {
                return a;
            }
        }
        throw bad(name, text(name), "one of " + String.join(", ", accepted));
    }

    private static double parseDouble(String text) {
        String t = text.toLowerCase(Locale.ROOT);
        if (t.equals("inf") || t.equals("infinity") || t.equals("+inf")) {
            return Double.POSITIVE_INFINITY;
        }
        return Double.parseDouble(text);
    }

    private static String range(double min, boolean minOpen, double max, boolean maxOpen) {
        return (minOpen ? "(" : "[") + fmt(min) + ", " + fmt(max) + (maxOpen ? ")" : "]");
    }

    private static String fmt(double v) {
        return Double.isInfinite(v) ? (v > 0 ? "inf" : "-inf") : (v == Math.rint(v) ? String.valueOf((long) v) : String.valueOf(v));
    }

    private IllegalArgumentException bad(String name, String value, String accepted) {
        return new IllegalArgumentException(plugin + ": option '" + name + "' is " + value + "; accepted: " + accepted);
    }
}
