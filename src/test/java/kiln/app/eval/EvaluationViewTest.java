package kiln.app.eval;

import atlantafx.base.theme.PrimerLight;
import javafx.application.Application;
import javafx.geometry.Bounds;
import javafx.geometry.Point2D;
import javafx.scene.Parent;
import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.scene.control.TextField;
import javafx.scene.input.MouseButton;
import javafx.stage.Stage;
import kiln.app.document.ProjectDocument;
import kiln.app.document.ViewContext;
import kiln.app.export.ExportDialog;
import kiln.engine.eval.TrainedSample;
import kiln.engine.project.ProjectIO;
import kiln.widgets.TextFits;
import kiln.widgets.eval.ImageGallery;
import kiln.widgets.tasks.SameThreadTaskExecutor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A student's path through the Evaluation tab and File → Export on a briefly trained MNIST CNN (headless), in
 * the space the main window gives the tab at its smallest supported size (1280×800).
 */
@ExtendWith(ApplicationExtension.class)
class EvaluationViewTest {

    @TempDir
    static Path dir;
    @RegisterExtension
    static final TrainedSample cnn = new TrainedSample("mnist-cnn", 1000);

    private EvaluationView view;
    private ViewContext context;

    @Start
    void start(Stage stage) throws Exception {
        ProjectDocument document = new ProjectDocument(ProjectIO.load(cnn.folder()), cnn.folder());
        context = new ViewContext(document, new SameThreadTaskExecutor(), stage);
        view = new EvaluationView(context);
        Application.setUserAgentStylesheet(new PrimerLight().getUserAgentStylesheet());
        // 1280×800 less the main window's menus, toolbar, tabs and status bar
        Scene scene = new Scene((Parent) view.node(), 1280, 660);
        scene.getStylesheets().add(kiln.app.MainWindow.class.getResource("kiln.css").toExternalForm());
        stage.setScene(scene);
        stage.sizeToScene();
        stage.show();
    }

    @Test
    void evaluatingShowsTheMetricsAndACellShowsItsSamples(FxRobot robot) {
        robot.clickOn("#evaluateButton");

        assertNotNull(view.result(), robot.lookup("#evaluationStatus").queryAs(Label.class).getText());
        String accuracy = robot.lookup("#accuracyLabel").queryAs(Label.class).getText();
        assertTrue(accuracy.startsWith("Accuracy ") && accuracy.contains(" of 10000 test samples right"), accuracy);
        assertEquals(12, robot.lookup("#metricsTable").queryTableView().getItems().size(), "10 classes and 2 averages");
        assertEquals(List.of(), TextFits.cutShort((Parent) view.node()), "every number and label shows whole");

        Bounds cell = view.matrix().localToScreen(view.matrix().cellBounds(1, 1));
        robot.clickOn(new Point2D(cell.getCenterX(), cell.getCenterY()));

        assertEquals(1, view.matrix().selectedRow());
        int expected = Math.min(EvaluationView.GALLERY_LIMIT, view.result().samplesIn(1, 1).size());
        assertTrue(expected > 0);
        assertEquals(expected, view.cellGallery().tileCount());
        assertTrue(view.cellGallery().captions().get(0).matches("#\\d+\\n\\d+%"), view.cellGallery().captions().get(0));
    }

    @Test
    void showingWhatTheModelLookedAtOverlaysEachMistakeWithItsGradCam(FxRobot robot) {
        robot.clickOn("#evaluateButton");
        List<javafx.scene.image.Image> plain = view.mistakes().images();
        assertFalse(plain.isEmpty(), "a briefly trained CNN makes mistakes");
        robot.clickOn("#showWhatItLookedAt");
        List<javafx.scene.image.Image> explained = view.mistakes().images();
        assertEquals(plain.size(), explained.size(), "the same tiles");
        assertTrue(robot.lookup("#mistakesExplanation").queryAs(Label.class).getText()
                .startsWith("Grad-CAM at conv3 for the predicted class"));
        int changed = 0;
        for (int k = 0; k < plain.size(); k++) {
            if (!samePixels(plain.get(k), explained.get(k))) changed++;
        }
        assertTrue(changed > plain.size() / 2, changed + " of " + plain.size() + " tiles show a heat map");
        robot.clickOn("#showWhatItLookedAt");
        assertTrue(samePixels(plain.get(0), view.mistakes().images().get(0)), "off: the plain samples again");
    }

    @Test
    @SuppressWarnings("unchecked")
    void aUnitsTopTrainingSamplesAreShownHighestFirst(FxRobot robot) {
        robot.clickOn("What excites a unit");
        robot.interact(() -> {
            robot.lookup("#exciteLayer").queryComboBox().getSelectionModel().select("conv3");
            ((javafx.scene.control.Spinner<Integer>) robot.lookup("#exciteUnit").queryAs(javafx.scene.control.Spinner.class)).getValueFactory().setValue(5);
        });
        robot.clickOn("#exciteButton");
        ImageGallery gallery = view.unitExplorer().gallery();
        assertEquals(UnitExplorer.TOP, gallery.tileCount(), robot.lookup("#exciteStatus").queryAs(Label.class).getText());
        assertTrue(robot.lookup("#exciteStatus").queryAs(Label.class).getText()
                .startsWith("conv3 unit 5 (max over 3×3 positions)"));
        List<Double> values = gallery.captions().stream().map(c -> Double.parseDouble(c.split("\n")[1])).toList();
        for (int k = 1; k < values.size(); k++) assertTrue(values.get(k) <= values.get(k - 1), values.toString());
        assertTrue(gallery.images().stream().allMatch(java.util.Objects::nonNull), "MNIST samples are pictures");
    }

