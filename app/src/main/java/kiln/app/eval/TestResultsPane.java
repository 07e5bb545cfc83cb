package kiln.app.eval;

import atlantafx.base.theme.Styles;
import atlantafx.base.theme.Tweaks;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.geometry.Insets;
import javafx.geometry.Orientation;
import javafx.geometry.Pos;
import javafx.scene.control.CheckBox;
import javafx.scene.control.Label;
import javafx.scene.control.SplitPane;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import kiln.engine.data.Dataset;
import kiln.engine.eval.Evaluation;
import kiln.engine.eval.TrainedModel;
import kiln.engine.shape.TensorShape;
import kiln.widgets.eval.ConfusionMatrixView;
import kiln.widgets.eval.ImageGallery;
import kiln.widgets.eval.Images;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * The Evaluation tab's Metrics: how a run does on the test split: accuracy and the per-class metrics table,
 * the confusion matrix whose cells list their samples, and the most confident mistakes.
 */
final class TestResultsPane extends SplitPane {

    /** At most this many samples in a gallery. */
    static final int GALLERY_LIMIT = 60;

    /** A row of the metrics table. */
    record MetricsRow(String name, double precision, double recall, double f1, int support) { }

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
    private final ThresholdPane threshold;
    private final VBox middle;
    private final HBox bottomRow;
    private final VBox mistakesBox;
    /** The evaluation as measured, before the threshold slider judged it. */
    private Evaluation measured;
    private Evaluation result;
    /** The network the shown evaluation measured, whose test split the galleries show. */
    private TrainedModel evaluated;

    /** @param onThresholdSaved the model with the decision threshold just saved with its run */
    TestResultsPane(kiln.widgets.tasks.TaskExecutor executor, java.util.function.Consumer<TrainedModel> onThresholdSaved) {
        mistakeExplanations = new MistakeExplanations(executor, mistakes);
        threshold = new ThresholdPane(executor, this::judgeAt, onThresholdSaved);
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
        middle = new VBox(6, matrixBar, matrix);
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
        mistakesBox = new VBox(4, new HBox(16, title("Most confident mistakes"), mistakeExplanations.bar()), mistakes);
        VBox.setVgrow(mistakes, Priority.ALWAYS);
        HBox.setHgrow(mistakesBox, Priority.ALWAYS);
        bottomRow = new HBox(8, mistakesBox);
        bottomRow.setPadding(new Insets(4, 8, 8, 8));
        getItems().setAll(top, bottomRow);
        setOrientation(Orientation.VERTICAL);
        setDividerPositions(0.74);
        matrix.setId("confusionMatrix");
        matrix.normalisedProperty().bind(normalised.selectedProperty());
        matrix.onCellClickedProperty().set(this::showCell);
        threshold.slider().valueChangingProperty().addListener((o, was, changing) -> {
            if (was && !changing && measured != null) showMistakes();
        });
        cellGallery.setId("cellGallery");
        mistakes.setId("mistakesGallery");
    }

    private static TableColumn<MetricsRow, String> number(String title, Function<MetricsRow, Double> value) {
        TableColumn<MetricsRow, String> c = new TableColumn<>(title);
        c.setCellValueFactory(cell -> new ReadOnlyObjectWrapper<>(String.format(Locale.ROOT, "%.3f", value.apply(cell.getValue()))));
        c.getStyleClass().add(Tweaks.ALIGN_RIGHT);
        kiln.widgets.util.TableColumns.atLeast(c, 72);
        return c;
    }

    static Label title(String text) {
        Label l = new Label(text);
        l.getStyleClass().add(Styles.TEXT_BOLD);
        return l;
    }

    /** Shows an evaluation of this network; for two classes with the threshold slider and the ROC and PR curves. */
    void show(TrainedModel model, Evaluation e) {
        measured = e;
        evaluated = model;
        if (e.isBinary()) {
            if (!middle.getChildren().contains(threshold.bar())) middle.getChildren().addAll(1, List.of(threshold.bar(), threshold.note()));
            bottomRow.getChildren().setAll(threshold.charts(), mistakesBox);
            // the curves take the width; the mistakes keep a column of their own
            HBox.setHgrow(threshold.charts(), Priority.ALWAYS);
            HBox.setHgrow(mistakesBox, Priority.NEVER);
            mistakesBox.setMinWidth(240);
            mistakesBox.setPrefWidth(480);
            setDividerPositions(0.56);
            threshold.show(model, e); // judges the evaluation at the run's threshold, through judgeAt
        } else {
            middle.getChildren().removeAll(threshold.bar(), threshold.note());
            bottomRow.getChildren().setAll(mistakesBox);
            HBox.setHgrow(mistakesBox, Priority.ALWAYS);
            setDividerPositions(0.74);
            showMetrics(e);
            showMistakes();
        }
    }

    /** The slider moved: the metrics and the matrix at once, the mistakes when it is let go. */
    private void judgeAt(double t) {
        showMetrics(measured.withThreshold(t));
        if (!threshold.slider().isValueChanging()) showMistakes();
    }

    private void showMetrics(Evaluation e) {
        result = e;
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
    }

    private void showMistakes() {
        Evaluation e = result;
        List<Integer> wrong = e.misclassified();
        mistakeExplanations.show(evaluated, e, wrong.subList(0, Math.min(GALLERY_LIMIT, wrong.size())),
                tiles(wrong, i -> String.format(Locale.ROOT, "%s → %s\n%.0f%%", name(e.actual()[i]),
                name(e.predicted(i)), 100 * e.confidence(i))), "No mistakes on the test split.");
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

    Evaluation result() {
        return result;
    }

    ThresholdPane threshold() {
        return threshold;
    }

    ConfusionMatrixView matrix() {
        return matrix;
    }

    ImageGallery cellGallery() {
        return cellGallery;
    }

    ImageGallery mistakes() {
        return mistakes;
    }

    /** Stops explaining the mistakes. */
    void cancel() {
        mistakeExplanations.dispose();
    }
}
