package kiln.widgets;

import atlantafx.base.theme.PrimerDark;
import atlantafx.base.theme.PrimerLight;
import javafx.application.Application;
import javafx.scene.Scene;
import javafx.scene.layout.VBox;
import javafx.scene.paint.Color;
import javafx.stage.Stage;
import kiln.widgets.charts.ClassBars;
import kiln.widgets.charts.HistogramView;
import kiln.widgets.eval.ConfusionMatrixView;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import java.util.Map;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The widgets that draw their own text (class bars, histograms, the confusion matrix) write it in the
 * theme's colour, readable on the theme's background in the light and the dark theme alike.
 */
@ExtendWith(ApplicationExtension.class)
class ThemeColorsTest {

    private final ClassBars bars = new ClassBars();
    private final HistogramView histogram = new HistogramView();
    private final ConfusionMatrixView matrix = new ConfusionMatrixView();

    @Start
    void start(Stage stage) {
        Application.setUserAgentStylesheet(new PrimerLight().getUserAgentStylesheet());
        stage.setScene(new Scene(new VBox(bars, histogram, matrix), 600, 700));
        stage.show();
    }

    @AfterEach
    void lightAgain(FxRobot robot) {
        robot.interact(() -> Application.setUserAgentStylesheet(new PrimerLight().getUserAgentStylesheet()));
    }

    private void assertReadableOn(FxRobot robot, Color background, String theme) {
        WaitForAsyncUtils.waitForFxEvents();
        Map<String, Supplier<Color>> texts = Map.of("class bars", bars::textColor, "histogram", histogram::textColor,
                "confusion matrix", matrix::textColor);
        for (var e : texts.entrySet()) {
            Color[] text = new Color[1];
            robot.interact(() -> text[0] = e.getValue().get());
            assertTrue(Contrast.ratio(text[0], background) >= Contrast.READABLE,
                    theme + ": " + e.getKey() + " text " + text[0] + " on " + background);
        }
    }

    @Test
    void textIsReadableInBothThemes(FxRobot robot) {
        // Primer's default backgrounds: white, and #0d1117 in the dark theme
        assertReadableOn(robot, Color.WHITE, "light");
        robot.interact(() -> Application.setUserAgentStylesheet(new PrimerDark().getUserAgentStylesheet()));
        assertReadableOn(robot, Color.web("#0d1117"), "dark");
    }
}
