package kiln.app.eval;

import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import kiln.app.document.DocumentView;
import kiln.app.document.ViewContext;
import kiln.engine.eval.Evaluation;
import kiln.engine.eval.Evaluator;
import kiln.engine.eval.RegressionEvaluation;
import kiln.engine.eval.TrainedModel;
import kiln.widgets.eval.ConfusionMatrixView;
import kiln.widgets.eval.DrawingPad;
import kiln.widgets.eval.ImageGallery;
import kiln.widgets.eval.ProbabilityBars;
import kiln.widgets.tasks.TaskHandle;

import java.nio.file.Path;

/**
 * The Evaluation tab: how a trained run does on the test split (metrics table, confusion matrix whose cells
 * list their samples, the most confident mistakes) and "Try it" (draw a digit, drop an image or type a row,
 * and see the class probabilities and a saliency map). Try it loads the chosen run by itself when it is shown,
 * so drawing needs no evaluation first. Loading, evaluation and inference run on the executor; a newer input
 * cancels the inference still running for an older one.
 */
public final class EvaluationView implements DocumentView {

    static final int GALLERY_LIMIT = TestResultsPane.GALLERY_LIMIT;

    private final ViewContext context;
    private final BorderPane root = new BorderPane();
    private final RunChooser runChooser;
    private final Button evaluate = new Button("Evaluate");
    private final Button cancel = new Button("Cancel");
    private final ProgressBar progress = new ProgressBar(0);
    private final Label status = new Label();

    private final TestResultsPane results;
    private final RegressionResultsPane numbers;
    private final Tab metricsTab;
    private final UnitExplorer unitExplorer;
    private final TryItPane tryIt;
    private final Tab tryItTab;

    private TaskHandle evaluation;
    private TaskHandle loading;
    /** The run and weights Try it shows ("run-2 BEST"), and the ones it is loading. */
    private String tryItKey;
    private String loadingKey;
    /** A run that ends while this view is open is listed at once (the project unlocks when a run ends). */
    private final javafx.beans.value.ChangeListener<Boolean> runEnded = (o, was, locked) -> {
        if (was && !locked) runsChanged();
    };

    public EvaluationView(ViewContext context) {
        this.context = context;
        this.runChooser = new RunChooser(context.document(), context.executor(), true);
        tryIt = new TryItPane(context.executor(), context.owner(), status::setText);
        results = new TestResultsPane(context.executor(), saved -> {
            // Try it judges by the saved threshold too, when it shows the same run and weights
            if (tryIt.model() != null && tryIt.model().run() != null && saved.run() != null
                    && tryIt.model().run().id().equals(saved.run().id()) && tryIt.model().weights() == saved.weights()
                    && tryIt.model().epoch() == saved.epoch()) {
                tryIt.show(saved);
            }
        });
        numbers = new RegressionResultsPane(context.executor());
        unitExplorer = new UnitExplorer(context, runChooser, key -> key.equals(tryItKey) ? tryIt.model() : null);
        tryItTab = new Tab("Try it", tryIt);
        evaluate.setId("evaluateButton");
        evaluate.setDefaultButton(true);
        evaluate.setOnAction(e -> evaluate());
        cancel.setOnAction(e -> {
            if (evaluation != null) evaluation.cancel();
        });
        cancel.setVisible(false);
        progress.setVisible(false);
        progress.setPrefWidth(160);
        progress.managedProperty().bind(progress.visibleProperty());
        cancel.managedProperty().bind(cancel.visibleProperty());
        status.setId("evaluationStatus");
        HBox bar = new HBox(10, runChooser, evaluate, progress, cancel, status);
        bar.setAlignment(Pos.CENTER_LEFT);
        bar.setPadding(new Insets(8, 10, 8, 10));
        root.setTop(bar);

        Tab exciteTab = new Tab("What excites a unit", unitExplorer);
        exciteTab.selectedProperty().addListener((o, was, selected) -> {
            if (selected) unitExplorer.refreshLayers();
        });
        metricsTab = new Tab("Metrics", results);
        TabPane tabs = new TabPane(metricsTab, tryItTab, exciteTab);
        tabs.setTabClosingPolicy(TabPane.TabClosingPolicy.UNAVAILABLE);
        tabs.setId("evaluationTabs");
        root.setCenter(tabs);
        tryIt.showNote(hint("Train the network first: its runs appear here, and you can try them out."));
        status.setText("Train the network first: its runs appear here.");
        runChooser.refresh(() -> {
            if (runChooser.run() != null && !status.textProperty().isBound()) status.setText(EVALUATE_HINT);
        });
        tryItTab.selectedProperty().addListener((o, was, selected) -> {
            if (selected) loadForTryIt();
        });
        runChooser.setOnChange(() -> {
            if (tryItTab.isSelected()) loadForTryIt();
        });
        context.document().lockedProperty().addListener(runEnded);
    }

    @Override
    public Node node() {
        return root;
    }

    @Override
    public void dispose() {
        context.document().lockedProperty().removeListener(runEnded);
        for (TaskHandle h : new TaskHandle[] {evaluation, loading}) if (h != null) h.cancel();
        tryIt.cancel();
        results.cancel();
        unitExplorer.dispose();
    }

    private static final String EVALUATE_HINT = "Press Evaluate to measure the run on the test split, or open Try it to draw.";

    private String chosenKey() {
        return runChooser.run() + " " + runChooser.weights();
    }

