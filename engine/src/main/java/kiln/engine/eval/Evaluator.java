package kiln.engine.eval;

import kiln.engine.data.Dataset;
import kiln.engine.train.Batches;
import kiln.engine.train.LabelEncoding;
import kiln.engine.util.Progress;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Runs a trained model over its test split (inference mode) and collects an {@link Evaluation}. */
public final class Evaluator {

    static final int BATCH = 256;

    private Evaluator() { }

    public static Evaluation evaluate(TrainedModel model, Progress progress) {
        return evaluate(model.network(), model.test(), model.data().encoding(), progress);
    }

    public static Evaluation evaluate(ComputationGraph net, Dataset data, LabelEncoding encoding, Progress progress) {
        int n = data.size();
        int k = encoding.classCount();
        float[] probabilities = new float[n * k];
        int[] order = Batches.identity(n);
        for (int from = 0; from < n; from += BATCH) {
            progress.checkCancelled();
            progress.update((double) from / n, "Evaluating " + from + " of " + n + " test samples");
            int to = Math.min(n, from + BATCH);
            float[] scores;
            synchronized (net) {
                INDArray out = net.outputSingle(false, Batches.features(data, order, from, to));
                scores = encoding.classScores(out.dup('c').data().asFloat(), to - from);
            }
            System.arraycopy(scores, 0, probabilities, from * k, scores.length);
        }
        progress.update(1, "Evaluated " + n + " test samples");
        return new Evaluation(data.classNames(), data.labels().clone(), probabilities);
    }
}
