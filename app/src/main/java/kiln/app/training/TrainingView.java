package kiln.app.training;

import atlantafx.base.theme.Styles;
import javafx.application.Platform;
import javafx.beans.binding.Bindings;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.SimpleObjectProperty;
import javafx.collections.ListChangeListener;
import javafx.geometry.Insets;
import javafx.geometry.Orientation;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Alert;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonBar;
import javafx.scene.control.ButtonType;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.SelectionMode;
import javafx.scene.control.Separator;
import javafx.scene.control.Spinner;
import javafx.scene.control.SplitPane;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.TextInputDialog;
import javafx.scene.control.ToolBar;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.scene.paint.Color;
import kiln.app.document.DocumentView;
import kiln.app.document.ProjectDocument;
import kiln.app.document.ViewContext;
import kiln.app.ui.ViewParts;
import kiln.engine.project.Project;
import kiln.engine.project.TrainingSettings;
import kiln.engine.runs.RunFolder;
import kiln.engine.runs.RunRecord;
import kiln.engine.runs.LayerDynamics;
import kiln.engine.runs.TrainingEvent;
import kiln.engine.train.CurveHints;
import kiln.engine.train.LayerHints;
import kiln.engine.train.LabelEncoding;
import kiln.engine.train.RunImport;
import kiln.engine.train.Trainer;
import kiln.engine.train.TrainingSession;
import kiln.engine.util.Progress;
import kiln.widgets.charts.CurveChart;
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
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Training tab: settings, Train/Pause/Stop, live charts, hints and the history of runs. Training runs on
 * the task executor; its events reach this view through an {@link EventRelay}, batched to a few updates per
 * second, with every epoch and the end of the run delivered at once. The project is locked while it trains.
 */
public final class TrainingView implements DocumentView {

    /** Where a run is. */
    public enum State { IDLE, PREPARING, TRAINING, PAUSED, STOPPING }

    /**
     * Per-batch data reaches the UI at most this often. Every UI update repaints and uploads the window, which
     * takes processor time from training on a 2-core machine; once a second keeps the app within a few percent
     * of the command line (docs/performance.md).
     */
    static final long BATCH_UPDATE_MILLIS = 1000;
    /** Weight of the newest batch in the smoothed batch-loss curve. */
    static final double EMA_ALPHA = 0.05;

    private static final Color[] PALETTE = {
        Color.web("#1f77b4"), Color.web("#d62728"), Color.web("#2ca02c"), Color.web("#ff7f0e"),
        Color.web("#9467bd"), Color.web("#8c564b"), Color.web("#e377c2"), Color.web("#17becf")};
    private static final Pattern RUN_NUMBER = Pattern.compile("run-(\\d+)");

    private final ProjectDocument document;
    private final TaskExecutor executor;
    private final javafx.stage.Window owner;
    private final BorderPane root = new BorderPane();
    private final SettingsEditor settings;
    private final CurveChart lossChart;
    private final CurveChart accuracyChart;
    private final CurveChart batchChart;
    private final VBox hints = new VBox(8);
    private final RunComparison runComparison = new RunComparison();
    private final DynamicsTable dynamicsTable = new DynamicsTable();
    private final Label hintsTitle = ViewParts.sectionTitle("Hints");
    private final Label hintsNone = wrapped("", Styles.TEXT_MUTED);
    private final List<VBox> hintBoxes = new ArrayList<>();
    private final TableView<RunRow> runs = new TableView<>();
    private final Label message = new Label();
    private final Label epochLabel = new Label("No run yet");
    private final StatusBar status = new StatusBar();
    private final Button train = new Button("Train");
    private final Button pause = new Button("Pause");
    private final Button stop = new Button("Stop");
    private final Button continueRun = new Button("Continue");
    private final Spinner<Integer> moreEpochs = new Spinner<>(1, 10_000, 2);
    private final Button rename = new Button("Rename…");
    private final Button delete = new Button("Delete…");
    private final Button importRun = new Button("Import run…");
    /** The run to select once the table next lists it (an imported run). */
    private String selectAfterRefresh;
    private final ReadOnlyObjectWrapper<State> state = new ReadOnlyObjectWrapper<>(State.IDLE);
    private final Object endOfRunLoop = new Object();

