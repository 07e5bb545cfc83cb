package kiln.app;

import static kiln.app.FxCalls.fx;
import static kiln.app.FxCalls.waitFor;
import static kiln.app.FxCalls.waitUntil;
import static kiln.app.ScreenshotProgram.openView;
import static kiln.app.ScreenshotProgram.selectTab;

import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.Labeled;
import javafx.scene.control.TabPane;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.stage.Stage;
import javafx.stage.Window;
import kiln.app.data.DataView;
import kiln.app.data.DataViewDriver;
import kiln.app.eval.EvaluationView;
import kiln.app.eval.EvaluationViewDriver;
import kiln.app.training.TrainingView;
import kiln.engine.data.DataSourceSpec;
import kiln.engine.edit.GraphEdits;
import kiln.engine.edit.ValueChange;
import kiln.engine.layout.AutoLayout;
import kiln.engine.model.ModelGraph;
import kiln.engine.project.Project;
import kiln.engine.project.TrainingSettings;
import kiln.widgets.charts.CurveChart;
import kiln.widgets.graph.GraphCanvas;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.function.UnaryOperator;

/**
 * Takes every documentation screenshot (docs/images) from the real main window, run under Xvfb with real glass
 * (not Monocle) by docs/scripts/screenshots.sh. The user folder is a fresh temporary one, so the window opens as
 * on first launch: a copy of the MNIST CNN sample. It lays out and breaks the network (editor shots), adds data
 * steps, trains two short runs on 2,000 images, evaluates, draws a digit and exports to ONNX; nothing outside
 * the temporary folder and the output folder is written. Not a test.
 * Usage: java -cp TEST_CLASSPATH kiln.app.DocScreenshots [OUTPUT_FOLDER [light|dark]]; "dark" takes every shot
 * with View → Dark Theme on (docs/images/dark: the user guide's "Dark theme" section).
 */
public final class DocScreenshots {

    private static ScreenshotProgram.Output output;

    private DocScreenshots() { }

    public static void main(String[] args) throws Exception {
        output = ScreenshotProgram.Output.of(args);
        ScreenshotProgram.run("kiln-doc-shots", w -> new Script(w).run());
    }

    private record Script(MainWindow w) {

        void run() throws Exception {
            waitUntil("the MNIST CNN sample to open", 120, () -> w.document() != null && openView(w, ModelView.class) != null);
            System.out.printf(Locale.ROOT, "sample open %.1f s after the JVM started%n",
                    java.lang.management.ManagementFactory.getRuntimeMXBean().getUptime() / 1000.0);
            if (output.dark()) fx(() -> w.darkThemeItem().setSelected(true));
            Thread.sleep(2000);
            editor();
            data();
            training();
            evaluation();
            export();
        }

        // -------------------------------------------------------------- the views

        private void editor() throws Exception {
            fx(() -> w.autoLayout(AutoLayout.Orientation.LEFT_TO_RIGHT));
            waitUntil("the auto-layout", 60, () -> w.document().commands().undoDescription().filter("Auto-layout"::equals).isPresent());
            fx(() -> canvas().selectedNodes().setAll("conv2"));
            Thread.sleep(1500);
            shoot("editor.png");
            // Feed the image straight into Dense: the node turns red and offers "Insert Flatten".
            fx(() -> {
                ModelGraph g = w.document().project().graph();
                w.document().execute(GraphEdits.removeNodes(g, List.of("flatten")));
                w.document().execute(GraphEdits.connect(g, "conv3", "dense1", 0));
                canvas().selectedNodes().setAll("dense1");
            });
            Thread.sleep(1500);
            shoot("editor-error.png");
            fx(() -> {
                w.undo();
                w.undo();
                canvas().selectedNodes().setAll("conv2");
            });
        }

        private void data() throws Exception {
            selectTab(w, Views.DATA);
            DataView data = view(DataView.class);
            waitUntil("the MNIST gallery", 120, () -> DataViewDriver.galleryImages(data) > 40);
            fx(() -> DataViewDriver.addStep(data, "rotate"));
            waitUntil("the rotation preview", 60, () -> DataViewDriver.previewImages(data) > 10);
            Thread.sleep(1500);
            shoot("data.png");
            fx(() -> DataViewDriver.addStep(data, "standardize"));
            waitUntil("the standardize histograms", 60, () -> DataViewDriver.histogramShown(data));
            Thread.sleep(1500);
            shoot("data-normalize.png");
            fx(() -> {
                w.undo();
                w.undo();
            });
            // A small table with holes and an outlier, to show the CSV overview and a cleaning step.
            Path csv = Files.createTempDirectory("kiln-csv").resolve("plants.csv"); // a short name: the source bar shows it
            Files.writeString(csv, plantsCsv());
            Project p = w.document().project();
            DataSourceSpec mnist = p.data();
            fx(() -> w.document().execute(new ValueChange<>("Use plants.csv", p::data, p::setData,
                    new DataSourceSpec.Csv(csv.toString(), "species"))));
            Thread.sleep(3000);
            fx(() -> DataViewDriver.addStep(data, "fill_missing"));
            Thread.sleep(2500);
            shoot("data-csv.png");
            fx(() -> {
                w.undo();
                w.undo();
            });
            // the grid shows as many tiles as fit, and the pane's layout after a CSV may leave room for fewer
            waitUntil("MNIST back in the data pane", 60, () -> p.data().equals(mnist) && DataViewDriver.galleryImages(data) >= 20);
            Files.deleteIfExists(csv);
            Files.deleteIfExists(csv.getParent());
        }

