package kiln.engine.eval;

import kiln.engine.data.DataSplits;
import kiln.engine.data.Dataset;
import kiln.engine.data.Folds;
import kiln.engine.project.Project;
import kiln.engine.runs.TrainingEvent;
import kiln.engine.train.Trainer;
import kiln.engine.train.TrainingListener;
import kiln.engine.train.TrainingSession;
import kiln.engine.util.Progress;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A group of runs trained one after another and tagged with one group name: the same run with N seeds (a repeat),
 * or one run per fold of a k-fold cross-validation. Headless: the command line and the app both run it on their
 * own thread, and {@link #stop()} may come from any thread; the runs that finished are kept.
 */
public final class GroupTraining {

    private static final DateTimeFormatter GROUP_TIME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

    /** What the runs of a group differ in, and so which metric sums them up. */
    public enum Kind {
        /** Seeds: each run's test accuracy. */
        REPEAT("repeat-", "seed", "seeds", "test accuracy"),
        /**
         * Folds: each run's last-epoch validation accuracy on its own fold (choosing the best epoch on the fold it
         * is scored on would flatter it).
         */
        CROSS_VALIDATION("cv-", "fold", "folds", "validation accuracy");

        public final String prefix;
        public final String unit;
        public final String units;
        public final String metric;

        Kind(String prefix, String unit, String units, String metric) {
            this.prefix = prefix;
            this.unit = unit;
            this.units = units;
            this.metric = metric;
        }

        /** The kind of a recorded group name, or null for a run outside any known group. */
        public static Kind of(String group) {
            if (group == null) return null;
            for (Kind k : values()) if (group.startsWith(k.prefix)) return k;
            return null;
        }

        /** "fold 2 of 5" or "seed 43 (2 of 3)": where run {@code number} of {@code count} stands in its group. */
        public String describeRun(int number, int count, long seed) {
            return this == CROSS_VALIDATION ? String.format(Locale.ROOT, "fold %d of %d", number, count)
                    : String.format(Locale.ROOT, "seed %d (%d of %d)", seed, number, count);
        }

        /** A new group name with the time, e.g. "cv-20261204-181502". */
        String newGroupName() {
            return prefix + GROUP_TIME.format(Instant.now());
        }
    }

    /** One run of the group that trained to its end. */
    public record Member(int number, String runId, long seed, int trainSamples, int validationSamples,
                         TrainingEvent.Finished finished, TrainingEvent.EpochFinished lastEpoch) {

        /** The number the group sums up: see {@link Kind}. */
        public double metric(Kind kind) {
            return kind == Kind.REPEAT ? finished.testAccuracy() : lastEpoch.validationAccuracy();
        }
    }

    /** What the caller hears: every training event of every run, and where the group is. */
    public interface Listener extends TrainingListener {
        /** Before run {@code number} (1-based) of {@code count} prepares its data. */
        default void runStarting(int number, int count) { }

        /** A run's trainer, before it runs: the caller may pause or stop it. */
        default void trainerReady(Trainer trainer) { }

        /** A run that trained to its end. */
        default void memberFinished(Member member) { }
    }

    /**
     * How the group ended: its finished runs, and {@code stoppedBy} the event that ended a run early (Failed or
     * Cancelled; null when every run finished, or when the stop came between runs with {@code stopped} set).
     */
    public record Outcome(String group, Kind kind, int count, List<Member> finished, String stoppedRunId,
                          TrainingEvent stoppedBy, boolean stopped) {

        public boolean complete() {
            return finished.size() == count;
        }

        /** The spread of the finished runs' metric, or null with fewer than 2. */
        public SeedSummary summary() {
            return finished.size() < 2 ? null : SeedSummary.of(finished.stream().map(m -> m.metric(kind)).toList());
        }
    }

    private final Kind kind;
    private final Project project;
    private final Path folder;
    private final String group;
    private final int count;
    private final TrainingSession.PreparedData repeatData;
    private final List<DataSplits> foldSplits;
    private final int limitTrain;
    private final int poolSize;
    private final int testSize;
    private final AtomicReference<Trainer> current = new AtomicReference<>();
    private volatile boolean stopRequested;

    private GroupTraining(Kind kind, Project project, Path folder, int count, TrainingSession.PreparedData repeatData,
                          List<DataSplits> foldSplits, int limitTrain, int poolSize, int testSize) {
        this.kind = kind;
        this.project = project;
        this.folder = folder;
        this.group = kind.newGroupName();
        this.count = count;
        this.repeatData = repeatData;
        this.foldSplits = foldSplits;
        this.limitTrain = limitTrain;
        this.poolSize = poolSize;
        this.testSize = testSize;
    }

    /** Problems with a repeat of {@code count} runs, or null. */
    public static String checkRepeat(int count) {
        return count < 2 ? "a repeat of " + count + " run" + (count == 1 ? "" : "s")
                + " has no spread to measure; use 2 seeds or more (5 is usual)" : null;
    }

    /**
     * {@code count} runs on the same prepared data with the project's seed, seed + 1, …; the project is not changed
     * (each run trains a copy with its own seed).
     */
    public static GroupTraining repeat(Project project, Path folder, TrainingSession.PreparedData data, int limitTrain, int count) {
        String problem = checkRepeat(count);
        if (problem != null) throw new IllegalArgumentException(problem);
        return new GroupTraining(Kind.REPEAT, project, folder, count, data, null, limitTrain,
                data.splits().train().size(), data.splits().test().size());
    }

    /**
     * One run per fold: the training and validation splits of {@code raw} pooled (only the first {@code limitTrain}
     * of them when above 0) and dealt into {@code folds} stratified folds with the project's training seed.
     * @throws IllegalArgumentException with a message for the student when the folds cannot be made
     */
    public static GroupTraining crossValidation(Project project, Path folder, DataSplits raw, int folds, int limitTrain) {
        Dataset pool = Folds.pool(raw);
        if (limitTrain > 0) {
            pool = pool.head(limitTrain);
            raw = new DataSplits(pool, raw.validation().head(0), raw.test());
        }
        String problem = Folds.check(pool, folds, true);
        if (problem != null) throw new IllegalArgumentException(problem);
        return new GroupTraining(Kind.CROSS_VALIDATION, project, folder, folds, null,
                Folds.splits(raw, folds, project.training().seed(), true), 0, pool.size(), raw.test().size());
    }

    public Kind kind() {
        return kind;
    }

    public String group() {
        return group;
    }

    public int count() {
        return count;
    }

    /** The samples the runs train on: the training split of a repeat, the pooled folds of a cross-validation. */
    public int poolSize() {
        return poolSize;
    }

    public int testSize() {
        return testSize;
    }

    /** The seed of run {@code number} (1-based): every fold shares the project's seed, repeats count up from it. */
    public long seedOf(int number) {
        return project.training().seed() + (kind == Kind.REPEAT ? number - 1 : 0);
    }

    /** Ends the run in progress after its batch and starts no further run. Any thread. */
    public void stop() {
        stopRequested = true;
        Trainer t = current.get();
        if (t != null) t.stop();
    }

    /** Trains the runs one after another on the calling thread, until all have finished, one fails or a stop. */
    public Outcome run(Listener listener) throws TrainingSession.SetupException, IOException {
        List<Member> finished = new ArrayList<>();
        Progress stoppable = new Progress() {
            @Override
            public void update(double fraction, String text) { }

            @Override
            public boolean isCancelled() {
                return stopRequested;
            }
        };
        for (int number = 1; number <= count; number++) {
            if (stopRequested) return new Outcome(group, kind, count, finished, null, null, true);
            listener.runStarting(number, count);
            long seed = seedOf(number);
            Project runProject = new Project(project.name(), project.graph(), project.data(), project.pipeline(),
                    project.split(), project.training().withSeed(seed));
            TrainingSession.PreparedData data;
            try {
                data = kind == Kind.REPEAT ? repeatData
                        : TrainingSession.prepareSplits(runProject, foldSplits.get(number - 1), stoppable);
            } catch (Progress.CancelledException e) {
                return new Outcome(group, kind, count, finished, null, null, true);
            }
            AtomicReference<String> runId = new AtomicReference<>();
            AtomicReference<TrainingEvent.EpochFinished> last = new AtomicReference<>();
            Trainer trainer = TrainingSession.newRun(runProject, folder, data, limitTrain, group, event -> {
                if (event instanceof TrainingEvent.Started s) runId.set(s.runId());
                if (event instanceof TrainingEvent.EpochFinished e) last.set(e);
                listener.onEvent(event);
            });
            current.set(trainer);
            listener.trainerReady(trainer);
            if (stopRequested) trainer.stop();
            TrainingEvent end = trainer.run();
            current.set(null);
            if (!(end instanceof TrainingEvent.Finished f) || last.get() == null) {
                return new Outcome(group, kind, count, finished, runId.get(), end, stopRequested);
            }
            Member m = new Member(number, runId.get(), seed, data.splits().train().size(),
                    data.splits().validation().size(), f, last.get());
            finished.add(m);
            listener.memberFinished(m);
        }
        return new Outcome(group, kind, count, finished, null, null, false);
    }

    /** "fold 2 of 5" or "seed 43 (2 of 3)": where run {@code number} stands in the group. */
    public String describeRun(int number) {
        return kind.describeRun(number, count, seedOf(number));
    }
}