    // The run in progress (or the last one of this session); touched on the JavaFX thread only.
    private String liveRunId;
    private String liveLabel;
    private final List<TrainingEvent.EpochFinished> liveMetrics = new ArrayList<>();
    /** How the live run's layers learned, per measured epoch, for the layer hints. */
    private final List<LayerDynamics> liveDynamics = new ArrayList<>();
    private final List<TrainingEvent.EpochFinished> liveSessionEpochs = new ArrayList<>();
    private TrainingEvent.Started started;
    private double ema;
    private int emaCount;
    private EventRelay<TrainingEvent> relay;
    private final AtomicReference<Trainer> trainer = new AtomicReference<>();
    private final AtomicBoolean stopRequested = new AtomicBoolean();
    private final AtomicBoolean pauseRequested = new AtomicBoolean();
    private boolean waitingInLoop;
    private boolean disposed;
    private boolean refreshing;
    private String shownHints;

    public TrainingView(ViewContext context) {
        this.document = context.document();
        this.executor = context.executor();
        this.owner = context.owner();
        settings = new SettingsEditor(document);
        lossChart = new CurveChart("Loss per epoch", "Epoch", "Loss", executor);
        lossChart.setShowPoints(true);
        lossChart.setWholeNumberX();
        lossChart.setId("lossChart");
        accuracyChart = new CurveChart("Accuracy per epoch", "Epoch", "Accuracy", executor);
        accuracyChart.setShowPoints(true);
        accuracyChart.setWholeNumberX();
        accuracyChart.setPercentAxis();
        accuracyChart.setId("accuracyChart");
        batchChart = new CurveChart("Loss per batch (smoothed; raw values faint)", "Epoch", "Loss", executor);
        batchChart.setId("batchChart");
        build();
        refreshRuns();
    }

    @Override
    public Node node() {
        return root;
    }

    public ReadOnlyObjectProperty<State> stateProperty() {
        return state.getReadOnlyProperty();
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
        start(null, 0);
    }

    public void pause() {
        if (state.get() != State.TRAINING) return;
        pauseRequested.set(true);
        Trainer t = trainer.get();
        if (t != null) t.pause();
        state.set(State.PAUSED);
        status.setText("Paused at the end of the current batch; press Resume to go on.");
    }

    public void resume() {
        if (state.get() != State.PAUSED) return;
        pauseRequested.set(false);
        Trainer t = trainer.get();
        if (t != null) t.resume();
        state.set(State.TRAINING);
    }

    /** Stops after the batch in progress; the finished epochs stay saved. */
    public void stop() {
        State s = state.get();
        if (s == State.IDLE || s == State.STOPPING) return;
        stopRequested.set(true);
        Trainer t = trainer.get();
        if (t != null) t.stop();
        state.set(State.STOPPING);
        status.setText("Stopping after the current batch…");
    }

    @Override
    public boolean confirmClose() {
        if (state.get() == State.IDLE) return true;
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
        if (state.get() == State.IDLE) return;
        stop();
        waitingInLoop = true;
        Platform.enterNestedEventLoop(endOfRunLoop);
    }

    @Override
    public void dispose() {
        disposed = true;
        Trainer t = trainer.get();
        stopRequested.set(true);
        if (t != null) t.stop();
        if (relay != null) relay.close();
        settings.dispose();
    }

    // ------------------------------------------------------------------ running

