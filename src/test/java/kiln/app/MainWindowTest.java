package kiln.app;

import javafx.scene.control.Spinner;
import javafx.scene.input.KeyCode;
import javafx.scene.input.MouseButton;
import javafx.stage.Stage;
import kiln.engine.model.ModelGraph;
import kiln.engine.project.ProjectIO;
import kiln.widgets.graph.GraphCanvas;
import kiln.widgets.tasks.SameThreadTaskExecutor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The main window driven as a student: build the Keras MNIST CNN from a new project, undo, save, reopen. */
@ExtendWith(ApplicationExtension.class)
class MainWindowTest {

    @TempDir
    static Path home;
    private MainWindow window;

    @Start
    void start(Stage stage) {
        window = new MainWindow(stage, new SameThreadTaskExecutor(), new UserProjects(home));
        stage.setWidth(1240);
        stage.setHeight(780);
        stage.show();
    }

    private ModelGraph graph() {
        return window.document().project().graph();
    }

    private GraphCanvas canvas(FxRobot robot) {
        return robot.lookup(".graph-canvas").queryAs(GraphCanvas.class);
    }

    private void append(FxRobot robot, String typeId) {
        robot.doubleClickOn("#palette-" + typeId);
    }

    private void setInt(FxRobot robot, String param, int value) {
        Spinner<?> s = robot.lookup("#param-" + param).queryAs(Spinner.class);
        robot.doubleClickOn(s.getEditor()).write(Integer.toString(value)).type(KeyCode.ENTER);
    }

    @Test
    void buildTheKerasMnistCnnThroughTheUi(FxRobot robot) throws Exception {
        robot.interact(window::newProject);
        assertEquals("Untitled • — not saved yet — Kiln", window.stage().getTitle());
        robot.clickOn("#node-input");
        append(robot, "conv2d");
        append(robot, "maxpool2d");
        append(robot, "conv2d");
        setInt(robot, "filters", 64);
        append(robot, "maxpool2d");
        append(robot, "conv2d");
        setInt(robot, "filters", 64);
        append(robot, "flatten");
        append(robot, "dense");
        robot.interact(() -> canvas(robot).zoomToFit());
        WaitForAsyncUtils.waitForFxEvents();
        robot.drag(robot.lookup("#node-dense_1 .output-port").queryAs(javafx.scene.Node.class), MouseButton.PRIMARY)
                .moveTo(robot.lookup("#node-output .input-port").queryAs(javafx.scene.Node.class))
                .release(MouseButton.PRIMARY);

        var totals = robot.lookup("#summary-totals").queryAs(javafx.scene.control.Label.class);
        assertTrue(totals.getText().startsWith("Total params: 93,322"), totals.getText());
        assertEquals("Connect dense_1 → output", window.document().commands().undoDescription().orElseThrow());
        assertEquals("Undo Connect dense_1 → output", window.undoItem().getText());

        // delete a layer, see the menu name it, undo
        robot.clickOn("#node-conv2d_2").type(KeyCode.DELETE);
        assertTrue(graph().find("conv2d_2").isEmpty());
        assertEquals("Undo Delete conv2d_2", window.undoItem().getText());
        robot.clickOn("#undo-button");
        assertTrue(graph().find("conv2d_2").isPresent());
        robot.clickOn("#redo-button");
        assertTrue(graph().find("conv2d_2").isEmpty(), "redo deletes it again");
        robot.clickOn("#undo-button");
        assertTrue(graph().find("conv2d_2").isPresent());
        assertTrue(totals.getText().startsWith("Total params: 93,322"), totals.getText());

        // save, reopen, same network
        Path folder = home.resolve("my-cnn");
        Files.createDirectories(folder);
        robot.interact(() -> window.saveTo(folder));
        assertFalse(window.document().dirtyProperty().get());
        assertFalse(window.stage().getTitle().contains("•"), window.stage().getTitle());
        ModelGraph saved = graph().copy();
        robot.interact(() -> window.open(folder));
        assertTrue(saved.sameContents(graph()), "the reopened project has the same network");
        assertEquals(93_322, kiln.engine.model.ModelSummary.of(graph()).totalParams());
        assertTrue(new UserProjects(home).recent().list().contains(folder.toAbsolutePath().normalize()));
        assertTrue(Files.isRegularFile(folder.resolve(ProjectIO.FILE)));
    }

    @Test
    void tabsComeFromTheViewsListAndTrainOpensTheTrainingTab(FxRobot robot) {
        robot.interact(window::newProject);
        assertEquals(Views.ALL.stream().map(Views.Entry::title).toList(),
                window.tabs().getTabs().stream().map(javafx.scene.control.Tab::getText).toList());
        robot.interact(window::requestTrain);
        assertEquals(Views.TRAINING, window.tabs().getSelectionModel().getSelectedItem().getText());
        assertFalse(window.document().lockedProperty().get(), "a project never saved has no folder for runs: nothing starts");
    }

