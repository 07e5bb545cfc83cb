package kiln.app.transfer;

import atlantafx.base.theme.Styles;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.RadioButton;
import javafx.scene.control.TextField;
import javafx.scene.control.ToggleGroup;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import javafx.stage.DirectoryChooser;
import javafx.stage.Modality;
import javafx.stage.Stage;
import kiln.app.document.ProjectDocument;
import kiln.app.document.ViewContext;
import kiln.engine.edit.GraphEdits;
import kiln.engine.model.ModelGraph;
import kiln.engine.runs.RunFolder;
import kiln.engine.runs.RunRecord;
import kiln.engine.train.StartFrom;
import kiln.engine.train.TrainingSession;
import kiln.engine.train.WeightTransfer;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * Model → Start from…: pick a trained run of this project, of another project or of a Kiln export; see layer by
 * layer which weights it gives (loaded, new, skipped and why) before anything changes; then apply it as one
 * undoable edit. Runs are listed and weights matched on the executor.
 */
public final class StartFromDialog {

    private final ProjectDocument document;
    private final ViewContext context;
    private final Stage stage = new Stage();
    private final TextField sourceField = new TextField();
    private final Button otherFolder = new Button("Other Project or Export…");
    private final Button thisProject = new Button("This Project");
    private final ComboBox<String> runs = new ComboBox<>();
    private final Label runInfo = new Label();
    private final ToggleGroup modes = new ToggleGroup();
    private final RadioButton takeLayers = new RadioButton("Take its layers and weights (replaces this network; "
            + "keeps this project's input)");
    private final RadioButton keepNetwork = new RadioButton("Keep this network; take weights where a layer's name and "
            + "shape match");
    private final ListView<WeightTransfer.LayerResult> report = new ListView<>();
    private final Label message = new Label();
    private final Button apply = new Button("Start from It");
    private final Button close = new Button("Cancel");
    private Path source;
    private List<RunRecord> records = List.of();
    private StartFrom.Plan plan;
    private ModelGraph planned;
    private long generation;

