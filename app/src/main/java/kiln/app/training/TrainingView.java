package kiln.app.training;

import atlantafx.base.theme.Styles;
import javafx.application.Platform;
import javafx.beans.binding.Bindings;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.geometry.Orientation;
import javafx.scene.Node;
import javafx.scene.control.Alert;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonBar;
import javafx.scene.control.ButtonType;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.Separator;
import javafx.scene.control.SplitPane;
import javafx.scene.control.ToolBar;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import kiln.app.document.DocumentView;
import kiln.app.document.ProjectDocument;
import kiln.app.document.ViewContext;
import kiln.engine.eval.GroupTraining;
import kiln.engine.project.Project;
import kiln.engine.runs.RunFolder;
import kiln.engine.runs.RunRecord;
import kiln.engine.runs.LayerDynamics;
import kiln.engine.runs.TrainingEvent;
import kiln.engine.train.LabelEncoding;
import kiln.engine.train.Trainer;
import kiln.engine.train.TrainingSession;
import kiln.engine.util.Progress;
import kiln.widgets.tasks.EventRelay;
import kiln.widgets.tasks.TaskExecutor;
import kiln.widgets.tasks.TaskHandle;
import org.controlsfx.control.StatusBar;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The Training tab: settings, Train/Pause/Stop, live charts, hints and the history of runs. Training runs on
 * the task executor; its events reach this view through an {@link EventRelay}, batched to a few updates per
 * second, with every epoch and the end of the run delivered at once. The project is locked while it trains.
 */
public final class TrainingView implements DocumentView {

    /**
     * Per-batch data reaches the UI at most this often. Every UI update repaints and uploads the window, which
     * takes processor time from training on a 2-core machine; once a second keeps the app within a few percent
     * of the command line (docs/performance.md).
     */
    static final long BATCH_UPDATE_MILLIS = 1000;

    private final ProjectDocument document;
    private final TaskExecutor executor;
    private final javafx.stage.Window owner;
    private final BorderPane root = new BorderPane();
    private final SettingsEditor settings;
    private final TrainingCharts charts;
    private final HintsPanel hints = new HintsPanel();
    private final RunComparison runComparison = new RunComparison();
    private final DynamicsTable dynamicsTable = new DynamicsTable();
    private final RunsTable runs = new RunsTable();
    private final Label message = new Label();
    private final Label epochLabel = new Label("No run yet");
    private final StatusBar status = new StatusBar();
    private final Button train = new Button("Train");
    private final Button pause = new Button("Pause");
    private final Button stop = new Button("Stop");
    private final Button repeat = new Button("Repeat with N seeds…");
    private final Button crossValidate = new Button("Cross-validate (k folds)…");
    private final RunsPane runsPane;
    /** The run to select once the table next lists it (an imported run). */
    private String selectAfterRefresh;
    /** What the view shows of the run's state; changed on the JavaFX thread only, through {@link #moveTo}. */
    private final ReadOnlyObjectWrapper<RunState> state = new ReadOnlyObjectWrapper<>(RunState.IDLE);
    /** The same state for the training thread, which asks it whether to stop or pause. */
    private volatile RunState runState = RunState.IDLE;
    private final Object endOfRunLoop = new Object();

    // The run in progress (or the last one of this session); touched on the JavaFX thread only.
    private String liveRunId;
    private String liveLabel;
    private final List<TrainingEvent.EpochFinished> liveMetrics = new ArrayList<>();
    /** How the live run's layers learned, per measured epoch, for the layer hints. */
    private final List<LayerDynamics> liveDynamics = new ArrayList<>();
    private final List<TrainingEvent.EpochFinished> liveSessionEpochs = new ArrayList<>();
    private TrainingEvent.Started started;
    private EventRelay<TrainingEvent> relay;
    private final AtomicReference<Trainer> trainer = new AtomicReference<>();
    private boolean waitingInLoop;
    /** The repeat or cross-validation under way (or last run), null for a single run; JavaFX thread. */
    private GroupPlan groupPlan;
    /** Which run of the group is training (1-based), counted from the Started events; JavaFX thread. */
    private int groupRun;
    private final List<Double> groupRunSeconds = new ArrayList<>();
    private final AtomicReference<GroupTraining> groupTraining = new AtomicReference<>();
    /** The project's repeats and cross-validations, from the runs last listed. */
    private List<RunGroups.Group> groups = List.of();
    private volatile boolean disposed;