        private void training() throws Exception {
            selectTab(w, Views.TRAINING);
            TrainingView training = view(TrainingView.class);
            // Run 1: the sample's settings on 2,000 images. Run 2: a rate ten times higher, to compare.
            fx(() -> {
                training.setLimitTrain(2000);
                settings(s -> s.withEpochs(3));
                w.requestTrain();
            });
            waitForIdle(training);
            fx(() -> {
                settings(s -> s.withLearningRate(s.learningRate() * 10));
                w.requestTrain();
            });
            CurveChart loss = (CurveChart) fx(() -> w.stage().getScene().lookup("#lossChart"));
            waitUntil("run 2's first epochs", 600, () -> loss.curves().containsKey("run-2/val") && loss.curves().get("run-2/val").size() >= 2);
            Thread.sleep(2500); // the batch chart and the status line move on into the next epoch
            shoot("training.png");
            waitForIdle(training);
            fx(() -> ((TableView<?>) w.stage().getScene().lookup("#runsTable")).getSelectionModel().selectAll());
            Thread.sleep(2500);
            shoot("training-compare.png");
            learningRateFinder();
        }

        private void learningRateFinder() throws Exception {
            fx(() -> ((Button) w.stage().getScene().lookup("#findRateButton")).fire());
            Stage dialog = (Stage) waitFor("the learning-rate finder", 60, () -> Window.getWindows().stream()
                    .filter(x -> x instanceof Stage s && s.getTitle() != null && s.getTitle().startsWith("Find a learning rate"))
                    .findFirst().orElse(null));
            Scene scene = dialog.getScene();
            fx(() -> ((Button) scene.lookup("#rateFinderStart")).fire());
            waitUntil("the range test", 600, () -> !((Button) scene.lookup("#rateFinderUse")).isDisabled());
            Thread.sleep(1500);
            shoot(scene, "learning-rate-finder.png");
            fx(dialog::close);
        }

        private void evaluation() throws Exception {
            selectTab(w, Views.EVALUATION);
            EvaluationView eval = view(EvaluationView.class);
            fx(eval::evaluate);
            waitUntil("the evaluation", 300, () -> EvaluationViewDriver.evaluated(eval));
            fx(() -> EvaluationViewDriver.showWorstConfusion(eval));
            Thread.sleep(1500);
            shoot("evaluation.png");
            fx(() -> ((TabPane) w.stage().getScene().lookup("#evaluationTabs")).getSelectionModel().select(1));
            Thread.sleep(800);
            fx(() -> EvaluationViewDriver.drawSeven(eval));
            Thread.sleep(4000);
            shoot("try-it.png");
        }

        private void export() throws Exception {
            fx(w::export);
            Stage dialog = (Stage) waitFor("the export dialog", 60, () -> Window.getWindows().stream()
                    .filter(x -> x instanceof Stage s && s.getTitle() != null && s.getTitle().startsWith("Export")).findFirst().orElse(null));
            Scene scene = dialog.getScene();
            fx(() -> ((Button) scene.lookup("#exportButton")).fire());
            waitUntil("the ONNX export", 120, () -> ((Labeled) scene.lookup("#exportResult")).getText().startsWith("Exported"));
            Thread.sleep(500);
            String target = fx(() -> ((TextField) scene.lookup("#exportPath")).getText());
            System.out.println("exported " + target);
            shoot(scene, "export.png");
        }

        // -------------------------------------------------------------- helpers

        private <T> T view(Class<T> type) throws Exception {
            return fx(() -> openView(w, type));
        }

        private GraphCanvas canvas() {
            return (GraphCanvas) w.stage().getScene().lookup(".graph-canvas");
        }

        private void settings(UnaryOperator<TrainingSettings> change) {
            Project p = w.document().project();
            w.document().execute(new ValueChange<>("Screenshot settings", p::training, p::setTraining, change.apply(p.training())));
        }

        private void waitForIdle(TrainingView v) throws Exception {
            Thread.sleep(1000);
            waitUntil("the run to end", 900, () -> !v.stateProperty().get().isActive());
            Thread.sleep(2000); // the history and charts refresh after the end
        }

        private void shoot(String name) throws Exception {
            shoot(w.stage().getScene(), name);
        }

        private static void shoot(Scene scene, String name) throws Exception {
            ScreenshotProgram.writePng(fx(() -> scene.snapshot(null)), output.folder().resolve(name));
        }

        private static String plantsCsv() {
            StringBuilder rows = new StringBuilder("petal_length,petal_width,stem_cm,species\n");
            Random r = new Random(5);
            String[] species = {"setosa", "versicolor", "virginica"};
            for (int i = 0; i < 150; i++) {
                int k = i % 3;
                String len = i % 17 == 4 ? "" : String.format(Locale.ROOT, "%.1f", 1.5 + 2.2 * k + r.nextGaussian() * 0.4);
                String wid = i % 23 == 7 ? "NA" : String.format(Locale.ROOT, "%.1f", 0.3 + 0.8 * k + r.nextGaussian() * 0.2);
                String stem = i == 42 ? "310" : String.format(Locale.ROOT, "%.0f", 30 + 5 * k + r.nextGaussian() * 4);
                rows.append(len).append(',').append(wid).append(',').append(stem).append(',').append(species[k]).append('\n');
            }
            return rows.toString();
        }
    }
}
