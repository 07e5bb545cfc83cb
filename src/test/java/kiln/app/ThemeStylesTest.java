package kiln.app;

import atlantafx.base.theme.PrimerDark;
import atlantafx.base.theme.PrimerLight;
import atlantafx.base.theme.Styles;
import javafx.application.Application;
import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.scene.layout.Background;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.scene.paint.Color;
import javafx.stage.Stage;
import kiln.widgets.Contrast;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The app's own coloured boxes (kiln.css: the Training tab's hint boxes, a view's message line, the locked
 * badge, the first-launch hint) keep their text readable on their background in the light and the dark theme
 * (the hint boxes had light text on light green in the dark theme).
 */
@ExtendWith(ApplicationExtension.class)
class ThemeStylesTest {

    /** Where each kind of text sits: the region whose background is behind it. */
    private final Map<String, Region> backgrounds = new LinkedHashMap<>();
    private final Map<String, Label> texts = new LinkedHashMap<>();

    @Start
    void start(Stage stage) {
        Application.setUserAgentStylesheet(new PrimerLight().getUserAgentStylesheet());
        VBox root = new VBox(8);
        hintBox(root, "good");
        hintBox(root, "warning");
        for (String kind : List.of("info", "error")) {
            Label message = new Label("run-2 finished: test accuracy 94.61 %");
            message.getStyleClass().addAll("view-message", kind);
            add(root, "view message (" + kind + ")", message, message);
        }
        Label locked = new Label("Project locked while training");
        locked.getStyleClass().add("locked-badge");
        add(root, "locked badge", locked, locked);
        Label guide = new Label(TrainGuide.TEXT);
        guide.getStyleClass().add("train-guide");
        add(root, "first-launch hint", guide, guide);
        Scene scene = new Scene(root, 500, 500);
        scene.getStylesheets().add(MainWindow.class.getResource("kiln.css").toExternalForm());
        stage.setScene(scene);
        stage.show();
    }

    /** A hint box as the Training tab builds it: a bold title and a wrapped text in a styled VBox. */
    private void hintBox(VBox root, String kind) {
        Label title = new Label("Still improving");
        title.getStyleClass().addAll(Styles.TEXT_BOLD, "hint-title");
        Label text = new Label("The validation loss fell in the last epoch, so more epochs may help.");
        text.setWrapText(true);
        VBox box = new VBox(3, title, text);
        box.getStyleClass().addAll("hint-box", kind);
        root.getChildren().add(box);
        backgrounds.put("hint box (" + kind + ") title", box);
        texts.put("hint box (" + kind + ") title", title);
        backgrounds.put("hint box (" + kind + ") text", box);
        texts.put("hint box (" + kind + ") text", text);
    }

    private void add(VBox root, String name, Label text, Region background) {
        root.getChildren().add(text);
        texts.put(name, text);
        backgrounds.put(name, background);
    }

    @AfterEach
    void lightAgain(FxRobot robot) {
        robot.interact(() -> Application.setUserAgentStylesheet(new PrimerLight().getUserAgentStylesheet()));
    }

    /** The region's first background fill laid over the window's colour (the subtle fills are translucent). */
    private static Color behind(Region r, Color window) {
        Background b = r.getBackground();
        if (b == null || b.getFills().isEmpty() || !(b.getFills().get(0).getFill() instanceof Color c)) return window;
        double a = c.getOpacity();
        return new Color(window.getRed() * (1 - a) + c.getRed() * a, window.getGreen() * (1 - a) + c.getGreen() * a,
                window.getBlue() * (1 - a) + c.getBlue() * a, 1);
    }

    private List<String> unreadable(FxRobot robot, Color window, String theme) {
        WaitForAsyncUtils.waitForFxEvents();
        List<String> bad = new ArrayList<>();
        robot.interact(() -> {
            for (var e : texts.entrySet()) {
                Color text = (Color) e.getValue().getTextFill();
                Color background = behind(backgrounds.get(e.getKey()), window);
                double ratio = Contrast.ratio(text, background);
                if (ratio < Contrast.READABLE) {
                    bad.add(String.format("%s: %s text %s on %s (contrast %.1f)", theme, e.getKey(), text, background, ratio));
                }
            }
        });
        return bad;
    }

    @Test
    void textOnTheAppsColouredBoxesIsReadableInBothThemes(FxRobot robot) {
        // Primer's window backgrounds: white, and #0d1117 in the dark theme
        assertEquals(List.of(), unreadable(robot, Color.WHITE, "light"));
        robot.interact(() -> Application.setUserAgentStylesheet(new PrimerDark().getUserAgentStylesheet()));
        assertEquals(List.of(), unreadable(robot, Color.web("#0d1117"), "dark"));
    }
}