    @Test
    void drawingOnTheTryItCanvasUpdatesTheBars(FxRobot robot) {
        robot.clickOn("#evaluateButton");
        robot.clickOn("Try it");
        double[] before = view.bars().shown();
        assertEquals(0, Arrays.stream(before).sum(), 1e-9, "no bars before drawing");

        Bounds pad = view.pad().localToScreen(view.pad().getBoundsInLocal());
        double x = pad.getMinX() + pad.getWidth() * 0.5;
        robot.drag(new Point2D(x, pad.getMinY() + pad.getHeight() * 0.2), MouseButton.PRIMARY)
                .moveTo(new Point2D(x, pad.getMinY() + pad.getHeight() * 0.5))
                .moveTo(new Point2D(x, pad.getMinY() + pad.getHeight() * 0.8))
                .release(MouseButton.PRIMARY);

        double[] after = view.bars().shown();
        assertEquals(1.0, Arrays.stream(after).sum(), 1e-3, "probabilities of all classes sum to 1");
        assertFalse(view.pad().isBlank());
        String verdict = robot.lookup("#tryItVerdict").queryAs(Label.class).getText();
        assertTrue(verdict.startsWith("Looks like "), verdict);
        javafx.scene.image.ImageView heat = robot.lookup("#saliencyMap").queryAs(javafx.scene.image.ImageView.class);
        assertNotNull(heat.getImage(), "the explanation is shown");
        @SuppressWarnings("unchecked")
        javafx.scene.control.ComboBox<String> method = robot.lookup("#explainMethod").queryAs(javafx.scene.control.ComboBox.class);
        assertEquals(List.of("Grad-CAM at conv3", "Grad-CAM at pool2", "Grad-CAM at conv2", "Grad-CAM at pool1",
                        "Grad-CAM at conv1", "Saliency (the input's gradient)"),
                method.getItems(), "the layers of feature maps, the last first, then the input's gradient");
        assertEquals("Grad-CAM at conv3", method.getValue());
        javafx.scene.image.Image gradCam = heat.getImage();
        robot.interact(() -> method.getSelectionModel().select("Saliency (the input's gradient)"));
        assertFalse(samePixels(gradCam, heat.getImage()), "the same drawing explained by its gradient looks different");
        assertTrue(robot.lookup(".label").queryAllAs(Label.class).stream()
                .anyMatch(l -> l.getText().startsWith("Saliency: the pixels that sway")));

        // A different drawing gives different probabilities.
        robot.interact(() -> view.pad().drawStroke(6, 8, 22, 8, 12, 24));
        assertFalse(Arrays.equals(after, view.bars().shown()));
    }

    /** Whether two pictures have the same size and the same pixels. */
    private static boolean samePixels(javafx.scene.image.Image a, javafx.scene.image.Image b) {
        if (a.getWidth() != b.getWidth() || a.getHeight() != b.getHeight()) return false;
        for (int y = 0; y < (int) a.getHeight(); y++) {
            for (int x = 0; x < (int) a.getWidth(); x++) {
                if (a.getPixelReader().getArgb(x, y) != b.getPixelReader().getArgb(x, y)) return false;
            }
        }
        return true;
    }

    @Test
    void tryItLoadsTheChosenRunByItselfSoAStudentCanDrawStraightAway(FxRobot robot) {
        robot.clickOn("Try it");
        assertNotNull(view.pad(), "the drawing pad is there without pressing Evaluate");
        robot.interact(() -> EvaluationViewDriver.drawSeven(view));
        assertEquals(1.0, Arrays.stream(view.bars().shown()).sum(), 1e-3, "probabilities of all classes sum to 1");
        assertTrue(robot.lookup("#tryItVerdict").queryAs(Label.class).getText().startsWith("Looks like "));

        // a sure answer reads "100.0%" in full, not "100...."
        List<String> classes = view.result() == null ? java.util.stream.IntStream.range(0, 10).mapToObj(Integer::toString).toList()
                : view.result().classNames();
        float[] sure = new float[classes.size()];
        sure[7] = 1f;
        robot.interact(() -> view.bars().setValues(classes, sure));
        assertEquals(List.of(), TextFits.cutShort(view.bars()));
        assertEquals(List.of(), TextFits.cutShort((Parent) view.node()));
    }

    @Test
    void exportingOnnxFromTheDialogWritesTheFileAndSaysWhere(FxRobot robot) {
        ExportDialog[] dialog = new ExportDialog[1];
        robot.interact(() -> {
            dialog[0] = new ExportDialog(context);
            dialog[0].show();
        });
        Path target = dir.resolve("exported/model.onnx");
        robot.interact(() -> robot.lookup("#exportPath").queryAs(TextField.class).setText(target.toString()));
        robot.clickOn("#exportButton");

        assertTrue(Files.exists(target));
        String result = robot.lookup("#exportResult").queryAs(Label.class).getText();
        assertTrue(result.startsWith("Exported run-1, best epoch as ONNX model (.onnx) to " + target), result);

        Path blocked = dir.resolve("blocker");
        robot.interact(() -> {
            try {
                Files.writeString(blocked, "a file where a folder should be");
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            robot.lookup("#exportPath").queryAs(TextField.class).setText(blocked.resolve("model.onnx").toString());
        });
        robot.clickOn("#exportButton");
        String error = robot.lookup("#exportResult").queryAs(Label.class).getText();
        assertTrue(error.startsWith("Cannot write " + blocked.resolve("model.onnx")), error);
        robot.interact(() -> dialog[0].stage().close());
    }
}
