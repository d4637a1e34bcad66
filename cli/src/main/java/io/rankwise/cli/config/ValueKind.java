package io.rankwise.cli.config;

/**
 * The shape of a key's value. It decides how a {@code --set} override's text is turned into a YAML
 * value before mapping (the mapping itself then checks the range), and how the key is documented.
 */
public enum ValueKind {
    /** Text, taken as written (a {@code --set} value {@code 123} stays the string "123"). */
    STRING,
    /** A whole number. */
    INTEGER,
    /** A floating-point number. */
    NUMBER,
    /** {@code true} or {@code false}. */
    BOOLEAN,
    /** A list of strings; on the command line, comma-separated. */
    LIST,
    /**
     * A plugin's {@code name: value} options, checked against the options the plugin declares; on
     * the command line one at a time ({@code optimizer.options.lr=0.1}).
     */
    OPTIONS,
    /** A nested section with its own keys. */
    SECTION,
    /** A list of nested sections; on the command line, a comma-separated shorthand. */
    SECTION_LIST,
    /** A count or a list of whole numbers; on the command line, {@code 3} or {@code 1,2,3}. */
    COUNT_OR_LIST
}
