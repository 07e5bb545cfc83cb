package kiln.app.training;

import atlantafx.base.theme.Styles;
import javafx.beans.binding.Bindings;
import javafx.beans.value.ObservableValue;
import javafx.geometry.Insets;
import javafx.geometry.Orientation;
import javafx.geometry.Pos;
import javafx.scene.control.Alert;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonBar;
import javafx.scene.control.ButtonType;
import javafx.scene.control.Label;
import javafx.scene.control.Separator;
import javafx.scene.control.Spinner;
import javafx.scene.control.TextInputDialog;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import kiln.app.document.ProjectDocument;
import kiln.app.ui.ViewParts;
import kiln.engine.runs.RunRecord;
import kiln.engine.train.RunImport;
import kiln.widgets.tasks.TaskExecutor;

import java.nio.file.Path;
import java.util.List;

/**
 * The history of runs under the charts: the runs table, and continuing, renaming, deleting and importing runs.
 * Every change to a run folder happens off the JavaFX thread.
 */
final class RunsPane extends VBox {

    /** What the pane needs from the Training view. */
    interface Host {
        /** True for the run training now, which must not be renamed or deleted. */
        boolean isLive(RunRow r);

        void continueRun(RunRow r, int moreEpochs);

        void renamed(RunRow r, RunRecord record);

        void deleted(List<RunRow> chosen);

        /** Lists the runs again and selects this one. */
        void listAndSelect(String runId);

        void refresh();

        void showError(String text);

        void showInfo(String text);
    }

    private final ProjectDocument document;
    private final TaskExecutor executor;
    private final javafx.stage.Window owner;
    private final Host host;
    private final RunsTable runs;
    private final Spinner<Integer> moreEpochs = new Spinner<>(1, 10_000, 2);
    private final GroupSummaryPane groupSummary = new GroupSummaryPane();

    RunsPane(ProjectDocument document, TaskExecutor executor, javafx.stage.Window owner, RunsTable runs,
             ObservableValue<RunState> state, Host host) {
        this.document = document;
        this.executor = executor;
        this.owner = owner;
        this.runs = runs;
        this.host = host;
        Button continueRun = new Button("Continue");
        Button rename = new Button("Rename…");
        Button delete = new Button("Delete…");
        Button importRun = new Button("Import run…");
        continueRun.setId("continueButton");
        moreEpochs.setId("moreEpochs");
        moreEpochs.setPrefWidth(80);
        moreEpochs.setEditable(true);
        rename.setId("renameButton");
        delete.setId("deleteButton");
        continueRun.setOnAction(e -> continueSelected());
        rename.setOnAction(e -> renameSelected());
        delete.setOnAction(e -> deleteSelected());
        importRun.setId("importRunButton");
        importRun.setOnAction(e -> chooseRunToImport());
        importRun.setTooltip(new Tooltip("Bring in a run trained with PyTorch from File → Export → PyTorch training folder."));
        var selection = runs.getSelectionModel().getSelectedItems();
        continueRun.disableProperty().bind(Bindings.createBooleanBinding(() -> selection.size() != 1
                || state.getValue().isActive() || selection.get(0) == null || selection.get(0).record() == null
                || selection.get(0).record().epochsCompleted() == 0, selection, state));
        rename.disableProperty().bind(Bindings.size(selection).isNotEqualTo(1));
        delete.disableProperty().bind(Bindings.isEmpty(selection));
        continueRun.setTooltip(new Tooltip("Train the selected run further from its last saved epoch, with its own settings."));
        Label title = new Label("Runs");
        title.getStyleClass().add(Styles.TEXT_BOLD);
        Label compare = new Label("Select two or more runs (Ctrl/Shift-click) to compare their curves.");
        compare.getStyleClass().add(Styles.TEXT_MUTED);
        Label more = new Label("more epochs");
        // the buttons keep their words; the hint wraps into the room that is left
        for (Region r : List.of(title, continueRun, moreEpochs, more, rename, delete, importRun)) r.setMinWidth(Region.USE_PREF_SIZE);
        compare.setWrapText(true);
        compare.setMinWidth(120);
        compare.setMinHeight(Region.USE_PREF_SIZE);
        HBox actions = new HBox(6, title, compare, ViewParts.spacer(), continueRun, moreEpochs, more,
                new Separator(Orientation.VERTICAL), rename, delete, new Separator(Orientation.VERTICAL), importRun);
        actions.setAlignment(Pos.CENTER_LEFT);
        actions.setPadding(new Insets(4, 6, 4, 6));
        javafx.scene.control.ScrollPane summaryScroll = new javafx.scene.control.ScrollPane(groupSummary);
        summaryScroll.setFitToWidth(true);
        summaryScroll.setPrefWidth(390);
        summaryScroll.setMinWidth(390);
        summaryScroll.visibleProperty().bind(groupSummary.visibleProperty());
        summaryScroll.managedProperty().bind(groupSummary.managedProperty());
        HBox tableAndGroup = new HBox(runs, summaryScroll);
        HBox.setHgrow(runs, Priority.ALWAYS);
        getChildren().addAll(actions, tableAndGroup);
        VBox.setVgrow(tableAndGroup, Priority.ALWAYS);
    }

