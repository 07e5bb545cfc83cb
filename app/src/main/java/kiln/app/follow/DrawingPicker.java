package kiln.app.follow;

import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.layout.HBox;
import kiln.engine.shape.TensorShape;
import kiln.widgets.eval.DrawingPad;

import java.util.function.Consumer;

/**
 * A drawing pad in a popup for image models: every finished stroke is followed through the network, so the
 * student sees each layer change while drawing a digit.
 */
final class DrawingPicker {

    private final Consumer<float[]> onDrawn;
    private final PickerPopup popup = new PickerPopup();
    private DrawingPad pad;
    private TensorShape padShape;

    DrawingPicker(Consumer<float[]> onDrawn) {
        this.onDrawn = onDrawn;
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
        popup.show(anchor, new Label("Draw here (right button erases); each stroke is followed"), pad, buttons);
    }

    DrawingPad pad() {
        return pad;
    }
}
