package kiln.engine.eval;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Mean, sample std and Student-t interval against values worked out by hand; the noise judgement. */
class SeedSummaryTest {

    @Test
    void threeValuesGiveTheirMeanSampleStdAndTheTIntervalWithTwoDegreesOfFreedom() {
        // mean 0.92; squared deviations 0.0004 + 0 + 0.0004 over n - 1 = 2 gives 0.0004, std 0.02;
        // half width t(0.975, 2) · std / √3 = 4.303 · 0.02 / 1.7320508 = 0.0496868.
        SeedSummary s = SeedSummary.of(List.of(0.90, 0.92, 0.94));
        assertEquals(0.92, s.mean(), 1e-12);
        assertEquals(0.02, s.std(), 1e-12);
        assertEquals(0.92 - 0.0496868, s.low(), 1e-6);
        assertEquals(0.92 + 0.0496868, s.high(), 1e-6);
        assertEquals("0.9200 ± 0.0200 (mean ± sample std over 3 seeds; 95 % interval 0.8703–0.9697)", s.describe("seeds"));
    }

    @Test
    void twoValuesUseTheWideIntervalOfOneDegreeOfFreedom() {
        // mean 0.5, std √((0.01 + 0.01) / 1) = 0.141421; half width 12.706 · 0.141421 / √2 = 1.2706.
        SeedSummary s = SeedSummary.of(List.of(0.4, 0.6));
        assertEquals(0.141421356, s.std(), 1e-8);
        assertEquals(0.5 - 1.2706, s.low(), 1e-9);
    }

    @Test
    void beyondTheTableTheQuantileFollowsTheExpansionWithinAThousandth() {
        assertEquals(2.042, SeedSummary.tQuantile975(30), 1e-12);
        assertEquals(2.021, SeedSummary.tQuantile975(40), 1e-3);
        assertEquals(2.000, SeedSummary.tQuantile975(60), 1e-3);
        assertEquals(1.980, SeedSummary.tQuantile975(120), 1e-3);
        assertTrue(SeedSummary.tQuantile975(31) < SeedSummary.tQuantile975(30));
    }

    @Test
    void resultsCloserThanTwoStandardDeviationsAreWithinTheNoise() {
        SeedSummary s = SeedSummary.of(List.of(0.90, 0.92, 0.94)); // std 0.02, band 0.04
        assertTrue(s.withinNoise(0.95, 0.92));
        assertTrue(s.withinNoise(0.92, 0.95));
        assertFalse(s.withinNoise(0.97, 0.92));
        assertFalse(SeedSummary.of(List.of(0.9, 0.9)).withinNoise(0.9, 0.9001));
    }

    @Test
    void oneValueHasNoSpread() {
        assertThrows(IllegalArgumentException.class, () -> SeedSummary.of(List.of(0.9)));
    }
}