    public TrainingView(ViewContext context) {
        this.document = context.document();
        this.executor = context.executor();
        this.owner = context.owner();
        settings = new SettingsEditor(document);
        charts = new TrainingCharts(executor);
        runsPane = new RunsPane(document, executor, owner, runs, state, runsHost());
        runs.setOnSelectionChanged(() -> {
            redrawEpochCharts();
            showHints();
        });
        build();
        refreshRuns();
    }

    @Override
    public Node node() {
        return root;
    }

    public ReadOnlyObjectProperty<RunState> stateProperty() {
        return state.getReadOnlyProperty();
    }

    /** Moves the run to its next state; a move the run cannot make is a bug and is refused. */
    private void moveTo(RunState next) {
        runState = runState.moveTo(next);
        state.set(runState);
    }

    /** Train on only the first {@code samples} training samples (0 = all), as the "Use only the first" option. */
    public void setLimitTrain(int samples) {
        settings.setLimit(samples);
    }

    /**
     * Starts a new run with the project's settings (the main window's Train button). When something blocks
     * training, nothing starts and the view says what, in plain words.
     */
    public void startTraining() {
        start(null, 0, null);
    }

    /** What a repeat or a cross-validation is asked to do, known before its runs start. */
    private record GroupPlan(GroupTraining.Kind kind, int count, long firstSeed) {
        String describeRun(int number) {
            return kind.describeRun(number, count, kind == GroupTraining.Kind.REPEAT ? firstSeed + number - 1 : firstSeed);
        }
    }

    /** Trains the project's run {@code seeds} times, with its seed, seed + 1, …, one run after another. */
    public void startRepeat(int seeds) {
        String problem = GroupTraining.checkRepeat(seeds);
        if (problem != null) {
            showError("Cannot repeat: " + problem + ".");
            return;
        }
        start(null, 0, new GroupPlan(GroupTraining.Kind.REPEAT, seeds, document.project().training().seed()));
    }

    /** k-fold cross-validation: one run per fold of the pooled training and validation data, the test split left out. */
    public void startCrossValidation(int folds) {
        start(null, 0, new GroupPlan(GroupTraining.Kind.CROSS_VALIDATION, folds, document.project().training().seed()));
    }

    public void pause() {
        if (runState != RunState.TRAINING) return;
        moveTo(RunState.PAUSED);
        Trainer t = trainer.get();
        if (t != null) t.pause();
        status.setText("Paused at the end of the current batch; press Resume to go on.");
    }

    public void resume() {
        if (runState != RunState.PAUSED) return;
        moveTo(RunState.TRAINING);
        Trainer t = trainer.get();
        if (t != null) t.resume();
    }

    /** Stops after the batch in progress; the finished epochs stay saved. */
    public void stop() {
        if (!runState.canMoveTo(RunState.STOPPING)) return;
        moveTo(RunState.STOPPING);
        Trainer t = trainer.get();
        if (t != null) t.stop();
        GroupTraining g = groupTraining.get();
        if (g != null) g.stop();
        status.setText(groupPlan == null ? "Stopping after the current batch…"
                : "Stopping after the current batch; the runs that finished are kept…");
    }

    @Override
    public boolean confirmClose() {
        if (!runState.isActive()) return true;
        ButtonType stopAndClose = new ButtonType("Stop training and close", ButtonBar.ButtonData.OK_DONE);
        Alert ask = new Alert(Alert.AlertType.CONFIRMATION, "A run is training. Stop it and close? The epochs that "
                + "have finished are saved, and the run can be continued later.", stopAndClose, ButtonType.CANCEL);
        ask.setHeaderText("Training in progress");
        if (owner != null) ask.initOwner(owner);
        if (ask.showAndWait().orElse(ButtonType.CANCEL) != stopAndClose) return false;
        stopAndWait();
        return true;
    }

    /**
     * Stops the run and returns once it has ended. The UI keeps running meanwhile (a nested event loop), so the
     * window repaints and the training thread's last events are shown; training itself never runs here.
     */
    void stopAndWait() {
        if (!runState.isActive()) return;
        stop();
        waitingInLoop = true;
        Platform.enterNestedEventLoop(endOfRunLoop);
    }

    @Override
    public void dispose() {
        disposed = true; // the training thread checks it too
        if (runState.canMoveTo(RunState.STOPPING)) moveTo(RunState.STOPPING);
        Trainer t = trainer.get();
        if (t != null) t.stop();
        GroupTraining g = groupTraining.get();
        if (g != null) g.stop();
        if (relay != null) relay.close();
        settings.dispose();
    }

    // ------------------------------------------------------------------ running