    public StartFromDialog(ViewContext context) {
        this.context = context;
        this.document = context.document();
        stage.setTitle("Start from a trained model — " + document.project().name());
        if (context.owner() != null) {
            stage.initOwner(context.owner());
            stage.initModality(Modality.WINDOW_MODAL);
        }
        sourceField.setId("startFromSource");
        sourceField.setEditable(false);
        sourceField.setPrefColumnCount(34);
        sourceField.setPromptText("choose a project or Kiln export folder");
        thisProject.setId("startFromThisProject");
        thisProject.setDisable(document.folder() == null);
        thisProject.setOnAction(e -> chooseSource(document.folder()));
        otherFolder.setId("startFromOther");
        otherFolder.setOnAction(e -> browse());
        runs.setId("startFromRun");
        runs.setPromptText("no run with weights");
        runs.valueProperty().addListener((o, a, b) -> {
            showRunInfo();
            replan();
        });
        runInfo.getStyleClass().add(Styles.TEXT_MUTED);
        takeLayers.setId("startFromTakeLayers");
        keepNetwork.setId("startFromKeepNetwork");
        takeLayers.setToggleGroup(modes);
        keepNetwork.setToggleGroup(modes);
        takeLayers.setSelected(true);
        modes.selectedToggleProperty().addListener((o, a, b) -> replan());
        report.setId("startFromReport");
        report.setPrefHeight(220);
        report.setPlaceholder(new Label("Choose a trained run to see which layers take its weights."));
        report.setCellFactory(v -> new ListCell<>() {
            @Override
            protected void updateItem(WeightTransfer.LayerResult r, boolean empty) {
                super.updateItem(r, empty);
                getStyleClass().removeAll(Styles.SUCCESS, Styles.WARNING);
                setText(empty || r == null ? null : r.line());
                if (!empty && r != null) {
                    getStyleClass().add(r.outcome() == WeightTransfer.Outcome.LOADED ? Styles.SUCCESS : Styles.WARNING);
                }
            }
        });
        message.setId("startFromMessage");
        message.setWrapText(true);
        message.setMaxWidth(620);
        message.setMinHeight(javafx.scene.layout.Region.USE_PREF_SIZE);
        apply.setId("startFromApply");
        apply.setDefaultButton(true);
        apply.setDisable(true);
        apply.setOnAction(e -> apply());
        close.setCancelButton(true);
        close.setOnAction(e -> stage.close());

        GridPane grid = new GridPane();
        grid.setHgap(8);
        grid.setVgap(8);
        HBox where = new HBox(6, sourceField, thisProject, otherFolder);
        HBox.setHgrow(sourceField, Priority.ALWAYS);
        grid.addRow(0, new Label("Trained model"), where);
        HBox run = new HBox(8, runs, runInfo);
        run.setAlignment(Pos.CENTER_LEFT);
        grid.addRow(1, new Label("Run"), run);
        Label layerByLayer = new Label("Layer by layer");
        layerByLayer.getStyleClass().add(Styles.TEXT_BOLD);
        Label note = new Label("Loaded layers start from the run's weights (best epoch) and are marked pre-trained; "
                + "the others start new. Then change the head, freeze what should stay, and train.");
        note.setWrapText(true);
        note.setMaxWidth(620);
        note.getStyleClass().add(Styles.TEXT_MUTED);
        note.setMinHeight(javafx.scene.layout.Region.USE_PREF_SIZE);
        HBox buttons = new HBox(8, apply, close);
        buttons.setAlignment(Pos.CENTER_RIGHT);
        VBox root = new VBox(10, grid, takeLayers, keepNetwork, layerByLayer, report, note, message, buttons);
        root.setPadding(new Insets(14));
        Scene scene = new Scene(root);
        scene.getStylesheets().add(StartFromDialog.class.getResource("/kiln/app/kiln.css").toExternalForm());
        stage.setScene(scene);
        if (document.folder() != null) chooseSource(document.folder());
    }

    public void show() {
        stage.show();
    }

    public Stage stage() {
        return stage;
    }

    private void browse() {
        DirectoryChooser chooser = new DirectoryChooser();
        chooser.setTitle("Choose a Kiln project or export folder with a trained run");
        chooser.setInitialDirectory(kiln.widgets.util.ChooserStart.existing(source == null ? null : source.getParent()));
        File chosen = chooser.showDialog(stage);
        if (chosen != null) chooseSource(chosen.toPath());
    }

    /** Lists the folder's runs that have weights (newest first) on the executor, then matches the newest. */
    public void chooseSource(Path folder) {
        source = folder.toAbsolutePath().normalize();
        sourceField.setText(source.equals(document.folder()) ? "this project (" + source.getFileName() + ")" : source.toString());
        plan = null;
        apply.setDisable(true);
        report.getItems().clear();
        long asked = ++generation;
        Path chosen = source;
        context.executor().submit("Listing trained runs", p -> trainedRuns(chosen), found -> {
            if (asked != generation) return;
            records = found;
            message.setText(found.isEmpty() ? chosen.getFileName() + " has no run with saved weights; train it first, "
                    + "or choose another folder." : "");
            runs.getItems().setAll(found.stream().map(RunRecord::id).toList());
            runs.setValue(found.isEmpty() ? null : found.get(0).id());
        }, error -> {
            if (asked != generation) return;
            records = List.of();
            runs.getItems().clear();
            message.setText("Cannot list the runs of " + chosen + ": " + error.getMessage());
        });
    }

