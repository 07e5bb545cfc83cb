package kiln.engine.train;

import kiln.engine.runs.TrainingEvent;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Hints read from crafted curves: each shape gives its hint, and a healthy run gives none of the warnings. */
class CurveHintsTest {

    /** Epochs from parallel arrays of training loss, training accuracy, validation loss. */
    private static List<TrainingEvent.EpochFinished> curves(double[] trainLoss, double[] trainAcc, double[] valLoss) {
        List<TrainingEvent.EpochFinished> out = new ArrayList<>();
        for (int i = 0; i < trainLoss.length; i++) {
            out.add(new TrainingEvent.EpochFinished(i + 1, trainLoss[i], trainAcc[i], valLoss[i], trainAcc[i] - 0.01,
                    1.0, 1e-3, false));
        }
        return out;
    }

    private static List<CurveHints.Kind> kinds(List<TrainingEvent.EpochFinished> epochs, int classes) {
        return CurveHints.of(epochs, classes).stream().map(CurveHints.Hint::kind).toList();
    }

    @Test
    void validationLossRisingWhileTrainingLossFallsIsOverfitting() {
        var epochs = curves(new double[] {0.9, 0.5, 0.3, 0.2, 0.1},
                new double[] {0.7, 0.85, 0.9, 0.95, 0.98},
                new double[] {0.8, 0.55, 0.5, 0.6, 0.7});
        List<CurveHints.Hint> hints = CurveHints.of(epochs, 10);
        assertEquals(List.of(CurveHints.Kind.OVERFITTING), hints.stream().map(CurveHints.Hint::kind).toList());
        assertTrue(hints.get(0).title().contains("epoch 3"), hints.get(0).title());
        assertTrue(hints.get(0).text().contains("dropout"), "suggests what to try");
    }

    @Test
    void aHealthyRunStillImprovingGetsOnlyTheEncouragement() {
        var epochs = curves(new double[] {0.9, 0.5, 0.3, 0.2},
                new double[] {0.7, 0.85, 0.9, 0.95},
                new double[] {0.8, 0.55, 0.4, 0.35});
        assertEquals(List.of(CurveHints.Kind.STILL_IMPROVING), kinds(epochs, 10));
    }

    @Test
    void aLossThatDoesNotMoveIsFlatAndAtChanceLevel() {
        var epochs = curves(new double[] {2.302, 2.301, 2.303, 2.302},
                new double[] {0.11, 0.10, 0.11, 0.10},
                new double[] {2.303, 2.302, 2.303, 2.302});
        assertEquals(List.of(CurveHints.Kind.FLAT, CurveHints.Kind.NEAR_CHANCE), kinds(epochs, 10));
    }

    @Test
    void aGrowingOrNonFiniteLossIsExplodingAndNothingElseIsSaid() {
        var growing = curves(new double[] {1.0, 1.4, 3.0, 9.0},
                new double[] {0.3, 0.2, 0.1, 0.1},
                new double[] {1.1, 1.6, 3.5, 10.0});
        assertEquals(List.of(CurveHints.Kind.DIVERGING), kinds(growing, 10));
        var nan = curves(new double[] {1.0, Double.NaN}, new double[] {0.3, 0.1}, new double[] {1.1, Double.NaN});
        assertEquals(List.of(CurveHints.Kind.DIVERGING), kinds(nan, 10));
    }

    @Test
    void chanceDependsOnTheNumberOfClasses() {
        // 55 % is near chance for 2 classes, far above it for 10.
        var epochs = curves(new double[] {0.69, 0.68}, new double[] {0.55, 0.55}, new double[] {0.69, 0.685});
        assertTrue(kinds(epochs, 2).contains(CurveHints.Kind.NEAR_CHANCE));
        assertTrue(!kinds(epochs, 10).contains(CurveHints.Kind.NEAR_CHANCE));
        assertTrue(!kinds(epochs, 0).contains(CurveHints.Kind.NEAR_CHANCE), "no chance level when classes are unknown");
    }

    @Test
    void tooFewEpochsSayNothingAboutTrends() {
        assertEquals(List.of(), CurveHints.of(List.of(), 10));
        var one = curves(new double[] {0.5}, new double[] {0.9}, new double[] {0.6});
        assertEquals(List.of(), CurveHints.of(one, 10));
    }
}
