package kiln.engine.runs;

import java.util.Locale;

/**
 * The decision threshold chosen for a yes/no (two-class) run, kept in runs/run-N/threshold.json: the second
 * class ({@code positiveClass}) is predicted when its probability is at least {@code value}.
 */
public record DecisionThreshold(String positiveClass, double value) {

    /** What a yes/no run uses until a threshold is saved: the more probable class. */
    public static final double DEFAULT = 0.5;

    public DecisionThreshold {
        if (!(value >= 0 && value <= 1)) {
            throw new IllegalArgumentException("a decision threshold is a probability between 0 and 1, not " + value);
        }
    }

    /** "0.3500: malignant when its probability is at least 0.3500". */
    public String describe() {
        return String.format(Locale.ROOT, "%.4f (%s when its probability is at least %.4f)", value, positiveClass, value);
    }
}