    /** The result of the selected run's repeat or cross-validation, else of the newest one. */
    void showGroups(List<RunGroups.Group> groups, RunRow selected) {
        groupSummary.show(groups, selected);
    }

    private void renameSelected() {
        RunRow r = runs.getSelectionModel().getSelectedItem();
        if (r == null || r.record() == null) return;
        if (host.isLive(r)) {
            host.showError(r.id() + " is training; rename it when it has finished.");
            return;
        }
        TextInputDialog ask = new TextInputDialog(r.record().name() == null ? "" : r.record().name());
        ask.setTitle("Rename run");
        ask.setHeaderText("A name for " + r.id() + " (empty to go back to \"" + r.id() + "\")");
        if (owner != null) ask.initOwner(owner);
        ask.showAndWait().ifPresent(name -> renameRun(r, name));
    }

    /** Stores the display name in the run's run.json (off the JavaFX thread). */
    void renameRun(RunRow r, String name) {
        executor.submit("Renaming " + r.id(), p -> r.folder().rename(name), record -> host.renamed(r, record),
                error -> host.showError("Could not rename " + r.id() + ": " + plainMessage(error)));
    }

    private void deleteSelected() {
        List<RunRow> chosen = List.copyOf(runs.getSelectionModel().getSelectedItems());
        if (chosen.isEmpty()) return;
        var live = chosen.stream().filter(host::isLive).findFirst();
        if (live.isPresent()) {
            host.showError(live.get().id() + " is training; stop it before deleting it.");
            return;
        }
        String names = String.join(", ", chosen.stream().map(RunRow::label).toList());
        ButtonType deleteButton = new ButtonType("Delete", ButtonBar.ButtonData.OK_DONE);
        Alert ask = new Alert(Alert.AlertType.CONFIRMATION, "Delete " + names + " with their metrics and saved weights? "
                + "This cannot be undone.", deleteButton, ButtonType.CANCEL);
        ask.setHeaderText("Delete " + (chosen.size() == 1 ? "run" : chosen.size() + " runs"));
        if (owner != null) ask.initOwner(owner);
        if (ask.showAndWait().orElse(ButtonType.CANCEL) == deleteButton) deleteRuns(chosen);
    }

    void deleteRuns(List<RunRow> chosen) {
        executor.submit("Deleting runs", p -> {
            for (RunRow r : chosen) r.folder().delete();
            return chosen.size();
        }, n -> {
            runs.getSelectionModel().clearSelection();
            host.deleted(chosen);
        }, error -> {
            host.showError("Could not delete every run: " + plainMessage(error));
            host.refresh();
        });
    }

    private void chooseRunToImport() {
        if (document.folder() == null) {
            host.showError("Save the project first; an imported run is kept in the project's folder.");
            return;
        }
        javafx.stage.DirectoryChooser chooser = new javafx.stage.DirectoryChooser();
        chooser.setTitle("Choose the run folder train.py wrote (run/ in the PyTorch training folder)");
        java.io.File chosen = chooser.showDialog(owner);
        if (chosen != null) importRun(chosen.toPath());
    }

    /** Checks and copies a run trained with an exported train.py into the project, off the JavaFX thread. */
    void importRun(Path source) {
        Path folder = document.folder();
        var project = document.project();
        executor.submit("Importing a run", p -> RunImport.importRun(project, folder, source), run -> {
            host.showInfo("Imported " + source.getFileName() + " as " + run.id() + ".");
            host.listAndSelect(run.id());
        }, error -> {
            String text = error instanceof RunImport.RefusedException ? error.getMessage() : plainMessage(error);
            host.showError("Not imported: " + text);
            Alert alert = new Alert(Alert.AlertType.ERROR, text, ButtonType.OK);
            alert.setTitle("Import run");
            alert.setHeaderText("This folder cannot become a run of " + project.name());
            alert.getDialogPane().setMinHeight(Region.USE_PREF_SIZE);
            if (owner != null) alert.initOwner(owner);
            alert.show();
        });
    }

    private void continueSelected() {
        RunRow r = runs.getSelectionModel().getSelectedItem();
        if (r == null || r.record() == null) return;
        if (r.record().epochsCompleted() == 0) {
            host.showError(r.label() + " has no finished epoch to continue from; start a new run instead.");
            return;
        }
        host.continueRun(r, moreEpochs.getValue());
    }

    static String plainMessage(Throwable e) {
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
    }
}
