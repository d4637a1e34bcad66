package io.rankwise.cli.config;

import static io.rankwise.cli.config.ValueKind.INTEGER;
import static io.rankwise.cli.config.ValueKind.NUMBER;
import static io.rankwise.cli.config.ValueKind.STRING;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rankwise.training.spec.LrSchedule;
import java.util.List;

/**
 * The {@code training.lr_schedule} section of the YAML configuration: its keys, and the mapping
 * onto {@link LrSchedule}.
 */
final class LrScheduleSection {
    private LrScheduleSection() {}

    /** The keys of {@code lr_schedule}; which apply depends on {@code kind}. */
    static final ConfigSection SECTION =
            new ConfigSection(
                    "lr_schedule",
                    "the learning-rate schedule; lr is the optimizer's lr option",
                    List.of(
                            ConfigKey.of(
                                    "kind",
                                    STRING,
                                    "linear, constant_then_decay, constant",
                                    "linear",
                                    "linear: warm-up then linear decay to 0; constant_then_decay: the paper's IVON schedule; constant: lr"),
                            ConfigKey.of(
                                    "warmup_steps",
                                    INTEGER,
                                    "integer >= 0",
                                    "0",
                                    "linear only: steps of linear warm-up from 0 to lr, then linear decay to 0 at the last step"),
                            ConfigKey.of(
                                    "hold_steps",
                                    INTEGER,
                                    "integer >= 0",
                                    "500",
                                    "constant_then_decay only: steps at lr_high before the decay from lr to 0 (the paper: 500 or 400)"),
                            ConfigKey.of(
                                    "lr_high",
                                    NUMBER,
                                    "number > 0",
                                    "2.0",
                                    "constant_then_decay only: the rate for the first hold_steps (the paper: 2.0)")));

    /** The keys that apply to {@code kind}, {@code kind} first. */
    static List<String> keysOf(String kind) {
        return switch (kind) {
            case "linear" -> List.of("kind", "warmup_steps");
            case "constant_then_decay" -> List.of("kind", "hold_steps", "lr_high");
            default -> List.of("kind");
        };
    }

    static LrSchedule read(SectionReader r) {
        String kind = r.oneOf("kind", List.of("linear", "constant_then_decay", "constant"));
        List<String> keys = keysOf(kind);
        // A key of another kind is refused rather than ignored: it shows a mistaken belief about
        // which schedule runs. YAML null (or --set key=null) clears it.
        for (ConfigKey k : SECTION.keys()) {
            if (r.given(k.name()) && !keys.contains(k.name())) {
                throw new ConfigException(
                        r.path(k.name())
                                + " does not apply to kind "
                                + kind
                                + "; keys of kind "
                                + kind
                                + ": "
                                + String.join(", ", keys));
            }
        }
        return switch (kind) {
            case "linear" -> new LrSchedule.Linear(r.integer("warmup_steps", 0, Long.MAX_VALUE));
            case "constant_then_decay" ->
                    new LrSchedule.ConstantThenDecay(
                            r.integer("hold_steps", 0, Long.MAX_VALUE),
                            r.number("lr_high", x -> x > 0));
            default -> new LrSchedule.Constant();
        };
    }

    /** Writes {@code kind} and the keys that apply to it. */
    static void write(LrSchedule schedule, ObjectNode out) {
        out.put("kind", schedule.kind());
        if (schedule instanceof LrSchedule.Linear l) {
            out.put("warmup_steps", l.warmupSteps());
        } else if (schedule instanceof LrSchedule.ConstantThenDecay c) {
            out.put("hold_steps", c.holdSteps());
            out.put("lr_high", c.lrHigh());
        }
    }
}
