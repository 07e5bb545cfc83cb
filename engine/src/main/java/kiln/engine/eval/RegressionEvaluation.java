package kiln.engine.eval;

/**
 * Regression metrics of one model on one data set, in the target's own unit, with every sample's prediction kept
 * for the predicted-against-true and residual charts.
 *
 * @param target    the target column's name
 * @param actual    true value per sample
 * @param predicted the model's value per sample
 */
public record RegressionEvaluation(String target, float[] actual, float[] predicted) {

    public RegressionEvaluation {
        if (actual.length != predicted.length) {
            throw new IllegalArgumentException(predicted.length + " predictions for " + actual.length + " samples");
        }
    }

    public int size() {
        return actual.length;
    }

    /** Predicted minus true: positive where the model guessed too high. */
    public double residual(int sample) {
        return (double) predicted[sample] - actual[sample];
    }

    /** Mean squared error. */
    public double mse() {
        if (size() == 0) return Double.NaN;
        double sum = 0;
        for (int i = 0; i < size(); i++) sum += residual(i) * residual(i);
        return sum / size();
    }

    /** Mean absolute error. */
    public double mae() {
        if (size() == 0) return Double.NaN;
        double sum = 0;
        for (int i = 0; i < size(); i++) sum += Math.abs(residual(i));
        return sum / size();
    }

    /**
     * The coefficient of determination: 1 − (residual sum of squares) / (total sum of squares around the mean). 1 is
     * perfect, 0 is no better than always predicting the test mean, below 0 is worse. NaN when the targets do not vary.
     */
    public double r2() {
        if (size() == 0) return Double.NaN;
        double mean = 0;
        for (float a : actual) mean += a;
        mean /= size();
        double total = 0;
        for (float a : actual) total += (a - mean) * (a - mean);
        return total == 0 ? Double.NaN : 1 - mse() * size() / total;
    }
}
