package kiln.engine.train;

import kiln.engine.model.GraphAnalysis;
import kiln.engine.model.ModelGraph;
import kiln.engine.model.Node;
import kiln.engine.model.ShapeInference;
import kiln.engine.nn.LossKind;

import java.util.Arrays;
import java.util.Optional;

/**
 * How class labels become training targets for the network's output, and how outputs are scored:
 * one-hot for softmax (and MSE or multi-unit sigmoid), a single 0/1 value for a one-unit sigmoid.
 */
public record LabelEncoding(LossKind loss, int units) {

    /** The encoding of a graph's output layer, when its shape is known. */
    public static Optional<LabelEncoding> of(ModelGraph graph, GraphAnalysis analysis) {
        Optional<Node> output = graph.outputNode();
        if (output.isEmpty() || analysis.get(output.get().name()) == null || !analysis.get(output.get().name()).ok()) {
            return Optional.empty();
        }
        Node n = output.get();
        return Optional.of(new LabelEncoding(n.type().lossKind(n.params()), analysis.get(n.name()).shape().size()));
    }

    public static Optional<LabelEncoding> of(ModelGraph graph) {
        return of(graph, ShapeInference.analyze(graph));
    }

    /** Why this output cannot learn data with the given number of classes, or empty. */
    public Optional<String> mismatch(int classCount, String outputName) {
        if (units == 1 && loss == LossKind.SIGMOID_BINARY_CROSS_ENTROPY) {
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

    /** Writes the targets of samples order[from..to) into {@code out}, (to − from) rows of {@link #units}. */
    void encode(int[] labels, int[] order, int from, int to, float[] out) {
        int n = to - from;
        Arrays.fill(out, 0, n * units, 0f);
        for (int i = 0; i < n; i++) {
            int label = labels[order[from + i]];
            if (binary()) out[i] = label;
            else out[i * units + label] = 1f;
        }
    }

    /** Number of classes the output distinguishes: 2 for a single yes/no unit. */
    public int classCount() {
        return binary() ? 2 : units;
    }

    /** Per-class scores of {@code rows} output rows: the outputs themselves, or (1 − p, p) for a single yes/no unit. */
    public float[] classScores(float[] out, int rows) {
        if (!binary()) return Arrays.copyOf(out, rows * units);
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

    /** The loss of one row of output against its label, as the training objective defines it (without L2). */
    double loss(float[] out, int row, int label) {
        final double eps = 1e-7;
        return switch (loss) {
            case SOFTMAX_CROSS_ENTROPY -> -Math.log(Math.max(out[row * units + label], eps));
            case SIGMOID_BINARY_CROSS_ENTROPY -> {
                double sum = 0;
                for (int k = 0; k < units; k++) {
                    double p = Math.min(Math.max(out[row * units + k], eps), 1 - eps);
                    double y = binary() ? label : (k == label ? 1 : 0);
                    sum -= y * Math.log(p) + (1 - y) * Math.log(1 - p);
                }
                yield sum / units;
            }
            case MEAN_SQUARED_ERROR -> {
                double sum = 0;
                for (int k = 0; k < units; k++) {
                    double d = out[row * units + k] - (k == label ? 1 : 0);
                    sum += d * d;
                }
                yield sum / units;
            }
        };
    }
}
