package kiln.engine.sweep;

import kiln.engine.data.DataSplits;
import kiln.engine.model.Node;
import kiln.engine.params.ParamSpec;
import kiln.engine.project.Project;
import kiln.engine.project.ProjectIO;
import kiln.engine.runs.RunFolder;
import kiln.engine.runs.TrainingEvent;
import kiln.engine.train.Trainer;
import kiln.engine.train.TrainingSession;
import kiln.engine.util.Progress;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * Runs a sweep's trials one after another, each a normal run of the project (tagged with the sweep's id as its
 * group, named after its values). The plan is saved before the first trial and after each one, so running the same
 * sweep again skips the trials that finished; a cancel or a killed process loses at most the trial in progress.
 * {@link #run} blocks (the command line's thread, or the app's executor); {@link #stop} may be called from any thread.
 */
public final class Sweep {

    /** What a sweep reports while it runs, from the training thread. */
    public sealed interface Event {
        record TrialStarted(SweepTrial trial, int total) implements Event { }
        /** An event of the trial's run (epochs, batches), for progress. */
        record Training(SweepTrial trial, TrainingEvent event) implements Event { }
        /** A trial done or failed, with its scores; the plan on disk already holds it. */
        record TrialEnded(SweepTrial trial, int total) implements Event { }
    }

    public enum Outcome { COMPLETED, STOPPED }

    private final Project base;
    private final Path folder;
    private final int limitTrain;
    private final Path file;
    private final boolean resumed;
    private volatile SweepPlan plan;
    private final AtomicReference<Trainer> current = new AtomicReference<>();
    private volatile boolean stopRequested;

    private Sweep(Project base, Path folder, int limitTrain, SweepPlan plan, boolean resumed) {
        this.base = base;
        this.folder = folder;
        this.limitTrain = limitTrain;
        this.plan = plan;
        this.resumed = resumed;
        this.file = SweepPlan.file(folder, plan.id());
    }

    /**
     * The sweep of {@code base} (with any command-line overrides already applied) that {@code spec} describes: every
     * trial is checked before anything runs, and an earlier, interrupted run of the same sweep is picked up.
     * @param paramTexts the parameters as the user wrote them, kept in the plan
     */
    public static Sweep open(Project base, Path folder, SweepSpec spec, List<String> paramTexts, int limitTrain)
            throws SweepSpecException, IOException {
        List<Map<String, Object>> trials = spec.trials();
        for (int i = 0; i < trials.size(); i++) {
            Project p = withValues(base, trials.get(i));
            List<String> problems = TrainingSession.problems(p);
            if (!problems.isEmpty()) {
                throw new SweepSpecException("trial " + (i + 1) + " (" + SweepSpec.describe(trials.get(i)) + ") cannot train: "
                        + problems.get(0));
            }
        }
        String id = idFor(base, trials, limitTrain);
        Path file = SweepPlan.file(folder, id);
        if (Files.exists(file)) {
            SweepPlan saved = SweepPlan.load(file);
            for (int i = 0; i < trials.size(); i++) {
                if (i >= saved.trials().size()
                        || !SweepSpec.describe(saved.trials().get(i).values()).equals(SweepSpec.describe(trials.get(i)))) {
                    throw new SweepSpecException(file + ": trial " + (i + 1) + " is not the one this sweep plans; "
                            + "delete the file to start the sweep afresh.");
                }
            }
            if (saved.trials().size() == trials.size()) return new Sweep(base, folder, limitTrain, saved, true);
        }
        List<SweepTrial> pending = new java.util.ArrayList<>();
        for (int i = 0; i < trials.size(); i++) pending.add(SweepTrial.pending(i + 1, trials.get(i)));
        return new Sweep(base, folder, limitTrain, new SweepPlan(id, paramTexts, spec.random(), spec.seed(), limitTrain,
                pending), false);
    }

    /** The trials and how far they got. */
    public SweepPlan plan() {
        return plan;
    }

    /** Whether an earlier run of this sweep left a plan (finished trials are skipped). */
    public boolean resumed() {
        return resumed;
    }

    public Path planFile() {
        return file;
    }

    /** A copy of the project with one trial's values; the values were checked when the sweep was read. */
    public static Project withValues(Project base, Map<String, Object> values) throws SweepSpecException {
        Project p = new Project(base.name(), base.graph().copy(), base.data(), base.pipeline(), base.split(), base.training());
        for (var e : values.entrySet()) {
            String target = e.getKey();
            int dot = target.lastIndexOf('.');
            String owner = target.substring(0, dot);
            String name = target.substring(dot + 1);
            try {
                if (owner.equals(SweepParam.TRAINING)) {
                    p.setTraining(p.training().with(name, e.getValue()));
                } else {
                    Node n = p.graph().find(owner).orElseThrow(() -> new IllegalArgumentException("the network has no layer '" + owner + "'"));
                    p.graph().replace(n.withParams(n.params().with(n.type(), name, e.getValue())));
                }
            } catch (ParamSpec.InvalidParamException | IllegalArgumentException ex) {
                throw new SweepSpecException(target + "=" + SweepParam.format(e.getValue()) + ": " + ex.getMessage() + ".");
            }
        }
        return p;
    }

    /** Runs the trials not yet finished, in order; returns STOPPED when {@link #stop} ended it early. */
    public Outcome run(Consumer<Event> listener) throws TrainingSession.SetupException, IOException, SweepSpecException {
        if (plan.finishedCount() == plan.trials().size()) return Outcome.COMPLETED;
        DataSplits raw = TrainingSession.loadSplits(base, folder, Progress.NONE);
        if (limitTrain > 0) raw = new DataSplits(raw.train().head(limitTrain), raw.validation(), raw.test());
        // Prepared before the first trial trains, so a trial the data refuses stops the sweep before it starts.
        Map<String, TrainingSession.PreparedData> prepared = new HashMap<>();
        for (SweepTrial trial : plan.trials()) {
            if (trial.finished()) continue;
            Project p = withValues(base, trial.values());
            String key = dataKey(p);
            if (prepared.containsKey(key)) continue;
            try {
                prepared.put(key, TrainingSession.prepareSplits(p, raw, Progress.NONE));
            } catch (TrainingSession.SetupException e) {
                throw new TrainingSession.SetupException(trial.label().replaceFirst(": ", " (") + ") cannot train: "
                        + e.getMessage(), e);
            }
        }
        plan.save(file);
        int total = plan.trials().size();
        for (SweepTrial trial : plan.trials()) {
            if (trial.finished()) continue;
            if (stopRequested) return Outcome.STOPPED;
            Project p = withValues(base, trial.values());
            TrainingSession.PreparedData data = prepared.get(dataKey(p));
            listener.accept(new Event.TrialStarted(trial, total));
            AtomicReference<String> runId = new AtomicReference<>();
            Map<Integer, TrainingEvent.EpochFinished> epochs = new HashMap<>();
            Trainer trainer = TrainingSession.newRun(p, folder, data, limitTrain, plan.id(), event -> {
                if (event instanceof TrainingEvent.Started s) runId.set(s.runId());
                if (event instanceof TrainingEvent.EpochFinished e) epochs.put(e.epoch(), e);
                listener.accept(new Event.Training(trial, event));
            });
            current.set(trainer);
            if (stopRequested) trainer.stop();
            TrainingEvent end = trainer.run();
            current.set(null);
            SweepTrial ended;
            if (end instanceof TrainingEvent.Finished f) {
                TrainingEvent.EpochFinished best = epochs.getOrDefault(f.bestEpoch(),
                        epochs.values().stream().max(java.util.Comparator.comparingInt(TrainingEvent.EpochFinished::epoch)).orElseThrow());
                ended = trial.done(runId.get(), f.bestEpoch(), best.validationLoss(), best.validationAccuracy(),
                        f.testLoss(), f.testAccuracy(), f.seconds());
            } else if (end instanceof TrainingEvent.Failed failed) {
                ended = trial.failed(runId.get(), failed.message());
            } else {
                return Outcome.STOPPED; // the trial stays pending: a resumed sweep runs it again
            }
            if (runId.get() != null) RunFolder.open(folder.resolve(RunFolder.RUNS).resolve(runId.get())).rename(ended.label());
            plan = plan.with(ended);
            plan.save(file);
            listener.accept(new Event.TrialEnded(ended, total));
        }
        return Outcome.COMPLETED;
    }

    /** What the pipeline's fit depends on besides the data: what the Input and Output layers expect. */
    private static String dataKey(Project p) {
        return p.graph().inputNode().orElseThrow() + "|" + p.graph().outputNode().orElseThrow();
    }

    /** Stops the trial in progress after its current batch and runs no more; the finished trials are kept. */
    public void stop() {
        stopRequested = true;
        Trainer t = current.get();
        if (t != null) t.stop();
    }

    /** sweep-XXXXXXXX from the project as it trains (layer positions and name aside) and the planned trials. */
    static String idFor(Project base, List<Map<String, Object>> trials, int limitTrain) throws IOException {
        Project plain = new Project("", base.graph().copy(), base.data(), base.pipeline(), base.split(), base.training());
        for (Node n : plain.graph().nodes()) plain.graph().replace(n.withPosition(0, 0));
        StringBuilder key = new StringBuilder(ProjectIO.toJson(plain)).append("\nlimitTrain=").append(limitTrain);
        for (Map<String, Object> t : trials) key.append('\n').append(SweepSpec.describe(t));
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(key.toString().getBytes(StandardCharsets.UTF_8));
            return "sweep-" + HexFormat.of().formatHex(hash, 0, 4);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java has SHA-256", e);
        }
    }
}
