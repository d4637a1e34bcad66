package io.rankwise.cli.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Mean ± sample std against numbers worked out by hand. */
class SummaryTest {

    @Test
    void sampleStandardDeviationDividesByNMinusOne() {
        // mean 0.84; squared deviations 0.0016 + 0 + 0.0016 = 0.0032; / (3 - 1) = 0.0016; sqrt =
        // 0.04
        Summary s = Summary.of(List.of(0.80, 0.84, 0.88));
        assertEquals(0.84, s.mean(), 1e-12);
        assertEquals(0.04, s.std(), 1e-12);
        assertEquals("0.8400 ± 0.0400", s.format(4));
        // mean 2.5; deviations ±0.5 ±1.5 → 0.25+2.25+0.25+2.25 = 5; / 3; sqrt = 1.2909944
        Summary t = Summary.of(List.of(1.0, 2.0, 3.0, 4.0));
        assertEquals(Math.sqrt(5.0 / 3.0), t.std(), 1e-12);
        assertEquals("2.500 ± 1.291", t.format(3));
    }

    @Test
    void oneSeedHasNoSpread() {
        Summary s = Summary.of(List.of(0.9));
        assertEquals(0.9, s.mean());
        assertTrue(Double.isNaN(s.std()));
        assertEquals("0.90 ± —", s.format(2));
        assertEquals("n/a", Summary.of(List.of()).format(2));
    }
}
