package kiln.app;

import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.layout.Pane;
import javafx.scene.layout.StackPane;
import kiln.widgets.tasks.QueuedTaskExecutor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;

import java.nio.file.Files;
import java.nio.file.Path;

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
}
