package kiln.engine.train;

import kiln.engine.data.Dataset;
import kiln.engine.nn.Network;

/** Loss and accuracy of a network on a data set, computed in inference mode (no dropout). */
public record Scores(double loss, double accuracy, int samples) {

    static final int BATCH = 256;

    public static Scores of(Network net, Dataset data, LabelEncoding encoding, int maxSamples) {
        int n = Math.min(data.size(), maxSamples);
        int[] order = Batches.identity(n);
        float[] batch = new float[BATCH * data.sampleLength()];
        double lossSum = 0;
        int correct = 0;
        for (int from = 0; from < n; from += BATCH) {
            int to = Math.min(n, from + BATCH);
            float[] values = net.predict(Batches.features(data, order, from, to, batch), to - from);
            for (int i = 0; i < to - from; i++) {
                int label = data.labels()[from + i];
                lossSum += encoding.loss(values, i, label);
                if (encoding.predictedClass(values, i) == label) correct++;
            }
        }
        return n == 0 ? new Scores(Double.NaN, Double.NaN, 0) : new Scores(lossSum / n, (double) correct / n, n);
    }
}
