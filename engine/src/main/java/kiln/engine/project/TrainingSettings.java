package kiln.engine.project;

import java.util.ArrayList;
import java.util.List;

/**
 * Everything that decides how a network is trained, stored in the project.
 * @param schedule       "constant", "step" (multiply by stepFactor every stepEpochs) or "cosine" (to 0 over all epochs)
 * @param patience       early stopping: stop after this many epochs without a better validation loss; 0 = off
 * @param threads        native math threads; 0 = choose from the network's size (see {@link kiln.engine.train.Trainer})
 */
public record TrainingSettings(String optimizer, double learningRate, double momentum,
                               String schedule, int stepEpochs, double stepFactor,
                               int batchSize, int epochs, double l2, int patience, long seed, int threads) {

    public static final List<String> OPTIMIZERS = List.of("adam", "sgd", "rmsprop");
    public static final List<String> SCHEDULES = List.of("constant", "step", "cosine");

    public static TrainingSettings defaults() {
        return new TrainingSettings("adam", 1e-3, 0.9, "constant", 1, 0.5, 64, 5, 0.0, 0, 42, 0);
    }

    public TrainingSettings withEpochs(int n) {
        return new TrainingSettings(optimizer, learningRate, momentum, schedule, stepEpochs, stepFactor,
                batchSize, n, l2, patience, seed, threads);
    }

    public TrainingSettings withSeed(long s) {
        return new TrainingSettings(optimizer, learningRate, momentum, schedule, stepEpochs, stepFactor,
                batchSize, epochs, l2, patience, s, threads);
    }

    public TrainingSettings withLearningRate(double lr) {
        return new TrainingSettings(optimizer, lr, momentum, schedule, stepEpochs, stepFactor,
                batchSize, epochs, l2, patience, seed, threads);
    }

    public TrainingSettings withBatchSize(int b) {
        return new TrainingSettings(optimizer, learningRate, momentum, schedule, stepEpochs, stepFactor,
                b, epochs, l2, patience, seed, threads);
    }

    public TrainingSettings withThreads(int t) {
        return new TrainingSettings(optimizer, learningRate, momentum, schedule, stepEpochs, stepFactor,
                batchSize, epochs, l2, patience, seed, t);
    }

    /** Every reason these settings cannot train, in plain words; empty when they are fine. */
    public List<String> problems() {
        List<String> p = new ArrayList<>();
        if (!OPTIMIZERS.contains(optimizer)) p.add("Optimizer '" + optimizer + "' is unknown; use one of " + OPTIMIZERS + ".");
        if (!(learningRate > 0) || learningRate > 10 || !Double.isFinite(learningRate)) {
            p.add("Learning rate is " + learningRate + "; it must be above 0 and at most 10 (try 0.001 for Adam, 0.01 for SGD).");
        }
        if (!(momentum >= 0 && momentum < 1)) p.add("Momentum is " + momentum + "; use a value from 0 up to (not including) 1.");
        if (!SCHEDULES.contains(schedule)) p.add("Schedule '" + schedule + "' is unknown; use one of " + SCHEDULES + ".");
        if (stepEpochs < 1) p.add("Step schedule interval is " + stepEpochs + " epochs; use 1 or more.");
        if (!(stepFactor > 0 && stepFactor <= 1)) p.add("Step factor is " + stepFactor + "; use a value above 0 and at most 1.");
        if (batchSize < 1 || batchSize > 65_536) p.add("Batch size is " + batchSize + "; use 1 to 65536 (32–128 is typical).");
        if (epochs < 1 || epochs > 10_000) p.add("Epochs is " + epochs + "; use 1 to 10000.");
        if (!(l2 >= 0 && l2 <= 1)) p.add("L2 is " + l2 + "; use 0 (off) up to 1 (1e-4 is typical).");
        if (patience < 0) p.add("Early-stopping patience is " + patience + "; use 0 (off) or more epochs.");
        if (threads < 0 || threads > 256) p.add("Threads is " + threads + "; use 0 (automatic) or a count of cores.");
        return p;
    }
}
