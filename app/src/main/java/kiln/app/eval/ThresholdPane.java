package kiln.app.eval;

import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.Slider;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.paint.Color;
import kiln.engine.eval.BinaryCurves;
import kiln.engine.eval.Evaluation;
import kiln.engine.eval.TrainedModel;
import kiln.engine.runs.DecisionThreshold;
import kiln.widgets.charts.CurveChart;
import kiln.widgets.tasks.TaskExecutor;

import java.util.Locale;
import java.util.function.Consumer;
import java.util.function.DoubleConsumer;

/**
 * A yes/no run's decision threshold and its curves: the slider (steps of 0.01) that says from which probability
 * the second class is predicted, the ROC and precision–recall charts with their areas and the point the threshold
 * gives on each, and Save threshold, which keeps it with the run (written on the executor). The metrics follow the
 * slider through {@code onChange}; recomputing them is cheap (one pass over the test split).
 */
final class ThresholdPane {

    private static final Color CURVE = Color.web("#1f77b4");
    private static final Color CHANCE = Color.web("#8c959f");
    private static final Color MARK = Color.web("#d62728");

    private final TaskExecutor executor;
    private final Slider slider = new Slider(0, 1, DecisionThreshold.DEFAULT);
    private final Label value = new Label();
    private final Button save = new Button("Save threshold");
    private final Label note = new Label();
    private final HBox bar;
    private final HBox charts = new HBox(8);
    private final DoubleConsumer onChange;
    private final Consumer<TrainedModel> onSaved;
    private CurveChart roc;
    private CurveChart pr;
    private BinaryCurves curves;
    private TrainedModel model;
    private double savedValue = Double.NaN;

    /**
     * @param onChange the threshold the metrics should now be judged at
     * @param onSaved  the model with the threshold just saved with its run
     */
    ThresholdPane(TaskExecutor executor, DoubleConsumer onChange, Consumer<TrainedModel> onSaved) {
        this.executor = executor;
        this.onChange = onChange;
        this.onSaved = onSaved;
        slider.setId("thresholdSlider");
        slider.setBlockIncrement(0.01);
        slider.setMajorTickUnit(0.25);
        slider.setShowTickMarks(true);
        slider.setPrefWidth(220);
        HBox.setHgrow(slider, Priority.SOMETIMES);
        value.setId("thresholdValue");
        value.setMinWidth(javafx.scene.layout.Region.USE_PREF_SIZE);
        save.setId("saveThresholdButton");
        save.setOnAction(e -> save());
        save.setMinWidth(javafx.scene.layout.Region.USE_PREF_SIZE);
        note.setId("thresholdNote");
        note.getStyleClass().add("text-muted");
        note.setWrapText(true);
        note.setMinHeight(javafx.scene.layout.Region.USE_PREF_SIZE); // every line, never cut short
        Label title = TestResultsPane.title("Threshold");
        title.setMinWidth(javafx.scene.layout.Region.USE_PREF_SIZE);
        bar = new HBox(8, title, slider, value, save);
        bar.setAlignment(Pos.CENTER_LEFT);
        charts.setId("thresholdCharts");
        slider.valueProperty().addListener((o, a, b) -> changed());
    }

    HBox bar() { return bar; }
    Label note() { return note; }
    HBox charts() { return charts; }
    Slider slider() { return slider; }
    CurveChart rocChart() { return roc; }
    CurveChart prChart() { return pr; }

    /** The threshold the slider stands at, in steps of 0.01. */
    double threshold() {
        return Math.round(slider.getValue() * 100) / 100.0;
    }

