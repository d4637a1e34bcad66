package io.rankwise.cli.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Module names to grid cells, and a known pattern to the ranks the heat map and report show. */
class RankGridTest {

    private static boolean[] mask(int surviving, int initR) {
        boolean[] m = new boolean[initR];
        for (int i = 0; i < surviving; i++) {
            m[(i * 3) % initR] = true; // survivors need not be a prefix
        }
        return m;
    }

    @Test
    void parsesLayerAndMatrixTypeFromPeftNames() {
        assertEquals(
                new ModuleName(3, "query"),
                ModuleName.parse("encoder.layer.3.attention.self.query.lora_E"));
        assertEquals(
                new ModuleName(0, "attention.output.dense"),
                ModuleName.parse(
                        "base_model.model.bert.encoder.layer.0.attention.output.dense.lora_E"));
        assertEquals(
                new ModuleName(11, "output.dense"),
                ModuleName.parse("encoder.layer.11.output.dense.lora_E"));
        assertEquals(
                new ModuleName(5, "intermediate.dense"),
                ModuleName.parse("encoder.layer.5.intermediate.dense"));
        assertEquals(
                new ModuleName(2, "value"),
                ModuleName.parse("encoder.layer.2.attention.self.value.lora_E.default"));
        assertEquals(
                new ModuleName(1, ModuleName.OTHER),
                ModuleName.parse("encoder.layer.1.output.LayerNorm.lora_E"));
        assertEquals(new ModuleName(-1, ModuleName.OTHER), ModuleName.parse("classifier.lora_E"));
    }

    @Test
    void countsSurvivingRanksPerLayerAndType() {
        Map<String, boolean[]> pattern = new LinkedHashMap<>();
        pattern.put("encoder.layer.0.attention.self.query.lora_E", mask(2, 4));
        pattern.put("encoder.layer.0.output.dense.lora_E", mask(4, 4));
        pattern.put("encoder.layer.1.attention.self.key.lora_E", mask(0, 4));
        pattern.put("encoder.layer.2.attention.output.dense.lora_E", mask(3, 4));
        RankGrid grid = RankGrid.of(pattern);

        assertEquals(List.of("0", "1", "2"), grid.rows());
        assertEquals(
                ModuleName.TYPES, grid.columns(), "no 'other' column when every name is known");
        int q = 0;
        int k = 1;
        int aod = 3;
        int od = 5;
        assertEquals(2, grid.rank(0, q));
        assertEquals(4, grid.rank(0, od));
        assertEquals(0, grid.rank(1, k));
        assertTrue(grid.hasAdapter(1, k), "pruned to zero is still an adapter");
        assertFalse(grid.hasAdapter(1, q));
        assertEquals(3, grid.rank(2, aod));
        assertEquals(4, grid.maxRank());
        assertEquals(9, grid.totalRank());
        assertEquals(16, grid.totalCapacity());
    }

    @Test
    void unknownNamesGoToAnOtherColumnAndNamesWithoutALayerToAnOtherRow() {
        Map<String, boolean[]> pattern = new LinkedHashMap<>();
        pattern.put("encoder.layer.1.attention.self.value.lora_E", mask(1, 2));
        pattern.put("encoder.layer.1.output.LayerNorm.lora_E", mask(2, 2));
        pattern.put("pooler.dense.lora_E", mask(1, 2));
        RankGrid grid = RankGrid.of(pattern);
        assertEquals(
                List.of("0", "1", "other"), grid.rows(), "layer 0 is shown even without adapters");
        assertEquals("other", grid.columns().get(grid.columns().size() - 1));
        int other = grid.columns().size() - 1;
        assertEquals(2, grid.rank(1, other));
        assertEquals(1, grid.rank(2, other));
        assertEquals(1, grid.rank(1, 2));
    }

    @Test
    void colourScaleDarkensWithRank() {
        RankPaintScale scale = new RankPaintScale(8);
        double previous = Double.MAX_VALUE;
        for (int r = 0; r <= 8; r++) {
            Color c = (Color) scale.getPaint(r);
            double luminance = 0.2126 * c.getRed() + 0.7152 * c.getGreen() + 0.0722 * c.getBlue();
            assertTrue(luminance < previous, "rank " + r + " is darker than rank " + (r - 1));
            previous = luminance;
        }
    }
}
