package kiln.app.training;

import javafx.geometry.Insets;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.Priority;
import javafx.scene.paint.Color;
import kiln.engine.runs.TrainingEvent;
import kiln.widgets.charts.CurveChart;
import kiln.widgets.tasks.TaskExecutor;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Training tab's three charts: loss and accuracy per epoch for each run shown, and the live run's
 * loss per batch, raw and smoothed. Each run keeps its colour on every chart and in every comparison.
 */
final class TrainingCharts extends GridPane {

    /** Weight of the newest batch in the smoothed batch-loss curve. */
    static final double EMA_ALPHA = 0.05;

    private static final Color[] PALETTE = {
        Color.web("#1f77b4"), Color.web("#d62728"), Color.web("#2ca02c"), Color.web("#ff7f0e"),
        Color.web("#9467bd"), Color.web("#8c564b"), Color.web("#e377c2"), Color.web("#17becf")};
    private static final Pattern RUN_NUMBER = Pattern.compile("run-(\\d+)");

    /** One run's epochs as the epoch charts show them. */
    record Shown(String id, String label, List<TrainingEvent.EpochFinished> metrics) { }

    private final CurveChart lossChart;
    private final CurveChart accuracyChart;
    /** For a numeric target: R² in place of the accuracy, which does not apply. */
    private final CurveChart r2Chart;
    /** The accuracy chart, or the R² chart for a numeric target: the one in the grid. */
    private CurveChart scoreChart;
    private final CurveChart batchChart;
    private double ema;
    private int emaCount;

    TrainingCharts(TaskExecutor executor) {
        lossChart = new CurveChart("Loss per epoch", "Epoch", "Loss", executor);
        lossChart.setShowPoints(true);
        lossChart.setWholeNumberX();
        lossChart.setId("lossChart");
        accuracyChart = new CurveChart("Accuracy per epoch", "Epoch", "Accuracy", executor);
        accuracyChart.setShowPoints(true);
        accuracyChart.setWholeNumberX();
        accuracyChart.setPercentAxis();
        accuracyChart.setId("accuracyChart");
        r2Chart = new CurveChart("R² per epoch (1 is perfect)", "Epoch", "R²", executor);
        r2Chart.setShowPoints(true);
        r2Chart.setWholeNumberX();
        r2Chart.setId("r2Chart");
        scoreChart = accuracyChart;
        batchChart = new CurveChart("Loss per batch (smoothed; raw values faint)", "Epoch", "Loss", executor);
        batchChart.setId("batchChart");
        setHgap(6);
        setVgap(6);
        setPadding(new Insets(6));
        add(lossChart, 0, 0);
        add(accuracyChart, 1, 0);
        add(batchChart, 0, 1, 2, 1);
        for (CurveChart c : List.of(lossChart, accuracyChart, r2Chart, batchChart)) {
            GridPane.setHgrow(c, Priority.ALWAYS);
            GridPane.setVgrow(c, Priority.ALWAYS);
            c.setPrefSize(420, 260);
        }
    }

    /** Empties the batch chart and restarts its smoothing, for a new (or deleted) live run. */
    void clearBatches() {
        ema = 0;
        emaCount = 0;
        batchChart.update(batchChart::clear);
    }

    /** Adds the live run's batches to the batch chart, raw and smoothed. */
    void addBatches(String runId, String label, List<TrainingEvent.BatchFinished> batches) {
        if (batches.isEmpty()) return;
        List<double[]> points = new ArrayList<>();
        for (TrainingEvent.BatchFinished b : batches) {
            // Exponential moving average, corrected for starting at 0 so its first values are not too low.
            ema = EMA_ALPHA * b.loss() + (1 - EMA_ALPHA) * ema;
            emaCount++;
            double smoothed = ema / (1 - Math.pow(1 - EMA_ALPHA, emaCount));
            points.add(new double[] {b.epoch() - 1 + (double) b.batch() / b.batchesPerEpoch(), b.loss(), smoothed});
        }
        String prefix = label == null ? "" : label + " ";
        batchChart.update(() -> {
            CurveChart.Curve raw = batchChart.curve("raw", prefix + "batch loss", colorOf(runId), CurveChart.Style.FAINT);
            CurveChart.Curve smooth = batchChart.curve("ema", prefix + "smoothed", colorOf(runId), CurveChart.Style.SOLID);
            for (double[] p : points) {
                raw.add(p[0], p[1]);
                smooth.add(p[0], p[2]);
            }
        });
    }

    /** Shows R² rather than accuracy beside the loss when the project predicts a number. */
    void showScoreAs(boolean numbers) {
        CurveChart wanted = numbers ? r2Chart : accuracyChart;
        if (wanted == scoreChart) return;
        getChildren().remove(scoreChart);
        scoreChart = wanted;
        add(scoreChart, 1, 0);
    }

    /** Redraws the epoch charts with these runs, in run order. */
    void showEpochs(List<Shown> runs) {
        List<Shown> all = new ArrayList<>(runs);
        all.sort(Comparator.comparingInt(s -> runNumber(s.id())));
        CurveChart score = scoreChart;
        lossChart.update(() -> score.update(() -> {
            lossChart.clear();
            score.clear();
            for (Shown s : all) draw(s.id(), s.label(), s.metrics());
        }));
    }

    private void draw(String id, String label, List<TrainingEvent.EpochFinished> metrics) {
        Color c = colorOf(id);
        CurveChart.Curve trainLoss = lossChart.curve(id + "/train", label + " training", c, CurveChart.Style.SOLID);
        CurveChart.Curve valLoss = lossChart.curve(id + "/val", label + " validation", c, CurveChart.Style.DASHED);
        CurveChart.Curve trainAcc = scoreChart.curve(id + "/train", label + " training", c, CurveChart.Style.SOLID);
        CurveChart.Curve valAcc = scoreChart.curve(id + "/val", label + " validation", c, CurveChart.Style.DASHED);
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

    private static int runNumber(String runId) {
        Matcher m = RUN_NUMBER.matcher(runId == null ? "" : runId);
        return m.matches() ? Integer.parseInt(m.group(1)) : 0;
    }

    /** A run keeps its colour on every chart and in every comparison. */
    static Color colorOf(String runId) {
        return PALETTE[Math.floorMod(runNumber(runId) - 1, PALETTE.length)];
    }
}
