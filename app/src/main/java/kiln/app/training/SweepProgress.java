package kiln.app.training;

import kiln.engine.runs.TrainingEvent;
import kiln.engine.sweep.SweepPlan;
import kiln.engine.sweep.SweepTrial;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Where the sweep is, for the progress bar and the time left: trials done and the current one's epochs. */
final class SweepProgress {
    private int total;
    private int finishedBefore;
    private int finishedNow;
    private int current;
    private int lastEpoch;
    private double withinTrial;
    private long trialStart;
    private final List<Double> trialSeconds = new ArrayList<>();

    void reset() {
        total = 0;
        finishedBefore = 0;
        finishedNow = 0;
        current = 0;
        withinTrial = 0;
        trialSeconds.clear();
    }

    void opened(SweepPlan plan) {
        total = plan.trials().size();
        finishedBefore = (int) plan.finishedCount();
    }

    void trialStarted(SweepTrial trial) {
        current = trial.number();
        withinTrial = 0;
        lastEpoch = 0;
        trialStart = System.nanoTime();
    }

    void training(TrainingEvent e) {
        if (e instanceof TrainingEvent.Started s) lastEpoch = s.lastEpoch();
        if (e instanceof TrainingEvent.BatchFinished b && lastEpoch > 0) {
            withinTrial = ((b.epoch() - 1) + (double) b.batch() / b.batchesPerEpoch()) / lastEpoch;
        }
    }

    void trialEnded() {
        trialSeconds.add((System.nanoTime() - trialStart) / 1e9);
        finishedNow++;
        withinTrial = 0;
    }

    int total() {
        return total;
    }

    double fraction() {
        return total == 0 ? 0 : Math.min(1, (finishedBefore + finishedNow + withinTrial) / total);
    }

    /** Seconds left: trials measured in this session, else the current trial's pace. NaN while unknown. */
    double secondsLeft() {
        int left = total - finishedBefore - finishedNow;
        double perTrial;
        if (!trialSeconds.isEmpty()) {
            perTrial = trialSeconds.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
        } else if (withinTrial > 0.05) {
            perTrial = (System.nanoTime() - trialStart) / 1e9 / withinTrial;
        } else {
            return Double.NaN;
        }
        return perTrial * (left - withinTrial);
    }

    String describe() {
        String where = current == 0 ? "Preparing" : "Trial " + current + " of " + total;
        return where + String.format(Locale.ROOT, " · %d of %d finished · ", finishedBefore + finishedNow, total)
                + Eta.describe(secondsLeft());
    }
}
