package kiln.app.training;

import atlantafx.base.theme.Styles;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressBar;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.scene.paint.Color;
import javafx.stage.Modality;
import javafx.stage.Stage;
import kiln.app.document.ProjectDocument;
import kiln.app.document.ViewContext;
import kiln.engine.edit.ValueChange;
import kiln.engine.project.Project;
import kiln.engine.train.LearningRateFinder;
import kiln.engine.train.TrainingSession;
import kiln.widgets.charts.CurveChart;
import kiln.widgets.tasks.TaskHandle;

import java.util.Locale;

/**
 * The learning-rate range test in a window: trains a fresh copy of the network briefly while the rate rises from
 * 1e-7 to 10, plots the loss against the rate, and suggests a rate with the reason. The project changes only
 * when the student presses "Use this rate", as one undoable edit.
 */
final class LearningRateDialog {

    private final ViewContext context;
    private final Stage stage = new Stage();
    private final CurveChart chart;
    private final Label explanation = new Label();
    private final Label result = new Label();
    private final ProgressBar progress = new ProgressBar(0);
    /** What the running test is doing ("Rate 3.2e-04: loss 0.4120"). */
    private final Label status = new Label();
    private final Button start = new Button("Run the test");
    private final Button use = new Button("Use this rate");
    private final Button close = new Button("Close");
    private final javafx.beans.property.BooleanProperty running = new javafx.beans.property.SimpleBooleanProperty();
    private TaskHandle task;
    private double suggested = Double.NaN;

    LearningRateDialog(ViewContext context) {
        this.context = context;
        ProjectDocument document = context.document();
        stage.setTitle("Find a learning rate — " + document.project().name());
        if (context.owner() != null) {
            stage.initOwner(context.owner());
            stage.initModality(Modality.WINDOW_MODAL);
        }
        chart = new CurveChart("Loss while the learning rate rises", "Learning rate", "Loss", context.executor());
        chart.setLogX();
        chart.setId("rateFinderChart");
        chart.setPrefSize(620, 340);
        explanation.setText(String.format(Locale.ROOT, "Trains a fresh copy of the network for %d batches of %d "
                        + "(optimizer %s) while the learning rate rises from 1e-7 to 10, one step per batch. The loss "
                        + "falls fastest around a good rate and blows up where the rate is too large. Your project and "
                        + "its runs are not changed until you press Use this rate.",
                LearningRateFinder.STEPS, document.project().training().batchSize(), document.project().training().optimizer()));
        for (Label l : new Label[] {explanation, result}) {
            l.setWrapText(true);
            l.setMaxWidth(620);
            l.setMinHeight(Region.USE_PREF_SIZE);
        }
        explanation.getStyleClass().add(Styles.TEXT_MUTED);
        result.setId("rateFinderResult");
        progress.setMaxWidth(Double.MAX_VALUE);
        progress.setVisible(false);
        start.setId("rateFinderStart");
        start.setDefaultButton(true);
        start.setOnAction(e -> run());
        use.setId("rateFinderUse");
        use.setDisable(true);
        use.setOnAction(e -> useSuggestion());
        close.setCancelButton(true);
        close.setOnAction(e -> stage.close());
        stage.setOnHidden(e -> {
            if (task != null) task.cancel();
        });
        // Training holds the project; the test would compete for the same cores and change nothing it could use.
        start.disableProperty().bind(document.lockedProperty().or(running));
        HBox buttons = new HBox(8, start, use, close);
        buttons.setAlignment(Pos.CENTER_RIGHT);
        status.getStyleClass().add(Styles.TEXT_MUTED);
        VBox root = new VBox(10, explanation, chart, progress, status, result, buttons);
        root.setPadding(new Insets(14));
        Scene scene = new Scene(root);
        scene.getStylesheets().add(LearningRateDialog.class.getResource("/kiln/app/kiln.css").toExternalForm());
        stage.setScene(scene);
    }

    void show() {
        stage.show();
    }

    Stage stage() {
        return stage;
    }

    private void run() {
        ProjectDocument document = context.document();
        if (document.folder() == null) {
            result.setText("Save the project first: the test reads its data from the project's folder.");
            return;
        }
        Project project = document.project();
        java.nio.file.Path folder = document.folder();
        // As many samples as the test's batches use: no need to load more of a large data set.
        int limit = LearningRateFinder.STEPS * project.training().batchSize();
        running.set(true);
        use.setDisable(true);
        suggested = Double.NaN;
        chart.update(chart::clear);
        result.setText("");
        status.setText("Preparing the data…");
        progress.setVisible(true);
        TaskHandle handle = context.executor().submit("Finding a learning rate", p -> {
            TrainingSession.PreparedData data = TrainingSession.prepareData(project, folder, limit, p);
            return LearningRateFinder.run(project, data, LearningRateFinder.STEPS, p);
        }, this::show, error -> {
            ended();
            result.setText("The test could not run: " + error.getMessage());
        });
        task = handle;
        if (handle.runningProperty().get()) {
            progress.progressProperty().bind(handle.progressProperty());
            status.textProperty().bind(handle.messageProperty());
        }
    }

    private void ended() {
        progress.progressProperty().unbind();
        status.textProperty().unbind();
        status.setText("");
        progress.setVisible(false);
        running.set(false);
    }

    private void show(LearningRateFinder.Result r) {
        ended();
        chart.update(() -> {
            CurveChart.Curve raw = chart.curve("loss", "loss per batch", Color.web("#0969da"), CurveChart.Style.FAINT);
            CurveChart.Curve smooth = chart.curve("smoothed", "smoothed loss", Color.web("#0969da"), CurveChart.Style.SOLID);
            for (LearningRateFinder.Point pt : r.curve()) {
                raw.add(pt.learningRate(), pt.loss());
                smooth.add(pt.learningRate(), pt.smoothedLoss());
            }
        });
        // Raw losses spike far above the curve where the rate is too large; the axis keeps the useful part readable.
        double highest = r.curve().stream().mapToDouble(LearningRateFinder.Point::smoothedLoss).max().orElse(1);
        if (Double.isFinite(highest) && highest > 0) chart.setValueRange(0, 1.5 * highest);
        suggested = r.suggested();
        boolean found = Double.isFinite(suggested);
        result.setText(r.reason() + (found ? String.format(Locale.ROOT, "\nSuggested learning rate: %.2g (the project "
                + "has %s).", suggested, context.document().project().training().learningRate()) : ""));
        use.setDisable(!found);
    }

    /** The suggestion, rounded to two digits, as one undoable edit of the training settings. */
    private void useSuggestion() {
        if (!Double.isFinite(suggested)) return;
        double rate = Double.parseDouble(String.format(Locale.ROOT, "%.2g", suggested));
        Project p = context.document().project();
        try {
            context.document().execute(new ValueChange<>("Set learning rate to " + rate, p::training, p::setTraining,
                    p.training().withLearningRate(rate)));
            result.setText(result.getText() + "\nThe project's learning rate is now " + rate + " (Edit → Undo takes it back).");
            use.setDisable(true);
        } catch (IllegalStateException | IllegalArgumentException e) {
            result.setText("The rate could not be set: " + e.getMessage());
        }
    }
}
