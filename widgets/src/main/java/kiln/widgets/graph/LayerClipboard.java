package kiln.widgets.graph;

import kiln.engine.edit.GraphEdits;

import java.util.Optional;

/**
 * Layers copied in one editor, to paste there: each paste of the same copy lands a little further from the
 * originals, so pasted layers do not hide each other.
 */
final class LayerClipboard {

    /** How far each successive paste moves from the copied layers, in graph units. */
    static final double PASTE_STEP = 40;

    /** The copied layers and where the next paste of them goes. */
    record Paste(GraphEdits.Fragment fragment, double offset) { }

    private GraphEdits.Fragment fragment;
    private int pastes;

    void copy(GraphEdits.Fragment copied) {
        fragment = copied;
        pastes = 0;
    }

    /** The next paste, or empty when nothing has been copied. */
    Optional<Paste> nextPaste() {
        if (fragment == null || fragment.isEmpty()) return Optional.empty();
        pastes++;
        return Optional.of(new Paste(fragment, PASTE_STEP * pastes));
    }
}
