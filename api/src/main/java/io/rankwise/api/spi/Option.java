package io.rankwise.api.spi;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One option a plugin accepts, declared once: its name, type, default, accepted range and a
 * one-line description. Everything else follows from this declaration: parsing and validation
 * ({@link #parse}), the error message ({@link #accepted()}), {@code rankwise plugins}, the
 * configuration documentation of {@code rankwise train --help} and the README's key table.
 *
 * <p>A provider declares each option as a constant and reads it typed:
 *
 * <pre>{@code
 * static final Option<Double> LR = Option.number("lr", 1e-3, "learning rate").atLeast(0);
 * ...
 * public Optimizer create(Options o) { return new AdamW(o.get(LR), ...); }
 * }</pre>
 *
 * <p>Values are typed: {@code Integer} for {@link Type#INTEGER}, {@code Long} for {@link
 * Type#LONG}, {@code Double} for {@link Type#NUMBER}, {@code Boolean} for {@link Type#BOOLEAN} and
 * {@code String} for {@link Type#CHOICE} and {@link Type#TEXT}. All of them are {@link
 * java.io.Serializable} and compare by value, so that two sets of options that parse to the same
 * values are equal however they were written ({@code 10}, {@code 10.0}, {@code "10"}).
 *
 * <p>Instances are immutable and compare by value; the range methods return modified copies.
 *
 * @param <T> the type of the option's values
 * @param name the key, e.g. {@code lr}
 * @param type the kind of value
 * @param defaultValue the value when the option is left out; null when there is none (see {@link
 *     #required()})
 * @param unset what leaving the option out means when it has no default (e.g. "engine default");
 *     null for a required option, and for one with a default
 * @param range the accepted interval of an {@link Type#INTEGER}, {@link Type#LONG} or {@link
 *     Type#NUMBER} option ({@link Range#ALL} for the others)
 * @param choices the accepted values of a {@link Type#CHOICE} option, lower case (empty for the
 *     others)
 * @param doc what the option means, one line
 */
public record Option<T>(
        String name,
        Type type,
        T defaultValue,
        String unset,
        Range range,
        List<String> choices,
        String doc) {

    /**
     * A decimal number as written in YAML or on a command line; no hexadecimal, no type suffixes.
     */
    private static final Pattern DECIMAL =
            Pattern.compile("[+-]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][+-]?\\d+)?");

    private static final Pattern INTEGRAL = Pattern.compile("[+-]?\\d+");
    private static final Pattern POSITIVE_INFINITY =
            Pattern.compile("\\+?(inf|infinity|\\.inf)", Pattern.CASE_INSENSITIVE);
    private static final Pattern NEGATIVE_INFINITY =
            Pattern.compile("-(inf|infinity|\\.inf)", Pattern.CASE_INSENSITIVE);

    /** The kinds of option values and the Java type of each. */
    public enum Type {
        /** A whole number that fits an {@code int}: {@link Integer}. */
        INTEGER(Integer.class),
        /** A whole number that fits a {@code long}: {@link Long}. */
        LONG(Long.class),
        /** A floating-point number: {@link Double}; infinite only where the range includes it. */
        NUMBER(Double.class),
        /** {@code true} or {@code false}: {@link Boolean}. */
        BOOLEAN(Boolean.class),
        /** One of a fixed set of words, compared without case: {@link String}. */
        CHOICE(String.class),
        /** Free text: {@link String}. */
        TEXT(String.class);

        private final Class<?> javaType;

        Type(Class<?> javaType) {
            this.javaType = javaType;
        }

        /** The Java type of its values. */
        public Class<?> javaType() {
            return javaType;
        }

        boolean numeric() {
            return this == INTEGER || this == LONG || this == NUMBER;
        }
    }

    /**
     * An interval of numbers; either end may be open or closed, and infinite.
     *
     * @param min the lower end ({@code -inf}: none)
     * @param minOpen whether {@code min} itself is excluded
     * @param max the upper end ({@code inf}: none)
     * @param maxOpen whether {@code max} itself is excluded
     */
    public record Range(double min, boolean minOpen, double max, boolean maxOpen) {
        /** Every finite number. */
        public static final Range ALL =
                new Range(Double.NEGATIVE_INFINITY, true, Double.POSITIVE_INFINITY, true);

        /** Refuses NaN ends and an empty interval. */
        public Range {
            if (Double.isNaN(min)
                    || Double.isNaN(max)
                    || min > max
                    || (min == max && (minOpen || maxOpen))) {
                throw new IllegalArgumentException(
                        "empty range " + text(min, minOpen, max, maxOpen));
            }
        }

        /** Whether {@code v} lies in the interval. */
        public boolean contains(double v) {
            boolean above = minOpen ? v > min : v >= min;
            boolean below = maxOpen ? v < max : v <= max;
            return above && below;
        }

        /**
         * The interval as it follows "a number" or "an integer" in messages: empty when unbounded,
         * {@code " >= 0"} or {@code " < 1"} with one finite end, {@code " in [0, 1)"} with two (or
         * with an included infinity, {@code " in (0, inf]"}).
         */
        String phrase(boolean integral) {
            boolean lower = min != Double.NEGATIVE_INFINITY || !minOpen;
            boolean upper = max != Double.POSITIVE_INFINITY || !maxOpen;
            boolean infiniteEnd =
                    Double.isInfinite(min) && !minOpen || Double.isInfinite(max) && !maxOpen;
            if (lower && upper || infiniteEnd) {
                return " in " + text(min, minOpen, max, maxOpen, integral);
            }
            if (lower) {
                return (minOpen ? " > " : " >= ") + format(min, integral);
            }
            if (upper) {
                return (maxOpen ? " < " : " <= ") + format(max, integral);
            }
            return "";
        }

        private static String text(double min, boolean minOpen, double max, boolean maxOpen) {
            return text(min, minOpen, max, maxOpen, false);
        }

        private static String text(
                double min, boolean minOpen, double max, boolean maxOpen, boolean integral) {
            return (minOpen ? "(" : "[")
                    + format(min, integral)
                    + ", "
                    + format(max, integral)
                    + (maxOpen ? ")" : "]");
        }
    }

    /**
     * Checks the declaration: a name and doc, a default of the right type inside the range, choices
     * only for CHOICE.
     */
    public Option {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(range, "range");
        Objects.requireNonNull(doc, "doc");
        choices = List.copyOf(choices);
        if (name.isBlank()) {
            throw new IllegalArgumentException("an option needs a name");
        }
        if (!type.numeric() && !range.equals(Range.ALL)) {
            throw new IllegalArgumentException(
                    "option " + name + ": only numeric options have a range");
        }
        if ((type == Type.CHOICE) == choices.isEmpty()) {
            throw new IllegalArgumentException(
                    "option " + name + ": choices go with type CHOICE, and it needs at least one");
        }
        if (choices.stream().anyMatch(c -> !c.equals(c.toLowerCase(Locale.ROOT)))) {
            throw new IllegalArgumentException(
                    "option " + name + ": choices are lower case, got " + choices);
        }
        if (defaultValue != null) {
            if (!type.javaType().isInstance(defaultValue)) {
                throw new IllegalArgumentException(
                        "option "
                                + name
                                + ": default "
                                + defaultValue
                                + " is not a "
                                + type.javaType().getSimpleName());
            }
            unset = null;
            // A default outside the range would be refused as soon as it is used; refuse the
            // declaration instead.
            if (!accepts(type, range, choices, defaultValue)) {
                throw new IllegalArgumentException(
                        "option "
                                + name
                                + ": default "
                                + show(defaultValue)
                                + " is outside what it"
                                + " accepts");
            }
        }
    }

    /** A whole-number ({@code int}) option with a default. */
    public static Option<Integer> integer(String name, int defaultValue, String doc) {
        return new Option<>(name, Type.INTEGER, defaultValue, null, Range.ALL, List.of(), doc);
    }

    /** A whole-number ({@code int}) option without a default: required. */
    public static Option<Integer> integer(String name, String doc) {
        return new Option<>(name, Type.INTEGER, null, null, Range.ALL, List.of(), doc);
    }

    /** A whole-number ({@code long}) option with a default. */
    public static Option<Long> longInteger(String name, long defaultValue, String doc) {
        return new Option<>(name, Type.LONG, defaultValue, null, Range.ALL, List.of(), doc);
    }

    /** A whole-number ({@code long}) option without a default: required. */
    public static Option<Long> longInteger(String name, String doc) {
        return new Option<>(name, Type.LONG, null, null, Range.ALL, List.of(), doc);
    }

    /** A floating-point option with a default; finite unless the range includes an infinity. */
    public static Option<Double> number(String name, double defaultValue, String doc) {
        return new Option<>(name, Type.NUMBER, defaultValue, null, Range.ALL, List.of(), doc);
    }

    /** A floating-point option without a default: required. */
    public static Option<Double> number(String name, String doc) {
        return new Option<>(name, Type.NUMBER, null, null, Range.ALL, List.of(), doc);
    }

    /** A {@code true}/{@code false} option with a default. */
    public static Option<Boolean> bool(String name, boolean defaultValue, String doc) {
        return new Option<>(name, Type.BOOLEAN, defaultValue, null, Range.ALL, List.of(), doc);
    }

    /** One of {@code choices} (lower case; matched without case), with a default among them. */
    public static Option<String> choice(
            String name, String defaultValue, List<String> choices, String doc) {
        return new Option<>(name, Type.CHOICE, defaultValue, null, Range.ALL, choices, doc);
    }

    /** Free text with a default. */
    public static Option<String> text(String name, String defaultValue, String doc) {
        return new Option<>(name, Type.TEXT, defaultValue, null, Range.ALL, List.of(), doc);
    }

    /** Accepts values &ge; {@code min} (keeping any upper end). */
    public Option<T> atLeast(double min) {
        return withRange(new Range(min, false, range.max(), range.maxOpen()));
    }

    /** Accepts values &gt; {@code min} (keeping any upper end). */
    public Option<T> above(double min) {
        return withRange(new Range(min, true, range.max(), range.maxOpen()));
    }

    /** Accepts values &le; {@code max} (keeping any lower end); {@code inf} admits infinity. */
    public Option<T> atMost(double max) {
        return withRange(new Range(range.min(), range.minOpen(), max, false));
    }

    /** Accepts values &lt; {@code max} (keeping any lower end). */
    public Option<T> below(double max) {
        return withRange(new Range(range.min(), range.minOpen(), max, true));
    }

    /** Accepts values in {@code range}. */
    public Option<T> withRange(Range range) {
        return new Option<>(name, type, defaultValue, unset, range, choices, doc);
    }

    /**
     * This option with another default. Declare the range first when the default lies only in it:
     * {@code Option.number("clip", doc).above(0).atMost(inf).withDefault(inf)} (an infinite default
     * is refused while the range is the finite numbers).
     */
    public Option<T> withDefault(T value) {
        Objects.requireNonNull(value, "value");
        return new Option<>(name, type, value, null, range, choices, doc);
    }

    /**
     * This option without a default and not required: leaving it out means {@code meaning} (e.g.
     * "engine default"), and {@link Options#find} is empty.
     */
    public Option<T> optional(String meaning) {
        Objects.requireNonNull(meaning, "meaning");
        return new Option<>(name, type, null, meaning, range, choices, doc);
    }

    /** Whether the option must be given: it has no default and leaving it out means nothing. */
    public boolean required() {
        return defaultValue == null && unset == null;
    }

    /** The Java type of the values. */
    @SuppressWarnings("unchecked")
    public Class<T> valueType() {
        return (Class<T>) type.javaType();
    }

    /**
     * What the option accepts, as messages and documentation say it: "a number &gt;= 0", "a number
     * in (0, inf]", "an integer &gt;= 1", "true or false", "one of price, gradsq", "text".
     */
    public String accepted() {
        return switch (type) {
            case INTEGER, LONG -> "an integer" + range.phrase(true);
            case NUMBER -> "a number" + range.phrase(false);
            case BOOLEAN -> "true or false";
            case CHOICE -> "one of " + String.join(", ", choices);
            case TEXT -> "text";
        };
    }

    /**
     * The default as documentation shows it: the value, "(required)", or what leaving it out means.
     */
    public String defaultText() {
        if (defaultValue != null) {
            return show(defaultValue);
        }
        return required() ? "(required)" : unset;
    }

    /**
     * The typed value of {@code given}: a {@link Number}, {@link Boolean} or {@link String} as a
     * YAML scalar or a command line gives it. Numbers may be written as text ({@code "1e-3"},
     * {@code "inf"}); whole-number options refuse fractions; choices are matched without case and
     * returned as declared; text is trimmed.
     *
     * @param plugin the plugin's name, for the message
     * @throws IllegalArgumentException naming the plugin, the option, the value and what is
     *     accepted ({@link #accepted()})
     */
    public T parse(String plugin, Object given) {
        Objects.requireNonNull(
                given,
                () -> plugin + ": option '" + name + "' has no value; accepted: " + accepted());
        T value = convert(given);
        // The message shows the value as given (-1, not the -1.0 it became), as the user wrote it.
        if (value == null || !accepts(type, range, choices, value)) {
            throw refusal(plugin, given instanceof String s ? s.trim() : given);
        }
        return value;
    }

    /**
     * Checks a typed value (one made in code rather than parsed) against the range and choices.
     *
     * @return {@code value}
     * @throws IllegalArgumentException naming the plugin, the option, the value and what is
     *     accepted
     */
    public T check(String plugin, T value) {
        Objects.requireNonNull(value, "value");
        if (!accepts(type, range, choices, value)) {
            throw refusal(plugin, value);
        }
        return value;
    }

    /** Static, so that the constructor can check the default before the fields are set. */
    private static boolean accepts(Type type, Range range, List<String> choices, Object value) {
        return switch (type) {
            case INTEGER, LONG -> range.contains(((Number) value).doubleValue());
            case NUMBER -> !Double.isNaN((Double) value) && range.contains((Double) value);
            case CHOICE -> choices.contains(value);
            case BOOLEAN, TEXT -> true;
        };
    }

    /**
     * This option's value in a map of typed values keyed by option name (as {@link
     * Options#values()} holds them), or its default when the map has none.
     *
     * @throws IllegalArgumentException if the value there is not of this option's type
     */
    public T in(Map<String, ?> values) {
        Object v = values.get(name);
        if (v == null) {
            return defaultValue;
        }
        if (!type.javaType().isInstance(v)) {
            throw new IllegalArgumentException(
                    "option '"
                            + name
                            + "' holds "
                            + show(v)
                            + " ("
                            + v.getClass().getSimpleName()
                            + "), not a parsed "
                            + type.javaType().getSimpleName());
        }
        return valueType().cast(v);
    }

    /**
     * A value as messages and documentation show it: numbers plainly ({@code 0.001}, {@code 1e-8},
     * {@code inf}), text as written ({@code ''} when empty).
     */
    public static String show(Object value) {
        if (value instanceof Double d) {
            if (d.isInfinite()) {
                return d > 0 ? "inf" : "-inf";
            }
            String s = Double.toString(d);
            // Java writes 1.0E-8; the way people (and Python, and the papers' code) write it is
            // 1e-8.
            return s.contains("E") ? s.replace(".0E", "E").replace("E", "e") : s;
        }
        if (value instanceof String s && s.isEmpty()) {
            return "''";
        }
        return String.valueOf(value);
    }

    private IllegalArgumentException refusal(String plugin, Object value) {
        return new IllegalArgumentException(
                plugin + ": option '" + name + "' is " + show(value) + "; accepted: " + accepted());
    }

    /** {@code given} as this option's type, or null when it is not one. */
    private T convert(Object given) {
        Object v =
                switch (type) {
                    case INTEGER -> {
                        Long n = wholeNumber(given);
                        yield n != null && n >= Integer.MIN_VALUE && n <= Integer.MAX_VALUE
                                ? (Object) n.intValue()
                                : null;
                    }
                    case LONG -> wholeNumber(given);
                    case NUMBER -> number(given);
                    case BOOLEAN ->
                            given instanceof Boolean b
                                    ? b
                                    : given instanceof String s
                                                    && (s.trim().equalsIgnoreCase("true")
                                                            || s.trim().equalsIgnoreCase("false"))
                                            ? (Object)
                                                    Boolean.parseBoolean(
                                                            s.trim().toLowerCase(Locale.ROOT))
                                            : null;
                    case CHOICE -> {
                        String s = scalarText(given).toLowerCase(Locale.ROOT);
                        // Unknown words are returned as given, so that check() refuses them naming
                        // the value.
                        yield choices.contains(s) ? s : scalarText(given);
                    }
                    case TEXT -> scalarText(given);
                };
        return v == null ? null : valueType().cast(v);
    }

    private static Long wholeNumber(Object given) {
        if (given instanceof Integer
                || given instanceof Long
                || given instanceof Short
                || given instanceof Byte) {
            return ((Number) given).longValue();
        }
        if (given instanceof BigInteger b) {
            return b.bitLength() < 64 ? b.longValue() : null;
        }
        if (given instanceof String s && INTEGRAL.matcher(s.trim()).matches()) {
            try {
                return Long.parseLong(s.trim());
            } catch (NumberFormatException e) {
                return null; // beyond long
            }
        }
        return null; // fractions (also 2.0), booleans, other text
    }

    private static Double number(Object given) {
        if (given instanceof BigDecimal b) {
            return b.doubleValue();
        }
        if (given instanceof Number n) {
            return n.doubleValue();
        }
        if (given instanceof String raw) {
            String s = raw.trim();
            if (DECIMAL.matcher(s).matches()) {
                return Double.parseDouble(s);
            }
            if (POSITIVE_INFINITY.matcher(s).matches()) {
                return Double.POSITIVE_INFINITY;
            }
            if (NEGATIVE_INFINITY.matcher(s).matches()) {
                return Double.NEGATIVE_INFINITY;
            }
        }
        return null;
    }

    private static String scalarText(Object given) {
        return given instanceof String s ? s.trim() : show(given);
    }

    private static String format(double v, boolean integral) {
        if (Double.isInfinite(v)) {
            return v > 0 ? "inf" : "-inf";
        }
        if (integral || v == Math.rint(v) && Math.abs(v) < 1e15) {
            return String.valueOf((long) v);
        }
        return Double.toString(v);
    }
}
