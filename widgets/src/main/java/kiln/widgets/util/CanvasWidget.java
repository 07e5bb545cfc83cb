package kiln.widgets.util;

import javafx.beans.value.ObservableValue;
import javafx.scene.canvas.Canvas;
import javafx.scene.layout.Region;

import java.util.List;

/**
 * A widget that paints itself on a canvas as large as it is, in colours widgets.css sets (see {@link StyledColors});
 * it repaints when it is laid out and when the theme changes one of its colours.
 */
public abstract class CanvasWidget extends Region {

    protected final Canvas canvas = new Canvas();

    protected CanvasWidget(String styleClass) {
        getChildren().add(canvas);
        getStyleClass().add(styleClass);
        getStylesheets().add(StyledColors.stylesheet());
    }

    /** Repaints whenever one of these (the widget's styled colours) changes. */
    protected final void repaintWhenChanged(List<? extends ObservableValue<?>> colours) {
        for (var c : colours) c.addListener((o, a, b) -> draw());
    }

    @Override
    protected void layoutChildren() {
        canvas.setWidth(getWidth());
        canvas.setHeight(getHeight());
        draw();
    }

    /** Paints the whole canvas. */
    protected abstract void draw();
}