    private void start(RunRow continueFrom, int more) {
        if (state.get() != State.IDLE || disposed) return;
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
        showInfo(continueFrom == null ? "" : "Continuing " + continueFrom.label() + " for " + more + " more epoch"
                + (more == 1 ? "" : "s") + ".");
        document.lockedProperty().set(true);
        state.set(State.PREPARING);
        stop.requestFocus(); // out of the settings (now read-only) and no blinking caret repainting the window
        stopRequested.set(false);
        pauseRequested.set(false);
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
        ema = 0;
        emaCount = 0;
        batchChart.update(batchChart::clear);
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
                    return stopRequested.get() || progress.isCancelled();
                }
            };
            TrainingSession.PreparedData data;
            try {
                data = TrainingSession.prepareData(project, folder, limit, cancellable);
            } catch (Progress.CancelledException e) {
                return null;
            }
            if (stopRequested.get()) return null;
            Trainer t = continued == null
                    ? TrainingSession.newRun(project, folder, data, limit, events::offer)
                    : TrainingSession.continueRun(project, continued, data, more, events::offer);
            trainer.set(t);
            // A pause or stop pressed while the data loaded applies from the first batch.
            if (pauseRequested.get()) t.pause();
            if (stopRequested.get()) t.stop();
            return t.run();
        }, end -> runEnded(events, end, null), error -> runEnded(events, null, error));
        handle.messageProperty().addListener((o, a, text) -> {
            if (state.get() == State.PREPARING && text != null && !text.isEmpty()) status.setText(text);
        });
    }

    /** On the JavaFX thread once the training work has returned (or failed before training began). */
    private void runEnded(EventRelay<TrainingEvent> events, TrainingEvent end, Throwable error) {
        events.flush(); // the last events come before the end is shown
        events.close();
        trainer.set(null);
        document.lockedProperty().set(false);
        state.set(State.IDLE);
        status.setProgress(0);
        if (error != null) {
            showError(error instanceof TrainingSession.SetupException ? "Training cannot start:\n" + error.getMessage()
                    : "Training could not start: " + plainMessage(error));
            status.setText("Not trained.");
            epochLabel.setText(liveRunId == null ? "No run" : epochLabel.getText());
        } else if (end == null) {
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

    private static String plainMessage(Throwable e) {
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
    }

    /** Events from the relay, in order, a few times per second at most. */
    private void onEvents(List<TrainingEvent> events) {
        if (disposed) return;
        TrainingEvent.BatchFinished lastBatch = null;
        boolean epochEnded = false;
        boolean runEnded = false;
        int epochsBefore = liveMetrics.size();
        List<double[]> batchPoints = new ArrayList<>();
        for (TrainingEvent e : events) {
            if (e instanceof TrainingEvent.Started s) {
                started = s;
                liveRunId = s.runId();
                if (liveLabel == null) liveLabel = s.runId();
                if (state.get() == State.PREPARING) state.set(pauseRequested.get() ? State.PAUSED : State.TRAINING);
                epochLabel.setText("Epoch " + s.firstEpoch() + " of " + s.lastEpoch());
                status.setText(String.format(Locale.ROOT, "%s: %,d training samples, %d batches per epoch, %d thread%s",
                        s.runId(), s.trainSamples(), s.batchesPerEpoch(), s.threads(), s.threads() == 1 ? "" : "s"));
                refreshRuns();
            } else if (e instanceof TrainingEvent.BatchFinished b) {
                lastBatch = b;
                // Exponential moving average, corrected for starting at 0 so its first values are not too low.
                ema = EMA_ALPHA * b.loss() + (1 - EMA_ALPHA) * ema;
                emaCount++;
                double smoothed = ema / (1 - Math.pow(1 - EMA_ALPHA, emaCount));
                batchPoints.add(new double[] {b.epoch() - 1 + (double) b.batch() / b.batchesPerEpoch(), b.loss(), smoothed});
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
        if (!batchPoints.isEmpty()) {
            String label = liveLabel == null ? "" : liveLabel + " ";
            batchChart.update(() -> {
                CurveChart.Curve raw = batchChart.curve("raw", label + "batch loss", colorOf(liveRunId), CurveChart.Style.FAINT);
                CurveChart.Curve smooth = batchChart.curve("ema", label + "smoothed", colorOf(liveRunId), CurveChart.Style.SOLID);
                for (double[] p : batchPoints) {
                    raw.add(p[0], p[1]);
                    smooth.add(p[0], p[2]);
                }
            });
        }
        if (lastBatch != null && !runEnded && started != null && (state.get() == State.TRAINING || state.get() == State.STOPPING)) {
            showProgress(lastBatch);
        }
        if (epochEnded || liveMetrics.size() != epochsBefore) {
            redrawEpochCharts();
            showHints();
            refreshRuns();
        }
    }

    /** The end of a run in plain words: finished (with the test result), failed (the engine's reason), or stopped. */
    private void showEnd(TrainingEvent e) {
        if (e instanceof TrainingEvent.Finished f) {
            showInfo(String.format(Locale.ROOT, "%s %s: test accuracy %.2f %%, test loss %.4f, best epoch %d, %s.",
                    liveRunId, f.ending() == TrainingEvent.Ending.EARLY_STOPPED
                            ? "stopped early (validation loss stopped improving)" : "finished",
                    100 * f.testAccuracy(), f.testLoss(), f.bestEpoch(), duration(f.seconds())));
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
        epochLabel.setText("Epoch " + b.epoch() + " of " + started.lastEpoch());
        int epochs = started.lastEpoch() - started.firstEpoch() + 1;
        double done = (b.epoch() - started.firstEpoch() + (double) b.batch() / b.batchesPerEpoch()) / epochs;
        status.setProgress(done);
        if (state.get() == State.STOPPING) return;
        status.setText(String.format(Locale.ROOT, "Epoch %d of %d · batch %,d of %,d · %,.0f images/s · %s",
                b.epoch(), started.lastEpoch(), b.batch(), b.batchesPerEpoch(), b.samplesPerSecond(),
                Eta.describe(Eta.secondsLeft(started, b, liveSessionEpochs))));
    }

    // ------------------------------------------------------------------ charts, hints, history

    /** The runs on the charts: the selected ones, and the one training; with nothing selected, the latest. */
    private void redrawEpochCharts() {
        List<RunRow> shown = new ArrayList<>(runs.getSelectionModel().getSelectedItems());
        if (shown.isEmpty() && liveRunId == null && !runs.getItems().isEmpty()) {
            shown.add(runs.getItems().get(runs.getItems().size() - 1));
        }
        record Shown(String id, String label, List<TrainingEvent.EpochFinished> metrics) { }
        List<Shown> all = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        if (liveRunId != null) {
            all.add(new Shown(liveRunId, liveLabel, List.copyOf(liveMetrics)));
            ids.add(liveRunId);
        }
        for (RunRow r : shown) {
            if (r != null && ids.add(r.id())) all.add(new Shown(r.id(), r.label(), r.metrics()));
        }
        all.sort(java.util.Comparator.comparingInt(s -> runNumber(s.id())));
        runComparison.show(List.copyOf(runs.getSelectionModel().getSelectedItems()), TrainingView::colorOf);
        lossChart.update(() -> accuracyChart.update(() -> {
            lossChart.clear();
            accuracyChart.clear();
            for (Shown s : all) draw(s.id(), s.label(), s.metrics());
        }));
    }

    private void draw(String id, String label, List<TrainingEvent.EpochFinished> metrics) {
        Color c = colorOf(id);
        CurveChart.Curve trainLoss = lossChart.curve(id + "/train", label + " training", c, CurveChart.Style.SOLID);
        CurveChart.Curve valLoss = lossChart.curve(id + "/val", label + " validation", c, CurveChart.Style.DASHED);
        CurveChart.Curve trainAcc = accuracyChart.curve(id + "/train", label + " training", c, CurveChart.Style.SOLID);
        CurveChart.Curve valAcc = accuracyChart.curve(id + "/val", label + " validation", c, CurveChart.Style.DASHED);
        for (TrainingEvent.EpochFinished e : metrics) {
            addFinite(trainLoss, e.epoch(), e.trainLoss());
            addFinite(valLoss, e.epoch(), e.validationLoss());
            addFinite(trainAcc, e.epoch(), e.trainAccuracy());
            addFinite(valAcc, e.epoch(), e.validationAccuracy());
        }
    }

    private static void addFinite(CurveChart.Curve curve, double x, double y) {
        if (Double.isFinite(y)) curve.add(x, y);
    }

    private void showHints() {
        String label;
        List<TrainingEvent.EpochFinished> metrics;
        List<LayerDynamics> dynamics;
        List<RunRow> selected = runs.getSelectionModel().getSelectedItems();
        if (liveRunId != null && (state.get() != State.IDLE || selected.isEmpty())) {
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
        List<CurveHints.Hint> found = new ArrayList<>(CurveHints.of(metrics, classCount()));
        found.addAll(LayerHints.of(dynamics));
        dynamicsTable.show(label, dynamics);
        String key = label + "|" + metrics.size() + "|" + found;
        if (key.equals(shownHints)) return; // nothing new: keep the UI thread free
        shownHints = key;
        // Texts change in place on nodes made once, so an epoch's end adds no new nodes to style and lay out.
        hintsTitle.setText(label == null ? "Hints" : "Hints for " + label);
        hintsNone.setText(!found.isEmpty() ? "" : metrics.size() < 3
                ? "Hints appear here once a few epochs have finished: overfitting, a flat or exploding loss, "
                + "accuracy stuck at chance, and layers that stop learning."
                : "Nothing unusual in these curves.");
        hintsNone.setVisible(found.isEmpty());
        hintsNone.setManaged(found.isEmpty());
        for (int i = 0; i < hintBoxes.size(); i++) {
            VBox box = hintBoxes.get(i);
            boolean shown = i < found.size();
            box.setVisible(shown);
            box.setManaged(shown);
            if (!shown) continue;
            CurveHints.Hint h = found.get(i);
            ((Label) box.getChildren().get(0)).setText(h.title());
            ((Label) box.getChildren().get(1)).setText(h.text());
            Styles.addStyleClass(box, h.kind() == CurveHints.Kind.STILL_IMPROVING ? "good" : "warning", "good", "warning");
        }
    }

    private int classCount() {
        return LabelEncoding.of(document.project().graph()).map(LabelEncoding::classCount).orElse(0);
    }

    private void refreshRuns() {
        Path folder = document.folder();
        if (folder == null || disposed) return;
        executor.submit("Reading runs", p -> RunRow.readAll(folder), rows -> {
            if (disposed) return;
            javafx.collections.ObservableList<RunRow> items = runs.getItems();
            boolean sameRuns = items.size() == rows.size();
            for (int i = 0; sameRuns && i < rows.size(); i++) sameRuns = items.get(i).id().equals(rows.get(i).id());
            if (sameRuns) {
                // Replace only the rows that changed: the selection stays and the UI thread does little.
                refreshing = true;
                for (int i = 0; i < rows.size(); i++) {
                    if (!items.get(i).equals(rows.get(i))) items.set(i, rows.get(i));
                }
                refreshing = false;
            } else {
                Set<String> selected = new HashSet<>();
                runs.getSelectionModel().getSelectedItems().forEach(r -> {
                    if (r != null) selected.add(r.id());
                });
                if (selectAfterRefresh != null) {
                    selected.clear();
                    selected.add(selectAfterRefresh);
                    selectAfterRefresh = null;
                }
                refreshing = true;
                items.setAll(rows);
                for (int i = 0; i < rows.size(); i++) {
                    if (selected.contains(rows.get(i).id())) runs.getSelectionModel().select(i);
                }
                refreshing = false;
            }
            kiln.widgets.util.TableColumns.fitCells(runs);
            redrawEpochCharts();
            showHints();
        }, error -> showError("The runs of this project cannot be listed: " + plainMessage(error)));
    }

    private boolean isLive(RunRow r) {
        return state.get() != State.IDLE && r.id().equals(liveRunId);
    }

    private void renameSelected() {
        RunRow r = runs.getSelectionModel().getSelectedItem();
        if (r == null || r.record() == null) return;
        if (isLive(r)) {
            showError(r.id() + " is training; rename it when it has finished.");
            return;
        }
        TextInputDialog ask = new TextInputDialog(r.record().name() == null ? "" : r.record().name());
        ask.setTitle("Rename run");
        ask.setHeaderText("A name for " + r.id() + " (empty to go back to \"" + r.id() + "\")");
        if (owner != null) ask.initOwner(owner);
        ask.showAndWait().ifPresent(name -> renameRun(r, name));
    }

    /** Stores the display name in the run's run.json (off the JavaFX thread). */
    void renameRun(RunRow r, String name) {
        executor.submit("Renaming " + r.id(), p -> r.folder().rename(name), record -> {
            if (r.id().equals(liveRunId)) liveLabel = new RunRow(r.folder(), record, List.of(), List.of(), null).label();
            refreshRuns();
        }, error -> showError("Could not rename " + r.id() + ": " + plainMessage(error)));
    }

    private void deleteSelected() {
        List<RunRow> chosen = List.copyOf(runs.getSelectionModel().getSelectedItems());
        if (chosen.isEmpty()) return;
        if (chosen.stream().anyMatch(this::isLive)) {
            showError(liveRunId + " is training; stop it before deleting it.");
            return;
        }
        String names = String.join(", ", chosen.stream().map(RunRow::label).toList());
        ButtonType deleteButton = new ButtonType("Delete", ButtonBar.ButtonData.OK_DONE);
        Alert ask = new Alert(Alert.AlertType.CONFIRMATION, "Delete " + names + " with their metrics and saved weights? "
                + "This cannot be undone.", deleteButton, ButtonType.CANCEL);
        ask.setHeaderText("Delete " + (chosen.size() == 1 ? "run" : chosen.size() + " runs"));
        if (owner != null) ask.initOwner(owner);
        if (ask.showAndWait().orElse(ButtonType.CANCEL) == deleteButton) deleteRuns(chosen);
    }

    void deleteRuns(List<RunRow> chosen) {
        executor.submit("Deleting runs", p -> {
            for (RunRow r : chosen) r.folder().delete();
            return chosen.size();
        }, n -> {
            if (chosen.stream().anyMatch(r -> r.id().equals(liveRunId))) {
                liveRunId = null;
                liveMetrics.clear();
                liveDynamics.clear();
                document.layerDynamicsProperty().set(List.of());
                batchChart.update(batchChart::clear);
            }
            runs.getSelectionModel().clearSelection();
            refreshRuns();
        }, error -> {
            showError("Could not delete every run: " + plainMessage(error));
            refreshRuns();
        });
    }

    private void chooseRunToImport() {
        if (document.folder() == null) {
            showError("Save the project first; an imported run is kept in the project's folder.");
            return;
        }
        javafx.stage.DirectoryChooser chooser = new javafx.stage.DirectoryChooser();
        chooser.setTitle("Choose the run folder train.py wrote (run/ in the PyTorch training folder)");
        java.io.File chosen = chooser.showDialog(owner);
        if (chosen != null) importRun(chosen.toPath());
    }

    /** Checks and copies a run trained with an exported train.py into the project, off the JavaFX thread. */
    void importRun(Path source) {
        Path folder = document.folder();
        var project = document.project();
        executor.submit("Importing a run", p -> RunImport.importRun(project, folder, source), run -> {
            showInfo("Imported " + source.getFileName() + " as " + run.id() + ".");
            selectAfterRefresh = run.id(); // its curves go on the charts
            refreshRuns();
        }, error -> {
            String text = error instanceof RunImport.RefusedException ? error.getMessage() : plainMessage(error);
            showError("Not imported: " + text);
            Alert alert = new Alert(Alert.AlertType.ERROR, text, ButtonType.OK);
            alert.setTitle("Import run");
            alert.setHeaderText("This folder cannot become a run of " + project.name());
            alert.getDialogPane().setMinHeight(Region.USE_PREF_SIZE);
            if (owner != null) alert.initOwner(owner);
            alert.show();
        });
    }

    private void continueSelected() {
        RunRow r = runs.getSelectionModel().getSelectedItem();
        if (r == null || r.record() == null) return;
        if (r.record().epochsCompleted() == 0) {
            showError(r.label() + " has no finished epoch to continue from; start a new run instead.");
            return;
        }
        start(r, moreEpochs.getValue());
    }

    // ------------------------------------------------------------------ layout

    private void build() {
        train.setId("trainButton");
        train.setDefaultButton(false);
        train.setOnAction(e -> startTraining());
        train.getStyleClass().add(Styles.TEXT_BOLD);
        pause.setId("pauseButton");
        pause.setOnAction(e -> {
            if (state.get() == State.PAUSED) resume();
            else pause();
        });
        stop.setId("stopButton");
        stop.setOnAction(e -> stop());
        train.disableProperty().bind(state.isNotEqualTo(State.IDLE));
        pause.disableProperty().bind(state.isNotEqualTo(State.TRAINING).and(state.isNotEqualTo(State.PAUSED)));
        pause.textProperty().bind(Bindings.when(state.isEqualTo(State.PAUSED)).then("Resume").otherwise("Pause"));
        stop.disableProperty().bind(state.isEqualTo(State.IDLE).or(state.isEqualTo(State.STOPPING)));
        train.setTooltip(new Tooltip("Check the project and train a new run with these settings."));
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
        findRate.disableProperty().bind(state.isNotEqualTo(State.IDLE));
        findRate.setOnAction(e -> new LearningRateDialog(new ViewContext(document, executor, owner)).show());
        ToolBar bar = new ToolBar(train, pause, stop, new Separator(Orientation.VERTICAL), findRate,
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
        left.setMinWidth(260);

        GridPane charts = new GridPane();
        charts.setHgap(6);
        charts.setVgap(6);
        charts.setPadding(new Insets(6));
        charts.add(lossChart, 0, 0);
        charts.add(accuracyChart, 1, 0);
        charts.add(batchChart, 0, 1, 2, 1);
        for (CurveChart c : List.of(lossChart, accuracyChart, batchChart)) {
            GridPane.setHgrow(c, Priority.ALWAYS);
            GridPane.setVgrow(c, Priority.ALWAYS);
            c.setPrefSize(420, 260);
        }
        hints.setId("hints");
        hints.getChildren().addAll(hintsTitle, hintsNone);
        for (int i = 0; i < CurveHints.Kind.values().length; i++) {
            Label head = wrapped("", Styles.TEXT_BOLD);
            head.getStyleClass().add("hint-title");
            VBox box = new VBox(3, head, wrapped(""));
            box.getStyleClass().add("hint-box");
            box.setVisible(false);
            box.setManaged(false);
            hintBoxes.add(box);
            hints.getChildren().add(box);
        }
        hints.setPadding(new Insets(10));
        hints.setPrefWidth(250);
        ScrollPane hintsScroll = new ScrollPane(new VBox(runComparison, hints));
        hintsScroll.setFitToWidth(true);
        hintsScroll.setPrefWidth(260);
        hintsScroll.setMinWidth(200);
        BorderPane chartsAndHints = new BorderPane(charts);
        chartsAndHints.setRight(hintsScroll);

        javafx.scene.control.TabPane runsAndLayers = new javafx.scene.control.TabPane(
                new javafx.scene.control.Tab("Runs", runsPane()), new javafx.scene.control.Tab("Layers", dynamicsTable));
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

    private Node runsPane() {
        runs.setId("runsTable");
        runs.setFixedCellSize(26); // rows need not be measured one by one
        runs.getSelectionModel().setSelectionMode(SelectionMode.MULTIPLE);
        runs.setPlaceholder(new Label("No runs yet. Each run you train is kept here with its settings and curves."));
        runs.getColumns().add(column("Run", RunRow::label, 150));
        runs.getColumns().add(column("Status", r -> r.problem() != null ? "damaged: " + r.problem()
                : r.record().status().replace('_', ' '), 95));
        runs.getColumns().add(column("Epochs", r -> r.record() == null ? "" : Integer.toString(r.record().epochsCompleted()), 60));
        runs.getColumns().add(column("Best val. loss", r -> r.record() == null ? "" : number(r.record().bestValidationLoss(), "%.4f"), 105));
        runs.getColumns().add(column("Val. accuracy", r -> r.metrics().isEmpty() ? ""
                : number(100 * r.metrics().get(r.metrics().size() - 1).validationAccuracy(), "%.2f %%"), 105));
        runs.getColumns().add(column("Test accuracy", r -> r.record() == null ? "" : number(100 * r.record().testAccuracy(), "%.2f %%"), 105));
        runs.getColumns().add(column("Duration", r -> r.record() == null ? "" : duration(r.record().seconds()), 80));
        runs.getColumns().add(column("Trainable params", r -> r.record() == null || r.record().trainableParams() == null ? ""
                : String.format(Locale.ROOT, "%,d", r.record().trainableParams()), 120));
        runs.getColumns().add(column("Weights from", RunRow::weightsFrom, 150));
        runs.getColumns().add(column("Settings", r -> r.record() == null ? "" : describe(r.record()), 330));
        runs.getColumns().add(column("Started", r -> r.record() == null ? "" : r.record().started().replace('T', ' ').replace("Z", ""), 140));
        runs.getSelectionModel().getSelectedItems().addListener((ListChangeListener<RunRow>) c -> {
            if (refreshing) return; // the refresh redraws once when it has put the selection back
            redrawEpochCharts();
            showHints();
        });

        continueRun.setId("continueButton");
        moreEpochs.setId("moreEpochs");
        moreEpochs.setPrefWidth(80);
        moreEpochs.setEditable(true);
        rename.setId("renameButton");
        delete.setId("deleteButton");
        continueRun.setOnAction(e -> continueSelected());
        rename.setOnAction(e -> renameSelected());
        delete.setOnAction(e -> deleteSelected());
        importRun.setId("importRunButton");
        importRun.setOnAction(e -> chooseRunToImport());
        importRun.setTooltip(new Tooltip("Bring in a run trained with PyTorch from File → Export → PyTorch training folder."));
        var selection = runs.getSelectionModel().getSelectedItems();
        continueRun.disableProperty().bind(Bindings.createBooleanBinding(() -> selection.size() != 1
                || state.get() != State.IDLE || selection.get(0) == null || selection.get(0).record() == null
                || selection.get(0).record().epochsCompleted() == 0, selection, state));
        rename.disableProperty().bind(Bindings.size(selection).isNotEqualTo(1));
        delete.disableProperty().bind(Bindings.isEmpty(selection));
        continueRun.setTooltip(new Tooltip("Train the selected run further from its last saved epoch, with its own settings."));
        Label title = new Label("Runs");
        title.getStyleClass().add(Styles.TEXT_BOLD);
        Label compare = new Label("Select two or more runs (Ctrl/Shift-click) to compare their curves.");
        compare.getStyleClass().add(Styles.TEXT_MUTED);
        Label more = new Label("more epochs");
        // the buttons keep their words; the hint wraps into the room that is left
        for (Region r : List.of(title, continueRun, moreEpochs, more, rename, delete, importRun)) r.setMinWidth(Region.USE_PREF_SIZE);
        compare.setWrapText(true);
        compare.setMinWidth(120);
        compare.setMinHeight(Region.USE_PREF_SIZE);
        HBox actions = new HBox(6, title, compare, ViewParts.spacer(), continueRun, moreEpochs, more,
                new Separator(Orientation.VERTICAL), rename, delete, new Separator(Orientation.VERTICAL), importRun);
        actions.setAlignment(Pos.CENTER_LEFT);
        actions.setPadding(new Insets(4, 6, 4, 6));
        VBox box = new VBox(actions, runs);
        VBox.setVgrow(runs, Priority.ALWAYS);
        return box;
    }

    // for tests
    DynamicsTable dynamicsTable() {
        return dynamicsTable;
    }

    private static TableColumn<RunRow, String> column(String title, Function<RunRow, String> value, double width) {
        TableColumn<RunRow, String> c = new TableColumn<>(title);
        c.setCellValueFactory(cell -> new SimpleObjectProperty<>(value.apply(cell.getValue())));
        kiln.widgets.util.TableColumns.atLeast(c, width);
        return c;
    }

    private static String describe(RunRecord r) {
        TrainingSettings s = r.settings();
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%s lr %s (%s), batch %d, %d epochs",
                s.optimizer(), SettingsEditor.plain(s.learningRate()), s.schedule(), s.batchSize(), s.epochs()));
        if (s.l2() > 0) sb.append(", L2 ").append(SettingsEditor.plain(s.l2()));
        if (s.patience() > 0) sb.append(", patience ").append(s.patience());
        sb.append(", seed ").append(s.seed());
        if (r.limitTrain() > 0) sb.append(String.format(Locale.ROOT, ", first %,d samples", r.limitTrain()));
        return sb.toString();
    }

    private static String number(double v, String format) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, format, v) : "–";
    }

    private static String duration(double seconds) {
        if (!Double.isFinite(seconds)) return "–";
        long s = Math.round(seconds);
        return s < 60 ? s + " s" : s < 3600 ? s / 60 + " min " + s % 60 + " s" : s / 3600 + " h " + (s % 3600) / 60 + " min";
    }

    private static Label wrapped(String text, String... styleClasses) {
        Label l = new Label(text);
        l.setWrapText(true);
        l.setMaxWidth(230);
        l.getStyleClass().addAll(styleClasses);
        return l;
    }

    private void showError(String text) {
        message.setText(text);
        Styles.addStyleClass(message, "error", "info");
    }

    private void showInfo(String text) {
        message.setText(text);
        Styles.addStyleClass(message, "info", "error");
    }

    private static int runNumber(String runId) {
        Matcher m = RUN_NUMBER.matcher(runId == null ? "" : runId);
        return m.matches() ? Integer.parseInt(m.group(1)) : 0;
    }

    /** A run keeps its colour on every chart and in every comparison. */
    private static Color colorOf(String runId) {
        return PALETTE[Math.floorMod(runNumber(runId) - 1, PALETTE.length)];
    }
}
