package kiln.engine.eval;

import kiln.engine.data.Dataset;
import kiln.engine.nn.Network;
import kiln.engine.train.Batches;
import kiln.engine.train.LabelEncoding;
import kiln.engine.util.Progress;

/** Runs a trained model over its test split (inference mode) and collects an {@link Evaluation}. */
public final class Evaluator {

    static final int BATCH = 256;

    private Evaluator() { }

    /** The model on its test split, judged at the decision threshold saved with its run (if any). */
    public static Evaluation evaluate(TrainedModel model, Progress progress) {
        Evaluation e = evaluate(model.network(), model.test(), model.data().encoding(), progress);
        return model.threshold().map(t -> e.withThreshold(t.value())).orElse(e);
    }

    /** The model's predictions of the test split's numeric targets, in the target's unit. */
    public static RegressionEvaluation evaluateNumbers(TrainedModel model, Progress progress) {
        return evaluateNumbers(model.network(), model.test(), model.data().encoding(), progress);
    }

    public static RegressionEvaluation evaluateNumbers(Network net, Dataset data, LabelEncoding encoding, Progress progress) {
        if (!data.numeric()) throw new IllegalArgumentException(data.source() + " has classes, not numbers to predict");
        float[] predicted = new float[data.size()];
        inBatches(net, data, progress, (out, from, count) -> {
            for (int i = 0; i < count; i++) predicted[from + i] = (float) encoding.value(out, i);
        });
        return new RegressionEvaluation(data.targetName(), data.targets().clone(), predicted);
    }

    public static Evaluation evaluate(Network net, Dataset data, LabelEncoding encoding, Progress progress) {
        if (data.numeric()) throw new IllegalArgumentException(data.source() + " has numbers to predict, not classes; use evaluateNumbers");
        int k = encoding.classCount();
        float[] probabilities = new float[data.size() * k];
        inBatches(net, data, progress, (out, from, count) -> {
            float[] scores = encoding.classScores(out, count);
            System.arraycopy(scores, 0, probabilities, from * k, scores.length);
        });
        return new Evaluation(data.classNames(), data.labels().clone(), probabilities);
    }

    /** What to do with the network's outputs for samples {@code from} to {@code from + count - 1}. */
    private interface BatchOutputs {
        void take(float[] outputs, int from, int count);
    }

    /** The network over every sample of {@code data} in order, a batch at a time, cancellable between batches. */
    private static void inBatches(Network net, Dataset data, Progress progress, BatchOutputs take) {
        int n = data.size();
        int[] order = Batches.identity(n);
        float[] batch = new float[BATCH * data.sampleLength()];
        for (int from = 0; from < n; from += BATCH) {
            progress.checkCancelled();
            progress.update((double) from / n, "Evaluating " + from + " of " + n + " test samples");
            int to = Math.min(n, from + BATCH);
            take.take(net.predict(Batches.features(data, order, from, to, batch), to - from), from, to - from);
        }
        progress.update(1, "Evaluated " + n + " test samples");
    }
}
