package kiln.app.follow;

import javafx.geometry.Insets;
import javafx.scene.Node;
import javafx.scene.layout.VBox;
import javafx.stage.Popup;

/** The popup a picker opens just below the control that asked for it; it hides when the student clicks elsewhere. */
final class PickerPopup {

    private final Popup popup = new Popup();

    PickerPopup() {
        popup.setAutoHide(true);
    }

    /** Shows {@code content}, one above the other, below {@code anchor}. */
    void show(Node anchor, Node... content) {
        VBox box = new VBox(6, content);
        box.setPadding(new Insets(8));
        box.getStyleClass().add("follow-picker");
        // a popup is a window of its own: it does not see the main window's stylesheet by itself
        box.getStylesheets().setAll(anchor.getScene().getStylesheets());
        popup.getContent().setAll(box);
        var at = anchor.localToScreen(anchor.getBoundsInLocal());
        popup.show(anchor, at.getMinX(), at.getMaxY() + 2);
    }

    void hide() {
        popup.hide();
    }
}
