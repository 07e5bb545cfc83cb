package kiln.app;

import javafx.application.Platform;
import javafx.scene.control.Alert;
import javafx.scene.control.ButtonType;
import javafx.stage.DirectoryChooser;
import javafx.stage.Stage;
import kiln.app.document.ProjectDocument;
import kiln.engine.project.ProjectIO;
import kiln.widgets.tasks.TaskExecutor;
import kiln.widgets.util.ChooserStart;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Save, Save As and the save before closing. The JSON is made on the JavaFX thread (the project is edited
 * there); the file is written on the executor, atomically, so a failed save never leaves half a project.json.
 */
final class ProjectSaving {

    private final Stage stage;
    private final TaskExecutor executor;
    private final Path projectsFolder;
    private final Supplier<ProjectDocument> document;
    /** Called with each folder saved to (the recent projects). */
    private final Consumer<Path> saved;
    private final Consumer<String> status;
    private final BiConsumer<String, Throwable> showError;

    ProjectSaving(Stage stage, TaskExecutor executor, Path projectsFolder, Supplier<ProjectDocument> document,
                  Consumer<Path> saved, Consumer<String> status, BiConsumer<String, Throwable> showError) {
        this.stage = stage;
        this.executor = executor;
        this.projectsFolder = projectsFolder;
        this.document = document;
        this.saved = saved;
        this.status = status;
        this.showError = showError;
    }

    void save() {
        ProjectDocument doc = document.get();
        if (doc == null) return;
        if (doc.folder() == null) saveAs();
        else saveTo(doc.folder());
    }

    void saveAs() {
        ProjectDocument doc = document.get();
        if (doc == null) return;
        DirectoryChooser chooser = new DirectoryChooser();
        chooser.setTitle("Choose an empty folder for the project");
        chooser.setInitialDirectory(ChooserStart.created(projectsFolder)); // null: wherever the system likes
        var dir = chooser.showDialog(stage);
        if (dir == null) return;
        Path target = dir.toPath();
        executor.submit("Checking " + target, p -> UserProjects.holdsProject(target), holds -> {
            if (holds && !target.equals(doc.folder())) {
                Alert ask = new Alert(Alert.AlertType.CONFIRMATION, target + " already holds a project. Replace its "
                        + "project.json with this project?", ButtonType.CANCEL, ButtonType.OK);
                ask.initOwner(stage);
                if (ask.showAndWait().orElse(ButtonType.CANCEL) != ButtonType.OK) return;
            }
            saveTo(target);
        }, error -> showError.accept("Could not look into " + target, error));
    }

    /** Saves into a folder, off the JavaFX thread. */
    void saveTo(Path target) {
        saveTo(target, ok -> { });
    }

    /**
     * A save that must finish before the project closes: written on the executor while the window waits for it
     * in a nested event loop (so it keeps repainting). True when the project was saved.
     */
    boolean saveNow() {
        ProjectDocument doc = document.get();
        Path target = doc.folder();
        if (target == null) {
            DirectoryChooser chooser = new DirectoryChooser();
            chooser.setTitle("Choose a folder for the project");
            var dir = chooser.showDialog(stage);
            if (dir == null) return false;
            target = dir.toPath();
        }
        Object loop = new Object();
        boolean[] state = {false, false, false}; // ended, saved, waiting in the loop
        saveTo(target, ok -> {
            state[0] = true;
            state[1] = ok;
            if (state[2]) Platform.exitNestedEventLoop(loop, null);
        });
        if (!state[0]) {
            state[2] = true;
            Platform.enterNestedEventLoop(loop);
        }
        return state[1];
    }

    private void saveTo(Path target, Consumer<Boolean> done) {
        ProjectDocument doc = document.get();
        String json;
        try {
            json = ProjectIO.toJson(doc.project());
        } catch (IOException e) {
            showError.accept("Could not save the project", e);
            done.accept(false);
            return;
        }
        long revision = doc.revisionProperty().get();
        executor.save("Saving " + doc.project().name(), target.resolve(ProjectIO.FILE),
                json.getBytes(StandardCharsets.UTF_8), file -> {
            Path folder = file.getParent();
            doc.savedAt(folder, revision);
            saved.accept(folder);
            status.accept("Saved to " + folder.resolve(ProjectIO.FILE));
            done.accept(true);
        }, error -> {
            showError.accept("Could not save the project to " + target, error);
            done.accept(false);
        });
    }
}
