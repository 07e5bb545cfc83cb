package kiln.engine.train;

import kiln.engine.data.Dataset;
import kiln.engine.model.GraphAnalysis;
import kiln.engine.model.ModelGraph;
import kiln.engine.model.Node;
import kiln.engine.model.ShapeInference;
import kiln.engine.nn.LossKind;

import java.util.Arrays;
import java.util.Optional;

/**
 * How class labels or numeric targets become training targets for the network's output, and how outputs are scored:
 * one-hot for softmax (and MSE or multi-unit sigmoid), a single 0/1 value for a one-unit sigmoid; for numbers
 * (regression) the target standardised with the training split's mean and standard deviation, so the network learns
 * values near 0 whatever the target's unit, and its outputs are mapped back by {@link #value}.
 *
 * @param targetScale the training split's target statistics when the data has numeric targets, else null
 */
public record LabelEncoding(LossKind loss, int units, TargetScale targetScale) {

    /**
     * The standardisation of a numeric target: the network learns (y − mean) / std, its outputs mean with std added.
     * @param std above 0 (1 when every training target is the same)
     */
    public record TargetScale(double mean, double std) {

        /** The mean and (population) standard deviation of the targets. */
        public static TargetScale of(float[] targets) {
            double mean = 0;
            for (float t : targets) mean += t;
            mean = targets.length == 0 ? 0 : mean / targets.length;
            double var = 0;
            for (float t : targets) var += (t - mean) * (t - mean);
            double std = targets.length == 0 ? 0 : Math.sqrt(var / targets.length);
            return new TargetScale(mean, std > 0 && Double.isFinite(std) ? std : 1);
        }

        public double normalise(double y) {
            return (y - mean) / std;
        }

        public double restore(double out) {
            return out * std + mean;
        }
    }

    public LabelEncoding(LossKind loss, int units) {
        this(loss, units, null);
    }

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

    /** For training on {@code train}: with its target statistics when it has numeric targets. */
    public LabelEncoding forData(Dataset train) {
        return new LabelEncoding(loss, units, train.numeric() ? TargetScale.of(train.targets()) : null);
    }

    /** The data has numbers to predict (regression) rather than classes. */
    public boolean numeric() {
        return targetScale != null;
    }

    /** What {@link Scores#accuracy()} measures, for printed lines: "accuracy", or "r2" for numeric targets. */
    public String scoreName() {
        return numeric() ? "r2" : "accuracy";
    }

    /** Why this output cannot learn the data, or empty. */
    public Optional<String> mismatch(Dataset train, String outputName) {
        if (train.numeric()) {
            if (!loss.linear()) {
                return Optional.of(outputName + " (Output) picks classes, but the data's target \"" + train.targetName()
                        + "\" is read as numbers; set its activation and loss to linear + mean squared error (or "
                        + "mean absolute error), or read the target as classes");
            }
            return units == 1 ? Optional.empty() : Optional.of(outputName + " (Output) has " + units
                    + " units but the data has one number to predict (\"" + train.targetName() + "\"); set its units to 1");
        }
        return mismatch(train.classCount(), outputName);
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

    /** Writes the targets of samples order[from..to) of {@code data} into {@code out}, (to − from) rows of {@link #units}. */
    void encode(Dataset data, int[] order, int from, int to, float[] out) {
        int n = to - from;
        if (numeric()) {
            for (int i = 0; i < n; i++) out[i] = (float) targetScale.normalise(data.targets()[order[from + i]]);
            return;
        }
        int[] labels = data.labels();
        Arrays.fill(out, 0, n * units, 0f);
        for (int i = 0; i < n; i++) {
            int label = labels[order[from + i]];
            if (binary()) out[i] = label;
            else out[i * units + label] = 1f;
        }
    }

    /** The predicted number of one row of network output, in the target's own unit (numeric targets). */
    public double value(float[] out, int row) {
        return targetScale.restore(out[row]);
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

    /** The loss of one row of output against its numeric target (in the target's unit), on the standardised scale training uses. */
    double targetLoss(float[] out, int row, float target) {
        double d = out[row] - targetScale.normalise(target);
        return loss == LossKind.MEAN_ABSOLUTE_ERROR ? Math.abs(d) : d * d;
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
            case MEAN_SQUARED_ERROR, MEAN_ABSOLUTE_ERROR -> {
                double sum = 0;
                for (int k = 0; k < units; k++) {
                    double d = out[row * units + k] - (k == label ? 1 : 0);
                    sum += loss == LossKind.MEAN_ABSOLUTE_ERROR ? Math.abs(d) : d * d;
                }
                yield sum / units;
            }
        };
    }
}
