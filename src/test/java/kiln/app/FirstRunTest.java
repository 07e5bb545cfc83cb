package kiln.app;

import javafx.scene.control.Label;
import javafx.stage.Stage;
import kiln.widgets.tasks.SameThreadTaskExecutor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The first launch: the MNIST CNN sample is open and a hint points at Train, once, without blocking anything. */
@ExtendWith(ApplicationExtension.class)
class FirstRunTest {

    @TempDir
    Path home;
    private Stage stage;

    @Start
    void start(Stage stage) {
        this.stage = stage;
    }

    private MainWindow launch(FxRobot robot) {
        MainWindow[] w = new MainWindow[1];
        robot.interact(() -> {
            w[0] = new MainWindow(stage, new SameThreadTaskExecutor(), new UserProjects(home));
            stage.setWidth(1240);
            stage.setHeight(780);
            w[0].showAndOpenStartProject();
        });
        WaitForAsyncUtils.waitForFxEvents();
        return w[0];
    }

    @Test
    void theGuideShowsOnTheFirstLaunchOnlyAndAClickAnywhereClosesIt(FxRobot robot) {
        MainWindow first = launch(robot);
        assertEquals(home.resolve("Kiln").resolve("mnist-cnn"), first.document().folder(), "the MNIST CNN sample is open");
        assertTrue(first.trainGuide().isShowing(), "the guide points at Train");
        assertEquals(TrainGuide.TEXT, robot.lookup("#train-guide").queryAs(Label.class).getText());

        // the click that closes it still does what it was meant to: here, it opens the Data tab
        robot.clickOn(robot.lookup(".tab-label").lookup((Label l) -> l.getText().equals(Views.DATA)).queryAs(Label.class));
        assertFalse(first.trainGuide().isShowing(), "the first click closes it");
        assertEquals(Views.DATA, first.tabs().getSelectionModel().getSelectedItem().getText(), "nothing was blocked");

        // the next launch opens the recent project and shows no guide
        MainWindow second = launch(robot);
        assertEquals(home.resolve("Kiln").resolve("mnist-cnn"), second.document().folder());
        assertFalse(second.trainGuide().isShowing(), "never shown again");
        assertTrue(second.trainGuide().wasShown());
    }
}
