package kiln.widgets.charts;

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
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The chart draws in the background, and saves its numbers and its picture as files. */
@ExtendWith(ApplicationExtension.class)
class CurveChartTest {

    @TempDir
    Path dir;

    private CurveChart chart;
    private FxTaskExecutor executor;

    @Start
    void start(Stage stage) {
        executor = new FxTaskExecutor(1);
        chart = new CurveChart("Loss per epoch", "Epoch", "Loss", executor);
        stage.setScene(new Scene(new StackPane(chart), 500, 320));
        stage.sizeToScene(); // the shared test stage may keep a size an earlier test class set
        stage.show();
    }

    @AfterEach
    void stop() {
        executor.shutdown();
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
