package kiln.app.follow;

import atlantafx.base.theme.PrimerLight;
import javafx.application.Application;
import javafx.scene.Parent;
import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.scene.image.ImageView;
import javafx.scene.image.WritableImage;
import javafx.stage.Stage;
import kiln.app.ModelView;
import kiln.app.document.ProjectDocument;
import kiln.app.document.ViewContext;
import kiln.engine.eval.SampleTrace;
import kiln.engine.eval.TrainedSample;
import kiln.engine.project.ProjectIO;
import kiln.widgets.graph.GraphCanvas;
import kiln.widgets.tasks.SameThreadTaskExecutor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Following a sample through the MNIST CNN on the model canvas, briefly trained for two epochs (headless). */
@ExtendWith(ApplicationExtension.class)
class FollowSampleTest {

    @RegisterExtension
    static final TrainedSample cnn = new TrainedSample("mnist-cnn", 300, 2);

    private ModelView view;
    private ProjectDocument document;

    @Start
    void start(Stage stage) throws Exception {
        document = new ProjectDocument(ProjectIO.load(cnn.folder()), cnn.folder());
        view = new ModelView(new ViewContext(document, new SameThreadTaskExecutor(), stage));
        Application.setUserAgentStylesheet(new PrimerLight().getUserAgentStylesheet());
        Scene scene = new Scene((Parent) view.node(), 1280, 760);
        scene.getStylesheets().add(kiln.app.MainWindow.class.getResource("kiln.css").toExternalForm());
        stage.setScene(scene);
        stage.show();
    }

    @Test
    void followingGivesEveryLayerAThumbnailAndScrubbingChangesTheConvolutions(FxRobot robot) {
        GraphCanvas canvas = view.editor().canvas();
        for (var n : document.project().graph().nodes()) assertNull(canvas.decoration(n.name()), "off by default");

        robot.clickOn("#followToggle");
        FollowSamplePane follow = view.follow();
        assertNotNull(follow.shown(), robot.lookup("#layerView").query().toString());
        for (var n : document.project().graph().nodes()) {
            javafx.scene.Node thumb = canvas.decoration(n.name());
            assertNotNull(thumb, n.name() + " has a thumbnail");
            assertNotNull(thumb.getParent(), n.name() + "'s thumbnail is on the canvas");
            assertTrue(thumb.getBoundsInLocal().getWidth() > 20 && thumb.getBoundsInLocal().getHeight() > 20, n.name());
        }
        String output = robot.lookup("#node-output .thumbnail-prediction").queryAs(Label.class).getText();
        int predicted = follow.shown().prediction().predicted();
        assertTrue(output.startsWith("→ " + predicted), output);

        robot.interact(() -> follow.weightsChoice().setValue(follow.weightsChoice().getItems().stream()
                .filter(c -> c.kind() == FollowChoices.Kind.EPOCHS).findFirst().orElseThrow()));
        assertTrue(follow.epochSlider().isVisible());
        robot.interact(() -> follow.epochSlider().setValue(1));
        float[] first = follow.shown().layer("conv1").orElseThrow().values();
        int[] firstPixels = pixels(robot, canvas.decoration("conv1"));
        robot.interact(() -> follow.epochSlider().setValue(2));
        float[] second = follow.shown().layer("conv1").orElseThrow().values();
        assertFalse(Arrays.equals(first, second), "epoch 2's filters give other feature maps");
        assertFalse(Arrays.equals(firstPixels, pixels(robot, canvas.decoration("conv1"))), "and another thumbnail");

        // Moving a layer changes nothing the network computes: the result stays; a new filter count follows again.
        SampleTrace.Result atEpoch2 = follow.shown();
        var conv1 = document.project().graph().node("conv1");
        robot.interact(() -> document.execute(kiln.engine.edit.GraphEdits.moveNodes(document.project().graph(),
                java.util.Map.of("conv1", new kiln.engine.edit.GraphEdits.Position(conv1.x() + 40, conv1.y())))));
        assertTrue(atEpoch2 == follow.shown(), "not followed again for a move");
        assertNotNull(canvas.decoration("conv1"));
        robot.interact(() -> document.execute(kiln.engine.edit.GraphEdits.setParam(document.project().graph(), "conv1", "filters", 8)));
        assertNull(follow.shown(), "the run's weights no longer fit");
        assertNull(canvas.decoration("conv1"));
        assertTrue(follow.layerView().hint().contains("was trained on a different network: conv1 (Conv2D)"), follow.layerView().hint());
        robot.interact(() -> document.undo());
        assertNotNull(canvas.decoration("conv1"), "undone: followed again");

        String before = robot.lookup("#followSample").queryAs(Label.class).getText();
        robot.clickOn("#followNext");
        assertNotEquals(before, robot.lookup("#followSample").queryAs(Label.class).getText());
        assertTrue(robot.lookup("#followSample").queryAs(Label.class).getText().startsWith("test #2 of"));

        robot.clickOn("#followToggle");
        for (var n : document.project().graph().nodes()) assertNull(canvas.decoration(n.name()), "off clears the canvas");
    }

