package kiln.app.training;

import kiln.engine.eval.GroupTraining;
import kiln.engine.project.Project;
import kiln.engine.runs.TrainingEvent;
import kiln.engine.train.TrainingSession;
import kiln.engine.util.Progress;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A repeat or cross-validation started from the Training tab: what was asked, which of its runs trains, how long the
 * finished ones took, and what the view says about it. Its counts change on the JavaFX thread; the group's
 * {@link GroupTraining} is made on the training thread and can be stopped from any.
 */
final class GroupProgress {

    private final GroupTraining.Kind kind;
    private final int count;
    private final long firstSeed;
    private int run; // 1-based, counted from the runs' Started events
    private final List<Double> runSeconds = new ArrayList<>();
    private final AtomicReference<GroupTraining> training = new AtomicReference<>();

    private GroupProgress(GroupTraining.Kind kind, int count, long firstSeed) {
        this.kind = kind;
        this.count = count;
        this.firstSeed = firstSeed;
    }

    static GroupProgress repeat(int seeds, long firstSeed) {
        return new GroupProgress(GroupTraining.Kind.REPEAT, seeds, firstSeed);
    }

    static GroupProgress crossValidation(int folds, long seed) {
        return new GroupProgress(GroupTraining.Kind.CROSS_VALIDATION, folds, seed);
    }

    String startMessage() {
        return kind == GroupTraining.Kind.REPEAT
                ? String.format(Locale.ROOT, "Repeating this run with %d seeds (%d to %d), one after another; each is a "
                        + "run below, and their test accuracy's spread is shown beside the runs.", count,
                        firstSeed, firstSeed + count - 1)
                : String.format(Locale.ROOT, "Cross-validating with %d folds: the training and validation data are dealt "
                        + "into %d parts and each run validates on one of them; the test split is left out.", count, count);
    }

    /** On the training thread: the group's runs, ready to train (the data loaded, the folds dealt). */
    GroupTraining prepare(Project project, Path folder, int limit, Progress progress) throws Exception {
        GroupTraining g;
        try {
            g = kind == GroupTraining.Kind.REPEAT
                    ? GroupTraining.repeat(project, folder, TrainingSession.prepareData(project, folder, limit, progress), limit, count)
                    : GroupTraining.crossValidation(project, folder, TrainingSession.loadSplits(project, folder, progress), count, limit);
        } catch (IllegalArgumentException e) {
            throw new TrainingSession.SetupException("Cross-validation is not possible here: " + e.getMessage() + "."
                    + (limit > 0 ? " Quick try is on, so only the first " + limit + " samples are dealt into folds; "
                    + "turn it off or raise it to use more." : ""));
        }
        training.set(g);
        return g;
    }

    /** Stops the group's current run and starts no more. */
    void stop() {
        GroupTraining g = training.get();
        if (g != null) g.stop();
    }

    void runStarted() {
        run++;
    }

    /** "Fold 2 of 5 · " once a run trains, else nothing. */
    String prefix() {
        if (run == 0) return "";
        String where = describeRun(run);
        return Character.toUpperCase(where.charAt(0)) + where.substring(1) + " · ";
    }

    /** The share of the whole group done, given the share of the current run done. */
    double done(double ofThisRun) {
        return (run - 1 + ofThisRun) / count;
    }

    double secondsLeft(TrainingEvent.Started started, TrainingEvent.BatchFinished batch, List<TrainingEvent.EpochFinished> epochs) {
        return Eta.groupSecondsLeft(started, batch, epochs, count - run, runSeconds);
    }

    /** A run of the group finished: what to say, and what is prepared next if another follows. */
    RunEnd runFinished(String runId, TrainingEvent.Finished f) {
        runSeconds.add(f.seconds());
        boolean more = run < count;
        String next = more ? "Preparing " + describeRun(run + 1) : null;
        return new RunEnd(String.format(Locale.ROOT, "%s (%s) finished: test accuracy %.2f %%%s", runId, describeRun(run),
                100 * f.testAccuracy(), more ? "; the next run is being prepared." : "."), false, next, more ? next + "…" : null);
    }

    /** The group's end in plain words: its result, or how far it got before the stop or failure; null if nothing ran. */
    static RunEnd ending(GroupTraining.Outcome o) {
        String what = o.kind() == GroupTraining.Kind.REPEAT ? "Repeat " : "Cross-validation ";
        if (o.complete()) {
            return new RunEnd(what + o.group() + " finished: " + o.kind().metric + " " + o.summary().describe(o.kind().units)
                    + ". Each " + o.kind().unit + " is a run below; the result stays beside the runs.", false,
                    "Finished " + o.count() + " " + o.kind().units, "Finished.");
        }
        if (o.stoppedBy() instanceof TrainingEvent.Failed f) {
            return new RunEnd(what + o.group() + " ended: " + o.stoppedRunId() + " failed: " + f.message(), true, null, null);
        }
        if (o.stoppedRunId() != null || !o.finished().isEmpty()) {
            return new RunEnd(String.format(Locale.ROOT, "%s%s stopped: %d of %d runs finished and are kept%s.", what, o.group(),
                    o.finished().size(), o.count(), o.stoppedRunId() == null ? ""
                            : "; " + o.stoppedRunId() + " stopped part way and is not counted"), false, "Stopped", "Stopped.");
        }
        return null;
    }

    private String describeRun(int number) {
        return kind.describeRun(number, count, kind == GroupTraining.Kind.REPEAT ? firstSeed + number - 1 : firstSeed);
    }
}
