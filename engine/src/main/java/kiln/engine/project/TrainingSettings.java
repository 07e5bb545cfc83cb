package kiln.engine.project;

import java.util.ArrayList;
import java.util.List;

/**
 * Everything that decides how a network is trained, stored in the project.
 * @param schedule       "constant", "step" (multiply by stepFactor every stepEpochs) or "cosine" (to 0 over all epochs)
 * @param patience       early stopping: stop after this many epochs without a better validation loss; 0 = off
 * @param threads        native math threads; 0 = choose from the network's size (see {@link kiln.engine.train.Trainer})
 * @param headEpochs     the two-phase fine-tuning recipe, 0 = off: for the first headEpochs epochs of a run only the
 *                       new weights train (layers not loaded from a trained model, and LoRA adapters), the loaded
 *                       layers stay frozen; from the next epoch on every trainable layer trains at the scheduled rate
 *                       × fineTuneRateFactor (see {@link #HEAD_EPOCHS_HELP})
 * @param fineTuneRateFactor the learning rate's factor in the second phase, above 0 and at most 1
 */
public record TrainingSettings(String optimizer, double learningRate, double momentum,
                               String schedule, int stepEpochs, double stepFactor,
                               int batchSize, int epochs, double l2, int patience, long seed, int threads,
                               int headEpochs, double fineTuneRateFactor) {

    public static final List<String> OPTIMIZERS = List.of("adam", "sgd", "rmsprop");
    public static final List<String> SCHEDULES = List.of("constant", "step", "cosine");
    public static final double DEFAULT_FINE_TUNE_RATE_FACTOR = 0.1;
    public static final int MAX_EPOCHS = 10_000;

    /** What the two-phase recipe does, in the words the editor and the command line show. */
    public static final String HEAD_EPOCHS_HELP = "Head first, then fine-tune: for this many epochs only the new "
            + "weights train, i.e. the layers that do not start from a trained model (weightsFrom or --init-from) and "
            + "the LoRA adapters; the layers that came with the trained model stay frozen. From the next epoch on "
            + "every trainable layer trains, at the learning rate × the fine-tune rate factor. 0 turns it off; the "
            + "run's epochs or more keep the trained layers frozen for the whole run.";
    public static final String FINE_TUNE_RATE_FACTOR_HELP = "Head first, then fine-tune: after the head epochs the "
            + "learning rate is multiplied by this (0.1 trains the whole network ten times more gently, so the "
            + "trained layers are adjusted rather than overwritten).";

    public TrainingSettings {
        // run.json of runs from before the recipe existed has neither value; the factor is unused while it is off
        if (headEpochs == 0 && fineTuneRateFactor == 0) fineTuneRateFactor = DEFAULT_FINE_TUNE_RATE_FACTOR;
    }

    /** Settings without the two-phase recipe. */
    public TrainingSettings(String optimizer, double learningRate, double momentum, String schedule, int stepEpochs,
                            double stepFactor, int batchSize, int epochs, double l2, int patience, long seed, int threads) {
        this(optimizer, learningRate, momentum, schedule, stepEpochs, stepFactor, batchSize, epochs, l2, patience,
                seed, threads, 0, DEFAULT_FINE_TUNE_RATE_FACTOR);
    }

    public static TrainingSettings defaults() {
        return new TrainingSettings("adam", 1e-3, 0.9, "constant", 1, 0.5, 64, 5, 0.0, 0, 42, 0);
    }

    public TrainingSettings withEpochs(int n) {
        return new TrainingSettings(optimizer, learningRate, momentum, schedule, stepEpochs, stepFactor,
                batchSize, n, l2, patience, seed, threads, headEpochs, fineTuneRateFactor);
    }

    public TrainingSettings withSeed(long s) {
        return new TrainingSettings(optimizer, learningRate, momentum, schedule, stepEpochs, stepFactor,
                batchSize, epochs, l2, patience, s, threads, headEpochs, fineTuneRateFactor);
    }

    public TrainingSettings withLearningRate(double lr) {
        return new TrainingSettings(optimizer, lr, momentum, schedule, stepEpochs, stepFactor,
                batchSize, epochs, l2, patience, seed, threads, headEpochs, fineTuneRateFactor);
    }

    public TrainingSettings withBatchSize(int b) {
        return new TrainingSettings(optimizer, learningRate, momentum, schedule, stepEpochs, stepFactor,
                b, epochs, l2, patience, seed, threads, headEpochs, fineTuneRateFactor);
    }

    public TrainingSettings withThreads(int t) {
        return new TrainingSettings(optimizer, learningRate, momentum, schedule, stepEpochs, stepFactor,
                batchSize, epochs, l2, patience, seed, t, headEpochs, fineTuneRateFactor);
    }

    /** The two-phase recipe: head-first epochs (0 = off) and the second phase's rate factor. */
    public TrainingSettings withHeadFirst(int epochsOfHead, double rateFactor) {
        return new TrainingSettings(optimizer, learningRate, momentum, schedule, stepEpochs, stepFactor,
                batchSize, epochs, l2, patience, seed, threads, epochsOfHead, rateFactor);
    }

    /** Whether epoch (counted from 1 over the whole run, continuations included) trains only the new weights. */
    public boolean headOnly(int epoch) {
        return epoch <= headEpochs;
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
        if (epochs < 1 || epochs > MAX_EPOCHS) p.add("Epochs is " + epochs + "; use 1 to 10000.");
        if (!(l2 >= 0 && l2 <= 1)) p.add("L2 is " + l2 + "; use 0 (off) up to 1 (1e-4 is typical).");
        if (patience < 0) p.add("Early-stopping patience is " + patience + "; use 0 (off) or more epochs.");
        if (threads < 0 || threads > 256) p.add("Threads is " + threads + "; use 0 (automatic) or a count of cores.");
        if (headEpochs < 0 || headEpochs > MAX_EPOCHS) {
            p.add("Head-first epochs is " + headEpochs + "; use 0 (off) to 10000.");
        }
        if (!(fineTuneRateFactor > 0 && fineTuneRateFactor <= 1)) {
            p.add("Fine-tune rate factor is " + fineTuneRateFactor + "; use a value above 0 and at most 1 (0.1 is usual).");
        }
        return p;
    }
}