    @Test
    void theLayerViewShowsEveryChannelAndTheWeights(FxRobot robot) {
        robot.clickOn("#followToggle");
        robot.interact(() -> view.editor().canvas().selectedNodes().setAll("conv1"));
        SampleTrace.Layer conv1 = view.follow().shown().layer("conv1").orElseThrow();
        assertEquals(32, conv1.shape().channels());
        assertEquals(32, view.follow().layerView().channelPictures().size(), "one picture per channel");
        assertTrue(view.follow().layerView().channelPictures().stream().allMatch(p -> ((ImageView) p).getImage() != null));
        assertEquals(32, robot.lookup("#layerViewWeights").queryAs(javafx.scene.layout.FlowPane.class).getChildren().size(),
                "one picture per first-layer filter");

        robot.interact(() -> view.editor().canvas().selectedNodes().setAll("dense1"));
        assertEquals(1, view.follow().layerView().channelPictures().size(), "a vector is one strip of bars");
        assertEquals(1, robot.lookup("#layerViewWeights").queryAs(javafx.scene.layout.FlowPane.class).getChildren().size(),
                "the weight matrix as one heat map");
        robot.interact(() -> view.editor().canvas().selectedNodes().setAll("pool1"));
        assertEquals(0, robot.lookup("#layerViewWeights").queryAs(javafx.scene.layout.FlowPane.class).getChildren().size(),
                "pooling has no weights");

        robot.clickOn("#followChoose");
        var picks = robot.lookup(".follow-pick").queryAll();
        assertEquals(60, picks.size(), "a gallery of test samples");
        robot.clickOn(picks.stream().filter(b -> ((javafx.scene.control.Button) b).getText().startsWith("#5 ")).findFirst().orElseThrow());
        assertTrue(robot.lookup("#followSample").queryAs(Label.class).getText().startsWith("test #5 of"),
                robot.lookup("#followSample").queryAs(Label.class).getText());
    }

    @Test
    void aDrawnDigitIsFollowedStrokeByStroke(FxRobot robot) {
        robot.clickOn("#followToggle");
        FollowSamplePane follow = view.follow();
        float[] testSample = follow.shown().layer("conv1").orElseThrow().values();
        robot.clickOn("#followDraw");
        javafx.scene.Node pad = robot.lookup("#followDrawingPad").query();
        javafx.geometry.Bounds b = pad.localToScreen(pad.getBoundsInLocal());
        double x = b.getMinX() + b.getWidth() * 0.5;
        robot.drag(new javafx.geometry.Point2D(x, b.getMinY() + b.getHeight() * 0.2), javafx.scene.input.MouseButton.PRIMARY)
                .moveTo(new javafx.geometry.Point2D(x, b.getMinY() + b.getHeight() * 0.5))
                .moveTo(new javafx.geometry.Point2D(x, b.getMinY() + b.getHeight() * 0.8))
                .release(javafx.scene.input.MouseButton.PRIMARY);

        assertEquals("your drawing", robot.lookup("#followSample").queryAs(Label.class).getText());
        SampleTrace.Result drawn = follow.shown();
        assertFalse(Arrays.equals(testSample, drawn.layer("conv1").orElseThrow().values()), "the drawing, not the test sample");
        float[] input = drawn.layer("input").orElseThrow().values();
        assertTrue(input[14 * 28 + 14] > input[0], "the stroke down the middle is in the input, the corner is not");
        assertNotNull(view.editor().canvas().decoration("output"), "every layer shows the drawing's output");

        robot.interact(() -> follow.pick(3));
        assertTrue(robot.lookup("#followSample").queryAs(Label.class).getText().startsWith("test #4 of"), "back to the test split");
    }

    @Test
    void aSampleTheDataTabAsksForIsFollowedWithFollowingTurnedOn(FxRobot robot) {
        assertFalse(view.follow().toggle().isSelected());
        float[] blank = new float[28 * 28];
        robot.interact(() -> document.followRequestProperty().set(new ProjectDocument.FollowRequest(blank, "training #7: 3")));
        assertTrue(view.follow().toggle().isSelected(), "following turns on by itself");
        assertEquals("training #7: 3", robot.lookup("#followSample").queryAs(Label.class).getText());
        float[] input = view.follow().shown().layer("input").orElseThrow().values();
        float first = input[0];
        for (float v : input) assertEquals(first, v, 1e-6, "a blank picture stays blank through the pipeline");
    }

    private static int[] pixels(FxRobot robot, javafx.scene.Node node) {
        int[][] out = new int[1][];
        robot.interact(() -> {
            WritableImage img = node.snapshot(null, null);
            int w = (int) img.getWidth();
            int h = (int) img.getHeight();
            out[0] = new int[w * h];
            img.getPixelReader().getPixels(0, 0, w, h, javafx.scene.image.PixelFormat.getIntArgbInstance(), out[0], 0, w);
        });
        return out[0];
    }
}