    /** What the training work returns: the last run's end, and for a group how the group ended. */
    private record Ended(TrainingEvent end, GroupTraining.Outcome outcome) { }

    private void start(RunRow continueFrom, int more, GroupPlan plan) {
        if (runState.isActive() || disposed) return;
        Project project = document.project();
        List<String> problems = new ArrayList<>(TrainingSession.problems(project));
        Path folder = document.folder();
        if (folder == null) {
            problems.add("The project has not been saved yet; save it first, because runs are kept in the project's folder.");
        }
        if (!problems.isEmpty()) {
            showError("Training cannot start yet:\n• " + String.join("\n• ", problems));
            return;
        }
        int limit = continueFrom == null ? settings.limitTrainProperty().get() : continueFrom.record().limitTrain();
        groupPlan = plan;
        groupRun = 0;
        groupRunSeconds.clear();
        groupTraining.set(null);
        showInfo(plan != null ? startMessage(plan) : continueFrom == null ? "" : "Continuing " + continueFrom.label() + " for " + more + " more epoch"
                + (more == 1 ? "" : "s") + ".");
        document.lockedProperty().set(true);
        moveTo(RunState.PREPARING);
        stop.requestFocus(); // out of the settings (now read-only) and no blinking caret repainting the window
        trainer.set(null);
        started = null;
        liveRunId = continueFrom == null ? null : continueFrom.id();
        liveLabel = continueFrom == null ? null : continueFrom.label();
        liveMetrics.clear();
        liveDynamics.clear();
        if (continueFrom != null) liveMetrics.addAll(continueFrom.metrics());
        if (continueFrom != null) liveDynamics.addAll(continueFrom.dynamics());
        document.layerDynamicsProperty().set(List.copyOf(liveDynamics));
        liveSessionEpochs.clear();
        charts.clearBatches();
        epochLabel.setText("Preparing data…");
        status.setText("Loading data…");
        status.setProgress(-1);

        EventRelay<TrainingEvent> events = new EventRelay<>(e -> !(e instanceof TrainingEvent.BatchFinished),
                BATCH_UPDATE_MILLIS, this::onEvents);
        relay = events;
        RunFolder continued = continueFrom == null ? null : continueFrom.folder();
        TaskHandle handle = executor.submit("Training " + project.name(), progress -> {
            Progress cancellable = new Progress() {
                @Override
                public void update(double fraction, String text) {
                    progress.update(fraction, text);
                }

                @Override
                public boolean isCancelled() {
                    return stopRequested() || progress.isCancelled();
                }
            };
            if (plan != null) return runGroup(plan, project, folder, limit, cancellable, events);
            TrainingSession.PreparedData data;
            try {
                data = TrainingSession.prepareData(project, folder, limit, cancellable);
            } catch (Progress.CancelledException e) {
                return null;
            }
            if (stopRequested()) return null;
            Trainer t = continued == null
                    ? TrainingSession.newRun(project, folder, data, limit, events::offer)
                    : TrainingSession.continueRun(project, continued, data, more, events::offer);
            trainer.set(t);
            // A pause or stop pressed while the data loaded applies from the first batch.
            if (runState == RunState.PAUSED) t.pause();
            if (stopRequested()) t.stop();
            return new Ended(t.run(), null);
        }, end -> runEnded(events, end, null), error -> runEnded(events, null, error));
        handle.messageProperty().addListener((o, a, text) -> {
            if (runState == RunState.PREPARING && text != null && !text.isEmpty()) status.setText(text);
        });
    }

    /** On the training thread: the runs of a repeat or cross-validation, one after another. */
    private Ended runGroup(GroupPlan plan, Project project, Path folder, int limit, Progress progress,
                           EventRelay<TrainingEvent> events) throws Exception {
        GroupTraining g;
        try {
            if (plan.kind() == GroupTraining.Kind.REPEAT) {
                g = GroupTraining.repeat(project, folder, TrainingSession.prepareData(project, folder, limit, progress), limit, plan.count());
            } else {
                g = GroupTraining.crossValidation(project, folder, TrainingSession.loadSplits(project, folder, progress), plan.count(), limit);
            }
        } catch (Progress.CancelledException e) {
            return null;
        } catch (IllegalArgumentException e) {
            throw new TrainingSession.SetupException("Cross-validation is not possible here: " + e.getMessage() + "."
                    + (limit > 0 ? " Quick try is on, so only the first " + limit + " samples are dealt into folds; "
                    + "turn it off or raise it to use more." : ""));
        }
        groupTraining.set(g);
        if (stopRequested()) g.stop();
        GroupTraining.Outcome outcome = g.run(new GroupTraining.Listener() {
            @Override
            public void onEvent(TrainingEvent event) {
                events.offer(event);
            }

            @Override
            public void runStarting(int number, int count) {
                progress.update(-1, "Preparing " + g.describeRun(number) + "…");
            }

            @Override
            public void trainerReady(Trainer t) {
                trainer.set(t);
                if (runState == RunState.PAUSED) t.pause();
                if (stopRequested()) t.stop();
            }
        });
        return new Ended(outcome.stoppedBy(), outcome);
    }

