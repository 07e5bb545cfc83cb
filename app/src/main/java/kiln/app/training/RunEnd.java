package kiln.app.training;

import kiln.engine.runs.TrainingEvent;

import java.util.Locale;

/**
 * What the Training tab says when a run, or a group of runs, ends: the message (an error or not), and the run's
 * label and status line; a null label or status leaves that one as it is.
 */
record RunEnd(String message, boolean failed, String epochLabel, String status) {

    /**
     * The end of a run trained on its own, in plain words; null for an event that does not end a run.
     * @param number the run predicts a number, so its test score is R², not accuracy
     */
    static RunEnd of(TrainingEvent e, String runId, int epochs, boolean number) {
        if (e instanceof TrainingEvent.Finished f) {
            String score = number ? String.format(Locale.ROOT, "test R² %.4f", f.testAccuracy())
                    : String.format(Locale.ROOT, "test accuracy %.2f %%", 100 * f.testAccuracy());
            return new RunEnd(String.format(Locale.ROOT, "%s %s: %s, test loss %.4f, best epoch %d, %s.",
                    runId, f.ending() == TrainingEvent.Ending.EARLY_STOPPED
                            ? "stopped early (validation loss stopped improving)" : "finished",
                    score, f.testLoss(), f.bestEpoch(), RunsTable.duration(f.seconds())), false,
                    "Finished (" + epochs + " epoch" + (epochs == 1 ? ")" : "s)"), "Finished.");
        }
        if (e instanceof TrainingEvent.Failed f) return new RunEnd("Training stopped: " + f.message(), true, "Failed", "Failed.");
        if (e instanceof TrainingEvent.Cancelled c) {
            return new RunEnd(runId + " stopped after " + c.epochsCompleted() + " complete epoch"
                    + (c.epochsCompleted() == 1 ? "" : "s") + (c.epochsCompleted() > 0
                    ? "; select it below and press Continue to train it further." : "."), false, "Stopped", "Stopped.");
        }
        return null;
    }
}
