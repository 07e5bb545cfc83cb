package kiln.app.eval;

import atlantafx.base.theme.Styles;
import atlantafx.base.theme.Tweaks;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.geometry.Insets;
import javafx.geometry.Orientation;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.SplitPane;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.image.ImageView;
import javafx.scene.input.TransferMode;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import javafx.stage.FileChooser;
import kiln.app.document.DocumentView;
import kiln.app.document.ViewContext;
import kiln.engine.data.DataFormatException;
import kiln.engine.data.Dataset;
import kiln.engine.eval.Evaluation;
import kiln.engine.eval.Evaluator;
import kiln.engine.eval.Predictor;
import kiln.engine.eval.TrainedModel;
import kiln.engine.shape.TensorShape;
import kiln.widgets.eval.ConfusionMatrixView;
import kiln.widgets.eval.DrawingPad;
import kiln.widgets.eval.ImageGallery;
import kiln.widgets.eval.Images;
import kiln.widgets.eval.ProbabilityBars;
import kiln.widgets.tasks.TaskHandle;

import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * The Evaluation tab: how a trained run does on the test split (metrics table, confusion matrix whose cells
 * list their samples, the most confident mistakes) and "Try it" (draw a digit, drop an image or type a row,
 * and see the class probabilities and a saliency map). Try it loads the chosen run by itself when it is shown,
 * so drawing needs no evaluation first. Loading, evaluation and inference run on the executor; a newer input
 * cancels the inference still running for an older one.
 */
public final class EvaluationView implements DocumentView {

    static final int GALLERY_LIMIT = 60;

    /** A row of the metrics table. */
    public record MetricsRow(String name, double precision, double recall, double f1, int support) { }

    private final ViewContext context;
    private final BorderPane root = new BorderPane();
    private final RunChooser runChooser;
    private final Button evaluate = new Button("Evaluate");
    private final Button cancel = new Button("Cancel");
    private final ProgressBar progress = new ProgressBar(0);
    private final Label status = new Label();

    private final Label accuracy = new Label();
    private final TableView<MetricsRow> metrics = new TableView<>();
    /** The accuracy and the metrics table: never narrower than the table's columns. */
    private final VBox metricsPane = new VBox(8);
    private final ConfusionMatrixView matrix = new ConfusionMatrixView();
    private final CheckBox normalised = new CheckBox("Row percentages");
    private final Label cellTitle = new Label("Click a cell of the matrix to see its samples.");
    private final ImageGallery cellGallery = new ImageGallery();
    private final ImageGallery mistakes = new ImageGallery();
    private final MistakeExplanations mistakeExplanations;
    private final UnitExplorer unitExplorer;

    private final VBox tryIt = new VBox(10);
    private final Tab tryItTab = new Tab("Try it", tryIt);
    private final ProbabilityBars bars = new ProbabilityBars();
    private final Label verdict = new Label();
    private final ImageView inputView = new ImageView();
    private final ImageView saliencyView = new ImageView();
    /** How Try it explains an image: Grad-CAM at one of the feature-map layers, or the input's gradient. */
    private final ComboBox<String> explainMethod = new ComboBox<>();
    private final Label explainTitle = new Label();
    private final Label explainHint = new Label();
    /** For a row of features: which features spoke for or against the predicted class. */
    private final VBox attributions = new VBox(2);
    /** The raw input and the class Try it explains last, for explaining again with another method. */
    private float[] explainedRaw;
    private int explainedClass = -1;
    private DrawingPad pad;
    private TextField rowField;

    private TaskHandle evaluation;
    private TaskHandle loading;
    /** The run and weights Try it shows ("run-2 BEST"), and the ones it is loading. */
    private String tryItKey;
    private String loadingKey;
    private TaskHandle prediction;
    private TaskHandle saliency;
    private Predictor predictor;
    private Evaluation result;
    /** The network the shown evaluation measured, whose test split the galleries show. */
    private TrainedModel evaluated;
    /** A run that ends while this view is open is listed at once (the project unlocks when a run ends). */
    private final javafx.beans.value.ChangeListener<Boolean> runEnded = (o, was, locked) -> {
        if (was && !locked) runsChanged();
    };

