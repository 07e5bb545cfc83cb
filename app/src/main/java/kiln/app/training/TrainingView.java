package kiln.app.training;

import atlantafx.base.theme.Styles;
import javafx.application.Platform;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.geometry.Orientation;
import javafx.scene.Node;
import javafx.scene.control.Alert;
import javafx.scene.control.ButtonBar;
import javafx.scene.control.ButtonType;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.SplitPane;
import javafx.scene.control.ToolBar;
import javafx.scene.layout.BorderPane;
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
    private final TrainingToolbar toolbar;
    private final Label epochLabel;
    private final StatusBar status = new StatusBar();
    private final RunsPane runsPane;
    /** The run to select once the table next lists it (an imported run). */
    private String selectAfterRefresh;
    /** What the view shows of the run's state; changed on the JavaFX thread only, through {@link #moveTo}. */
    private final ReadOnlyObjectWrapper<RunState> state = new ReadOnlyObjectWrapper<>(RunState.IDLE);
    /** The same state for the training thread, which asks it whether to stop or pause. */
    private volatile RunState runState = RunState.IDLE;
    private final Object endOfRunLoop = new Object();

    // The run in progress (or the last one of this session); touched on the JavaFX thread only.
    private final LiveRun live = new LiveRun();
    private EventRelay<TrainingEvent> relay;
    private final AtomicReference<Trainer> trainer = new AtomicReference<>();
    private boolean waitingInLoop;
    /** The repeat or cross-validation under way (or last run), null for a single run; set on the JavaFX thread. */
    private volatile GroupProgress group;
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
        toolbar = new TrainingToolbar(state.getReadOnlyProperty(), document.lockedProperty(),
                () -> document.project().training().seed(), owner, new TrainingToolbar.Actions(this::startTraining,
                this::pauseOrResume, this::stop, this::startRepeat,
                this::startCrossValidation, () -> new LearningRateDialog(new ViewContext(document, executor, owner)).show(),
                () -> new SweepDialog(new ViewContext(document, executor, owner), this::refreshRuns).show()));
        epochLabel = toolbar.epochLabel();
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

    /** Trains the project's run {@code seeds} times, with its seed, seed + 1, …, one run after another. */
    public void startRepeat(int seeds) {
        String problem = GroupTraining.checkRepeat(seeds);
        if (problem != null) {
            showError("Cannot repeat: " + problem + ".");
            return;
        }
        start(null, 0, GroupProgress.repeat(seeds, document.project().training().seed()));
    }

    /** k-fold cross-validation: one run per fold of the pooled training and validation data, the test split left out. */
    public void startCrossValidation(int folds) {
        start(null, 0, GroupProgress.crossValidation(folds, document.project().training().seed()));
    }

    private void pauseOrResume() {
        if (runState == RunState.PAUSED) resume();
        else pause();
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
        if (group != null) group.stop();
        status.setText(group == null ? "Stopping after the current batch…"
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
        if (group != null) group.stop();
        if (relay != null) relay.close();
        settings.dispose();
    }

    // ------------------------------------------------------------------ running

    /** What the training work returns: the last run's end, and for a group how the group ended. */
    private record Ended(TrainingEvent end, GroupTraining.Outcome outcome) { }

    private void start(RunRow continueFrom, int more, GroupProgress plan) {
        if (runState.isActive() || disposed) return;
        if (document.lockedProperty().get()) {
            showError("Another training holds the project (a sweep): wait for it to end, or stop it in its window.");
            return;
        }
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
        group = plan;
        showInfo(plan != null ? plan.startMessage() : continueFrom == null ? "" : "Continuing " + continueFrom.label() + " for " + more + " more epoch"
                + (more == 1 ? "" : "s") + ".");
        document.lockedProperty().set(true);
        moveTo(RunState.PREPARING);
        toolbar.focusStop();
        trainer.set(null);
        live.prepare(continueFrom);
        document.layerDynamicsProperty().set(List.copyOf(live.dynamics()));
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
    private Ended runGroup(GroupProgress plan, Project project, Path folder, int limit, Progress progress,
                           EventRelay<TrainingEvent> events) throws Exception {
        GroupTraining g;
        try {
            g = plan.prepare(project, folder, limit, progress);
        } catch (Progress.CancelledException e) {
            return null;
        }
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

    /** On the training thread: whether the student (or closing the tab) asked the run to stop. */
    private boolean stopRequested() {
        return runState == RunState.STOPPING || disposed;
    }

    /** On the JavaFX thread once the training work has returned (or failed before training began). */
    private void runEnded(EventRelay<TrainingEvent> events, Ended ended, Throwable error) {
        events.flush(); // the last events come before the end is shown
        events.close();
        trainer.set(null);
        document.lockedProperty().set(false);
        TrainingEvent end = ended == null ? null : ended.end();
        GroupTraining.Outcome outcome = ended == null ? null : ended.outcome();
        boolean finished = outcome != null ? outcome.complete() : end instanceof TrainingEvent.Finished;
        moveTo(error != null || end instanceof TrainingEvent.Failed ? RunState.FAILED
                : finished ? RunState.FINISHED : RunState.CANCELLED);
        if (outcome != null) show(GroupProgress.ending(outcome));
        status.setProgress(0);
        if (error != null) {
            showError(error instanceof TrainingSession.SetupException ? "Training cannot start:\n" + error.getMessage()
                    : "Training could not start: " + RunsPane.plainMessage(error));
            status.setText("Not trained.");
            epochLabel.setText(live.id() == null ? "No run" : epochLabel.getText());
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
        int epochsBefore = live.metrics().size();
        List<TrainingEvent.BatchFinished> batches = new ArrayList<>();
        for (TrainingEvent e : events) {
            if (e instanceof TrainingEvent.Started s) {
                if (group != null) {
                    batches.clear(); // the last batches of the run before belong to its own curve, now cleared
                    group.runStarted();
                    document.layerDynamicsProperty().set(List.of());
                    charts.clearBatches();
                }
                live.started(s, group != null);
                if (runState == RunState.PREPARING) moveTo(RunState.TRAINING);
                epochLabel.setText(groupPrefix() + "Epoch " + s.firstEpoch() + " of " + s.lastEpoch());
                status.setText(String.format(Locale.ROOT, "%s: %,d training samples, %d batches per epoch, %d thread%s",
                        s.runId(), s.trainSamples(), s.batchesPerEpoch(), s.threads(), s.threads() == 1 ? "" : "s"));
                refreshRuns();
            } else if (e instanceof TrainingEvent.BatchFinished b) {
                lastBatch = b;
                batches.add(b);
            } else if (e instanceof TrainingEvent.LayersMeasured m) {
                live.measured(m);
                document.layerDynamicsProperty().set(List.copyOf(live.dynamics()));
            } else if (e instanceof TrainingEvent.PhaseChanged phase) {
                showInfo(phase.message()); // the run's end message replaces it
            } else if (e instanceof TrainingEvent.EpochFinished ep) {
                live.epochFinished(ep);
                epochEnded = true;
            } else if (e instanceof TrainingEvent.Finished || e instanceof TrainingEvent.Failed
                    || e instanceof TrainingEvent.Cancelled) {
                runEnded = true;
                showEnd(e);
            }
        }
        charts.addBatches(live.id(), live.label(), batches);
        if (lastBatch != null && !runEnded && live.started() != null && (runState == RunState.TRAINING || runState == RunState.STOPPING)) {
            showProgress(lastBatch);
        }
        if (epochEnded || live.metrics().size() != epochsBefore) {
            redrawEpochCharts();
            showHints();
            refreshRuns();
        }
    }

    /** "Fold 2 of 5 · " while a group trains, else nothing. */
    private String groupPrefix() {
        return group == null ? "" : group.prefix();
    }

    /** The end of a run in plain words: finished (with the test result), failed (the engine's reason), or stopped. */
    private void showEnd(TrainingEvent e) {
        show(e instanceof TrainingEvent.Finished f && group != null ? group.runFinished(live.id(), f)
                : RunEnd.of(e, live.id(), live.metrics().size(), document.project().data().numericTarget()));
    }

    private void show(RunEnd end) {
        if (end == null) return;
        if (end.failed()) showError(end.message());
        else showInfo(end.message());
        if (end.epochLabel() != null) epochLabel.setText(end.epochLabel());
        if (end.status() != null) status.setText(end.status());
    }

    private void showProgress(TrainingEvent.BatchFinished b) {
        TrainingEvent.Started started = live.started();
        epochLabel.setText(groupPrefix() + "Epoch " + b.epoch() + " of " + started.lastEpoch());
        double done = live.done(b);
        status.setProgress(group == null ? done : group.done(done));
        if (runState == RunState.STOPPING) return;
        double left = group == null ? Eta.secondsLeft(started, b, live.sessionEpochs())
                : group.secondsLeft(started, b, live.sessionEpochs());
        status.setText(String.format(Locale.ROOT, "%sEpoch %d of %d · batch %,d of %,d · %,.0f images/s · %s",
                groupPrefix(), b.epoch(), started.lastEpoch(), b.batch(), b.batchesPerEpoch(), b.samplesPerSecond(),
                Eta.describe(left)));
    }

    // ------------------------------------------------------------------ charts, hints, history

    /** The runs on the charts: the selected ones, and the one training; with nothing selected, the latest. */
    private void redrawEpochCharts() {
        List<RunRow> shown = new ArrayList<>(runs.getSelectionModel().getSelectedItems());
        if (shown.isEmpty() && live.id() == null && !runs.getItems().isEmpty()) {
            shown.add(runs.getItems().get(runs.getItems().size() - 1));
        }
        List<TrainingCharts.Shown> all = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        if (live.id() != null) {
            all.add(new TrainingCharts.Shown(live.id(), live.label(), List.copyOf(live.metrics())));
            ids.add(live.id());
        }
        for (RunRow r : shown) {
            if (r != null && ids.add(r.id())) all.add(new TrainingCharts.Shown(r.id(), r.label(), r.metrics()));
        }
        List<RunRow> selected = List.copyOf(runs.getSelectionModel().getSelectedItems());
        runComparison.show(selected, TrainingCharts::colorOf, groups);
        runsPane.showGroups(groups, selected.isEmpty() ? null : selected.get(selected.size() - 1));
        charts.showScoreAs(document.project().data().numericTarget());
        charts.showEpochs(all);
    }

    private void showHints() {
        String label;
        List<TrainingEvent.EpochFinished> metrics;
        List<LayerDynamics> dynamics;
        List<RunRow> selected = runs.getSelectionModel().getSelectedItems();
        if (live.id() != null && (runState.isActive() || selected.isEmpty())) {
            label = live.label();
            metrics = live.metrics();
            dynamics = live.dynamics();
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

    /** For the hints' chance level; 0 (unknown) for a number to predict, whose score is R², not accuracy. */
    private int classCount() {
        if (document.project().data().numericTarget()) return 0;
        return LabelEncoding.of(document.project().graph()).map(LabelEncoding::classCount).orElse(0);
    }

    private void refreshRuns() {
        Path folder = document.folder();
        if (folder == null || disposed) return;
        executor.submit("Reading runs", p -> RunRow.readAll(folder), rows -> {
            if (disposed) return;
            String select = selectAfterRefresh;
            selectAfterRefresh = null;
            runs.showScoresOfNumbers(document.project().data().numericTarget());
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
                return runState.isActive() && live.is(r.id());
            }

            @Override
            public void continueRun(RunRow r, int moreEpochs) {
                start(r, moreEpochs, null);
            }

            @Override
            public void renamed(RunRow r, RunRecord record) {
                if (live.is(r.id())) live.renamed(new RunRow(r.folder(), record, List.of(), List.of(), null).label());
                refreshRuns();
            }

            @Override
            public void deleted(List<RunRow> chosen) {
                if (chosen.stream().anyMatch(r -> live.is(r.id()))) {
                    live.forget();
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
        ToolBar bar = toolbar;
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
