package kiln.app;

import static kiln.app.FxCalls.fx;

import javafx.embed.swing.SwingFXUtils;
import javafx.scene.Node;
import javafx.scene.control.ChoiceBox;
import javafx.scene.control.Slider;
import javafx.scene.control.ToggleButton;
import javafx.scene.image.WritableImage;
import kiln.engine.eval.TrainedProjects;
import kiln.engine.project.Project;
import kiln.widgets.graph.GraphCanvas;

import javax.imageio.ImageIO;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * Takes docs/images/follow-sample.png (the MNIST CNN's canvas following a test digit at its best epoch, every layer
 * with its thumbnail) and docs/images/layer-view.png (conv1's larger view: every channel, the filters, the
 * histograms), from the real app under Xvfb, on a copy of the sample trained for 3 epochs on 2,000 images.
 * Usage: xvfb-run -a -s "-screen 0 1400x900x24" java -cp ... kiln.app.FollowScreenshots OUTPUT_FOLDER [light|dark]
 */
public final class FollowScreenshots {

    private FollowScreenshots() { }

    public static void main(String[] args) throws Exception {
        Path out = Path.of(args.length > 0 ? args[0] : "docs/images").toAbsolutePath();
        boolean dark = args.length > 1 && args[1].equals("dark");
        String suffix = dark ? "-dark" : "";
        Files.createDirectories(out);
        Path home = ScreenshotProgram.prepareHome("kiln-follow-shots");
        Path project = Files.createDirectories(home.resolve("mnist-cnn"));
        Project p = TrainedProjects.trainedSample("mnist-cnn", project, 2000, 3);

        MainWindow w = ScreenshotProgram.start(window -> {
            window.darkThemeItem().setSelected(dark);
            window.showAndOpenStartProject();
        });
        waitFor("the start project", () -> w.document() != null ? w : null);
        Thread.sleep(2000);
        fx(() -> w.open(project));
        waitFor("the trained project", () -> w.document() != null && project.equals(w.document().folder()) ? w : null);
        Thread.sleep(1500);
        fx(() -> ((ToggleButton) w.stage().getScene().lookup("#followToggle")).fire());
        waitFor("the thumbnails", () -> canvas(w).decoration("output"));
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
        write(fx(() -> w.stage().getScene().snapshot(null)), out.resolve("follow-sample" + suffix + ".png"));
        fx(() -> canvas(w).selectedNodes().setAll("conv1"));
        Thread.sleep(2500);
        Node layerView = fx(() -> w.stage().getScene().lookup("#layerView"));
        // all of the view, not only the part its scroll pane shows
        Node content = fx(() -> ((javafx.scene.control.ScrollPane) layerView).getContent());
        write(fx(() -> content.snapshot(null, null)), out.resolve("layer-view" + suffix + ".png"));
        System.exit(0);
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

    private static void write(WritableImage image, Path file) throws Exception {
        ImageIO.write(SwingFXUtils.fromFXImage(image, null), "png", file.toFile());
        System.out.println("wrote " + file);
    }

    private static <T> T waitFor(String what, Callable<T> value) throws Exception {
        for (int i = 0; i < 1200; i++) {
            T v = fx(value);
            if (v != null) return v;
            Thread.sleep(100);
        }
        throw new IllegalStateException("timed out waiting for " + what);
    }
}
