package kiln.app.document;

import javafx.stage.Window;
import kiln.widgets.tasks.TaskExecutor;

/**
 * What a {@link DocumentView} is built with: the open project, the executor for long work, and the window
 * that owns dialogs and file choosers.
 */
public record ViewContext(ProjectDocument document, TaskExecutor executor, Window owner) { }
