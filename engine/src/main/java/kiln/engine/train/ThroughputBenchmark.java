package kiln.engine.train;

import kiln.engine.data.Dataset;
import kiln.engine.nn.NetworkSpec;
import kiln.engine.nn.Optimizer;
import kiln.engine.nn.Parameters;
import kiln.engine.nn.Plan;

import java.util.Arrays;

/**
 * Times training steps exactly as {@link Trainer} takes them (fill the batch, forward, backward, update), with the
 * protocol of the PyTorch reference: warm-up batches first, then a fixed number of timed batches.
 */
public final class ThroughputBenchmark {

    public record Result(int batches, int images, double seconds, double imagesPerSecond,
                         double medianBatchMs, double lastLoss) { }

    private ThroughputBenchmark() { }

    public static Result run(NetworkSpec spec, Parameters params, Optimizer optimizer, double learningRate,
                             Dataset train, LabelEncoding encoding, int batchSize, int warmup, int timed, long seed) {
        int[] order = Trainer.shuffled(train.size(), seed);
        int batchesPerEpoch = train.size() / batchSize;
        float[] features = new float[batchSize * train.sampleLength()];
        float[] targets = new float[batchSize * encoding.units()];
        try (Plan plan = new Plan(spec, params, batchSize, Plan.Mode.TRAIN, seed)) {
            for (int i = 0; i < warmup; i++) {
                step(plan, optimizer, learningRate, train, encoding, order, (i % batchesPerEpoch) * batchSize, features, targets);
            }
            double[] ms = new double[timed];
            int images = 0;
            long start = System.nanoTime();
            for (int i = 0; i < timed; i++) {
                long t0 = System.nanoTime();
                int from = ((warmup + i) % batchesPerEpoch) * batchSize;
                step(plan, optimizer, learningRate, train, encoding, order, from, features, targets);
                ms[i] = (System.nanoTime() - t0) / 1e6;
                images += batchSize;
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            double[] sorted = ms.clone();
            Arrays.sort(sorted);
            return new Result(timed, images, seconds, images / seconds, sorted[timed / 2], plan.loss());
        }
    }

    private static void step(Plan plan, Optimizer optimizer, double learningRate, Dataset train, LabelEncoding encoding,
                             int[] order, int from, float[] features, float[] targets) {
        int to = from + plan.batchSize();
        plan.setInput(Batches.features(train, order, from, to, features));
        encoding.encode(train, order, from, to, targets);
        plan.setTarget(targets);
        plan.forward();
        plan.backward();
        optimizer.step(learningRate);
    }
}
