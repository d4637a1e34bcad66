package io.rankwise.cli.config;

import static io.rankwise.cli.config.ValueKind.INTEGER;
import static io.rankwise.cli.config.ValueKind.NUMBER;
import static io.rankwise.cli.config.ValueKind.STRING;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * The {@code training.lr_schedule} section: how the learning rate moves over the T steps of a
 * run. The base rate lr is the optimizer's own {@code lr} option.
 */
public sealed interface LrSchedule permits LrSchedule.Linear, LrSchedule.ConstantThenDecay, LrSchedule.Constant {

    /** The keys of {@code lr_schedule}; which apply depends on {@code kind}. */
    ConfigSection SECTION = new ConfigSection("lr_schedule", "the learning-rate schedule; lr is the optimizer's lr option", List.of(
            ConfigKey.of("kind", STRING, "linear, constant_then_decay, constant", "linear",
                    "linear: warm-up then linear decay to 0; constant_then_decay: the paper's IVON schedule; constant: lr"),
            ConfigKey.of("warmup_steps", INTEGER, "integer >= 0", "0",
                    "linear only: steps of linear warm-up from 0 to lr, then linear decay to 0 at the last step"),
            ConfigKey.of("hold_steps", INTEGER, "integer >= 0", "500",
                    "constant_then_decay only: steps at lr_high before the decay from lr to 0 (the paper: 500 or 400)"),
            ConfigKey.of("lr_high", NUMBER, "number > 0", "2.0",
                    "constant_then_decay only: the rate for the first hold_steps (the paper: 2.0)")));

    /** The schedule's name as written in YAML. */
    String kind();

    /**
     * Linear warm-up from 0 to lr over {@code warmupSteps}, then linear decay to 0 at step T.
     *
     * @param warmupSteps warm-up steps (0: start at lr)
     */
    record Linear(long warmupSteps) implements LrSchedule {
        /** Refuses a negative warm-up. */
        public Linear {
            if (warmupSteps < 0) {
                throw new IllegalArgumentException("warmup_steps must be >= 0, got " + warmupSteps);
            }
        }

        @Override
        public String kind() {
            return "linear";
        }
    }

    /**
     * The paper's IVON schedule for the small GLUE tasks: {@code lrHigh} for the first
     * {@code holdSteps}, then linear decay from lr to 0 at step T.
     *
     * @param holdSteps steps at {@code lrHigh}
     * @param lrHigh the rate while holding
     */
    record ConstantThenDecay(long holdSteps, double lrHigh) implements LrSchedule {
        /** Refuses negative steps and a non-positive rate. */
        public ConstantThenDecay {
            if (holdSteps < 0 || !(lrHigh > 0) || Double.isInfinite(lrHigh)) {
                throw new IllegalArgumentException("hold_steps must be >= 0 and lr_high > 0, got " + holdSteps + ", " + lrHigh);
            }
        }

        @Override
        public String kind() {
            return "constant_then_decay";
        }
    }

    /** lr at every step. */
    record Constant() implements LrSchedule {
        @Override
        public String kind() {
            return "constant";
        }
    }

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
                throw new ConfigException(r.path(k.name()) + " does not apply to kind " + kind + "; keys of kind " + kind
                        + ": " + String.join(", ", keys));
            }
        }
        return switch (kind) {
            case "linear" -> new Linear(r.integer("warmup_steps", 0, Long.MAX_VALUE));
            case "constant_then_decay" -> new ConstantThenDecay(r.integer("hold_steps", 0, Long.MAX_VALUE),
                    r.number("lr_high", x -> x > 0));
            default -> new Constant();
        };
    }

    /** Writes {@code kind} and the keys that apply to it. */
    static void write(LrSchedule schedule, ObjectNode out) {
        out.put("kind", schedule.kind());
        if (schedule instanceof Linear l) {
            out.put("warmup_steps", l.warmupSteps());
        } else if (schedule instanceof ConstantThenDecay c) {
            out.put("hold_steps", c.holdSteps());
            out.put("lr_high", c.lrHigh());
        }
    }
}
