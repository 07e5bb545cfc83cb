package kiln.engine.train;

import kiln.engine.data.DataSplits;
import kiln.engine.data.Dataset;
import kiln.engine.data.pipeline.Pipeline;
import kiln.engine.nativesupport.NativeSetup;
import kiln.engine.nn.Network;
import kiln.engine.nn.NetworkSpec;
import kiln.engine.nn.Optimizer;
import kiln.engine.nn.Parameters;
import kiln.engine.nn.Plan;
import kiln.engine.project.TrainingSettings;
import kiln.engine.runs.DynamicsFile;
import kiln.engine.runs.LayerDynamics;
import kiln.engine.runs.RunFolder;
import kiln.engine.runs.RunRecord;
import kiln.engine.runs.TrainingEvent;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Trains a network for a number of epochs on the calling thread, reporting through a listener.
 * Pause, resume and stop are honoured between batches; every finished epoch is checkpointed, so a killed
 * process loses at most the epoch in progress. One Trainer runs once.
 */
public final class Trainer {

    /** Training accuracy is measured after each epoch on at most this many training samples. */
    public static final int TRAIN_SCORE_SAMPLES = 10_000;

    private NetworkSpec spec;
    private Parameters params;
    private Optimizer optimizer;
    private final int epochsDone;
    private final TrainingSettings settings;
    private final DataSplits data;
    private final LabelEncoding encoding;
    private final int threads;
    private final RunFolder run;
    private final TrainingListener listener;
    private final Object lock = new Object();
    private Pipeline.Fitted augmentation;
    private Dataset augmentationSource;
    private List<WeightTransfer.LayerResult> transfer = List.of();
    private HeadFirst headFirst;
    private boolean paused;
    private boolean stopRequested;

    /**
     * @param params     freshly initialised, or restored from a checkpoint to continue
     * @param optimizer  over {@code params}, with its state restored when continuing
     * @param epochsDone epochs the parameters have been trained for (0 for a new run)
     * @param run        where checkpoints and metrics go; its run.json must exist
     */
    public Trainer(NetworkSpec spec, Parameters params, Optimizer optimizer, int epochsDone, TrainingSettings settings,
                   DataSplits data, LabelEncoding encoding, int threads, RunFolder run, TrainingListener listener) {
        this.spec = spec;
        this.params = params;
        this.optimizer = optimizer;
        this.epochsDone = epochsDone;
        this.settings = settings;
        this.data = data;
        this.encoding = encoding;
        this.threads = threads;
        this.run = run;
        this.listener = listener;
    }

    /**
     * Makes every training batch from the data's augmentation source with fresh random augmentation, seeded
     * by (run seed, epoch, batch) so that runs repeat. No effect when the pipeline does not augment.
     */
    public Trainer withAugmentation(TrainingSession.PreparedData prepared) {
        if (prepared.augmentationSource() != null && prepared.pipeline().augments()) {
            this.augmentation = prepared.pipeline();
            this.augmentationSource = prepared.augmentationSource();
        }
        return this;
    }

    /** Records which layers started from a trained model's weights, for {@link #transfer()}. */
    Trainer withTransfer(List<WeightTransfer.LayerResult> results) {
        this.transfer = List.copyOf(results);
        return this;
    }

    /**
     * Runs the two-phase recipe: the trainer was built with the network of the phase that {@code epochsDone} is in,
     * and changes to the whole network once the head epochs are done.
     */
    Trainer withHeadFirst(HeadFirst phases) {
        this.headFirst = phases;
        return this;
    }

    /** Layer by layer, where the weights came from: loaded, new or skipped with the reason; empty without a source. */
    public List<WeightTransfer.LayerResult> transfer() {
        return transfer;
    }

    public Parameters parameters() {
        return params;
    }

    public void pause() {
        synchronized (lock) {
            paused = true;
        }
    }

    public void resume() {
        synchronized (lock) {
            paused = false;
            lock.notifyAll();
        }
    }