    private static String startMessage(GroupPlan plan) {
        return plan.kind() == GroupTraining.Kind.REPEAT
                ? String.format(Locale.ROOT, "Repeating this run with %d seeds (%d to %d), one after another; each is a "
                        + "run below, and their test accuracy's spread is shown beside the runs.", plan.count(),
                        plan.firstSeed(), plan.firstSeed() + plan.count() - 1)
                : String.format(Locale.ROOT, "Cross-validating with %d folds: the training and validation data are dealt "
                        + "into %d parts and each run validates on one of them; the test split is left out.", plan.count(), plan.count());
    }

    /** On the training thread: whether the student (or closing the tab) asked the run to stop. */
    private boolean stopRequested() {
        return runState == RunState.STOPPING || disposed;
    }

    /** On the JavaFX thread once the training work has returned (or failed before training began). */
    private void runEnded(EventRelay<TrainingEvent> events, Ended ended, Throwable error) {
        events.flush(); // the last events come before the end is shown
        events.close();
        trainer.set(null);
        groupTraining.set(null);
        document.lockedProperty().set(false);
        TrainingEvent end = ended == null ? null : ended.end();
        GroupTraining.Outcome outcome = ended == null ? null : ended.outcome();
        boolean finished = outcome != null ? outcome.complete() : end instanceof TrainingEvent.Finished;
        moveTo(error != null || end instanceof TrainingEvent.Failed ? RunState.FAILED
                : finished ? RunState.FINISHED : RunState.CANCELLED);
        if (outcome != null) showGroupEnd(outcome);
        status.setProgress(0);
        if (error != null) {
            showError(error instanceof TrainingSession.SetupException ? "Training cannot start:\n" + error.getMessage()
                    : "Training could not start: " + RunsPane.plainMessage(error));
            status.setText("Not trained.");
            epochLabel.setText(liveRunId == null ? "No run" : epochLabel.getText());
        } else if (ended == null || (outcome != null && end == null && outcome.finished().isEmpty())) {
            showInfo("Stopped before training began.");
            status.setText("Stopped.");
            epochLabel.setText("No run");
        }
        if (waitingInLoop) {
            waitingInLoop = false;
            Platform.exitNestedEventLoop(endOfRunLoop, null);
        }
        if (!disposed) refreshRuns();
    }

    /** Events from the relay, in order, a few times per second at most. */
    private void onEvents(List<TrainingEvent> events) {
        if (disposed) return;
        TrainingEvent.BatchFinished lastBatch = null;
        boolean epochEnded = false;
        boolean runEnded = false;
        int epochsBefore = liveMetrics.size();
        List<TrainingEvent.BatchFinished> batches = new ArrayList<>();
        for (TrainingEvent e : events) {
            if (e instanceof TrainingEvent.Started s) {
                if (groupPlan != null) {
                    batches.clear(); // the last batches of the run before belong to its own curve, now cleared
                    startGroupRun(s);
                }
                started = s;
                liveRunId = s.runId();
                if (liveLabel == null) liveLabel = s.runId();
                if (runState == RunState.PREPARING) moveTo(RunState.TRAINING);
                epochLabel.setText(groupPrefix() + "Epoch " + s.firstEpoch() + " of " + s.lastEpoch());
                status.setText(String.format(Locale.ROOT, "%s: %,d training samples, %d batches per epoch, %d thread%s",
                        s.runId(), s.trainSamples(), s.batchesPerEpoch(), s.threads(), s.threads() == 1 ? "" : "s"));
                refreshRuns();
            } else if (e instanceof TrainingEvent.BatchFinished b) {
                lastBatch = b;
                batches.add(b);
            } else if (e instanceof TrainingEvent.LayersMeasured m) {
                liveDynamics.removeIf(d -> d.epoch() == m.epoch());
                liveDynamics.addAll(m.layers());
                document.layerDynamicsProperty().set(List.copyOf(liveDynamics));
            } else if (e instanceof TrainingEvent.PhaseChanged phase) {
                showInfo(phase.message()); // the run's end message replaces it
            } else if (e instanceof TrainingEvent.EpochFinished ep) {
                liveMetrics.removeIf(m -> m.epoch() == ep.epoch());
                liveMetrics.add(ep);
                liveSessionEpochs.add(ep);
                epochEnded = true;
            } else if (e instanceof TrainingEvent.Finished || e instanceof TrainingEvent.Failed
                    || e instanceof TrainingEvent.Cancelled) {
                runEnded = true;
                showEnd(e);
            }
        }
        charts.addBatches(liveRunId, liveLabel, batches);
        if (lastBatch != null && !runEnded && started != null && (runState == RunState.TRAINING || runState == RunState.STOPPING)) {
            showProgress(lastBatch);
        }
        if (epochEnded || liveMetrics.size() != epochsBefore) {
            redrawEpochCharts();
            showHints();
            refreshRuns();
        }
    }

