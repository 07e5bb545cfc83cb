package kiln.app.training;

import javafx.geometry.Pos;
import javafx.scene.control.ButtonType;
import javafx.scene.control.Dialog;
import javafx.scene.control.Label;
import javafx.scene.control.Spinner;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Region;
import javafx.stage.Window;

import java.util.Optional;

/** Asks for a count, of seeds or folds, in a small dialog. */
final class CountDialog {

    private CountDialog() { }

    /** The count chosen, from {@code min} to 50; empty when cancelled. */
    static Optional<Integer> ask(Window owner, String title, String text, String what, int min, int initial) {
        Dialog<Integer> ask = new Dialog<>();
        ask.setTitle(title);
        ask.setHeaderText(text);
        Spinner<Integer> count = new Spinner<>(min, 50, initial);
        count.setId("groupCount");
        count.setEditable(true);
        Label label = new Label(what);
        label.setMinWidth(Region.USE_PREF_SIZE);
        HBox row = new HBox(8, label, count);
        row.setAlignment(Pos.CENTER_LEFT);
        ask.getDialogPane().setContent(row);
        ask.getDialogPane().getButtonTypes().addAll(ButtonType.OK, ButtonType.CANCEL);
        ask.getDialogPane().setMinHeight(Region.USE_PREF_SIZE);
        ask.setResultConverter(b -> b == ButtonType.OK ? count.getValue() : null);
        if (owner != null) ask.initOwner(owner);
        return ask.showAndWait();
    }
}