    /** Shows the curves of a two-class evaluation and puts the slider at the run's saved threshold (0.5 when none). */
    void show(TrainedModel evaluated, Evaluation e) {
        model = evaluated;
        curves = BinaryCurves.of(e);
        savedValue = evaluated.threshold().map(DecisionThreshold::value).orElse(Double.NaN);
        String why = curves.undefinedReason(e.classNames());
        roc = new CurveChart(why != null ? "ROC curve (area not defined)"
                : String.format(Locale.ROOT, "ROC curve, AUC %.4f", curves.rocAuc()),
                "False positive rate", "True positive rate", executor);
        pr = new CurveChart(why != null ? "Precision–recall (area not defined)"
                : String.format(Locale.ROOT, "Precision–recall, AP %.4f", curves.averagePrecision()),
                "Recall", "Precision", executor);
        roc.setId("rocChart");
        pr.setId("prChart");
        for (CurveChart c : new CurveChart[] {roc, pr}) {
            c.setDomainRange(0, 1);
            c.setValueRange(0, 1.02);
            c.setPrefSize(320, 240);
            HBox.setHgrow(c, Priority.ALWAYS);
        }
        String positive = e.classNames().get(1);
        roc.update(() -> {
            CurveChart.Curve line = roc.curve("roc", "ROC (" + positive + " as positive)", CURVE, CurveChart.Style.SOLID);
            for (int k = 0; k < curves.falsePositiveRate().length; k++) {
                line.add(curves.falsePositiveRate()[k], curves.truePositiveRate()[k]);
            }
            CurveChart.Curve chance = roc.curve("chance", "chance", CHANCE, CurveChart.Style.DASHED);
            chance.add(0, 0);
            chance.add(1, 1);
        });
        pr.update(() -> {
            CurveChart.Curve line = pr.curve("pr", "precision–recall", CURVE, CurveChart.Style.SOLID);
            line.add(0, curves.precision().length == 0 ? 1 : curves.precision()[0]);
            for (int k = 0; k < curves.precision().length; k++) line.add(curves.truePositiveRate()[k + 1], curves.precision()[k]);
            double base = e.size() == 0 ? 0 : (double) curves.positives() / e.size();
            CurveChart.Curve chance = pr.curve("chance", "chance (" + Math.round(100 * base) + "% " + positive + ")", CHANCE,
                    CurveChart.Style.DASHED);
            chance.add(0, base);
            chance.add(1, base);
        });
        charts.getChildren().setAll(roc, pr);
        slider.setTooltip(new Tooltip(positive + " is predicted when its probability is at least the threshold"));
        double start = Double.isNaN(savedValue) ? DecisionThreshold.DEFAULT : savedValue;
        if (slider.getValue() == start) changed();
        else slider.setValue(start);
    }

    private void changed() {
        if (curves == null) return;
        double t = threshold();
        value.setText(String.format(Locale.ROOT, "%.2f", t));
        String positive = model.classNames().get(1);
        boolean saved = t == savedValue;
        save.setDisable(saved || model.run() == null);
        note.setText(positive + " is predicted when its probability is at least " + String.format(Locale.ROOT, "%.2f", t)
                + (saved ? " (saved with " + model.run().id() + ": predict and the exports use it)"
                : Double.isNaN(savedValue) ? "; save it for predict and the exports (they use 0.50 until then)"
                : String.format(Locale.ROOT, "; %s keeps %.2f until you save", model.run().id(), savedValue)));
        double[] rocPoint = curves.rocPointAt(t);
        double[] prPoint = curves.prPointAt(t);
        roc.update(() -> {
            CurveChart.Curve mark = roc.curve("mark", "threshold", MARK, CurveChart.Style.POINT);
            mark.clear();
            mark.add(rocPoint[0], rocPoint[1]);
        });
        pr.update(() -> {
            CurveChart.Curve mark = pr.curve("mark", "threshold", MARK, CurveChart.Style.POINT);
            mark.clear();
            mark.add(prPoint[0], prPoint[1]);
        });
        onChange.accept(t);
    }

    private void save() {
        TrainedModel m = model;
        DecisionThreshold chosen = new DecisionThreshold(m.classNames().get(1), threshold());
        save.setDisable(true);
        note.setText("Saving the threshold with " + m.run().id() + " …");
        executor.submit("Saving the threshold", p -> {
            m.run().writeThreshold(chosen);
            return m.withThreshold(chosen);
        }, withThreshold -> {
            if (model != m) return; // another evaluation is shown now
            model = withThreshold;
            savedValue = chosen.value();
            changed();
            onSaved.accept(withThreshold);
        }, error -> {
            save.setDisable(false);
            note.setText("The threshold could not be saved: " + error.getMessage());
        });
    }
}
