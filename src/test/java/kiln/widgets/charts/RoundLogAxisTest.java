package kiln.widgets.charts;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The log axis of the sweep and learning-rate charts: round ticks, plainly labelled, few enough to read. */
class RoundLogAxisTest {

    @Test
    void aSweepOfRatesWithinADecadeIsTickedAtOneTwoThreeFive() {
        List<Double> ticks = RoundLogAxis.ticks(2.8e-4, 3.2e-3);
        assertEquals(List.of(3e-4, 5e-4, 1e-3, 2e-3, 3e-3), ticks);
        assertEquals(List.of("0.0003", "0.0005", "0.001", "0.002", "0.003"), ticks.stream().map(RoundLogAxis::label).toList());
    }

    @Test
    void theLearningRateFindersRangeIsTickedAtEveryPowerOfTen() {
        List<Double> ticks = RoundLogAxis.ticks(1e-7, 10);
        assertEquals(List.of(1e-7, 1e-6, 1e-5, 1e-4, 1e-3, 1e-2, 1e-1, 1.0, 10.0), ticks);
        assertEquals(List.of("1e-7", "1e-6", "1e-5", "0.0001", "0.001", "0.01", "0.1", "1", "10"),
                ticks.stream().map(RoundLogAxis::label).toList());
    }

    @Test
    void manyDecadesKeepEveryOtherPowerSoTheLabelsFit() {
        List<Double> ticks = RoundLogAxis.ticks(1e-12, 1e3);
        assertEquals(List.of(1e-12, 1e-10, 1e-8, 1e-6, 1e-4, 1e-2, 1.0, 100.0), ticks);
        assertEquals("2e6", RoundLogAxis.label(2e6));
    }

    @Test
    void twoOrThreeDecadesAreTickedAtOneTwoFive() {
        assertEquals(List.of(1e-4, 2e-4, 5e-4, 1e-3, 2e-3, 5e-3, 1e-2, 2e-2, 5e-2), RoundLogAxis.ticks(1e-4, 0.05));
    }
}
