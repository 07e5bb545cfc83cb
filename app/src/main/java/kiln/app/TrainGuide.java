package kiln.app;

import javafx.application.Platform;
import javafx.event.EventHandler;
import javafx.geometry.Bounds;
import javafx.geometry.Insets;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.input.MouseEvent;
import javafx.scene.layout.Pane;
import javafx.scene.layout.VBox;
import javafx.scene.shape.Polygon;
import kiln.engine.util.AtomicFiles;
import kiln.widgets.tasks.TaskExecutor;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The first-run hint under the Train button, drawn on a mouse-transparent layer over the window so it blocks
 * nothing; the first click anywhere closes it (and still reaches what was clicked). Once shown it is
 * remembered in the settings folder and never shown again; that marker file is read and written on the
 * executor.
 */
public final class TrainGuide {

    public static final String TEXT = "Press Train to teach this network to read digits — about a minute per epoch";

    private final Path marker;
    private final TaskExecutor executor;
    private final Pane layer;
    private final VBox box = new VBox();
    private EventHandler<MouseEvent> anyClick;
    private Node owner;
    /** Places the hint after every layout pass: the toolbar moves with the window, the theme and the fonts. */
    private final Runnable follow = this::place;

    /** @param layer a pane covering the window, mouse-transparent, where the hint is placed */
    public TrainGuide(Path settingsFolder, TaskExecutor executor, Pane layer) {
        this.marker = settingsFolder.resolve("train-guide-shown");
        this.executor = executor;
        this.layer = layer;
        Polygon arrow = new Polygon(0, 10, 9, 0, 18, 10);
        arrow.getStyleClass().add("train-guide-arrow");
        VBox.setMargin(arrow, new Insets(0, 0, -1, 18));
        Label text = new Label(TEXT);
        text.setId("train-guide");
        text.setWrapText(true);
        text.setMaxWidth(300);
        text.setPadding(new Insets(8, 12, 8, 12));
        text.getStyleClass().add("train-guide");
        box.getChildren().setAll(arrow, text);
        box.setManaged(false);
    }

    /** True once the guide has been shown on this computer (for this user). Reads a file: not for the JavaFX thread. */
    public boolean wasShown() {
        return Files.exists(marker);
    }

    public boolean isShowing() {
        return layer.getChildren().contains(box);
    }

    /** Shows the guide under {@code train} unless it was shown before; remembers that it was shown. */
    public void showOnce(Node train) {
        executor.submit("Reading settings", p -> wasShown(), shown -> {
            if (shown || train.getScene() == null) return;
            show(train);
            executor.submit("Saving settings", p -> {
                AtomicFiles.write(marker, "shown\n".getBytes(StandardCharsets.UTF_8));
                return null;
            }, done -> { }, error -> System.err.println("Kiln: could not remember that the Train hint was shown ("
                    + marker + ": " + error.getMessage() + "); it will show again next time"));
        }, error -> { });
    }

    private void show(Node train) {
        owner = train;
        anyClick = e -> hide();
        train.getScene().addEventFilter(MouseEvent.MOUSE_PRESSED, anyClick);
        layer.getChildren().add(box);
        train.getScene().addPostLayoutPulseListener(follow);
        Platform.requestNextPulse();
    }

    private void place() {
        if (!isShowing()) return;
        Bounds b = layer.sceneToLocal(owner.localToScene(owner.getBoundsInLocal()));
        // the box is not managed by the layer, so it takes its size (which a theme's font changes) itself
        box.autosize();
        if (box.getLayoutX() != b.getMinX() || box.getLayoutY() != b.getMaxY() + 2) box.relocate(b.getMinX(), b.getMaxY() + 2);
    }

    public void hide() {
        layer.getChildren().remove(box);
        if (anyClick != null && owner != null && owner.getScene() != null) {
            owner.getScene().removeEventFilter(MouseEvent.MOUSE_PRESSED, anyClick);
            owner.getScene().removePostLayoutPulseListener(follow);
        }
        anyClick = null;
    }
}