    public EvaluationView(ViewContext context) {
        this.context = context;
        this.runChooser = new RunChooser(context.document(), context.executor(), true);
        this.mistakeExplanations = new MistakeExplanations(context.executor(), mistakes);
        this.unitExplorer = new UnitExplorer(context, runChooser,
                key -> key.equals(tryItKey) && predictor != null ? predictor.model() : null);
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
        explainMethod.setId("explainMethod");
        explainTitle.getStyleClass().add(Styles.TEXT_BOLD);
        explainTitle.setWrapText(true);
        explainHint.getStyleClass().add(Styles.TEXT_MUTED);
        explainHint.setWrapText(true);
        // Wrapped labels in a narrow column take the height their lines need instead of ending in "…".
        explainTitle.setMinHeight(Region.USE_PREF_SIZE);
        explainHint.setMinHeight(Region.USE_PREF_SIZE);
        HBox bar = new HBox(10, runChooser, evaluate, progress, cancel, status);
        bar.setAlignment(Pos.CENTER_LEFT);
        bar.setPadding(new Insets(8, 10, 8, 10));
        root.setTop(bar);

        Tab exciteTab = new Tab("What excites a unit", unitExplorer);
        exciteTab.selectedProperty().addListener((o, was, selected) -> {
            if (selected) unitExplorer.refreshLayers();
        });
        TabPane tabs = new TabPane(new Tab("Metrics", metricsPane()), tryItTab, exciteTab);
        tabs.setTabClosingPolicy(TabPane.TabClosingPolicy.UNAVAILABLE);
        tabs.setId("evaluationTabs");
        root.setCenter(tabs);
        tryIt.setPadding(new Insets(12));
        tryIt.getChildren().setAll(hint("Train the network first: its runs appear here, and you can try them out."));
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
        matrix.setId("confusionMatrix");
        matrix.normalisedProperty().bind(normalised.selectedProperty());
        matrix.onCellClickedProperty().set(this::showCell);
        cellGallery.setId("cellGallery");
        mistakes.setId("mistakesGallery");
    }

    @Override
    public Node node() {
        return root;
    }

    @Override
    public void dispose() {
        context.document().lockedProperty().removeListener(runEnded);
        mistakeExplanations.dispose();
        unitExplorer.dispose();
        for (TaskHandle h : new TaskHandle[] {evaluation, loading, prediction, saliency}) if (h != null) h.cancel();
    }

    private static final String SALIENCY = "Saliency (the input's gradient)";
    private static final String GRAD_CAM_AT = "Grad-CAM at ";
    /** Features listed in Try it for a row, largest share first. */
    private static final int FEATURES_SHOWN = 8;

    private static final String EVALUATE_HINT = "Press Evaluate to measure the run on the test split, or open Try it to draw.";

    private String chosenKey() {
        return runChooser.run() + " " + runChooser.weights();
    }

