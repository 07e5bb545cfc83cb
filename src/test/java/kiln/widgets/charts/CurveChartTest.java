package kiln.widgets.charts;

import atlantafx.base.theme.PrimerDark;
import atlantafx.base.theme.PrimerLight;
import javafx.application.Application;
import javafx.scene.Scene;
import javafx.scene.layout.StackPane;
import javafx.scene.paint.Color;
import javafx.stage.Stage;
import kiln.widgets.tasks.FxTaskExecutor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The chart draws in the background in the theme's colours, labels an accuracy axis without repeating itself,
 * and saves its numbers and its picture as files.
 */
@ExtendWith(ApplicationExtension.class)
class CurveChartTest {

    @TempDir
    Path dir;

    private CurveChart chart;
    private FxTaskExecutor executor;

    @Start
    void start(Stage stage) {
        Application.setUserAgentStylesheet(new PrimerLight().getUserAgentStylesheet());
        executor = new FxTaskExecutor(1);
        chart = new CurveChart("Loss per epoch", "Epoch", "Loss", executor);
        stage.setScene(new Scene(new StackPane(chart), 500, 320));
        stage.sizeToScene(); // TestFX reuses one stage: an earlier test class may have given it another size
        stage.show();
    }

    @AfterEach
    void stop() {
        executor.shutdown();
        Application.setUserAgentStylesheet(new PrimerLight().getUserAgentStylesheet());
    }

    private List<String> accuracyTicks(FxRobot robot, double... accuracies) {
        AtomicReference<List<String>> labels = new AtomicReference<>();
        robot.interact(() -> {
            chart.setPercentAxis();
            chart.update(() -> {
                chart.clear();
                CurveChart.Curve c = chart.curve("acc", "validation", Color.BLUE, CurveChart.Style.SOLID);
                for (int i = 0; i < accuracies.length; i++) c.add(i + 1, accuracies[i]);
            });
            labels.set(chart.valueTickLabels());
        });
        return labels.get();
    }

    private static double percent(String label) {
        return Double.parseDouble(label.replace("%", ""));
    }

    private List<String> legend() {
        try {
            return org.testfx.util.WaitForAsyncUtils.asyncFx(chart::legendLabels).get(10, java.util.concurrent.TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void manyCurvesGetOneLegendEntryPerColourAndPerLineStyle(FxRobot robot) {
        robot.interact(() -> chart.update(() -> {
            Color[] colours = {Color.BLUE, Color.RED, Color.GREEN};
            for (int r = 0; r < 3; r++) {
                String run = "full fine-tune (run-" + (r + 1) + ")";
                chart.curve(r + "/train", run + " training", colours[r], CurveChart.Style.SOLID).add(1, 0.5);
                chart.curve(r + "/val", run + " validation", colours[r], CurveChart.Style.DASHED).add(1, 0.6);
            }
        }));
        assertEquals(List.of("full fine-tune (run-1)", "full fine-tune (run-2)", "full fine-tune (run-3)", "training",
                "validation"), legend());
        robot.interact(() -> chart.update(() -> {
            chart.clear();
            chart.curve("a", "run-1 training", Color.BLUE, CurveChart.Style.SOLID).add(1, 1);
            chart.curve("b", "run-1 validation", Color.BLUE, CurveChart.Style.DASHED).add(1, 1);
        }));
        assertEquals(List.of("run-1 training", "run-1 validation"), legend(), "few curves: every label");
    }

    @Test
    void accuracyTickLabelsDifferAndShowNoValueAboveTheData(FxRobot robot) {
        // a well-trained network: accuracy climbs from 98.1 % to 99.8 %
        List<String> labels = accuracyTicks(robot, 0.9812, 0.9851, 0.9874, 0.9903, 0.9931, 0.9962, 0.998);
        assertTrue(labels.size() >= 3, labels.toString());
        assertEquals(labels.size(), new HashSet<>(labels).size(), "a tick label is repeated: " + labels);
        assertTrue(labels.stream().allMatch(l -> percent(l) < 99.85), "a tick above the best accuracy: " + labels);

        // a tiny range still gets distinct labels
        labels = accuracyTicks(robot, 0.9981, 0.9983, 0.9984, 0.9986);
        assertTrue(labels.size() >= 3, labels.toString());
        assertEquals(labels.size(), new HashSet<>(labels).size(), "a tick label is repeated: " + labels);

        // 100 % is shown when the accuracy reaches it, and nothing beyond
        labels = accuracyTicks(robot, 0.62, 0.91, 1.0);
        assertEquals(labels.size(), new HashSet<>(labels).size(), "a tick label is repeated: " + labels);
        assertEquals(100.0, percent(labels.get(labels.size() - 1)), labels.toString());
    }

    @Test
    void theChartIsDrawnInTheThemesColoursAndRedrawnWhenTheThemeChanges(FxRobot robot) throws Exception {
        fill(robot);
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> chart.picture() != null);
        WaitForAsyncUtils.waitForFxEvents();
        assertTrue(corner(robot).getBrightness() > 0.9, "light theme: a light chart, was " + corner(robot));
        robot.interact(() -> Application.setUserAgentStylesheet(new PrimerDark().getUserAgentStylesheet()));
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> corner(robot).getBrightness() < 0.2);
        robot.interact(() -> Application.setUserAgentStylesheet(new PrimerLight().getUserAgentStylesheet()));
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> corner(robot).getBrightness() > 0.9);
    }

    /** The colour of the chart's picture near its top-left corner: the chart's background. */
    private Color corner(FxRobot robot) {
        AtomicReference<Color> c = new AtomicReference<>();
        robot.interact(() -> c.set(chart.picture().getPixelReader().getColor(3, 3)));
        return c.get();
    }

    private void fill(FxRobot robot) {
        robot.interact(() -> chart.update(() -> {
            CurveChart.Curve train = chart.curve("t", "run-1 training", Color.BLUE, CurveChart.Style.SOLID);
            CurveChart.Curve val = chart.curve("v", "run-1 \"validation\"", Color.BLUE, CurveChart.Style.DASHED);
            train.add(1, 0.5);
            train.add(2, 0.25);
            val.add(1, 0.6);
        }));
    }

    @Test
    void anUpdateIsDrawnAndTheNumbersSaveAsCsv(FxRobot robot) throws Exception {
        long before = chart.drawings();
        fill(robot);
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> chart.drawings() > before);
        Path csv = dir.resolve("loss.csv");
        CountDownLatch saved = new CountDownLatch(1);
        robot.interact(() -> chart.writeCsv(csv, saved::countDown));
        assertTrue(saved.await(10, TimeUnit.SECONDS));
        assertEquals(List.of("curve,epoch,loss", "\"run-1 training\",1.0,0.5", "\"run-1 training\",2.0,0.25",
                "\"run-1 \"\"validation\"\"\",1.0,0.6"), Files.readAllLines(csv));
    }

    @Test
    void thePictureSavesAsAPngAtTwiceTheSize(FxRobot robot) throws Exception {
        fill(robot);
        Path png = dir.resolve("loss.png");
        CountDownLatch saved = new CountDownLatch(1);
        robot.interact(() -> chart.writePng(png, saved::countDown));
        assertTrue(saved.await(20, TimeUnit.SECONDS));
        BufferedImage image = ImageIO.read(png.toFile());
        assertEquals(1000, image.getWidth());
        assertEquals(640, image.getHeight());
        try (var files = Files.list(dir)) {
            assertEquals(List.of(png), files.toList(), "no temporary file is left beside it");
        }
    }
}