    /** A new run of the group: the charts and hints follow it from its first batch, as for a run started alone. */
    private void startGroupRun(TrainingEvent.Started s) {
        groupRun++;
        liveRunId = s.runId();
        liveLabel = s.runId();
        liveMetrics.clear();
        liveDynamics.clear();
        liveSessionEpochs.clear();
        document.layerDynamicsProperty().set(List.of());
        charts.clearBatches();
    }

    /** "Fold 2 of 5 · " while a group trains, else nothing. */
    private String groupPrefix() {
        if (groupPlan == null || groupRun == 0) return "";
        String where = groupPlan.describeRun(groupRun);
        return Character.toUpperCase(where.charAt(0)) + where.substring(1) + " · ";
    }

    /** The group's end in plain words: its result, or how far it got before the stop or failure. */
    private void showGroupEnd(GroupTraining.Outcome o) {
        String what = o.kind() == GroupTraining.Kind.REPEAT ? "Repeat " : "Cross-validation ";
        if (o.complete()) {
            showInfo(what + o.group() + " finished: " + o.kind().metric + " " + o.summary().describe(o.kind().units)
                    + ". Each " + o.kind().unit + " is a run below; the result stays beside the runs.");
            epochLabel.setText("Finished " + o.count() + " " + o.kind().units);
            status.setText("Finished.");
        } else if (o.stoppedBy() instanceof TrainingEvent.Failed f) {
            showError(what + o.group() + " ended: " + o.stoppedRunId() + " failed: " + f.message());
        } else if (o.stoppedRunId() != null || !o.finished().isEmpty()) {
            showInfo(String.format(Locale.ROOT, "%s%s stopped: %d of %d runs finished and are kept%s.", what, o.group(),
                    o.finished().size(), o.count(), o.stoppedRunId() == null ? ""
                            : "; " + o.stoppedRunId() + " stopped part way and is not counted"));
            epochLabel.setText("Stopped");
            status.setText("Stopped.");
        }
    }

    /** The end of a run in plain words: finished (with the test result), failed (the engine's reason), or stopped. */
    private void showEnd(TrainingEvent e) {
        if (e instanceof TrainingEvent.Finished f && groupPlan != null) {
            groupRunSeconds.add(f.seconds());
            boolean more = groupRun < groupPlan.count();
            showInfo(String.format(Locale.ROOT, "%s (%s) finished: test accuracy %.2f %%%s", liveRunId,
                    groupPlan.describeRun(groupRun), 100 * f.testAccuracy(), more ? "; the next run is being prepared." : "."));
            if (more) {
                epochLabel.setText("Preparing " + groupPlan.describeRun(groupRun + 1));
                status.setText("Preparing " + groupPlan.describeRun(groupRun + 1) + "…");
            }
        } else if (e instanceof TrainingEvent.Finished f) {
            showInfo(String.format(Locale.ROOT, "%s %s: test accuracy %.2f %%, test loss %.4f, best epoch %d, %s.",
                    liveRunId, f.ending() == TrainingEvent.Ending.EARLY_STOPPED
                            ? "stopped early (validation loss stopped improving)" : "finished",
                    100 * f.testAccuracy(), f.testLoss(), f.bestEpoch(), RunsTable.duration(f.seconds())));
            epochLabel.setText("Finished (" + liveMetrics.size() + " epoch" + (liveMetrics.size() == 1 ? ")" : "s)"));
            status.setText("Finished.");
        } else if (e instanceof TrainingEvent.Failed f) {
            showError("Training stopped: " + f.message());
            status.setText("Failed.");
            epochLabel.setText("Failed");
        } else if (e instanceof TrainingEvent.Cancelled c) {
            showInfo(liveRunId + " stopped after " + c.epochsCompleted() + " complete epoch"
                    + (c.epochsCompleted() == 1 ? "" : "s") + (c.epochsCompleted() > 0
                    ? "; select it below and press Continue to train it further." : "."));
            status.setText("Stopped.");
            epochLabel.setText("Stopped");
        }
    }

