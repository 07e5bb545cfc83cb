package kiln.engine.train;

import kiln.engine.data.Dataset;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.dataset.DataSet;

import java.util.Arrays;

/**
 * Times training steps exactly as {@link Trainer} takes them, with the protocol of
 * shared/bench/pytorch_reference.py: warm-up batches first, then a fixed number of timed batches.
 */
public final class ThroughputBenchmark {

    public record Result(int batches, int images, double seconds, double imagesPerSecond,
                         double medianBatchMs, double lastLoss) { }

    private ThroughputBenchmark() { }

    public static Result run(ComputationGraph net, Dataset train, LabelEncoding encoding, int batchSize,
                             int warmup, int timed, long seed) {
        int[] order = Trainer.shuffled(train.size(), seed);
        int batchesPerEpoch = train.size() / batchSize;
        for (int i = 0; i < warmup; i++) step(net, train, encoding, order, (i % batchesPerEpoch) * batchSize, batchSize);
        double[] ms = new double[timed];
        int images = 0;
        long start = System.nanoTime();
        for (int i = 0; i < timed; i++) {
            long t0 = System.nanoTime();
            int from = ((warmup + i) % batchesPerEpoch) * batchSize;
            step(net, train, encoding, order, from, batchSize);
            ms[i] = (System.nanoTime() - t0) / 1e6;
            images += batchSize;
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        double[] sorted = ms.clone();
        Arrays.sort(sorted);
        return new Result(timed, images, seconds, images / seconds, sorted[timed / 2], net.score());
    }

    private static void step(ComputationGraph net, Dataset train, LabelEncoding encoding, int[] order, int from, int n) {
        net.fit(new DataSet(Batches.features(train, order, from, from + n), encoding.encode(train.labels(), order, from, from + n)));
    }
}
