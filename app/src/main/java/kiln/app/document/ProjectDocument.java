package kiln.app.document;

import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyLongProperty;
import javafx.beans.property.ReadOnlyLongWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import kiln.engine.edit.Command;
import kiln.engine.edit.CommandStack;
import kiln.engine.project.Project;
import kiln.engine.project.ProjectIO;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * One open project as the views see it: the headless {@link Project}, its folder, its undo stack, and
 * observable state that views bind to. Every edit goes through {@link #execute}; views refresh when
 * {@link #revisionProperty()} changes. Used on the JavaFX thread only.
 */
public final class ProjectDocument {

    private final Project project;
    private final CommandStack commands = new CommandStack();
    private final ReadOnlyObjectWrapper<Path> folder;
    private final ReadOnlyLongWrapper revision = new ReadOnlyLongWrapper();
    private final ReadOnlyBooleanWrapper dirty = new ReadOnlyBooleanWrapper();
    private final BooleanProperty locked = new SimpleBooleanProperty();
    private final javafx.beans.property.ObjectProperty<java.util.List<kiln.engine.runs.LayerDynamics>> layerDynamics =
            new javafx.beans.property.SimpleObjectProperty<>(java.util.List.of());
    private final javafx.beans.property.ObjectProperty<FollowRequest> followRequest =
            new javafx.beans.property.SimpleObjectProperty<>();

    /** A sample another view asks the model editor to follow through the network: raw values as the data gives them. */
    public record FollowRequest(float[] raw, String name) { }

    /** @param folder where the project lives, or null for a new project that was never saved */
    public ProjectDocument(Project project, Path folder) {
        this.project = Objects.requireNonNull(project);
        this.folder = new ReadOnlyObjectWrapper<>(folder);
        dirty.set(folder == null);
        commands.addListener(() -> {
            revision.set(commands.revision());
            dirty.set(!commands.isClean() || this.folder.get() == null);
        });
    }

    public Project project() {
        return project;
    }

    public CommandStack commands() {
        return commands;
    }

    /**
     * Runs an edit and records it for undo. Refused while the project is locked (training), so that what
     * trains is what the student sees. An edit that cannot be applied throws IllegalArgumentException with
     * a message for the user, and nothing changes.
     */
    public boolean execute(Command command) {
        if (locked.get()) {
            throw new IllegalStateException("The project is training; stop the run before editing.");
        }
        return commands.execute(command);
    }

    public void undo() {
        if (!locked.get()) commands.undo();
    }

    public void redo() {
        if (!locked.get()) commands.redo();
    }

    /** Writes project.json atomically into {@code target} (the current folder, or a new one for Save As). */
    public void saveTo(Path target) throws IOException {
        ProjectIO.save(project, target);
        folder.set(target);
        commands.markClean();
    }

    /**
     * Records a save made elsewhere (on a background thread, from JSON taken at {@code revisionSaved}): the
     * project now lives in {@code target}, and it is clean unless it was edited while the file was written.
     */
    public void savedAt(Path target, long revisionSaved) {
        folder.set(target);
        if (commands.revision() == revisionSaved) commands.markClean();
        else dirty.set(true);
    }

    public ReadOnlyObjectProperty<Path> folderProperty() {
        return folder.getReadOnlyProperty();
    }

    public Path folder() {
        return folder.get();
    }

    /** Changes on every edit, undo and redo. */
    public ReadOnlyLongProperty revisionProperty() {
        return revision.getReadOnlyProperty();
    }

    /** Unsaved changes (or never saved). */
    public ReadOnlyBooleanProperty dirtyProperty() {
        return dirty.getReadOnlyProperty();
    }

    /** True while a run trains: edits are refused and editors show themselves read-only. */
    public BooleanProperty lockedProperty() {
        return locked;
    }

    /**
     * How the layers of this session's latest run learned, per measured epoch (empty before a run): the Training
     * view sets it as epochs end, the canvas draws it as sparklines on the layers.
     */
    public javafx.beans.property.ObjectProperty<java.util.List<kiln.engine.runs.LayerDynamics>> layerDynamicsProperty() {
        return layerDynamics;
    }

    /**
     * The sample the Data tab last asked to follow (its gallery's "Follow this sample"): the model editor follows
     * it and the window shows the Model tab.
     */
    public javafx.beans.property.ObjectProperty<FollowRequest> followRequestProperty() {
        return followRequest;
    }
}
