package kiln.app.document;

import javafx.scene.Node;

/**
 * A view of one open project (editor, data, training, evaluation). The main window builds a fresh set of
 * views for each project it opens and disposes of the old ones.
 */
public interface DocumentView {

    /** The view's root node, placed in the main window. */
    Node node();

    /**
     * Asked before the project closes (another project opens, or the app quits). A view with work in
     * progress asks the user, stops it cleanly and returns true, or returns false to keep the project open.
     */
    default boolean confirmClose() {
        return true;
    }

    /** Removes listeners and cancels background work; the view is not used again. */
    default void dispose() { }
}
