package kiln.app;

import javafx.application.Platform;
import javafx.event.EventHandler;
import javafx.geometry.Bounds;
import javafx.geometry.Insets;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.input.MouseEvent;
import javafx.scene.layout.VBox;
import javafx.stage.Popup;
import kiln.engine.util.AtomicFiles;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The first-run hint under the Train button. It blocks nothing: it takes no clicks away from the window and
 * closes on the first click anywhere. Once shown it is remembered in the settings folder and never shown again.
 */
public final class TrainGuide {

    public static final String TEXT = "Press Train to teach this network to read digits — about a minute per epoch";

    private final Path marker;
    private final Popup popup = new Popup();
    private EventHandler<MouseEvent> anyClick;
    private Node owner;

    public TrainGuide(Path settingsFolder) {
        this.marker = settingsFolder.resolve("train-guide-shown");
    }

    /** True once the guide has been shown on this computer (for this user). */
    public boolean wasShown() {
        return Files.exists(marker);
    }

    public boolean isShowing() {
        return popup.isShowing();
    }

    /** Shows the guide under {@code train} unless it was shown before; remembers that it was shown. */
    public void showOnce(Node train) {
        if (wasShown() || train.getScene() == null || train.getScene().getWindow() == null) return;
        try {
            AtomicFiles.write(marker, "shown\n".getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            // could not remember it: better to show it again next time than not at all
        }
        Label arrow = new Label("▲");
        arrow.setStyle("-fx-text-fill: -color-accent-emphasis; -fx-font-size: 14px; -fx-padding: 0 0 -5 18;");
        Label text = new Label(TEXT);
        text.setId("train-guide");
        text.setWrapText(true);
        text.setMaxWidth(300);
        text.setPadding(new Insets(8, 12, 8, 12));
        text.setStyle("-fx-background-color: -color-accent-emphasis; -fx-background-radius: 6; -fx-text-fill: white;"
                + " -fx-font-size: 13px; -fx-effect: dropshadow(gaussian, rgba(0,0,0,0.25), 8, 0, 0, 2);");
        VBox box = new VBox(arrow, text);
        box.setOnMouseClicked(e -> hide());
        popup.getContent().setAll(box);
        popup.setAutoFix(true);
        // a click outside closes it and still reaches what was clicked
        popup.setAutoHide(true);
        popup.setConsumeAutoHidingEvents(false);
        owner = train;
        anyClick = e -> hide();
        train.getScene().addEventFilter(MouseEvent.MOUSE_PRESSED, anyClick);
        // placed once the toolbar has its final layout
        Platform.runLater(() -> {
            Bounds b = train.localToScreen(train.getBoundsInLocal());
            if (b != null && anyClick != null && !popup.isShowing()) popup.show(train, b.getMinX(), b.getMaxY() + 2);
        });
    }

    public void hide() {
        popup.hide();
        if (anyClick != null && owner != null && owner.getScene() != null) {
            owner.getScene().removeEventFilter(MouseEvent.MOUSE_PRESSED, anyClick);
        }
        anyClick = null;
    }
}