    private void showProgress(TrainingEvent.BatchFinished b) {
        epochLabel.setText(groupPrefix() + "Epoch " + b.epoch() + " of " + started.lastEpoch());
        int epochs = started.lastEpoch() - started.firstEpoch() + 1;
        double done = (b.epoch() - started.firstEpoch() + (double) b.batch() / b.batchesPerEpoch()) / epochs;
        int runsAfter = groupPlan == null ? 0 : groupPlan.count() - groupRun;
        if (groupPlan != null) done = (groupRun - 1 + done) / groupPlan.count();
        status.setProgress(done);
        if (runState == RunState.STOPPING) return;
        double left = groupPlan == null ? Eta.secondsLeft(started, b, liveSessionEpochs)
                : Eta.groupSecondsLeft(started, b, liveSessionEpochs, runsAfter, groupRunSeconds);
        status.setText(String.format(Locale.ROOT, "%sEpoch %d of %d · batch %,d of %,d · %,.0f images/s · %s",
                groupPrefix(), b.epoch(), started.lastEpoch(), b.batch(), b.batchesPerEpoch(), b.samplesPerSecond(),
                Eta.describe(left)));
    }

    // ------------------------------------------------------------------ charts, hints, history

    /** The runs on the charts: the selected ones, and the one training; with nothing selected, the latest. */
    private void redrawEpochCharts() {
        List<RunRow> shown = new ArrayList<>(runs.getSelectionModel().getSelectedItems());
        if (shown.isEmpty() && liveRunId == null && !runs.getItems().isEmpty()) {
            shown.add(runs.getItems().get(runs.getItems().size() - 1));
        }
        List<TrainingCharts.Shown> all = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        if (liveRunId != null) {
            all.add(new TrainingCharts.Shown(liveRunId, liveLabel, List.copyOf(liveMetrics)));
            ids.add(liveRunId);
        }
        for (RunRow r : shown) {
            if (r != null && ids.add(r.id())) all.add(new TrainingCharts.Shown(r.id(), r.label(), r.metrics()));
        }
        List<RunRow> selected = List.copyOf(runs.getSelectionModel().getSelectedItems());
        runComparison.show(selected, TrainingCharts::colorOf, groups);
        runsPane.showGroups(groups, selected.isEmpty() ? null : selected.get(selected.size() - 1));
        charts.showEpochs(all);
    }

    private void showHints() {
        String label;
        List<TrainingEvent.EpochFinished> metrics;
        List<LayerDynamics> dynamics;
        List<RunRow> selected = runs.getSelectionModel().getSelectedItems();
        if (liveRunId != null && (runState.isActive() || selected.isEmpty())) {
            label = liveLabel;
            metrics = liveMetrics;
            dynamics = liveDynamics;
        } else if (!selected.isEmpty() && selected.get(selected.size() - 1) != null) {
            RunRow r = selected.get(selected.size() - 1);
            label = r.label();
            metrics = r.metrics();
            dynamics = r.dynamics();
        } else if (!runs.getItems().isEmpty()) {
            RunRow r = runs.getItems().get(runs.getItems().size() - 1);
            label = r.label();
            metrics = r.metrics();
            dynamics = r.dynamics();
        } else {
            label = null;
            metrics = List.of();
            dynamics = List.of();
        }
        hints.show(label, metrics, dynamics, classCount());
        dynamicsTable.show(label, dynamics);
    }

    private int classCount() {
        return LabelEncoding.of(document.project().graph()).map(LabelEncoding::classCount).orElse(0);
    }

    private void refreshRuns() {
        Path folder = document.folder();
        if (folder == null || disposed) return;
        executor.submit("Reading runs", p -> RunRow.readAll(folder), rows -> {
            if (disposed) return;
            String select = selectAfterRefresh;
            selectAfterRefresh = null;
            runs.setRuns(rows, select);
            groups = RunGroups.of(rows);
            redrawEpochCharts();
            showHints();
        }, error -> showError("The runs of this project cannot be listed: " + RunsPane.plainMessage(error)));
    }

