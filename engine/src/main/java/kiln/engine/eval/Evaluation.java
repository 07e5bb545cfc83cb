package kiln.engine.eval;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Classification metrics of one model on one data set, with every sample's prediction kept so that a
 * confusion cell or the mistakes can be listed.
 *
 * @param classNames    class names in label order
 * @param actual        true label per sample
 * @param probabilities class probabilities, sample after sample ({@code classCount} per sample)
 * @param threshold     for two classes, the second is predicted when its probability is at least this; NaN (and
 *                      always for more classes): the most probable class is predicted
 */
public record Evaluation(List<String> classNames, int[] actual, float[] probabilities, double threshold) {

    /** One class's row of the metrics table. Precision and F1 are 0 for a class that was never predicted. */
    public record ClassMetrics(String name, double precision, double recall, double f1, int support) { }

    /** Precision, recall and F1 averaged over classes: plainly (macro) or by support (weighted). */
    public record Average(double precision, double recall, double f1) { }

    public Evaluation {
        classNames = List.copyOf(classNames);
        if (probabilities.length != (long) actual.length * classNames.size()) {
            throw new IllegalArgumentException(probabilities.length + " probabilities for " + actual.length
                    + " samples of " + classNames.size() + " classes");
        }
        if (!Double.isNaN(threshold) && (classNames.size() != 2 || threshold < 0 || threshold > 1)) {
            throw new IllegalArgumentException("a decision threshold needs two classes and a value in 0..1, not "
                    + threshold + " for " + classNames.size() + " classes");
        }
    }

    /** Predicts the most probable class. */
    public Evaluation(List<String> classNames, int[] actual, float[] probabilities) {
        this(classNames, actual, probabilities, Double.NaN);
    }

    /** The same predictions judged at another decision threshold (two classes only). */
    public Evaluation withThreshold(double newThreshold) {
        return new Evaluation(classNames, actual, probabilities, newThreshold);
    }

    public boolean isBinary() {
        return classCount() == 2;
    }

    public int size() {
        return actual.length;
    }

    public int classCount() {
        return classNames.size();
    }

    /** The class with the highest probability (the first on ties), or for a threshold, class 1 when it reaches it. */
    public int predicted(int sample) {
        int k = classCount();
        if (!Double.isNaN(threshold)) return probabilities[sample * 2 + 1] >= threshold ? 1 : 0;
        int best = 0;
        for (int c = 1; c < k; c++) {
            if (probabilities[sample * k + c] > probabilities[sample * k + best]) best = c;
        }
        return best;
    }

    /** The probability the model gave its own prediction. */
    public float confidence(int sample) {
        return probabilities[sample * classCount() + predicted(sample)];
    }

    public float probability(int sample, int cls) {
        return probabilities[sample * classCount() + cls];
    }

    public double accuracy() {
        if (size() == 0) return Double.NaN;
        int correct = 0;
        for (int i = 0; i < size(); i++) if (predicted(i) == actual[i]) correct++;
        return (double) correct / size();
    }

    /** counts[true][predicted]. */
    public int[][] confusion() {
        int[][] m = new int[classCount()][classCount()];
        for (int i = 0; i < size(); i++) m[actual[i]][predicted(i)]++;
        return m;
    }

    /** Each row divided by its total: the share of a true class that went to each prediction (0 for an empty row). */
    public double[][] confusionRowNormalised() {
        int[][] counts = confusion();
        double[][] m = new double[counts.length][counts.length];
        for (int r = 0; r < counts.length; r++) {
            long total = 0;
            for (int c : counts[r]) total += c;
            for (int c = 0; c < counts.length; c++) m[r][c] = total == 0 ? 0 : (double) counts[r][c] / total;
        }
        return m;
    }

    public List<ClassMetrics> perClass() {
        int[][] m = confusion();
        List<ClassMetrics> out = new ArrayList<>();
        for (int c = 0; c < classCount(); c++) {
            int tp = m[c][c];
            int support = 0;
            int predictedAs = 0;
            for (int o = 0; o < classCount(); o++) {
                support += m[c][o];
                predictedAs += m[o][c];
            }
            double precision = predictedAs == 0 ? 0 : (double) tp / predictedAs;
            double recall = support == 0 ? 0 : (double) tp / support;
            double f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
            out.add(new ClassMetrics(classNames.get(c), precision, recall, f1, support));
        }
        return out;
    }

    public Average macro() {
        List<ClassMetrics> rows = perClass();
        double p = 0, r = 0, f = 0;
        for (ClassMetrics m : rows) {
            p += m.precision();
            r += m.recall();
            f += m.f1();
        }
        int n = rows.size();
        return new Average(p / n, r / n, f / n);
    }

    public Average weighted() {
        double p = 0, r = 0, f = 0;
        long total = 0;
        for (ClassMetrics m : perClass()) {
            p += m.precision() * m.support();
            r += m.recall() * m.support();
            f += m.f1() * m.support();
            total += m.support();
        }
        return total == 0 ? new Average(0, 0, 0) : new Average(p / total, r / total, f / total);
    }

    /** The samples of one confusion cell, most confident first. */
    public List<Integer> samplesIn(int trueClass, int predictedClass) {
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < size(); i++) if (actual[i] == trueClass && predicted(i) == predictedClass) out.add(i);
        out.sort(byConfidence());
        return out;
    }

    /** Every wrong prediction, the most confident (the most surprising) first. */
    public List<Integer> misclassified() {
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < size(); i++) if (actual[i] != predicted(i)) out.add(i);
        out.sort(byConfidence());
        return out;
    }

    private Comparator<Integer> byConfidence() {
        return Comparator.<Integer>comparingDouble(this::confidence).reversed().thenComparingInt(i -> i);
    }
}
