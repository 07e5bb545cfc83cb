package kiln.engine.train;

import kiln.engine.data.Dataset;
import kiln.engine.nn.Network;

/**
 * Loss and score of a network on a data set, computed in inference mode (no dropout). The score is the accuracy for
 * classes and R² (1 − residual sum of squares / total sum of squares) for numeric targets, so that "higher is better"
 * holds for both; the loss of numeric targets is on the standardised scale training uses.
 */
public record Scores(double loss, double accuracy, int samples) {

    static final int BATCH = 256;

    public static Scores of(Network net, Dataset data, LabelEncoding encoding, int maxSamples) {
        int n = Math.min(data.size(), maxSamples);
        int[] order = Batches.identity(n);
        float[] batch = new float[BATCH * data.sampleLength()];
        double lossSum = 0;
        int correct = 0;
        double[] predicted = encoding.numeric() ? new double[n] : null;
        for (int from = 0; from < n; from += BATCH) {
            int to = Math.min(n, from + BATCH);
            float[] values = net.predict(Batches.features(data, order, from, to, batch), to - from);
            for (int i = 0; i < to - from; i++) {
                if (predicted != null) {
                    lossSum += encoding.targetLoss(values, i, data.targets()[from + i]);
                    predicted[from + i] = encoding.value(values, i);
                    continue;
                }
                int label = data.labels()[from + i];
                lossSum += encoding.loss(values, i, label);
                if (encoding.predictedClass(values, i) == label) correct++;
            }
        }
        if (n == 0) return new Scores(Double.NaN, Double.NaN, 0);
        double score = predicted != null ? rSquared(data.targets(), predicted, n) : (double) correct / n;
        return new Scores(lossSum / n, score, n);
    }

    /** R² of the first n predictions; NaN when the targets do not vary (nothing to explain). */
    public static double rSquared(float[] actual, double[] predicted, int n) {
        double mean = 0;
        for (int i = 0; i < n; i++) mean += actual[i];
        mean /= n;
        double residual = 0;
        double total = 0;
        for (int i = 0; i < n; i++) {
            residual += (actual[i] - predicted[i]) * (actual[i] - predicted[i]);
            total += (actual[i] - mean) * (actual[i] - mean);
        }
        return total == 0 ? Double.NaN : 1 - residual / total;
    }
}
