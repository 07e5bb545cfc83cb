package kiln.engine.train;

import kiln.engine.catalog.Params;
import kiln.engine.catalog.layers.Output;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Optional;

/**
 * How class labels become training targets for the network's Output layer, and how outputs are scored:
 * one-hot for softmax (and MSE or multi-unit sigmoid), a single 0/1 value for a one-unit sigmoid.
 */
public record LabelEncoding(String loss, int units) {

    public static LabelEncoding of(Params outputParams) {
        return new LabelEncoding(outputParams.getString("loss"), outputParams.getInt("units"));
    }

    /** Why this output cannot learn data with the given number of classes, or empty. */
    public Optional<String> mismatch(int classCount, String outputName) {
        if (units == 1 && Output.SIGMOID_BCE.equals(loss)) {
            return classCount == 2 ? Optional.empty() : Optional.of(outputName + " (Output) has 1 sigmoid unit, which answers "
                    + "yes/no, but the data has " + classCount + " classes; set units to " + classCount
                    + " with softmax + cross-entropy");
        }
        if (units != classCount) {
            return Optional.of(outputName + " (Output) has " + units + " units but the data has " + classCount
                    + " classes; set its units to " + classCount);
        }
        return Optional.empty();
    }

    private boolean binary() {
        return units == 1;
    }

    INDArray encode(int[] labels, int[] order, int from, int to) {
        int n = to - from;
        float[] buf = new float[n * units];
        for (int i = 0; i < n; i++) {
            int label = labels[order[from + i]];
            if (binary()) buf[i] = label;
            else buf[i * units + label] = 1f;
        }
        return Nd4j.create(buf, new long[] {n, units}, 'c');
    }

    /** Number of classes the output distinguishes: 2 for a single yes/no unit. */
    public int classCount() {
        return binary() ? 2 : units;
    }

    /** Per-class scores of {@code rows} output rows: the outputs themselves, or (1 − p, p) for a single yes/no unit. */
    public float[] classScores(float[] out, int rows) {
        if (!binary()) return java.util.Arrays.copyOf(out, rows * units);
        float[] scores = new float[rows * 2];
        for (int i = 0; i < rows; i++) {
            scores[2 * i] = 1 - out[i];
            scores[2 * i + 1] = out[i];
        }
        return scores;
    }

    /** The predicted class of one row of network output. */
    public int predictedClass(float[] out, int row) {
        if (binary()) return out[row] >= 0.5f ? 1 : 0;
        int best = 0;
        for (int k = 1; k < units; k++) if (out[row * units + k] > out[row * units + best]) best = k;
        return best;
    }

    /** The loss of one row of output against its label, as the Output layer defines it (without L2). */
    double loss(float[] out, int row, int label) {
        final double eps = 1e-7;
        if (Output.SOFTMAX_CE.equals(loss)) return -Math.log(Math.max(out[row * units + label], eps));
        if (Output.SIGMOID_BCE.equals(loss)) {
            double sum = 0;
            for (int k = 0; k < units; k++) {
                double p = Math.min(Math.max(out[row * units + k], eps), 1 - eps);
                double y = binary() ? label : (k == label ? 1 : 0);
                sum -= y * Math.log(p) + (1 - y) * Math.log(1 - p);
            }
            return sum / units;
        }
        double sum = 0;
        for (int k = 0; k < units; k++) {
            double d = out[row * units + k] - (k == label ? 1 : 0);
            sum += d * d;
        }
        return sum / units;
    }
}