    /** Asks the run to stop after the batch in progress; also ends a pause. */
    public void stop() {
        synchronized (lock) {
            stopRequested = true;
            lock.notifyAll();
        }
    }

    public boolean isPaused() {
        synchronized (lock) {
            return paused;
        }
    }

    /** Runs to the end and returns the last event (Finished, Failed or Cancelled), which was also sent. */
    public TrainingEvent run() {
        long start = System.nanoTime();
        RunRecord record;
        List<TrainingEvent.EpochFinished> history;
        try {
            record = run.readRecord();
            history = new ArrayList<>(run.readMetrics());
        } catch (IOException e) {
            return emit(new TrainingEvent.Failed("Cannot read the run folder " + run.dir() + ": " + e.getMessage()));
        }
        NativeSetup.useThreads(threads);
        Dataset train = data.train();
        int batchSize = settings.batchSize();
        int batches = (train.size() + batchSize - 1) / batchSize;
        int firstEpoch = epochsDone + 1;
        int lastEpoch = epochsDone + settings.epochs();
        double bestLoss = history.stream().mapToDouble(TrainingEvent.EpochFinished::validationLoss).min()
                .orElse(Double.POSITIVE_INFINITY);
        int bestEpoch = record.bestEpoch();
        int sinceBest = 0;
        double previousSeconds = record.seconds();
        emit(new TrainingEvent.Started(run.id(), firstEpoch, lastEpoch, batches, train.size(), threads));
        int remainder = train.size() % batchSize;
        // Layers are measured on the epoch's last full batch, after most of the epoch's learning.
        int probedBatch = remainder == 0 || batches == 1 ? batches - 1 : batches - 2;
        List<LayerDynamics> dynamics = earlierDynamics(firstEpoch);
        float[] features = new float[batchSize * train.sampleLength()];
        float[] targets = new float[batchSize * encoding.units()];
        Plans plans = null;
        try (RunFolder.Lease lease = run.lease()) {
            plans = new Plans(Math.min(batchSize, train.size()), remainder == 0 || batches == 1 ? 0 : remainder);
            if (headFirst != null && settings.headOnly(firstEpoch)) emit(headFirst.headPhase(firstEpoch, settings));
            for (int epoch = firstEpoch; epoch <= lastEpoch; epoch++) {
                Plan full = plans.full;
                Plan last = plans.last;
                Network scoring = plans.scoring;
                // Made per epoch: the recipe's second phase trains another network with other parameters.
                DynamicsProbe probe = new DynamicsProbe(spec, params);
                long epochStart = System.nanoTime();
                int[] order = shuffled(train.size(), settings.seed() * 1_000_003L + epoch);
                double learningRate = learningRate(epoch);
                double lossSum = 0;
                List<LayerDynamics> measured = List.of();
                for (int b = 0; b < batches; b++) {
                    if (waitWhilePausedAndCheckStop()) {
                        record = record.withEnding("cancelled", seconds(start) + previousSeconds,
                                record.testLoss(), record.testAccuracy(),
                                "Stopped during epoch " + epoch + "; " + (epoch == 1 ? "no epoch had finished."
                                        : "epoch " + (epoch - 1) + " is saved and can be continued."));
                        run.writeRecord(record);
                        return emit(new TrainingEvent.Cancelled(epoch - 1));
                    }
                    int from = b * batchSize;
                    int to = Math.min(train.size(), from + batchSize);
                    Plan plan = to - from == full.batchSize() ? full : last;
                    long seed = Pipeline.batchSeed(settings.seed(), epoch, b);
                    plan.setInput(augmentation == null ? Batches.features(train, order, from, to, features)
                            : augmentation.trainingBatch(augmentationSource, order, from, to, seed));
                    encoding.encode(train, order, from, to, targets);
                    plan.setTarget(targets);
                    plan.reseed(seed);
                    plan.forward();
                    double loss = plan.loss();
                    if (!Double.isFinite(loss)) {
                        String text = "The loss became " + (Double.isNaN(loss) ? "NaN" : "infinite") + " at epoch "
                                + epoch + ", batch " + (b + 1) + ": training diverged. Lower the learning rate (it is "
                                + settings.learningRate() + "; try " + settings.learningRate() / 10
                                + "), and check that the data pipeline scales the inputs (e.g. pixels to 0–1).";
                        run.writeRecord(record.withEnding("failed", seconds(start) + previousSeconds,
                                record.testLoss(), record.testAccuracy(), text));
                        return emit(new TrainingEvent.Failed(text));
                    }
                    plan.backward();
                    if (b == probedBatch) probe.beforeStep(plan);
                    optimizer.step(learningRate);
                    if (b == probedBatch) measured = probe.afterStep(epoch);
                    lossSum += loss * (to - from);
                    emit(new TrainingEvent.BatchFinished(epoch, b + 1, batches, loss, to / seconds(epochStart)));
                }
                Scores trainScores = Scores.of(scoring, train, encoding, TRAIN_SCORE_SAMPLES);
                Scores val = Scores.of(scoring, data.validation(), encoding, Integer.MAX_VALUE);
                boolean best = val.loss() < bestLoss || (Double.isNaN(val.loss()) && bestEpoch == 0);
                if (best) {
                    bestLoss = val.loss();
                    bestEpoch = epoch;
                    sinceBest = 0;
                } else {
                    sinceBest++;
                }
                TrainingEvent.EpochFinished done = new TrainingEvent.EpochFinished(epoch, lossSum / train.size(),
                        trainScores.accuracy(), val.loss(), val.accuracy(), seconds(epochStart),
                        learningRate, best);
                history.add(done);
                // A checkpoint after the head epochs holds the whole network's layout, so Continue finds it.
                boolean phaseEnds = headFirst != null && epoch == settings.headEpochs();
                if (phaseEnds) plans = startFineTuning(plans);
                run.saveCheckpoint(params, optimizer, epoch);
                run.saveEpoch(params, epoch);
                if (best) run.saveBest(params, epoch);
                run.writeMetrics(history);
                dynamics.addAll(measured);
                DynamicsFile.write(run, dynamics);
                record = record.withProgress("running", seconds(start) + previousSeconds, epoch, bestEpoch, bestLoss);
                run.writeRecord(record);
                emit(new TrainingEvent.LayersMeasured(epoch, measured));
                emit(done);
                if (phaseEnds && epoch < lastEpoch) emit(headFirst.fineTunePhase(epoch + 1, settings));
                if (settings.patience() > 0 && sinceBest >= settings.patience() && epoch < lastEpoch) {
                    return finish(record, plans.scoring, TrainingEvent.Ending.EARLY_STOPPED, bestEpoch, start, previousSeconds);
                }
            }
            return finish(record, plans.scoring, TrainingEvent.Ending.COMPLETED, bestEpoch, start, previousSeconds);
        } catch (IOException | UncheckedIOException e) {
            return emit(new TrainingEvent.Failed("Could not save the run in " + run.dir() + ": " + e.getMessage()
                    + ". Check that the disk has space and the folder is writable."));
        } catch (RuntimeException e) {
            String text = "Training stopped because the engine reported: " + e.getMessage();
            try {
                run.writeRecord(record.withEnding("failed", seconds(start) + previousSeconds,
                        record.testLoss(), record.testAccuracy(), text));
            } catch (IOException ignored) {
                // the failure we report is the engine's; the record keeps its last good state
            }
            return emit(new TrainingEvent.Failed(text));
        } finally {
            if (plans != null) plans.close();
        }
    }

