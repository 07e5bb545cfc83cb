package kiln.app.export;

import atlantafx.base.theme.Styles;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.ChoiceBox;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.TextField;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import javafx.stage.FileChooser;
import javafx.stage.Modality;
import javafx.stage.Stage;
import kiln.app.document.ViewContext;
import kiln.app.eval.RunChooser;
import kiln.engine.eval.TrainedModel;
import kiln.engine.export.ExportException;
import kiln.engine.export.ExportFormat;
import kiln.widgets.tasks.TaskHandle;

import java.io.File;
import java.nio.file.Path;

/**
 * File → Export: choose a trained run, a format (ONNX, PyTorch, Kiln) and where to write it; the export runs on
 * the executor with progress and ends with the path written or a plain-words error.
 */
public final class ExportDialog {

    private final ViewContext context;
    private final Stage stage = new Stage();
    private final RunChooser runChooser;
    private final ChoiceBox<ExportFormat> format = new ChoiceBox<>();
    private final TextField path = new TextField();
    private final Button choose = new Button("Choose…");
    private final Button export = new Button("Export");
    private final Button close = new Button("Close");
    private final ProgressBar progress = new ProgressBar();
    private final Label result = new Label();
    private TaskHandle task;

    public ExportDialog(ViewContext context) {
        this.context = context;
        this.runChooser = new RunChooser(context.document(), context.executor(), false);
        stage.setTitle("Export trained network — " + context.document().project().name());
        if (context.owner() != null) {
            stage.initOwner(context.owner());
            stage.initModality(Modality.WINDOW_MODAL);
        }
        format.getItems().setAll(ExportFormat.values());
        format.setValue(ExportFormat.ONNX);
        format.setId("exportFormat");
        format.valueProperty().addListener((o, old, f) -> {
            suggestPath(old, f);
            runChooser.setDisable(!f.needsTrainedRun());
            export.setDisable(f.needsTrainedRun() && runChooser.run() == null);
        });
        path.setId("exportPath");
        path.setPrefColumnCount(36);
        suggestPath(null, ExportFormat.ONNX);
        choose.setOnAction(e -> choosePath());
        export.setId("exportButton");
        export.setDefaultButton(true);
        export.setOnAction(e -> export());
        close.setCancelButton(true);
        close.setOnAction(e -> {
            if (task != null) task.cancel();
            stage.close();
        });
        progress.setVisible(false);
        progress.setMaxWidth(Double.MAX_VALUE);
        result.setId("exportResult");
        result.setWrapText(true);
        result.setMaxWidth(520);

        GridPane grid = new GridPane();
        grid.setHgap(8);
        grid.setVgap(8);
        grid.addRow(0, new Label("Trained run"), runChooser);
        grid.addRow(1, new Label("Format"), format);
        HBox where = new HBox(6, path, choose);
        HBox.setHgrow(path, Priority.ALWAYS);
        grid.addRow(2, new Label("Save to"), where);
        Label note = new Label("ONNX takes raw pixel values (the preprocessing is folded in); PyTorch writes model.py, "
                + "weights and evaluate.py into a folder; Kiln writes a project folder you can open and train further. "
                + "A PyTorch training folder trains the network anew elsewhere (e.g. on a GPU machine) with train.py; "
                + "Import run… in the Training view brings the result back.");
        note.setWrapText(true);
        note.setMaxWidth(520);
        note.getStyleClass().add(Styles.TEXT_MUTED);
        // wrapped labels keep their full height; the window grows when the result needs a second line
        note.setMinHeight(javafx.scene.layout.Region.USE_PREF_SIZE);
        result.setMinHeight(javafx.scene.layout.Region.USE_PREF_SIZE);
        result.textProperty().addListener((o, a, b) -> javafx.application.Platform.runLater(stage::sizeToScene));
        HBox buttons = new HBox(8, export, close);
        buttons.setAlignment(Pos.CENTER_RIGHT);
        VBox root = new VBox(12, grid, note, progress, result, buttons);
        root.setPadding(new Insets(14));
        Scene scene = new Scene(root);
        scene.getStylesheets().add(ExportDialog.class.getResource("/kiln/app/kiln.css").toExternalForm());
        stage.setScene(scene);
        export.setDisable(true);
        runChooser.refresh(() -> {
            boolean none = runChooser.run() == null;
            export.setDisable(none && format.getValue().needsTrainedRun());
            if (none) result.setText("This project has no trained run yet; train it first, then export (a PyTorch "
                    + "training folder needs none).");
        });
    }

    public void show() {
        stage.show();
    }

    public Stage stage() {
        return stage;
    }

    private void suggestPath(ExportFormat old, ExportFormat f) {
        Path base = context.document().folder() != null ? context.document().folder().resolve("exports") : Path.of("exports");
        String current = path.getText();
        if (current.isBlank() || (old != null && current.endsWith(old.defaultName()))) {
            path.setText(base.resolve(f.defaultName()).toString());
        }
    }

    private void choosePath() {
        FileChooser chooser = new FileChooser();
        ExportFormat f = format.getValue();
        chooser.setTitle(f.isFolder() ? "Name the folder to export into" : "Save the ONNX model as");
        Path current = Path.of(path.getText().isBlank() ? f.defaultName() : path.getText()).toAbsolutePath();
        chooser.setInitialDirectory(kiln.widgets.util.ChooserStart.existing(current.getParent()));
        chooser.setInitialFileName(current.getFileName().toString());
        if (!f.isFolder()) chooser.getExtensionFilters().add(new FileChooser.ExtensionFilter("ONNX model", "*.onnx"));
        File chosen = chooser.showSaveDialog(stage);
        if (chosen != null) path.setText(chosen.getPath());
    }

    /** Loads the run and writes the export in the background. */
    public void export() {
        ExportFormat f = format.getValue();
        String run = f.needsTrainedRun() ? runChooser.run() : "the training";
        if (run == null || path.getText().isBlank()) {
            result.setText(run == null ? "Train the project first." : "Give a file or folder to export to.");
            return;
        }
        Path target = Path.of(path.getText().trim()).toAbsolutePath().normalize();
        TrainedModel.Weights weights = runChooser.weights();
        var project = context.document().project();
        Path folder = context.document().folder();
        export.setDisable(true);
        progress.setVisible(true);
        result.getStyleClass().removeAll(Styles.SUCCESS, Styles.DANGER);
        result.setText("Exporting " + run + " …");
        TaskHandle handle = context.executor().submit("Exporting " + run, p -> {
            TrainedModel model = f.needsTrainedRun() ? TrainedModel.load(project, folder, run, weights, p)
                    : TrainedModel.untrained(project, folder, p);
            f.export(model, target, p);
            return model.describe();
        }, described -> {
            result.getStyleClass().add(Styles.SUCCESS);
            result.setText("Exported " + described + " as " + f.description() + " to " + target);
        }, error -> {
            result.getStyleClass().add(Styles.DANGER);
            result.setText(error instanceof ExportException || error instanceof TrainedModel.UnavailableException
                    ? error.getMessage() : "The export failed: " + error);
        });
        task = handle;
        if (handle.runningProperty().get()) progress.progressProperty().bind(handle.progressProperty());
        handle.whenEnded(this::finished);
    }

    private void finished() {
        progress.progressProperty().unbind();
        progress.setVisible(false);
        export.setDisable(false);
    }
}
