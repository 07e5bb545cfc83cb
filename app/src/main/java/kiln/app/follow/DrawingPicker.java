package kiln.app.follow;

import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.layout.HBox;
import javafx.scene.layout.VBox;
import javafx.stage.Popup;
import kiln.engine.shape.TensorShape;
import kiln.widgets.eval.DrawingPad;

import java.util.function.Consumer;

/**
 * A drawing pad in a popup for image models: every finished stroke is followed through the network, so the
 * student sees each layer change while drawing a digit.
 */
final class DrawingPicker {

    private final Consumer<float[]> onDrawn;
    private final Popup popup = new Popup();
    private DrawingPad pad;
    private TensorShape padShape;

    DrawingPicker(Consumer<float[]> onDrawn) {
        this.onDrawn = onDrawn;
        popup.setAutoHide(true);
    }

    /** The pad for {@code shape}'s height and width; a drawing is kept while the input shape stays the same. */
    void show(javafx.scene.Node anchor, TensorShape shape) {
        if (pad == null || !shape.equals(padShape)) {
            pad = new DrawingPad(shape.height(), shape.width(), Math.max(196, Math.min(280, 8.0 * shape.width())));
            pad.setId("followDrawingPad");
            padShape = shape;
            pad.setOnStrokeEnd(() -> onDrawn.accept(pad.sample(shape.channels())));
        }
        Button clear = new Button("Clear");
        clear.setId("followDrawingClear");
        clear.setOnAction(e -> {
            pad.clear();
            onDrawn.accept(pad.sample(shape.channels()));
        });
        HBox buttons = new HBox(8, clear);
        buttons.setAlignment(Pos.CENTER_RIGHT);
        VBox box = new VBox(6, new Label("Draw here (right button erases); each stroke is followed"), pad, buttons);
        box.setPadding(new Insets(8));
        box.getStyleClass().add("follow-picker");
        // a popup is a window of its own: it does not see the main window's stylesheet by itself
        box.getStylesheets().setAll(anchor.getScene().getStylesheets());
        popup.getContent().setAll(box);
        var at = anchor.localToScreen(anchor.getBoundsInLocal());
        popup.show(anchor, at.getMinX(), at.getMaxY() + 2);
    }

    DrawingPad pad() {
        return pad;
    }
}
