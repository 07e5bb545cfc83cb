package kiln.engine.project;

import kiln.engine.params.ParamSpec;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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

    /** The usual settings, in the editor's order; names are the record's components and project.json's keys. */
    public static final List<ParamSpec> PARAMS = List.of(
            ParamSpec.choice("optimizer", "Optimizer", "adam", OPTIMIZERS,
                    "How the weights are moved each step. Adam adapts the step per weight and works well with its "
                            + "default rate 0.001; SGD (with Nesterov momentum) needs a larger rate (0.01–0.1); RMSProp "
                            + "sits between."),
            ParamSpec.decimal("learningRate", "Learning rate", 1e-3, ParamSpec.ABOVE_ZERO, 10,
                    "How big each step is. Too small and the loss hardly moves; too big and it jumps around or explodes.")
                    .allowedAs("a number above 0 and at most 10 (try 0.001 for Adam, 0.01 for SGD)"),
            ParamSpec.choice("schedule", "Schedule", "constant", SCHEDULES,
                    "How the learning rate changes over the run: constant; step (multiplied by the step factor every "
                            + "few epochs); cosine (eases down to 0 by the last epoch)."),
            ParamSpec.integer("stepEpochs", "Step every", 1, 1, Integer.MAX_VALUE,
                    "Step schedule: the learning rate changes after this many epochs.").allowedAs("1 or more epochs"),
            ParamSpec.decimal("stepFactor", "Step factor", 0.5, ParamSpec.ABOVE_ZERO, 1,
                    "Step schedule: the learning rate is multiplied by this at each step (0.5 halves it).")
                    .allowedAs("a value above 0 and at most 1"),
            ParamSpec.decimal("momentum", "Momentum", 0.9, 0, ParamSpec.BELOW_ONE,
                    "SGD only: how much of the previous step carries into the next (0.9 is usual; 0 is plain SGD). "
                            + "Adam and RMSProp ignore it.").allowedAs("a value from 0 up to (not including) 1"),
            ParamSpec.integer("batchSize", "Batch size", 64, 1, 65_536,
                    "Samples per step. Larger batches give smoother but fewer steps per epoch; 32–128 is typical.")
                    .allowedAs("1 to 65536 (32–128 is typical)"),
            ParamSpec.integer("epochs", "Epochs", 5, 1, MAX_EPOCHS,
                    "How many times the network sees every training sample.").allowedAs("1 to 10000"),
            ParamSpec.decimal("l2", "L2", 0, 0, 1,
                    "Weight decay: pulls weights towards 0 so the network cannot memorise as easily. 1e-4 is a typical start.")
                    .allowedAs("0 (off) up to 1 (1e-4 is typical)"),
            ParamSpec.integer("patience", "Early stop after", 0, 0, Integer.MAX_VALUE,
                    "Stop when the validation loss has not improved for this many epochs, and keep the best epoch's weights.")
                    .allowedAs("0 (off) or more epochs"),
            ParamSpec.wholeNumber("seed", "Seed", 42, Long.MIN_VALUE, Long.MAX_VALUE,
                    "Starts the random weights and the shuffling; the same seed and settings give the same run.")
                    .allowedAs("any whole number"),
            ParamSpec.integer("threads", "Threads", 0, 0, 256,
                    "Processor threads for the maths. 0 chooses by the network's size: one thread is faster for small networks.")
                    .allowedAs("0 (automatic) or a count of cores, at most 256"));

    /** The two-phase fine-tuning recipe's settings. */
    public static final List<ParamSpec> HEAD_FIRST_PARAMS = List.of(
            ParamSpec.integer("headEpochs", "Head-first epochs", 0, 0, MAX_EPOCHS, HEAD_EPOCHS_HELP)
                    .allowedAs("0 (off) to 10000"),
            ParamSpec.decimal("fineTuneRateFactor", "Fine-tune rate factor", DEFAULT_FINE_TUNE_RATE_FACTOR,
                    ParamSpec.ABOVE_ZERO, 1, FINE_TUNE_RATE_FACTOR_HELP)
                    .allowedAs("a value above 0 and at most 1 (0.1 is usual)"));

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
        return with("epochs", n);
    }

    public TrainingSettings withSeed(long s) {
        return with("seed", s);
    }

    public TrainingSettings withLearningRate(double lr) {
        return with("learningRate", lr);
    }

    public TrainingSettings withBatchSize(int b) {
        return with("batchSize", b);
    }

    public TrainingSettings withThreads(int t) {
        return with("threads", t);
    }

    /** The two-phase recipe: head-first epochs (0 = off) and the second phase's rate factor. */
    public TrainingSettings withHeadFirst(int epochsOfHead, double rateFactor) {
        return with("headEpochs", epochsOfHead).with("fineTuneRateFactor", rateFactor);
    }

    /** Whether epoch (counted from 1 over the whole run, continuations included) trains only the new weights. */
    public boolean headOnly(int epoch) {
        return epoch <= headEpochs;
    }

    /** Every setting by its {@link #PARAMS} or {@link #HEAD_FIRST_PARAMS} name. */
    public Map<String, Object> values() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("optimizer", optimizer);
        m.put("learningRate", learningRate);
        m.put("schedule", schedule);
        m.put("stepEpochs", stepEpochs);
        m.put("stepFactor", stepFactor);
        m.put("momentum", momentum);
        m.put("batchSize", batchSize);
        m.put("epochs", epochs);
        m.put("l2", l2);
        m.put("patience", patience);
        m.put("seed", seed);
        m.put("threads", threads);
        m.put("headEpochs", headEpochs);
        m.put("fineTuneRateFactor", fineTuneRateFactor);
        return m;
    }

    /** A copy with one setting changed, named as in {@link #values()}; the value is not checked (see {@link #problems()}). */
    public TrainingSettings with(String name, Object value) {
        Map<String, Object> m = values();
        if (!m.containsKey(name)) throw new IllegalArgumentException("There is no training setting '" + name + "'.");
        if (!(value instanceof String) && !(value instanceof Number)) {
            throw new IllegalArgumentException(name + " must be a number or a name, not " + value);
        }
        m.put(name, value);
        return new TrainingSettings((String) m.get("optimizer"), number(m, "learningRate"), number(m, "momentum"),
                (String) m.get("schedule"), (int) whole(m, "stepEpochs"), number(m, "stepFactor"),
                (int) whole(m, "batchSize"), (int) whole(m, "epochs"), number(m, "l2"), (int) whole(m, "patience"),
                whole(m, "seed"), (int) whole(m, "threads"), (int) whole(m, "headEpochs"), number(m, "fineTuneRateFactor"));
    }

    private static double number(Map<String, Object> m, String name) {
        return ((Number) m.get(name)).doubleValue();
    }

    private static long whole(Map<String, Object> m, String name) {
        return ((Number) m.get(name)).longValue();
    }

    /** Every reason these settings cannot train, in plain words; empty when they are fine. */
    public List<String> problems() {
        List<String> p = new ArrayList<>();
        Map<String, Object> values = values();
        for (List<ParamSpec> specs : List.of(PARAMS, HEAD_FIRST_PARAMS)) {
            for (ParamSpec spec : specs) {
                Object v = values.get(spec.name());
                boolean ok = switch (spec.kind()) {
                    case CHOICE -> spec.choices().contains(v);
                    default -> spec.inRange(((Number) v).doubleValue());
                };
                if (!ok) p.add(spec.outOfRange(v instanceof String ? "'" + v + "'" : v) + ".");
            }
        }
        return p;
    }
}
