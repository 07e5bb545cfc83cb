package kiln.engine.train;

import kiln.engine.data.Dataset;
import kiln.engine.nativesupport.NativeSetup;
import kiln.engine.nn.Optimizer;
import kiln.engine.nn.Parameters;
import kiln.engine.nn.Plan;
import kiln.engine.project.Project;
import kiln.engine.project.TrainingSettings;
import kiln.engine.util.Progress;
import org.nd4j.linalg.api.buffer.DataType;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The learning-rate range test (Smith, 2015; fastai's lr_find): train from the project's initial weights while the
 * rate rises exponentially, batch by batch, from far too small to far too large, and watch the loss. It falls
 * slowly at first, fastest at a good rate, then blows up. Uses the project's optimizer, batch size and seed; the
 * project and its runs are not touched.
 */
public final class LearningRateFinder {

    public static final double START = 1e-7;
    public static final double END = 10;
    public static final int STEPS = 200;
    /** fastai's smoothing of the loss: an exponential moving average, debiased. */
    private static final double BETA = 0.98;
    /** The test stops once the smoothed loss is this many times its lowest: the rate is far too large. */
    private static final double DIVERGED = 4;

    /** One batch: the rate it was trained with, its loss, and the smoothed loss so far. */
    public record Point(double learningRate, double loss, double smoothedLoss) { }

    /** The curve, the suggested rate, and in plain words why. */
    public record Result(List<Point> curve, double suggested, String reason) { }

    private LearningRateFinder() { }

    public static Result run(Project project, TrainingSession.PreparedData data, int steps, Progress progress)
            throws TrainingSession.SetupException {
        if (steps < 20) throw new TrainingSession.SetupException("The range test needs at least 20 batches, not " + steps + ".");
        NativeSetup.prepare();
        TrainingSettings settings = project.training();
        TrainingSession.Built net = TrainingSession.build(project, settings);
        Dataset train = data.splits().train();
        int batch = Math.min(settings.batchSize(), train.size());
        if (batch < 1) throw new TrainingSession.SetupException("The training split is empty.");
        Parameters params = new Parameters(net.spec().params(), DataType.FLOAT);
        params.initialise(settings.seed());
        Optimizer optimizer = TrainingSession.optimizerFor(settings, net.spec(), params);
        NativeSetup.useThreads(TrainingSession.threadsFor(net.analysis(), settings));
        LabelEncoding encoding = data.encoding();
        float[] features = new float[batch * train.sampleLength()];
        float[] targets = new float[batch * encoding.units()];
        List<Point> curve = new ArrayList<>();
        double factor = Math.pow(END / START, 1.0 / (steps - 1));
        double average = 0;
        double lowest = Double.POSITIVE_INFINITY;
        int perEpoch = train.size() / batch;
        int[] order = null;
        try (Plan plan = new Plan(net.spec(), params, batch, Plan.Mode.TRAIN, settings.seed())) {
            for (int i = 0; i < steps; i++) {
                progress.checkCancelled();
                int b = i % perEpoch;
                if (b == 0) order = Trainer.shuffled(train.size(), settings.seed() * 1_000_003L + i / perEpoch + 1);
                plan.setInput(Batches.features(train, order, b * batch, (b + 1) * batch, features));
                encoding.encode(train, order, b * batch, (b + 1) * batch, targets);
                plan.setTarget(targets);
                plan.forward();
                double loss = plan.loss();
                double rate = START * Math.pow(factor, i);
                if (!Double.isFinite(loss)) break;
                average = BETA * average + (1 - BETA) * loss;
                double smoothed = average / (1 - Math.pow(BETA, i + 1));
                curve.add(new Point(rate, loss, smoothed));
                lowest = Math.min(lowest, smoothed);
                if (i > steps / 10 && smoothed > DIVERGED * lowest) break;
                plan.backward();
                optimizer.step(rate);
                progress.update((i + 1.0) / steps, String.format(Locale.ROOT, "Rate %.1e: loss %.4f", rate, loss));
            }
        }
        return suggest(curve);
    }

    /**
     * The rate where the smoothed loss falls fastest against the logarithm of the rate, before its lowest point:
     * large enough to learn quickly, still below where training becomes unstable. The slope is fitted over a
     * window of neighbouring batches, because single batches are noisy.
     */
    static Result suggest(List<Point> curve) {
        if (curve.size() < 10) {
            return new Result(curve, Double.NaN, "The loss became unusable after " + curve.size() + " batches, even at "
                    + "tiny rates; check the data (scaled inputs, no missing values) and the network first.");
        }
        int lowest = 0;
        for (int i = 1; i < curve.size(); i++) if (curve.get(i).smoothedLoss() < curve.get(lowest).smoothedLoss()) lowest = i;
        int window = Math.max(2, curve.size() / 20);
        int best = -1;
        double steepest = 0;
        int last = Math.min(lowest, curve.size() - 1 - window);
        for (int i = window; i <= last; i++) {
            double slope = slope(curve, i - window, i + window);
            if (slope < steepest) {
                steepest = slope;
                best = i;
            }
        }
        double atLowest = curve.get(lowest).learningRate();
        if (best < 0) {
            return new Result(curve, atLowest / 10, String.format(Locale.ROOT, "The loss never fell clearly; a tenth of "
                    + "the rate with the lowest loss (%.2g) is a cautious start.", atLowest));
        }
        double rate = curve.get(best).learningRate();
        return new Result(curve, rate, String.format(Locale.ROOT, "The loss falls fastest at %.2g; it is lowest at %.2g, "
                + "beyond which training becomes unstable.", rate, atLowest));
    }

    /** Least-squares slope of the smoothed loss against log10(rate) over points from..to. */
    private static double slope(List<Point> curve, int from, int to) {
        int n = to - from + 1;
        double sx = 0, sy = 0, sxx = 0, sxy = 0;
        for (int i = from; i <= to; i++) {
            double x = Math.log10(curve.get(i).learningRate());
            double y = curve.get(i).smoothedLoss();
            sx += x;
            sy += y;
            sxx += x * x;
            sxy += x * y;
        }
        return (n * sxy - sx * sy) / (n * sxx - sx * sx);
    }
}
