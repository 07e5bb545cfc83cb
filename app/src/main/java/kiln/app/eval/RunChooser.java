package kiln.app.eval;

import javafx.scene.control.ChoiceBox;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.layout.HBox;
import kiln.app.document.ProjectDocument;
import kiln.engine.eval.TrainedModel;
import kiln.engine.runs.RunFolder;
import kiln.widgets.tasks.TaskExecutor;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Picks a trained run of the open project and which of its weights to use; lists the runs afresh when opened,
 * reading the runs folder on the executor.
 */
public final class RunChooser extends HBox {

    private final ProjectDocument document;
    private final TaskExecutor executor;
    private final ComboBox<String> runs = new ComboBox<>();
    private final ChoiceBox<String> weights = new ChoiceBox<>();

    /**
     * Lists nothing until {@link #refresh} is called.
     * @param labelled with its own "Run" label (a form that names the field itself leaves it out)
     */
    public RunChooser(ProjectDocument document, TaskExecutor executor, boolean labelled) {
        super(6);
        this.document = document;
        this.executor = executor;
        setAlignment(javafx.geometry.Pos.CENTER_LEFT);
        runs.setId("runChoice");
        runs.setPromptText("no trained run");
        runs.setOnShowing(e -> refresh(() -> { }));
        weights.setId("weightsChoice");
        weights.getItems().setAll("best epoch", "last epoch");
        weights.setValue("best epoch");
        if (labelled) getChildren().add(new Label("Run"));
        getChildren().addAll(runs, weights);
    }

    /**
     * Lists the runs that have saved weights, newest first, keeping the choice when it still exists; then
     * {@code whenListed} runs on the JavaFX thread.
     */
    public void refresh(Runnable whenListed) {
        Path folder = document.folder();
        executor.submit("Listing runs", p -> trainedRuns(folder), ids -> {
            String current = runs.getValue();
            runs.getItems().setAll(ids);
            runs.setValue(current != null && ids.contains(current) ? current : ids.isEmpty() ? null : ids.get(0));
            whenListed.run();
        }, error -> whenListed.run());
    }

    private static List<String> trainedRuns(Path folder) {
        if (folder == null) return List.of();
        try {
            List<String> ids = new ArrayList<>(RunFolder.list(folder).stream()
                    .filter(RunFolder::hasCheckpoint).map(RunFolder::id).toList());
            Collections.reverse(ids);
            return ids;
        } catch (IOException e) {
            return List.of();
        }
    }

    /** The chosen run id, or null when there is none. */
    public String run() {
        return runs.getValue();
    }

    public TrainedModel.Weights weights() {
        return "last epoch".equals(weights.getValue()) ? TrainedModel.Weights.LAST : TrainedModel.Weights.BEST;
    }

    public ComboBox<String> runBox() {
        return runs;
    }

    /** Called whenever the chosen run or weights change. */
    public void setOnChange(Runnable changed) {
        runs.valueProperty().addListener((o, a, b) -> changed.run());
        weights.valueProperty().addListener((o, a, b) -> changed.run());
    }
}