    private static List<RunRecord> trainedRuns(Path folder) throws IOException {
        List<RunRecord> out = new ArrayList<>();
        for (RunFolder r : RunFolder.list(folder)) {
            if (!r.hasWeights()) continue;
            try {
                out.add(r.readCurrentRecord());
            } catch (IOException | RuntimeException e) {
                // a run whose record is damaged can still give weights; list it by its id
                out.add(new RunRecord(r.id(), "unknown", null, 0, 0, 0, Double.NaN, Double.NaN, Double.NaN, 0,
                        null, null));
            }
        }
        Collections.reverse(out);
        return out;
    }

    private void showRunInfo() {
        RunRecord r = records.stream().filter(x -> x.id().equals(runs.getValue())).findFirst().orElse(null);
        if (r == null) {
            runInfo.setText("");
            return;
        }
        String name = r.name() == null || r.name().isBlank() ? "" : r.name() + " · ";
        String accuracy = Double.isNaN(r.testAccuracy()) ? "" : String.format(Locale.ROOT, " · test accuracy %.2f %%",
                100 * r.testAccuracy());
        runInfo.setText(name + r.status() + ", " + r.epochsCompleted() + " epochs" + accuracy);
    }

    /** Matches the chosen run against the network on the executor; nothing changes until Start from It. */
    private void replan() {
        plan = null;
        apply.setDisable(true);
        report.getItems().clear();
        String run = runs.getValue();
        if (source == null || run == null) return;
        StartFrom.Mode mode = keepNetwork.isSelected() ? StartFrom.Mode.KEEP_THIS_NETWORK : StartFrom.Mode.TAKE_ITS_LAYERS;
        Path projectFolder = document.folder();
        String label = StartFrom.label(projectFolder, source, run);
        ModelGraph snapshot = document.project().graph().copy();
        long asked = ++generation;
        message.getStyleClass().removeAll(Styles.SUCCESS, Styles.DANGER);
        message.setText("Matching the layers of " + run + " …");
        context.executor().submit("Matching layers with " + run, p -> StartFrom.plan(snapshot, projectFolder, label, mode),
                result -> {
                    if (asked != generation) return;
                    plan = result;
                    planned = snapshot;
                    report.getItems().setAll(result.report());
                    long loaded = result.loadedCount();
                    message.setText(loaded == 0 ? "No layer matches by name and shape, so no weights would come in."
                            : loaded + " of " + result.report().size() + " layers with weights would start from "
                            + result.source().describe() + ".");
                    apply.setDisable(loaded == 0 || document.lockedProperty().get());
                },
                error -> {
                    if (asked != generation) return;
                    message.getStyleClass().add(Styles.DANGER);
                    message.setText(error instanceof TrainingSession.SetupException ? error.getMessage()
                            : "Cannot read " + run + ": " + error.getMessage());
                });
    }

    /** Applies the plan as one undoable edit, unless the network changed since it was matched. */
    public boolean apply() {
        if (plan == null) return false;
        message.getStyleClass().removeAll(Styles.SUCCESS, Styles.DANGER);
        if (!document.project().graph().sameContents(planned)) {
            replan();
            message.setText("The network changed meanwhile; the layers were matched again, check them and apply once more.");
            return false;
        }
        try {
            document.execute(GraphEdits.replaceNetwork(document.project().graph(), plan.description(), plan.result()));
        } catch (IllegalArgumentException | IllegalStateException e) {
            message.getStyleClass().add(Styles.DANGER);
            message.setText("Not changed: " + e.getMessage());
            return false;
        }
        message.getStyleClass().add(Styles.SUCCESS);
        message.setText(plan.description() + ": " + plan.loadedCount() + " layers are pre-trained. Change the head "
                + "for this data, freeze what should stay (right-click a layer), then train. Edit → Undo takes it back.");
        apply.setDisable(true);
        close.setText("Close");
        plan = null;
        return true;
    }

    /** The report lines shown, for tests. */
    public List<String> reportLines() {
        return report.getItems().stream().map(WeightTransfer.LayerResult::line).toList();
    }

    public String messageText() {
        return message.getText();
    }
}