    /** Loads the chosen run's network for Try it in the background, unless Try it shows it already. */
    private void loadForTryIt() {
        String run = runChooser.run();
        Path folder = context.document().folder();
        if (run == null || folder == null) {
            tryIt.getChildren().setAll(hint("Train the network first: its runs appear here, and you can try them out."));
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
        tryIt.getChildren().setAll(what, bar);
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
                    tryIt.getChildren().setAll(hint(error instanceof TrainedModel.UnavailableException ? error.getMessage()
                            : "Could not load " + run + ": " + error.getMessage()));
                });
        loading = handle;
        if (handle.runningProperty().get()) bar.progressProperty().bind(handle.progressProperty());
    }

    private void useForTryIt(TrainedModel model, String key) {
        if (prediction != null) prediction.cancel();
        if (saliency != null) saliency.cancel();
        predictor = new Predictor(model);
        tryItKey = key;
        buildTryIt(model);
    }

    private void runsChanged() {
        runChooser.refresh(() -> {
            // the run that just ended is the one the student wants to look at (newest first)
            runChooser.runBox().getSelectionModel().selectFirst();
            if (runChooser.run() != null && result == null && !status.textProperty().isBound()) {
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
        record Loaded(TrainedModel model, Evaluation evaluation) { }
        TaskHandle handle = context.executor().submit("Evaluating " + run, p -> {
            TrainedModel model = TrainedModel.load(project, folder, run, weights, p);
            return new Loaded(model, Evaluator.evaluate(model, p));
        }, loaded -> show(loaded.model(), loaded.evaluation(), key),
                error -> status.setText(error instanceof TrainedModel.UnavailableException ? error.getMessage()
                        : "Evaluation failed: " + error.getMessage()));
        evaluation = handle;
        if (handle.runningProperty().get()) {
            progress.progressProperty().bind(handle.progressProperty());
            status.textProperty().bind(handle.messageProperty());
            handle.runningProperty().addListener((o, was, running) -> {
                if (!running) done();
            });
        } else {
            done();
        }
    }

    private void done() {
        progress.progressProperty().unbind();
        status.textProperty().unbind();
        progress.setVisible(false);
        cancel.setVisible(false);
        evaluate.setDisable(false);
    }

    private void show(TrainedModel model, Evaluation e, String key) {
        result = e;
        evaluated = model;
        status.setText(model.project().name() + ", " + model.describe() + ": " + e.size() + " test samples");
        accuracy.setText(String.format(Locale.ROOT, "Accuracy %.2f%%\n%d of %d test samples right",
                100 * e.accuracy(), Math.round(e.accuracy() * e.size()), e.size()));
        List<MetricsRow> rows = new ArrayList<>();
        for (Evaluation.ClassMetrics m : e.perClass()) rows.add(new MetricsRow(m.name(), m.precision(), m.recall(), m.f1(), m.support()));
        rows.add(new MetricsRow("macro avg", e.macro().precision(), e.macro().recall(), e.macro().f1(), e.size()));
        rows.add(new MetricsRow("weighted avg", e.weighted().precision(), e.weighted().recall(), e.weighted().f1(), e.size()));
        metrics.getItems().setAll(rows);
        kiln.widgets.util.TableColumns.fitCells(metrics);
        metricsPane.setMinWidth(kiln.widgets.util.TableColumns.minimumWidth(metrics) + 16);
        matrix.setData(e.confusion(), e.classNames());
        cellTitle.setText("Click a cell of the matrix to see its samples.");
        cellGallery.setTiles(List.of(), "");
        List<Integer> wrong = e.misclassified();
        mistakeExplanations.show(model, e, wrong.subList(0, Math.min(GALLERY_LIMIT, wrong.size())),
                tiles(wrong, i -> String.format(Locale.ROOT, "%s → %s\n%.0f%%", name(e.actual()[i]),
                name(e.predicted(i)), 100 * e.confidence(i))), "No mistakes on the test split.");
        // Try it follows the evaluated run, keeping what was drawn when it shows that run already
        if (!key.equals(tryItKey)) useForTryIt(model, key);
    }

    private void showCell(int trueClass, int predictedClass) {
        if (result == null) return;
        List<Integer> samples = result.samplesIn(trueClass, predictedClass);
        cellTitle.setText(String.format(Locale.ROOT, "True %s, predicted %s: %d sample%s%s", name(trueClass),
                name(predictedClass), samples.size(), samples.size() == 1 ? "" : "s",
                samples.size() > GALLERY_LIMIT ? " (the " + GALLERY_LIMIT + " most confident shown)" : ""));
        cellGallery.setTiles(tiles(samples, i -> String.format(Locale.ROOT, "#%d\n%.0f%%", i, 100 * result.confidence(i))),
                "No test sample is in this cell.");
    }

    private List<ImageGallery.Tile> tiles(List<Integer> samples, Function<Integer, String> caption) {
        Dataset test = evaluated.test();
        TensorShape shape = test.sampleShape();
        int per = test.sampleLength();
        List<ImageGallery.Tile> out = new ArrayList<>();
        for (int i : samples.subList(0, Math.min(GALLERY_LIMIT, samples.size()))) {
            String details = String.format(Locale.ROOT, "Test sample %d: true %s, predicted %s with %.1f%%", i,
                    name(result.actual()[i]), name(result.predicted(i)), 100 * result.confidence(i));
            if (shape.kind() == TensorShape.Kind.IMAGE) {
                out.add(new ImageGallery.Tile(Images.sample(test.features(), i * per, shape.height(), shape.width(),
                        shape.channels()), caption.apply(i), details));
            } else {
                float[] v = Arrays.copyOfRange(test.features(), i * per, i * per + Math.min(per, 6));
                out.add(new ImageGallery.Tile(null, caption.apply(i).replace('\n', ' '), details + "\nvalues (after the pipeline): "
                        + Arrays.toString(v) + (per > 6 ? " …" : "")));
            }
        }
        return out;
    }

    private String name(int cls) {
        return result.classNames().get(cls);
    }

    private Node metricsPane() {
        TableColumn<MetricsRow, String> cls = new TableColumn<>("Class");
        cls.setCellValueFactory(c -> new ReadOnlyObjectWrapper<>(c.getValue().name()));
        kiln.widgets.util.TableColumns.atLeast(cls, 110);
        metrics.getColumns().add(cls);
        metrics.getColumns().add(number("Precision", MetricsRow::precision));
        metrics.getColumns().add(number("Recall", MetricsRow::recall));
        metrics.getColumns().add(number("F1", MetricsRow::f1));
        TableColumn<MetricsRow, String> support = new TableColumn<>("Support");
        support.setCellValueFactory(c -> new ReadOnlyObjectWrapper<>(Integer.toString(c.getValue().support())));
        support.getStyleClass().add(Tweaks.ALIGN_RIGHT);
        kiln.widgets.util.TableColumns.atLeast(support, 70);
        metrics.getColumns().add(support);
        metrics.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        metrics.setPlaceholder(new Label("No evaluation yet"));
        metrics.setId("metricsTable");
        accuracy.setId("accuracyLabel");
        accuracy.getStyleClass().add("accuracy-headline");
        accuracy.setWrapText(true);
        accuracy.setMinHeight(javafx.scene.layout.Region.USE_PREF_SIZE); // both lines, not "Accuracy 95.11%..."
        VBox left = metricsPane;
        left.getChildren().setAll(accuracy, metrics);
        VBox.setVgrow(metrics, Priority.ALWAYS);
        left.setPadding(new Insets(8));
        left.setMinWidth(kiln.widgets.util.TableColumns.minimumWidth(metrics) + 16);

        HBox matrixBar = new HBox(10, title("Confusion matrix"), normalised);
        matrixBar.setAlignment(Pos.CENTER_LEFT);
        VBox middle = new VBox(6, matrixBar, matrix);
        VBox.setVgrow(matrix, Priority.ALWAYS);
        middle.setPadding(new Insets(8));

        cellTitle.setWrapText(true);
        VBox right = new VBox(6, cellTitle, cellGallery);
        VBox.setVgrow(cellGallery, Priority.ALWAYS);
        right.setPadding(new Insets(8));
        right.setMinWidth(220);

        SplitPane top = new SplitPane(left, middle, right);
        top.setDividerPositions(0.31, 0.73);
        mistakes.setPrefHeight(150);
        VBox bottom = new VBox(4, new HBox(16, title("Most confident mistakes"), mistakeExplanations.bar()), mistakes);
        bottom.setPadding(new Insets(4, 8, 8, 8));
        SplitPane all = new SplitPane(top, bottom);
        all.setOrientation(Orientation.VERTICAL);
        all.setDividerPositions(0.74);
        return all;
    }

    private static TableColumn<MetricsRow, String> number(String title, Function<MetricsRow, Double> value) {
        TableColumn<MetricsRow, String> c = new TableColumn<>(title);
        c.setCellValueFactory(cell -> new ReadOnlyObjectWrapper<>(String.format(Locale.ROOT, "%.3f", value.apply(cell.getValue()))));
        c.getStyleClass().add(Tweaks.ALIGN_RIGHT);
        kiln.widgets.util.TableColumns.atLeast(c, 72);
        return c;
    }

    private static Label title(String text) {
        Label l = new Label(text);
        l.getStyleClass().add(Styles.TEXT_BOLD);
        return l;
    }

    private static Label hint(String text) {
        Label l = new Label(text);
        l.setWrapText(true);
        l.getStyleClass().add(Styles.TEXT_MUTED);
        return l;
    }

    // ---- Try it

    private void buildTryIt(TrainedModel model) {
        TensorShape shape = model.inputShape();
        bars.setValues(model.classNames(), new float[model.classNames().size()]);
        bars.clear();
        verdict.setText("");
        verdict.setId("tryItVerdict");
        verdict.getStyleClass().add("verdict");
        bars.setId("probabilityBars");
        VBox answer = new VBox(8, title("Class probabilities"), verdict, bars);
        answer.setMinWidth(300);
        HBox.setHgrow(answer, Priority.ALWAYS);
        if (shape.kind() == TensorShape.Kind.IMAGE) {
            double size = Math.max(224, Math.min(336, 10.0 * shape.width()));
            pad = new DrawingPad(shape.height(), shape.width(), size);
            pad.setId("drawingPad");
            // Probabilities follow every stroke step; the slower saliency map follows each finished stroke.
            pad.setOnChange(() -> requestPrediction(padSample(shape), false));
            pad.setOnStrokeEnd(() -> requestPrediction(padSample(shape), true));
            pad.setOnDragOver(e -> {
                if (e.getDragboard().hasFiles()) e.acceptTransferModes(TransferMode.COPY);
                e.consume();
            });
            pad.setOnDragDropped(e -> {
                boolean ok = e.getDragboard().hasFiles() && !e.getDragboard().getFiles().isEmpty();
                if (ok) loadImage(e.getDragboard().getFiles().get(0).toPath(), shape);
                e.setDropCompleted(ok);
                e.consume();
            });
            Button clear = new Button("Clear");
            clear.setOnAction(e -> pad.clear());
            Button open = new Button("Open image…");
            open.setOnAction(e -> {
                FileChooser chooser = new FileChooser();
                chooser.setTitle("Choose an image to classify");
                chooser.getExtensionFilters().add(new FileChooser.ExtensionFilter("Images", "*.png", "*.jpg", "*.jpeg"));
                File f = chooser.showOpenDialog(context.owner());
                if (f != null) loadImage(f.toPath(), shape);
            });
            VBox drawing = new VBox(8, title("Draw here (right button erases), or drop an image file"), pad, new HBox(8, clear, open));
            for (ImageView v : List.of(inputView, saliencyView)) {
                v.setSmooth(false);
                v.setPreserveRatio(true);
                v.setFitWidth(168);
            }
            // The heat map over a faint copy of the input, so the hot pixels can be placed on the drawing.
            saliencyView.setBlendMode(javafx.scene.effect.BlendMode.SCREEN);
            inputView.setId("networkInput");
            saliencyView.setId("saliencyMap");
            ImageView under = new ImageView();
            under.imageProperty().bind(inputView.imageProperty());
            under.setSmooth(false);
            under.setPreserveRatio(true);
            under.setFitWidth(168);
            under.setOpacity(0.3);
            StackPane overlay = new StackPane(under, saliencyView);
            overlay.setAlignment(Pos.TOP_LEFT);
            overlay.getStyleClass().add("saliency-frame");
            overlay.setMaxSize(Region.USE_PREF_SIZE, Region.USE_PREF_SIZE);
            List<String> methods = new ArrayList<>();
            List<String> camLayers = predictor.gradCamLayers();
            for (int i = camLayers.size() - 1; i >= 0; i--) methods.add(GRAD_CAM_AT + camLayers.get(i));
            methods.add(SALIENCY);
            explainMethod.getItems().setAll(methods);
            explainMethod.setOnAction(e -> explainAgain(shape));
            explainMethod.getSelectionModel().selectFirst(); // the last layer of feature maps, as Grad-CAM is meant
            describeExplanation();
            VBox seen = new VBox(6, title("What the network sees"), inputView, explainMethod, explainTitle, overlay,
                    explainHint);
            seen.setMaxWidth(200);
            HBox row = new HBox(24, drawing, seen, answer);
            tryIt.getChildren().setAll(row);
        } else {
            int size = Math.toIntExact(shape.elementCount());
            rowField = new TextField();
            rowField.setId("csvRow");
            rowField.setPromptText(size + " numbers separated by commas, in the order of the data's columns");
            rowField.textProperty().addListener((o, a, text) -> {
                try {
                    requestPrediction(Predictor.parseRow(text, size), false);
                } catch (IllegalArgumentException ex) {
                    if (prediction != null) prediction.cancel();
                    verdict.setText("");
                    bars.clear();
                    status.setText("Row: " + ex.getMessage() + ".");
                }
            });
            attributions.setId("attributions");
            attributions.getChildren().clear();
            VBox input = new VBox(8, title("Type a row of " + size + " feature values"), rowField,
                    title("What the answer rests on"), attributions,
                    hint("Gradient × input: how much each feature (after the pipeline) adds to the predicted class's "
                            + "score (+) or takes from it (−), to first order."));
            input.setMinWidth(360);
            tryIt.getChildren().setAll(new HBox(24, input, answer));
        }
        Region spacer = new Region();
        VBox.setVgrow(spacer, Priority.ALWAYS);
        tryIt.getChildren().add(spacer);
    }

    private float[] padSample(TensorShape shape) {
        float[] grey = pad.pixels();
        float[] sample = new float[Math.toIntExact(shape.elementCount())];
        for (int c = 0; c < shape.channels(); c++) System.arraycopy(grey, 0, sample, c * grey.length, grey.length);
        return sample;
    }

    private void loadImage(Path file, TensorShape shape) {
        try {
            float[] raw = Predictor.readImage(file, shape);
            float[] grey = new float[shape.height() * shape.width()];
            for (int c = 0; c < shape.channels(); c++) {
                for (int i = 0; i < grey.length; i++) grey[i] += raw[c * grey.length + i] / shape.channels();
            }
            pad.setPixels(grey);
            if (shape.channels() > 1) requestPrediction(raw, true); // keep the colours for a colour network
            status.setText("Loaded " + file.getFileName());
        } catch (DataFormatException e) {
            status.setText(e.getMessage());
        }
    }

    /** Predicts for the newest input only: a running request for an older input is cancelled. */
    private void requestPrediction(float[] raw, boolean withSaliency) {
        if (predictor == null) return;
        if (prediction != null) prediction.cancel();
        if (saliency != null) saliency.cancel(); // a finished stroke asks for a fresh map
        Predictor p = predictor;
        TensorShape shape = p.model().inputShape();
        prediction = context.executor().submit("Predicting", progress -> {
            progress.checkCancelled();
            float[] x = p.preprocess(raw);
            Predictor.Prediction pr = p.predictPreprocessed(x);
            // A row's attributions are one backward pass, cheap enough to follow every keystroke.
            float[] a = shape.kind() == TensorShape.Kind.IMAGE ? null : p.attributions(raw, pr.predicted());
            return new Object[] {x, pr, a};
        }, out -> {
            float[] x = (float[]) out[0];
            Predictor.Prediction pr = (Predictor.Prediction) out[1];
            bars.setValues(pr.classNames(), pr.probabilities());
            verdict.setText(String.format(Locale.ROOT, "Looks like %s (%.0f%%)", pr.classNames().get(pr.predicted()),
                    100 * pr.confidence()));
            if (shape.kind() == TensorShape.Kind.IMAGE) {
                inputView.setImage(Images.sample(x, 0, shape.height(), shape.width(), shape.channels()));
                if (withSaliency) requestSaliency(raw, pr.predicted(), shape);
            } else {
                showAttributions((float[]) out[2], pr);
            }
        }, error -> status.setText("Prediction failed: " + error.getMessage()));
    }

    /** The heat map of the chosen method for the predicted class, off the JavaFX thread. */
    private void requestSaliency(float[] raw, int cls, TensorShape shape) {
        Predictor p = predictor;
        explainedRaw = raw;
        explainedClass = cls;
        String method = explainMethod.getValue() == null ? SALIENCY : explainMethod.getValue();
        saliency = context.executor().submit("Explaining", progress -> {
            progress.checkCancelled();
            return method.startsWith(GRAD_CAM_AT)
                    ? p.gradCam(raw, cls, method.substring(GRAD_CAM_AT.length())).map()
                    : p.saliency(raw, cls, progress);
        }, map -> saliencyView.setImage(Images.heatMap(map, shape.height(), shape.width())),
                error -> status.setText("Explaining failed: " + error.getMessage()));
    }

    /** Another method chosen: the same input explained again. */
    private void explainAgain(TensorShape shape) {
        describeExplanation();
        if (explainedRaw == null || predictor == null) return;
        if (saliency != null) saliency.cancel();
        requestSaliency(explainedRaw, explainedClass, shape);
    }

    private void describeExplanation() {
        String method = explainMethod.getValue();
        if (method != null && method.startsWith(GRAD_CAM_AT)) {
            String layer = method.substring(GRAD_CAM_AT.length());
            explainTitle.setText("Grad-CAM: where " + layer + " found the evidence");
            explainHint.setText("Brighter means " + layer + "'s feature maps there raise the predicted class's score "
                    + "most. Earlier layers give finer maps.");
        } else {
            explainTitle.setText("Saliency: the pixels that sway the answer most");
            explainHint.setText("Brighter means a small change of that pixel moves the predicted class's score more.");
        }
    }

    /** The features that weigh most for the predicted class, with their sign. */
    private void showAttributions(float[] a, Predictor.Prediction pr) {
        List<Integer> order = java.util.stream.IntStream.range(0, a.length).boxed()
                .sorted(java.util.Comparator.comparingDouble(i -> -Math.abs(a[i]))).limit(FEATURES_SHOWN).toList();
        attributions.getChildren().setAll(order.stream().map(i -> {
            Label l = new Label(String.format(Locale.ROOT, "feature %d   %+.3f   %s", i + 1, a[i],
                    a[i] >= 0 ? "for " + pr.classNames().get(pr.predicted()) : "against"));
            l.getStyleClass().add(a[i] >= 0 ? Styles.SUCCESS : Styles.DANGER);
            return (javafx.scene.Node) l;
        }).toList());
    }

    // for tests
    ConfusionMatrixView matrix() { return matrix; }
    ProbabilityBars bars() { return bars; }
    DrawingPad pad() { return pad; }
    ImageGallery cellGallery() { return cellGallery; }
    ImageGallery mistakes() { return mistakes; }
    UnitExplorer unitExplorer() { return unitExplorer; }
    Evaluation result() { return result; }
}