    /** Loads the chosen run's network for Try it in the background, unless Try it shows it already. */
    private void loadForTryIt() {
        String run = runChooser.run();
        Path folder = context.document().folder();
        if (run == null || folder == null) {
            tryIt.showNote(hint("Train the network first: its runs appear here, and you can try them out."));
            return;
        }
        String key = chosenKey();
        if (key.equals(tryItKey) || key.equals(loadingKey)) return;
        if (loading != null) loading.cancel();
        TrainedModel.Weights weights = runChooser.weights();
        var project = context.document().project();
        Label what = hint("Loading " + run + " (" + (weights == TrainedModel.Weights.BEST ? "best" : "last") + " epoch) …");
        ProgressBar bar = new ProgressBar(0);
        bar.setPrefWidth(240);
        tryIt.showNote(what, bar);
        loadingKey = key;
        TaskHandle handle = context.executor().submit("Loading " + run, p -> TrainedModel.load(project, folder, run, weights, p),
                model -> {
                    if (!key.equals(loadingKey)) return; // the student chose another run meanwhile
                    loadingKey = null;
                    if (!key.equals(tryItKey)) useForTryIt(model, key);
                },
                error -> {
                    if (!key.equals(loadingKey)) return;
                    loadingKey = null;
                    tryIt.showNote(hint(error instanceof TrainedModel.UnavailableException ? error.getMessage()
                            : "Could not load " + run + ": " + error.getMessage()));
                });
        loading = handle;
        if (handle.runningProperty().get()) bar.progressProperty().bind(handle.progressProperty());
    }

    private void useForTryIt(TrainedModel model, String key) {
        tryItKey = key;
        if (model.data().encoding().numeric()) {
            tryIt.showNote(hint("Try it shows class probabilities; this run predicts a number. Its predictions are "
                    + "charted under Metrics, and kiln predict gives the number for any row."));
            return;
        }
        tryIt.show(model);
    }

    private void runsChanged() {
        runChooser.refresh(() -> {
            // the run that just ended is the one the student wants to look at (newest first)
            runChooser.runBox().getSelectionModel().selectFirst();
            if (runChooser.run() != null && results.result() == null && !status.textProperty().isBound()) {
                status.setText(EVALUATE_HINT);
            }
        });
    }

    /** Lists the runs afresh, then loads the chosen run and evaluates it on the test split in the background. */
    public void evaluate() {
        runChooser.refresh(this::evaluateChosen);
    }

    private void evaluateChosen() {
        String run = runChooser.run();
        if (run == null || context.document().folder() == null) {
            status.setText("Train the network first: its runs appear here.");
            return;
        }
        if (evaluation != null) evaluation.cancel();
        TrainedModel.Weights weights = runChooser.weights();
        String key = chosenKey();
        var project = context.document().project();
        Path folder = context.document().folder();
        evaluate.setDisable(true);
        progress.setVisible(true);
        cancel.setVisible(true);
        status.setText("Evaluating " + run + " …");
        record Loaded(TrainedModel model, Evaluation evaluation, RegressionEvaluation numbers) { }
        TaskHandle handle = context.executor().submit("Evaluating " + run, p -> {
            TrainedModel model = TrainedModel.load(project, folder, run, weights, p);
            return model.data().encoding().numeric() ? new Loaded(model, null, Evaluator.evaluateNumbers(model, p))
                    : new Loaded(model, Evaluator.evaluate(model, p), null);
        }, loaded -> {
            if (loaded.numbers() != null) showNumbers(loaded.model(), loaded.numbers(), key);
            else show(loaded.model(), loaded.evaluation(), key);
        },
                error -> status.setText(error instanceof TrainedModel.UnavailableException ? error.getMessage()
                        : "Evaluation failed: " + error.getMessage()));
        evaluation = handle;
        if (handle.runningProperty().get()) {
            progress.progressProperty().bind(handle.progressProperty());
            status.textProperty().bind(handle.messageProperty());
        }
        handle.whenEnded(this::done);
    }

    private void done() {
        progress.progressProperty().unbind();
        status.textProperty().unbind();
        progress.setVisible(false);
        cancel.setVisible(false);
        evaluate.setDisable(false);
    }

    /** A run that predicts a number: its errors and charts take the confusion matrix's place. */
    private void showNumbers(TrainedModel model, RegressionEvaluation e, String key) {
        status.setText(model.project().name() + ", " + model.describe() + ": " + e.size() + " test samples");
        numbers.show(e);
        metricsTab.setContent(numbers);
        if (!key.equals(tryItKey)) useForTryIt(model, key);
    }

    private void show(TrainedModel model, Evaluation e, String key) {
        status.setText(model.project().name() + ", " + model.describe() + ": " + e.size() + " test samples");
        results.show(model, e);
        metricsTab.setContent(results);
        // Try it follows the evaluated run, keeping what was drawn when it shows that run already
        if (!key.equals(tryItKey)) useForTryIt(model, key);
    }

    private static Label hint(String text) {
        return TryItPane.hint(text);
    }

    // for tests
    ConfusionMatrixView matrix() { return results.matrix(); }
    ProbabilityBars bars() { return tryIt.bars(); }
    DrawingPad pad() { return tryIt.pad(); }
    ImageGallery cellGallery() { return results.cellGallery(); }
    ImageGallery mistakes() { return results.mistakes(); }
    UnitExplorer unitExplorer() { return unitExplorer; }
    Evaluation result() { return results.result(); }
    RegressionResultsPane numbers() { return numbers; }
    ThresholdPane threshold() { return results.threshold(); }
}
