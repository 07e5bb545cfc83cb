package kiln.app;

import atlantafx.base.theme.PrimerDark;
import atlantafx.base.theme.PrimerLight;
import javafx.application.Application;
import javafx.geometry.Bounds;
import javafx.geometry.Insets;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Pane;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import javafx.stage.Stage;
import kiln.widgets.TextFits;
import kiln.widgets.tasks.QueuedTaskExecutor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

@ExtendWith(ApplicationExtension.class)
class TrainGuideTest {

    @TempDir
    Path settings;

    @Test
    void theMarkerFileIsReadAndWrittenOnTheExecutorNotOnTheJavaFxThread(FxRobot robot) {
        QueuedTaskExecutor executor = new QueuedTaskExecutor();
        Button train = new Button("Train");
        Pane layer = new Pane();
        TrainGuide guide = new TrainGuide(settings, executor, layer);
        boolean[] beforeTheExecutorRan = new boolean[2];
        robot.interact(() -> {
            new Scene(new StackPane(train, layer), 400, 300);
            guide.showOnce(train);
            beforeTheExecutorRan[0] = guide.isShowing();
            beforeTheExecutorRan[1] = guide.wasShown();
            executor.runAll();
        });
        assertFalse(beforeTheExecutorRan[0], "whether it was shown before is not read on the JavaFX thread");
        assertFalse(beforeTheExecutorRan[1], "the marker is not written on the JavaFX thread");
        assertTrue(guide.isShowing());
        assertTrue(guide.wasShown(), "remembered once the executor ran");
    }

    @Test
    void aMarkerThatCannotBeWrittenStillShowsTheGuide(FxRobot robot) throws Exception {
        Path notAFolder = Files.writeString(settings.resolve("file"), "");
        QueuedTaskExecutor executor = new QueuedTaskExecutor();
        Button train = new Button("Train");
        TrainGuide guide = new TrainGuide(notAFolder, executor, new Pane());
        robot.interact(() -> {
            new Scene(new StackPane(train), 400, 300);
            guide.showOnce(train);
            executor.runAll();
        });
        assertTrue(guide.isShowing());
        assertFalse(guide.wasShown(), "it will show again next time");
    }

    /**
     * Shown while the window is still being laid out and styled, then with the theme switched: the hint ends up
     * under Train with its text whole (it was left at the window's corner as "..." in the dark theme).
     */
    @Test
    void theGuideStaysUnderTrainWithItsTextWholeWhenTheLayoutOrTheThemeChanges(FxRobot robot) {
        QueuedTaskExecutor executor = new QueuedTaskExecutor();
        Button train = new Button("Train");
        Pane layer = new Pane();
        layer.setPickOnBounds(false);
        TrainGuide guide = new TrainGuide(settings, executor, layer);
        HBox toolbar = new HBox(8, new Button("New"), new Button("Open"), new Button("Save"), train);
        toolbar.setPadding(new Insets(6, 12, 6, 300));
        Stage[] stage = new Stage[1];
        try {
            robot.interact(() -> {
                stage[0] = new Stage();
                stage[0].setScene(new Scene(new StackPane(new VBox(toolbar), layer), 900, 400));
                guide.showOnce(train);
                executor.runAll(); // before the stage is shown: nothing has a size yet
                stage[0].show();
            });
            assertUnderTrainAndWhole(robot, train, layer);
            robot.interact(() -> Application.setUserAgentStylesheet(new PrimerDark().getUserAgentStylesheet()));
            assertUnderTrainAndWhole(robot, train, layer);
            robot.interact(() -> toolbar.setPadding(new Insets(6, 12, 6, 120)));
            assertUnderTrainAndWhole(robot, train, layer);
        } finally {
            robot.interact(() -> {
                Application.setUserAgentStylesheet(new PrimerLight().getUserAgentStylesheet());
                stage[0].close();
            });
        }
    }

    private static void assertUnderTrainAndWhole(FxRobot robot, Node train, Pane layer) {
        org.testfx.util.WaitForAsyncUtils.waitForFxEvents();
        robot.interact(() -> {
            Label text = (Label) layer.lookup("#train-guide");
            Bounds button = train.localToScene(train.getBoundsInLocal());
            Bounds hint = text.getParent().localToScene(text.getParent().getBoundsInLocal());
            assertEquals(button.getMinX(), hint.getMinX(), 1, "the hint starts under Train");
            assertEquals(button.getMaxY() + 2, hint.getMinY(), 1, "the hint hangs just below Train");
            assertEquals(List.of(), TextFits.cutShort(layer), "the hint's text shows whole");
        });
    }
}