    /** The layer measurements of the epochs a continued run already has; none when the file is unreadable. */
    private List<LayerDynamics> earlierDynamics(int firstEpoch) {
        try {
            return new ArrayList<>(DynamicsFile.read(run).stream().filter(d -> d.epoch() < firstEpoch).toList());
        } catch (IOException e) {
            return new ArrayList<>(); // measurements only; the new file starts with this run's epochs
        }
    }

    /** The plans of one batch size each and the scoring network, over the current network and parameters. */
    private final class Plans implements AutoCloseable {
        final Plan full;
        final Plan last;
        final Network scoring;

        /** @param lastSize the smaller last batch, or 0 when every batch is full */
        Plans(int fullSize, int lastSize) {
            full = new Plan(spec, params, fullSize, Plan.Mode.TRAIN, settings.seed());
            last = lastSize == 0 ? null : new Plan(spec, params, lastSize, Plan.Mode.TRAIN, settings.seed());
            scoring = new Network(spec, params);
        }

        int lastSize() {
            return last == null ? 0 : last.batchSize();
        }

        @Override
        public void close() {
            full.close();
            if (last != null) last.close();
            scoring.close();
        }
    }

    /**
     * The second phase of the recipe: the whole network, with the weights as the head epochs left them and a fresh
     * optimizer state (the frozen layers had none), as Keras does when a model is compiled again after unfreezing.
     */
    private Plans startFineTuning(Plans old) {
        int fullSize = old.full.batchSize();
        int lastSize = old.lastSize();
        old.close();
        Parameters whole = new Parameters(headFirst.fullSpec().params(), params.dtype());
        for (var p : headFirst.fullSpec().params()) whole.set(p, params.get(p));
        spec = headFirst.fullSpec();
        params = whole;
        optimizer = TrainingSession.optimizerFor(settings, spec, params);
        return new Plans(fullSize, lastSize);
    }

