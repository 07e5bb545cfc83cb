package kiln.engine.sweep;

import java.util.Map;

/**
 * One trial of a sweep: its values and, once it has run, its run and scores.
 * @param number          1, 2, ... in the plan's order
 * @param values          the varied values by target (training.learningRate, dense1.units)
 * @param status          pending (not run, or interrupted), done, or failed (the run failed, e.g. the loss diverged)
 * @param run             the run's id in the project's history, or null while pending
 * @param validationLoss  the best epoch's validation loss (the trials are ranked by it)
 * @param validationAccuracy the best epoch's validation accuracy
 */
public record SweepTrial(int number, Map<String, Object> values, String status, String run, int bestEpoch,
                         double validationLoss, double validationAccuracy, double testLoss, double testAccuracy,
                         double seconds, String message) {

    public static final String PENDING = "pending";
    public static final String DONE = "done";
    public static final String FAILED = "failed";

    public SweepTrial {
        values = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(values));
    }

    static SweepTrial pending(int number, Map<String, Object> values) {
        return new SweepTrial(number, values, PENDING, null, 0, Double.NaN, Double.NaN, Double.NaN, Double.NaN, 0, null);
    }

    /** Whether the trial has run to an end (done or failed), so a resumed sweep skips it. */
    public boolean finished() {
        return !status.equals(PENDING);
    }

    public boolean done() {
        return status.equals(DONE);
    }

    SweepTrial done(String runId, int best, double valLoss, double valAccuracy, double loss, double accuracy, double secs) {
        return new SweepTrial(number, values, DONE, runId, best, valLoss, valAccuracy, loss, accuracy, secs, null);
    }

    SweepTrial failed(String runId, String why) {
        return new SweepTrial(number, values, FAILED, runId, 0, Double.NaN, Double.NaN, Double.NaN, Double.NaN, 0, why);
    }

    /** "trial 3: training.learningRate=0.001 dense1.units=64", the name its run gets in the history. */
    public String label() {
        return "trial " + number + ": " + SweepSpec.describe(values);
    }
}