    /** What the runs pane asks of the view: the live run, and the messages and charts that follow an edit. */
    private RunsPane.Host runsHost() {
        return new RunsPane.Host() {
            @Override
            public boolean isLive(RunRow r) {
                return runState.isActive() && r.id().equals(liveRunId);
            }

            @Override
            public void continueRun(RunRow r, int moreEpochs) {
                start(r, moreEpochs, null);
            }

            @Override
            public void renamed(RunRow r, RunRecord record) {
                if (r.id().equals(liveRunId)) liveLabel = new RunRow(r.folder(), record, List.of(), List.of(), null).label();
                refreshRuns();
            }

            @Override
            public void deleted(List<RunRow> chosen) {
                if (chosen.stream().anyMatch(r -> r.id().equals(liveRunId))) {
                    liveRunId = null;
                    liveMetrics.clear();
                    liveDynamics.clear();
                    document.layerDynamicsProperty().set(List.of());
                    charts.clearBatches();
                }
                refreshRuns();
            }

            @Override
            public void listAndSelect(String runId) {
                selectAfterRefresh = runId; // its curves go on the charts
                refreshRuns();
            }

            @Override
            public void refresh() {
                refreshRuns();
            }

            @Override
            public void showError(String text) {
                TrainingView.this.showError(text);
            }

            @Override
            public void showInfo(String text) {
                TrainingView.this.showInfo(text);
            }
        };
    }

    /** Stores the display name in the run's run.json (off the JavaFX thread). */
    void renameRun(RunRow r, String name) {
        runsPane.renameRun(r, name);
    }

    void deleteRuns(List<RunRow> chosen) {
        runsPane.deleteRuns(chosen);
    }

    /** Checks and copies a run trained with an exported train.py into the project, off the JavaFX thread. */
    void importRun(Path source) {
        runsPane.importRun(source);
    }

    // ------------------------------------------------------------------ layout

