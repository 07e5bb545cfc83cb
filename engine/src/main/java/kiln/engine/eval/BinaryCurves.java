package kiln.engine.eval;

import java.util.Arrays;
import java.util.Comparator;

/**
 * The ROC and precision–recall curves of a yes/no classifier, from every test sample's probability of the second
 * class (the positive one). Samples with equal probabilities are one step of the curve, so ties never depend on
 * the order of the samples.
 *
 * <p>ROC AUC is the area under the ROC curve by the trapezoid rule (a tie between a positive and a negative counts
 * one half, as in the Mann–Whitney statistic). PR AUC is average precision: {@code Σ (Rₖ − Rₖ₋₁) · Pₖ} over the
 * distinct thresholds, highest first, with no interpolation (scikit-learn's {@code average_precision_score}).
 *
 * @param thresholds  the distinct probabilities, highest first: point k is "positive when probability ≥ thresholds[k]"
 * @param falsePositiveRate ROC x per threshold, with (0, 0) before the first
 * @param truePositiveRate  ROC y (also the recall) per threshold, with (0, 0) before the first
 * @param precision   per threshold (no point before the first)
 * @param rocAuc      NaN when the samples hold only one class
 * @param averagePrecision NaN when no sample is positive
 */
public record BinaryCurves(double[] thresholds, double[] falsePositiveRate, double[] truePositiveRate,
                           double[] precision, double rocAuc, double averagePrecision, int positives, int negatives) {

    /** The curves of a two-class evaluation, class 1 as the positive class. */
    public static BinaryCurves of(Evaluation e) {
        if (!e.isBinary()) throw new IllegalArgumentException("ROC and PR curves need two classes, not " + e.classCount());
        float[] scores = new float[e.size()];
        for (int i = 0; i < scores.length; i++) scores[i] = e.probability(i, 1);
        return of(scores, e.actual());
    }

    /** @param positive 1 for a positive sample, 0 for a negative one */
    public static BinaryCurves of(float[] scores, int[] positive) {
        int n = scores.length;
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) order[i] = i;
        Arrays.sort(order, Comparator.comparingDouble((Integer i) -> scores[i]).reversed());
        int positives = 0;
        for (int p : positive) positives += p == 1 ? 1 : 0;
        int negatives = n - positives;

        int distinct = 0;
        for (int k = 0; k < n; k++) if (k == 0 || scores[order[k]] != scores[order[k - 1]]) distinct++;
        double[] thresholds = new double[distinct];
        double[] fpr = new double[distinct + 1];
        double[] tpr = new double[distinct + 1];
        double[] precision = new double[distinct];
        int tp = 0;
        int fp = 0;
        int point = 0;
        double auc = 0;
        double ap = 0;
        for (int k = 0; k < n; k++) {
            if (positive[order[k]] == 1) tp++;
            else fp++;
            boolean lastOfTie = k == n - 1 || scores[order[k + 1]] != scores[order[k]];
            if (!lastOfTie) continue;
            thresholds[point] = scores[order[k]];
            fpr[point + 1] = negatives == 0 ? 0 : (double) fp / negatives;
            tpr[point + 1] = positives == 0 ? 0 : (double) tp / positives;
            precision[point] = (double) tp / (tp + fp);
            auc += (fpr[point + 1] - fpr[point]) * (tpr[point + 1] + tpr[point]) / 2;
            ap += (tpr[point + 1] - tpr[point]) * precision[point];
            point++;
        }
        return new BinaryCurves(thresholds, fpr, tpr, precision, positives == 0 || negatives == 0 ? Double.NaN : auc,
                positives == 0 ? Double.NaN : ap, positives, negatives);
    }

    /** Why an area is not defined, or null when both are. */
    public String undefinedReason(java.util.List<String> classNames) {
        if (positives == 0) return "the test split has no sample of class " + classNames.get(1);
        if (negatives == 0) return "the test split has no sample of class " + classNames.get(0);
        return null;
    }

    /** The ROC point (false positive rate, true positive rate) of "positive when probability ≥ threshold". */
    public double[] rocPointAt(double threshold) {
        int k = pointsAtOrAbove(threshold);
        return new double[] {falsePositiveRate[k], truePositiveRate[k]};
    }

    /** The PR point (recall, precision) of "positive when probability ≥ threshold"; precision 1 when nothing is positive. */
    public double[] prPointAt(double threshold) {
        int k = pointsAtOrAbove(threshold);
        return new double[] {truePositiveRate[k], k == 0 ? 1 : precision[k - 1]};
    }

    /** How many distinct thresholds are ≥ {@code threshold}: the index of its point on the ROC arrays. */
    private int pointsAtOrAbove(double threshold) {
        int k = 0;
        while (k < thresholds.length && thresholds[k] >= threshold) k++;
        return k;
    }
}
