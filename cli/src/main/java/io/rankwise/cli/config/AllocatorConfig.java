package io.rankwise.cli.config;

import static io.rankwise.cli.config.ValueKind.INTEGER;
import static io.rankwise.cli.config.ValueKind.NUMBER;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * The {@code allocator} section: AdaLoRA's budget schedule (docs/algorithms.md §2). The total number
 * of steps T is not a key: it follows from the training length.
 *
 * @param targetR the average rank per matrix at the end (budget b_T = target_r × matrices)
 * @param tinit t_i, steps at full rank before budgeting starts
 * @param tfinal t_f, final steps with the rank pattern frozen
 * @param deltaT ΔT, steps between masking steps while budgeting
 * @param orthRegWeight γ, weight of the orthogonality regulariser on P and Q
 */
public record AllocatorConfig(int targetR, long tinit, long tfinal, long deltaT, double orthRegWeight) {

    /** The keys of {@code allocator}. */
    public static final ConfigSection SECTION = new ConfigSection("allocator",
            "AdaLoRA's rank budget schedule (total steps follow from the training length)", List.of(
                    ConfigKey.of("target_r", INTEGER, "integer in [1, adapter.init_r]", "4",
                            "average rank per adapted matrix at the end of training"),
                    ConfigKey.of("tinit", INTEGER, "integer >= 0", "10", "t_i: steps at full rank before budgeting starts"),
                    ConfigKey.of("tfinal", INTEGER, "integer >= 0", "20", "t_f: final steps with the rank pattern frozen"),
                    ConfigKey.of("delta_t", INTEGER, "integer >= 1", "5", "ΔT: steps between masking steps while budgeting"),
                    ConfigKey.of("orth_reg_weight", NUMBER, "number >= 0", "0.1",
                            "γ: weight of the orthogonality regulariser on P and Q")));

    /** Checks what the mapping checks (target_r ≤ init_r is checked with the adapter section). */
    public AllocatorConfig {
        if (targetR < 1 || tinit < 0 || tfinal < 0 || deltaT < 1 || !(orthRegWeight >= 0)) {
            throw new IllegalArgumentException("allocator: target_r >= 1, tinit >= 0, tfinal >= 0, delta_t >= 1,"
                    + " orth_reg_weight >= 0");
        }
    }

    static AllocatorConfig read(SectionReader r) {
        return new AllocatorConfig(r.intValue("target_r", 1, Integer.MAX_VALUE), r.integer("tinit", 0, Long.MAX_VALUE),
                r.integer("tfinal", 0, Long.MAX_VALUE), r.integer("delta_t", 1, Long.MAX_VALUE),
                r.number("orth_reg_weight", g -> g >= 0));
    }

    void write(ObjectNode out) {
        out.put("target_r", targetR);
        out.put("tinit", tinit);
        out.put("tfinal", tfinal);
        out.put("delta_t", deltaT);
        out.put("orth_reg_weight", orthRegWeight);
    }
}
