package kiln.app.eval;

import javafx.geometry.Insets;
import javafx.scene.control.Label;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import javafx.scene.paint.Color;
import kiln.engine.eval.RegressionEvaluation;
import kiln.widgets.charts.CurveChart;
import kiln.widgets.tasks.TaskExecutor;

import java.util.Locale;

/**
 * The Evaluation tab's Metrics for a run that predicts a number: MSE, MAE and R² on the test split, the predictions
 * against the true values (on the diagonal when perfect) and the residuals (predicted − true) against the predicted
 * values, where a trend or a funnel shows what the model misses.
 */
final class RegressionResultsPane extends VBox {

    private static final Color POINTS = Color.web("#1f77b4");
    private static final Color REFERENCE = Color.web("#7f7f7f");

    private final Label headline = new Label();
    private final CurveChart scatter;
    private final CurveChart residuals;
    private RegressionEvaluation result;

    RegressionResultsPane(TaskExecutor executor) {
        super(8);
        setPadding(new Insets(10));
        headline.setId("regressionMetrics");
        headline.getStyleClass().add("accuracy-headline");
        headline.setWrapText(true);
        headline.setMinHeight(javafx.scene.layout.Region.USE_PREF_SIZE);
        scatter = new CurveChart("Predicted against true", "True value", "Predicted value", executor);
        scatter.setId("predictedAgainstTrue");
        residuals = new CurveChart("Residuals (predicted − true)", "Predicted value", "Residual", executor);
        residuals.setId("residuals");
        HBox charts = new HBox(10, scatter, residuals);
        HBox.setHgrow(scatter, Priority.ALWAYS);
        HBox.setHgrow(residuals, Priority.ALWAYS);
        scatter.setMinSize(200, 200);
        residuals.setMinSize(200, 200);
        VBox.setVgrow(charts, Priority.ALWAYS);
        getChildren().setAll(headline, charts);
    }

    void show(RegressionEvaluation e) {
        result = e;
        headline.setText(String.format(Locale.ROOT, "R² %.4f · MSE %.4f · MAE %.4f on %d test samples (predicting %s; "
                + "R² 1 is perfect, 0 is no better than always guessing the mean)", e.r2(), e.mse(), e.mae(), e.size(), e.target()));
        double low = Double.POSITIVE_INFINITY;
        double high = Double.NEGATIVE_INFINITY;
        for (float a : e.actual()) {
            low = Math.min(low, a);
            high = Math.max(high, a);
        }
        double predictedLow = Double.POSITIVE_INFINITY;
        double predictedHigh = Double.NEGATIVE_INFINITY;
        for (float p : e.predicted()) {
            predictedLow = Math.min(predictedLow, p);
            predictedHigh = Math.max(predictedHigh, p);
        }
        double from = low;
        double to = high;
        double pFrom = predictedLow;
        double pTo = predictedHigh;
        scatter.update(() -> {
            scatter.clear();
            CurveChart.Curve perfect = scatter.curve("perfect", "perfect prediction", REFERENCE, CurveChart.Style.DASHED);
            perfect.add(from, from);
            perfect.add(to, to);
            CurveChart.Curve points = scatter.curve("samples", "test samples", POINTS, CurveChart.Style.POINT);
            for (int i = 0; i < e.size(); i++) points.add(e.actual()[i], e.predicted()[i]);
        });
        residuals.update(() -> {
            residuals.clear();
            CurveChart.Curve zero = residuals.curve("zero", "no error", REFERENCE, CurveChart.Style.DASHED);
            zero.add(pFrom, 0);
            zero.add(pTo, 0);
            CurveChart.Curve points = residuals.curve("residuals", "test samples", POINTS, CurveChart.Style.POINT);
            for (int i = 0; i < e.size(); i++) points.add(e.predicted()[i], e.residual(i));
        });
    }

    RegressionEvaluation result() { return result; }
    CurveChart scatter() { return scatter; }
    CurveChart residuals() { return residuals; }
}
