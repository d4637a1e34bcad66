package io.rankwise.cli.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The line format of {@code metrics.jsonl}, shared by the writer and the reader so that the two
 * cannot drift apart. A line with a {@code split} field is an evaluation; any other is a step.
 */
final class MetricsJson {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final String STEP = "step";
    private static final String SPLIT = "split";

    private MetricsJson() {}

    static String line(StepEntry s) {
        ObjectNode o = JSON.createObjectNode();
        o.put(STEP, s.step());
        putNumber(o, "loss", s.loss());
        putNumber(o, "lr", s.lr());
        o.put("budget", s.budget());
        putNumber(o, "seconds", s.seconds());
        return o.toString();
    }

    static String line(EvalEntry e) {
        ObjectNode o = JSON.createObjectNode();
        o.put(STEP, e.step());
        o.put(SPLIT, e.split());
        e.values().forEach((k, v) -> putNumber(o, k, v));
        return o.toString();
    }

    static boolean isEval(JsonNode o) {
        return o.has(SPLIT);
    }

    static StepEntry step(JsonNode o) {
        return new StepEntry(
                o.get(STEP).asLong(),
                number(o.get("loss")),
                number(o.get("lr")),
                o.get("budget").asInt(),
                number(o.get("seconds")));
    }

    static EvalEntry eval(JsonNode o) {
        Map<String, Double> values = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = o.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> f = it.next();
            if (!f.getKey().equals(STEP) && !f.getKey().equals(SPLIT)) {
                values.put(f.getKey(), number(f.getValue()));
            }
        }
        return new EvalEntry(o.get(STEP).asLong(), o.get(SPLIT).asText(), values);
    }

    /**
     * JSON has no NaN or infinity, and a diverged run (the loop aborts on a NaN loss) must still be
     * loggable, so non-finite values are written as the strings Java prints for them.
     */
    private static void putNumber(ObjectNode o, String key, double v) {
        if (Double.isFinite(v)) {
            o.put(key, v);
        } else {
            o.put(key, Double.toString(v));
        }
    }

    private static double number(JsonNode n) {
        if (n == null || n.isNull()) {
            return Double.NaN;
        }
        return n.isTextual() ? Double.parseDouble(n.asText()) : n.asDouble();
    }
}
