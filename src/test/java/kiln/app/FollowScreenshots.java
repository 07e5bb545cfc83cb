package kiln.app;

import static kiln.app.FxCalls.fx;
import static kiln.app.FxCalls.waitFor;

import javafx.scene.Node;
import javafx.scene.control.ChoiceBox;
import javafx.scene.control.Slider;
import javafx.scene.control.ToggleButton;
import kiln.engine.eval.TrainedProjects;
import kiln.widgets.graph.GraphCanvas;

import java.nio.file.Path;

/**
 * Takes docs/images/follow-sample.png (the MNIST CNN's canvas following a test digit at its best epoch, every layer
 * with its thumbnail) and docs/images/layer-view.png (conv1's larger view: every channel, the filters, the
 * histograms), from the real app under Xvfb, on a copy of the sample trained for 3 epochs on 2,000 images.
 * Usage: xvfb-run -a -s "-screen 0 1400x900x24" java -cp ... kiln.app.FollowScreenshots OUTPUT_FOLDER [light|dark]
 */
public final class FollowScreenshots {

    private FollowScreenshots() { }

    public static void main(String[] args) throws Exception {
        ScreenshotProgram.Output output = ScreenshotProgram.Output.of(args);
        Path home = ScreenshotProgram.prepareHome("kiln-follow-shots");
        Path project = home.resolve("mnist-cnn");
        TrainedProjects.trainedSample("mnist-cnn", project, 2000, 3);

        MainWindow w = ScreenshotProgram.start(window -> {
            window.darkThemeItem().setSelected(output.dark());
            window.showAndOpenStartProject();
        });
        waitFor("the start project", 120, () -> w.document() != null ? w : null);
        Thread.sleep(2000);
        fx(() -> w.open(project));
        waitFor("the trained project", 120, () -> w.document() != null && project.equals(w.document().folder()) ? w : null);
        Thread.sleep(1500);
        fx(() -> ((ToggleButton) w.stage().getScene().lookup("#followToggle")).fire());
        waitFor("the thumbnails", 120, () -> canvas(w).decoration("output"));
        @SuppressWarnings("unchecked")
        ChoiceBox<Object> weights = (ChoiceBox<Object>) fx(() -> w.stage().getScene().lookup("#followWeights"));
        fx(() -> weights.setValue(weights.getItems().stream().filter(c -> c.toString().endsWith("epoch by epoch"))
                .findFirst().orElseThrow()));
        fx(() -> ((Slider) w.stage().getScene().lookup("#followEpoch")).setValue(3));
        fx(() -> ((javafx.scene.control.Button) w.stage().getScene().lookup("#followNext")).fire());
        fx(() -> canvas(w).selectedNodes().setAll("conv2"));
        fx(() -> editor(w).summaryVisibleProperty().set(false)); // room for the canvas above the layer view
        Thread.sleep(2500);
        fx(w::zoomToFit);
        Thread.sleep(1500);
        ScreenshotProgram.writePng(fx(() -> w.stage().getScene().snapshot(null)), output.png("follow-sample"));
        fx(() -> canvas(w).selectedNodes().setAll("conv1"));
        Thread.sleep(2500);
        Node layerView = fx(() -> w.stage().getScene().lookup("#layerView"));
        // all of the view, not only the part its scroll pane shows
        Node content = fx(() -> ((javafx.scene.control.ScrollPane) layerView).getContent());
        ScreenshotProgram.writePng(fx(() -> content.snapshot(onWindowBackground(w), null)), output.png("layer-view"));
        System.exit(0);
    }

    /** The content alone would be drawn on transparent, which shows as white: the theme's text needs its own background. */
    private static javafx.scene.SnapshotParameters onWindowBackground(MainWindow w) {
        var parameters = new javafx.scene.SnapshotParameters();
        var root = (javafx.scene.layout.Region) w.stage().getScene().getRoot();
        parameters.setFill(root.getBackground().getFills().get(0).getFill());
        return parameters;
    }

    private static kiln.widgets.graph.GraphEditor editor(MainWindow w) {
        Node n = canvas(w);
        while (n != null && !(n instanceof kiln.widgets.graph.GraphEditor)) n = n.getParent();
        return (kiln.widgets.graph.GraphEditor) n;
    }

    private static GraphCanvas canvas(MainWindow w) {
        Node n = w.stage().getScene().lookup("#node-input");
        while (n != null && !(n instanceof GraphCanvas)) n = n.getParent();
        return (GraphCanvas) n;
    }
}
