package kiln.app;

import static kiln.app.FxCalls.fx;
import static kiln.app.FxCalls.waitUntil;
import static kiln.app.ScreenshotProgram.openView;
import static kiln.app.ScreenshotProgram.selectTab;

import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Spinner;
import javafx.scene.control.TabPane;
import kiln.app.eval.EvaluationView;
import kiln.app.eval.EvaluationViewDriver;
import kiln.app.training.TrainingView;
import kiln.engine.edit.ValueChange;
import kiln.engine.project.Project;
import kiln.widgets.graph.GraphCanvas;

import java.nio.file.Path;

/**
 * The "look inside the network" screenshots (docs/images), from the real main window under Xvfb, run by
 * docs/scripts/screenshots.sh: one short run of the MNIST CNN on 2,000 images (4 epochs), then the canvas
 * sparklines, the Training view's Layers table, Grad-CAM on the most confident mistakes and a unit's top training
 * samples. Works in a fresh temporary user folder. Not a test.
 * Usage: java -cp TEST_CLASSPATH kiln.app.LookInsideScreenshots [OUTPUT_FOLDER [light|dark]]
 */
public final class LookInsideScreenshots {

    private static ScreenshotProgram.Output output;

    private LookInsideScreenshots() { }

    public static void main(String[] args) throws Exception {
        output = ScreenshotProgram.Output.of(args);
        ScreenshotProgram.run("kiln-look-inside-shots", LookInsideScreenshots::run);
    }

    private static void run(MainWindow w) throws Exception {
        waitUntil("the MNIST CNN sample to open", 120, () -> w.document() != null && openView(w, ModelView.class) != null);
        if (output.dark()) fx(() -> w.darkThemeItem().setSelected(true));
        Thread.sleep(2000);
        selectTab(w, Views.TRAINING);
        TrainingView training = fx(() -> openView(w, TrainingView.class));
        fx(() -> {
            training.setLimitTrain(2000);
            Project p = w.document().project();
            w.document().execute(new ValueChange<>("Screenshot settings", p::training, p::setTraining, p.training().withEpochs(4)));
            w.requestTrain();
        });
        Thread.sleep(1000);
        waitUntil("the run to end", 900, () -> !training.stateProperty().get().isActive());
        Thread.sleep(2500);
        fx(() -> {
            TabPane layers = (TabPane) w.stage().getScene().lookup("#runsAndLayers");
            layers.getSelectionModel().select(1);
            // room for every layer's row: the split between the charts and the table moves up
            ((javafx.scene.control.SplitPane) layers.getParent().getParent()).setDividerPositions(0.42);
        });
        Thread.sleep(1500);
        shoot(w.stage().getScene(), "dynamics-table.png");

        selectTab(w, Views.MODEL);
        fx(() -> {
            GraphCanvas canvas = (GraphCanvas) w.stage().getScene().lookup(".graph-canvas");
            canvas.showReadable();
            canvas.zoomAt(1.45, 40, 120); // the sparklines are word-sized: closer, so they read in the picture
        });
        Thread.sleep(1500);
        shoot(w.stage().getScene(), "canvas-sparklines.png");

        selectTab(w, Views.EVALUATION);
        EvaluationView eval = fx(() -> openView(w, EvaluationView.class));
        fx(eval::evaluate);
        waitUntil("the evaluation", 300, () -> EvaluationViewDriver.evaluated(eval));
        fx(() -> EvaluationViewDriver.showWorstConfusion(eval));
        fx(() -> ((CheckBox) w.stage().getScene().lookup("#showWhatItLookedAt")).setSelected(true));
        Thread.sleep(4000);
        shoot(w.stage().getScene(), "mistakes-gradcam.png");

        fx(() -> ((TabPane) w.stage().getScene().lookup("#evaluationTabs")).getSelectionModel().select(2));
        Thread.sleep(1000);
        fx(() -> {
            Scene s = w.stage().getScene();
            @SuppressWarnings("unchecked") ComboBox<String> layer = (ComboBox<String>) s.lookup("#exciteLayer");
            layer.getSelectionModel().select("conv2");
            @SuppressWarnings("unchecked") Spinner<Integer> unit = (Spinner<Integer>) s.lookup("#exciteUnit");
            unit.getValueFactory().setValue(12);
            ((Button) s.lookup("#exciteButton")).fire();
        });
        waitUntil("the top samples", 300, () -> {
            Node status = w.stage().getScene().lookup("#exciteStatus");
            return status != null && ((javafx.scene.control.Label) status).getText().contains("the top");
        });
        Thread.sleep(1500);
        shoot(w.stage().getScene(), "top-activations.png");
    }

    private static void shoot(Scene scene, String name) throws Exception {
        ScreenshotProgram.writePng(fx(() -> scene.snapshot(null)), output.folder().resolve(name));
    }
}
