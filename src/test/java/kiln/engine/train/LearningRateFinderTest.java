package kiln.engine.train;

import kiln.engine.eval.TrainedProjects;
import kiln.engine.project.Project;
import kiln.engine.runs.TrainingEvent;
import kiln.engine.util.Progress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LearningRateFinderTest {

    @TempDir
    Path dir;

    /** A loss that falls like a logistic in log10(rate), centred at 1e-3, and blows up past 1e-1. */
    @Test
    void theSuggestionIsWhereTheLossFallsFastest() {
        List<LearningRateFinder.Point> curve = new ArrayList<>();
        for (int i = 0; i < 120; i++) {
            double rate = 1e-7 * Math.pow(10, i * 7.0 / 120);
            double x = Math.log10(rate);
            double loss = 1 + 2 / (1 + Math.exp(4 * (x + 3))) + (x > -1 ? 50 * (x + 1) * (x + 1) : 0);
            curve.add(new LearningRateFinder.Point(rate, loss, loss));
        }
        LearningRateFinder.Result r = LearningRateFinder.suggest(curve);
        assertEquals(-3, Math.log10(r.suggested()), 0.1, r.reason());
    }

    @Test
    void aCurveThatEndsAtOnceGivesNoRateButAReason() {
        List<LearningRateFinder.Point> curve = List.of(new LearningRateFinder.Point(1e-7, 2, 2));
        LearningRateFinder.Result r = LearningRateFinder.suggest(curve);
        assertTrue(Double.isNaN(r.suggested()));
        assertTrue(r.reason().contains("check the data"), r.reason());
    }

    /**
     * The "known good rate" is measured, not assumed: the MNIST MLP (Adam) trained for as many batches as the range
     * test takes, at rates a factor of √10 apart, and the rate with the lowest validation loss wins. The finder,
     * which sees one short run, must land within a factor of 3 of it.
     */
    @Test
    void onTheMnistMlpTheSuggestionIsWithinAFactorOfThreeOfTheBestRateFound() throws Exception {
        Project p = TrainedProjects.copySample("mnist-mlp", dir);
        int samples = LearningRateFinder.STEPS * p.training().batchSize();
        TrainingSession.PreparedData data = TrainingSession.prepareData(p, dir, samples, Progress.NONE);
        LearningRateFinder.Result found = LearningRateFinder.run(p, data, LearningRateFinder.STEPS, Progress.NONE);

        int batchesPerEpoch = (data.splits().train().size() + p.training().batchSize() - 1) / p.training().batchSize();
        int epochs = Math.max(1, LearningRateFinder.STEPS / batchesPerEpoch);
        double bestRate = Double.NaN;
        double bestLoss = Double.POSITIVE_INFINITY;
        StringBuilder grid = new StringBuilder();
        for (double rate = 1e-4; rate <= 0.11; rate *= Math.sqrt(10)) {
            p.setTraining(p.training().withLearningRate(rate).withEpochs(epochs));
            double[] lastLoss = {Double.NaN};
            TrainingSession.newRun(p, dir, data, samples, e -> {
                if (e instanceof TrainingEvent.EpochFinished f) lastLoss[0] = f.validationLoss();
            }).run();
            grid.append(String.format(java.util.Locale.ROOT, " %.1e→%.4f", rate, lastLoss[0]));
            if (lastLoss[0] < bestLoss) {
                bestLoss = lastLoss[0];
                bestRate = rate;
            }
        }
        double ratio = found.suggested() / bestRate;
        assertTrue(ratio >= 1 / 3.0 && ratio <= 3, "suggested " + found.suggested() + " (" + found.reason()
                + "), best fixed rate " + bestRate + "; validation loss after " + epochs + " epochs:" + grid);
    }
}
