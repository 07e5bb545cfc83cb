package kiln.engine.train;

import kiln.engine.runs.TrainingEvent;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reads a run's per-epoch curves the way a teacher would and says, in plain words, what a student should
 * notice. Pure: the same metrics always give the same hints.
 */
public final class CurveHints {

    /** What the curves (or, for the last four, {@link LayerHints}) show; the view may pick an icon or colour by kind. */
    public enum Kind { DIVERGING, OVERFITTING, FLAT, NEAR_CHANCE, STILL_IMPROVING,
        VANISHING_GRADIENTS, EXPLODING_GRADIENTS, DEAD_UNITS, LARGE_STEPS }

    public record Hint(Kind kind, String title, String text) { }

    /** Relative change below which a loss counts as not moving. */
    static final double FLAT_CHANGE = 0.02;

    private CurveHints() { }

    /**
     * @param epochs  the run's epochs in order
     * @param classes the number of classes (for chance level); 0 or less when unknown (regression)
     */
    public static List<Hint> of(List<TrainingEvent.EpochFinished> epochs, int classes) {
        List<Hint> hints = new ArrayList<>();
        if (epochs.isEmpty()) return hints;
        int n = epochs.size();
        TrainingEvent.EpochFinished first = epochs.get(0);
        TrainingEvent.EpochFinished last = epochs.get(n - 1);

        boolean diverging = epochs.stream().anyMatch(e -> !Double.isFinite(e.trainLoss()))
                || (n >= 2 && last.trainLoss() > 1.5 * first.trainLoss() && rising(epochs, true, Math.min(2, n - 1)));
        if (diverging) {
            hints.add(new Hint(Kind.DIVERGING, "The loss is exploding",
                    "The training loss grows instead of falling: the steps are too big. Lower the learning rate "
                            + "(divide it by 10) and check that the inputs are scaled (e.g. pixels to 0–1)."));
            return hints; // the other readings mean little on a diverging run
        }

        if (n >= 3) {
            int bestVal = argMin(epochs);
            boolean valRose = bestVal < n - 1 && last.validationLoss() > epochs.get(bestVal).validationLoss() * 1.02
                    && rising(epochs, false, 1);
            boolean trainFell = last.trainLoss() < epochs.get(bestVal).trainLoss();
            if (valRose && trainFell) {
                hints.add(new Hint(Kind.OVERFITTING, "Overfitting from epoch " + epochs.get(bestVal).epoch(),
                        String.format(Locale.ROOT, "The validation loss was lowest at epoch %d (%.3f) and has risen "
                                        + "since (%.3f) while the training loss keeps falling: the network is memorising "
                                        + "the training samples. Try dropout, L2, early stopping (patience 2–3), or more data.",
                                epochs.get(bestVal).epoch(), epochs.get(bestVal).validationLoss(), last.validationLoss())));
            }
        }

        if (n >= 3 && Math.abs(last.trainLoss() - first.trainLoss()) <= FLAT_CHANGE * Math.abs(first.trainLoss())) {
            hints.add(new Hint(Kind.FLAT, "The loss is flat from the start",
                    "The training loss has hardly moved since epoch 1. The learning rate may be too low (nothing "
                            + "happens) or too high (the network jumps around and saturates), or the weights start "
                            + "badly (e.g. a saturated activation). Try a learning rate 10 times larger and 10 times "
                            + "smaller and compare the runs."));
        }

        if (classes >= 2 && Double.isFinite(last.trainAccuracy())) {
            double chance = 1.0 / classes;
            if (last.trainAccuracy() < Math.min(chance * 1.5, chance + 0.1)) {
                hints.add(new Hint(Kind.NEAR_CHANCE, "Training accuracy is near chance",
                        String.format(Locale.ROOT, "After %d epoch%s the network gets %.0f %% of the training samples "
                                        + "right; guessing would get %.0f %%. It is not learning yet: check that the "
                                        + "inputs are scaled, the learning rate suits the optimizer, and the output has "
                                        + "one unit per class.",
                                n, n == 1 ? "" : "s", 100 * last.trainAccuracy(), 100 * chance)));
            }
        }

        if (n >= 2 && hints.isEmpty()) {
            TrainingEvent.EpochFinished before = epochs.get(n - 2);
            if (last.validationLoss() < before.validationLoss() * (1 - FLAT_CHANGE)) {
                hints.add(new Hint(Kind.STILL_IMPROVING, "Still improving",
                        "The validation loss fell in the last epoch, so more epochs may help: continue this run."));
            }
        }
        return hints;
    }

    /** True when the chosen loss rose in each of the last {@code steps} epochs. */
    private static boolean rising(List<TrainingEvent.EpochFinished> epochs, boolean train, int steps) {
        int n = epochs.size();
        if (n < steps + 1) return false;
        for (int i = n - steps; i < n; i++) {
            double now = train ? epochs.get(i).trainLoss() : epochs.get(i).validationLoss();
            double prev = train ? epochs.get(i - 1).trainLoss() : epochs.get(i - 1).validationLoss();
            if (!(now > prev)) return false;
        }
        return true;
    }

    private static int argMin(List<TrainingEvent.EpochFinished> epochs) {
        int best = 0;
        for (int i = 1; i < epochs.size(); i++) {
            if (epochs.get(i).validationLoss() < epochs.get(best).validationLoss()) best = i;
        }
        return best;
    }
}