    private TrainingEvent finish(RunRecord record, Network scoring, TrainingEvent.Ending ending, int bestEpoch, long start,
                                 double previousSeconds) throws IOException {
        // After early stopping, report the best epoch's weights, as the student would keep them.
        if (ending == TrainingEvent.Ending.EARLY_STOPPED) run.loadWeights(run.best(), spec, params);
        Scores test = Scores.of(scoring, data.test(), encoding, Integer.MAX_VALUE);
        double seconds = seconds(start) + previousSeconds;
        String status = ending == TrainingEvent.Ending.EARLY_STOPPED ? "early_stopped" : "completed";
        run.writeRecord(record.withEnding(status, seconds, test.loss(), test.accuracy(), null));
        return emit(new TrainingEvent.Finished(ending, bestEpoch, test.loss(), test.accuracy(), seconds));
    }

    /**
     * The rate for an epoch (counted from 1): constant, multiplied by the step factor every stepEpochs epochs, or
     * cosine-annealed towards zero over the run's planned epochs; after the head epochs of the two-phase recipe,
     * times its fine-tune rate factor.
     */
    double learningRate(int epoch) {
        int e = epoch - 1;
        return switch (settings.schedule()) {
            case "step" -> settings.learningRate() * Math.pow(settings.stepFactor(), e / settings.stepEpochs());
            case "cosine" -> settings.learningRate() * 0.5 * (1 + Math.cos(Math.PI * e / (epochsDone + settings.epochs())));
            default -> settings.learningRate();
        } * (settings.headEpochs() > 0 && !settings.headOnly(epoch) ? settings.fineTuneRateFactor() : 1);
    }

    /** Blocks while paused; true when the run should stop. */
    private boolean waitWhilePausedAndCheckStop() {
        synchronized (lock) {
            while (paused && !stopRequested) {
                try {
                    lock.wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return true;
                }
            }
            return stopRequested || Thread.currentThread().isInterrupted();
        }
    }

    private TrainingEvent emit(TrainingEvent e) {
        listener.onEvent(e);
        return e;
    }

    private static double seconds(long sinceNanos) {
        return (System.nanoTime() - sinceNanos) / 1e9;
    }

    static int[] shuffled(int n, long seed) {
        int[] order = Batches.identity(n);
        Random rnd = new Random(seed);
        for (int i = n - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return order;
    }
}