    private void build() {
        train.setId("trainButton");
        train.setDefaultButton(false);
        train.setOnAction(e -> startTraining());
        train.getStyleClass().add(Styles.TEXT_BOLD);
        pause.setId("pauseButton");
        pause.setOnAction(e -> {
            if (runState == RunState.PAUSED) resume();
            else pause();
        });
        stop.setId("stopButton");
        stop.setOnAction(e -> stop());
        var active = Bindings.createBooleanBinding(() -> state.get().isActive(), state);
        train.disableProperty().bind(active);
        pause.disableProperty().bind(state.isNotEqualTo(RunState.TRAINING).and(state.isNotEqualTo(RunState.PAUSED)));
        pause.textProperty().bind(Bindings.when(state.isEqualTo(RunState.PAUSED)).then("Resume").otherwise("Pause"));
        stop.disableProperty().bind(active.not().or(state.isEqualTo(RunState.STOPPING)));
        train.setTooltip(new Tooltip("Check the project and train a new run with these settings."));
        repeat.setId("repeatButton");
        repeat.disableProperty().bind(active);
        repeat.setTooltip(new Tooltip("Train this run again with several seeds, one after another: the mean, spread and "
                + "95 % interval of the test accuracy show how much of a result is luck."));
        repeat.setOnAction(e -> askCount("Repeat with N seeds", "Train the same run with the seeds "
                + document.project().training().seed() + ", " + (document.project().training().seed() + 1)
                + ", … one after another.", "Seeds", 2, 3).ifPresent(this::startRepeat));
        crossValidate.setId("crossValidateButton");
        crossValidate.disableProperty().bind(active);
        crossValidate.setTooltip(new Tooltip("k-fold cross-validation: k runs, each validating on a different part of the "
                + "training and validation data; the test split is left out."));
        crossValidate.setOnAction(e -> askCount("Cross-validate", "Deal the training and validation data into k "
                + "folds (same class mix in each) and train one run per fold.", "Folds", 2, 5).ifPresent(this::startCrossValidation));
        pause.setTooltip(new Tooltip("Hold training after the current batch; Resume goes on where it stopped."));
        stop.setTooltip(new Tooltip("End the run after the current batch. Finished epochs stay saved."));

        epochLabel.setId("epochLabel");
        epochLabel.getStyleClass().add("epoch-label");
        Label locked = new Label("Project locked while training");
        locked.setId("lockedLabel");
        locked.getStyleClass().add("locked-badge");
        locked.visibleProperty().bind(document.lockedProperty());
        locked.managedProperty().bind(document.lockedProperty());
        Region grow = new Region();
        HBox.setHgrow(grow, Priority.ALWAYS);
        Button findRate = new Button("Find learning rate…");
        findRate.setId("findRateButton");
        findRate.setTooltip(new Tooltip("A short range test: the loss against a rising learning rate, and a suggested rate."));
        findRate.disableProperty().bind(active);
        findRate.setOnAction(e -> new LearningRateDialog(new ViewContext(document, executor, owner)).show());
        Button sweep = new Button("Sweep…");
        sweep.setId("sweepButton");
        sweep.setTooltip(new Tooltip("Try several values of training settings or layer parameters, one run per trial, and compare them."));
        sweep.disableProperty().bind(active);
        sweep.setOnAction(e -> new SweepDialog(new ViewContext(document, executor, owner), this::refreshRuns).show());
        for (Region r : List.of(train, pause, stop, repeat, crossValidate, findRate, sweep)) r.setMinWidth(Region.USE_PREF_SIZE);
        ToolBar bar = new ToolBar(train, pause, stop, new Separator(Orientation.VERTICAL), repeat, crossValidate,
                new Separator(Orientation.VERTICAL), findRate, sweep,
                new Separator(Orientation.VERTICAL), epochLabel, grow, locked);

        message.setId("trainingMessage");
        message.setWrapText(true);
        message.getStyleClass().add("view-message");
        message.managedProperty().bind(message.textProperty().isNotEmpty());
        message.visibleProperty().bind(message.textProperty().isNotEmpty());
        message.setMaxWidth(Double.MAX_VALUE);
        root.setTop(new VBox(bar, message));

        ScrollPane left = new ScrollPane(settings);
        left.setFitToWidth(true);
        left.setPrefWidth(300);
        left.setMinWidth(285); // every setting's name whole beside its field, with no sideways scrolling

        ScrollPane hintsScroll = new ScrollPane(new VBox(runComparison, hints));
        hintsScroll.setFitToWidth(true);
        hintsScroll.setPrefWidth(260);
        hintsScroll.setMinWidth(200);
        BorderPane chartsAndHints = new BorderPane(charts);
        chartsAndHints.setRight(hintsScroll);

        javafx.scene.control.TabPane runsAndLayers = new javafx.scene.control.TabPane(
                new javafx.scene.control.Tab("Runs", runsPane), new javafx.scene.control.Tab("Layers", dynamicsTable));
        runsAndLayers.setTabClosingPolicy(javafx.scene.control.TabPane.TabClosingPolicy.UNAVAILABLE);
        runsAndLayers.setId("runsAndLayers");
        SplitPane center = new SplitPane(chartsAndHints, runsAndLayers);
        center.setOrientation(Orientation.VERTICAL);
        center.setDividerPositions(0.68);
        SplitPane main = new SplitPane(left, center);
        main.setDividerPositions(0.2);
        SplitPane.setResizableWithParent(left, false);
        root.setCenter(main);

        status.setId("trainingStatus");
        status.setText("Ready. Press Train to start a run with the settings on the left.");
        root.setBottom(status);
        showHints();
    }

    /** Asks for a count (of seeds or folds) in a small dialog; empty when cancelled. */
    private java.util.Optional<Integer> askCount(String title, String text, String what, int min, int initial) {
        javafx.scene.control.Dialog<Integer> ask = new javafx.scene.control.Dialog<>();
        ask.setTitle(title);
        ask.setHeaderText(text);
        javafx.scene.control.Spinner<Integer> count = new javafx.scene.control.Spinner<>(min, 50, initial);
        count.setId("groupCount");
        count.setEditable(true);
        Label label = new Label(what);
        label.setMinWidth(Region.USE_PREF_SIZE);
        HBox row = new HBox(8, label, count);
        row.setAlignment(javafx.geometry.Pos.CENTER_LEFT);
        ask.getDialogPane().setContent(row);
        ask.getDialogPane().getButtonTypes().addAll(ButtonType.OK, ButtonType.CANCEL);
        ask.getDialogPane().setMinHeight(Region.USE_PREF_SIZE);
        ask.setResultConverter(b -> b == ButtonType.OK ? count.getValue() : null);
        if (owner != null) ask.initOwner(owner);
        return ask.showAndWait();
    }

    // for tests
    DynamicsTable dynamicsTable() {
        return dynamicsTable;
    }

    private void showError(String text) {
        message.setText(text);
        Styles.addStyleClass(message, "error", "info");
    }

    private void showInfo(String text) {
        message.setText(text);
        Styles.addStyleClass(message, "info", "error");
    }
}