    @Test
    void lockedProjectRefusesUndoAndShowsTheBanner(FxRobot robot) {
        robot.interact(window::newProject);
        robot.clickOn("#node-input");
        append(robot, "flatten");
        robot.interact(() -> window.document().lockedProperty().set(true));
        assertTrue(robot.lookup(".graph-banner").queryAs(javafx.scene.control.Label.class).isVisible());
        robot.interact(window::undo);
        assertTrue(graph().find("flatten_1").isPresent(), "no undo while training");
        robot.interact(() -> window.document().lockedProperty().set(false));
    }

    private javafx.scene.control.MenuItem menuItem(String menu, String text) {
        var bar = (javafx.scene.control.MenuBar) window.stage().getScene().lookup(".menu-bar");
        return bar.getMenus().stream().filter(m -> m.getText().equals(menu)).findFirst().orElseThrow()
                .getItems().stream().filter(i -> text.equals(i.getText())).findFirst().orElseThrow();
    }

    @Test
    void theViewMenuShowsItsShortcutsAndCtrl0FitsTheNetworkFromOutsideTheCanvas(FxRobot robot) {
        robot.interact(window::newProject);
        // Monocle runs as Linux, where the Shortcut key is Ctrl
        assertEquals("Ctrl+=", menuItem("View", "Zoom In").getAccelerator().getDisplayText());
        assertEquals("Ctrl+-", menuItem("View", "Zoom Out").getAccelerator().getDisplayText());
        assertEquals("Ctrl+0", menuItem("View", "Zoom to Fit").getAccelerator().getDisplayText());

        GraphCanvas canvas = canvas(robot);
        robot.interact(() -> canvas.zoomAt(2.4, 0, 0));
        assertTrue(canvas.scaleProperty().get() > 1.5);
        robot.clickOn(".graph-editor .text-field"); // the palette's search field has the keyboard
        robot.press(KeyCode.CONTROL).type(KeyCode.DIGIT0).release(KeyCode.CONTROL);
        assertTrue(canvas.scaleProperty().get() <= 1.0, "fitted: scale " + canvas.scaleProperty().get());
    }

    @Test
    void savingBeforeClosingWritesTheFileOffTheFxThreadAndOnlyThenLetsTheProjectClose(FxRobot robot) throws Exception {
        // a real executor: the file is written on another thread while the window waits for it
        var executor = new kiln.widgets.tasks.FxTaskExecutor(1);
        MainWindow[] w = new MainWindow[1];
        robot.interact(() -> {
            w[0] = new MainWindow(new Stage(), executor, new UserProjects(home));
            w[0].stage().setWidth(1000); // within the headless screen
            w[0].stage().setHeight(700);
            w[0].stage().show();
            w[0].newProject();
        });
        Path folder = home.resolve("before-close");
        Files.createDirectories(folder);
        robot.interact(() -> w[0].saveTo(folder));
        WaitForAsyncUtils.waitFor(20, java.util.concurrent.TimeUnit.SECONDS, () -> !w[0].document().dirtyProperty().get());
        robot.interact(() -> w[0].document().execute(kiln.engine.edit.GraphEdits.addNode(w[0].document().project().graph(),
                kiln.engine.catalog.LayerCatalog.get("flatten"), 300, 80)));
        assertTrue(w[0].document().dirtyProperty().get());

        java.util.concurrent.CompletableFuture<Boolean> mayClose = new java.util.concurrent.CompletableFuture<>();
        javafx.application.Platform.runLater(() -> mayClose.complete(w[0].confirmCloseProject()));
        java.util.function.Predicate<javafx.scene.Node> saveInTheAlert = n -> n instanceof javafx.scene.control.Button b
                && "Save".equals(b.getText()) && b.getScene() != null && b.getScene().getRoot() instanceof javafx.scene.control.DialogPane;
        WaitForAsyncUtils.waitFor(20, java.util.concurrent.TimeUnit.SECONDS,
                () -> robot.lookup(saveInTheAlert).tryQuery().isPresent());
        robot.clickOn(robot.lookup(saveInTheAlert).queryAs(javafx.scene.control.Button.class));
        assertTrue(mayClose.get(20, java.util.concurrent.TimeUnit.SECONDS), "saved, so the project may close");
        assertFalse(w[0].document().dirtyProperty().get());
        assertTrue(ProjectIO.load(folder).graph().find("flatten_1").isPresent(), "the edit is in the file");
        robot.interact(() -> w[0].stage().close());
        executor.shutdown();
    }
}
