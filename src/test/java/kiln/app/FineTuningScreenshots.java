package kiln.app;

import static kiln.app.FxCalls.fx;
import static kiln.app.FxCalls.waitUntil;
import static kiln.app.ScreenshotProgram.selectTab;

import javafx.application.Platform;
import javafx.scene.Node;
import javafx.scene.control.RadioButton;
import javafx.scene.control.TableView;
import javafx.stage.Stage;
import kiln.app.transfer.StartFromDialog;
import kiln.engine.catalog.LayerCatalog;
import kiln.engine.data.BundledData;
import kiln.engine.data.DataSplits;
import kiln.engine.model.Edge;
import kiln.engine.model.ModelGraph;
import kiln.engine.nn.LayerTraining;
import kiln.engine.project.Project;
import kiln.engine.project.ProjectIO;
import kiln.engine.runs.RunFolder;
import kiln.engine.train.StartFrom;
import kiln.engine.train.TrainingSession;
import kiln.engine.train.Trainer;
import kiln.engine.train.TrainingListener;
import kiln.engine.util.Progress;
import kiln.widgets.graph.GraphCanvas;
import kiln.widgets.tasks.FxTaskExecutor;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Takes the fine-tuning screenshots (docs/images/fine-tuning-*.png, light and dark) from the real main window under
 * Xvfb, run by docs/scripts/screenshots.sh. In a temporary folder it trains the MNIST CNN sample (2,000 images, one
 * epoch) as the trained model, then a Fashion-MNIST project that takes its layers with a new head, trained four
 * ways on 1,000 images for 3 epochs (from scratch, frozen backbone, full fine-tune, LoRA), then shows the canvas,
 * the inspector, Start from… and the comparison of the four runs. Not a test.
 * Usage: java -cp TEST_CLASSPATH kiln.app.FineTuningScreenshots [OUTPUT_FOLDER]
 */
public final class FineTuningScreenshots {

    private static final int TRAIN = 1000;
    private static final List<String> BACKBONE = List.of("conv1", "conv2", "conv3", "dense1");

    private FineTuningScreenshots() { }

    public static void main(String[] args) throws Exception {
        Path out = ScreenshotProgram.Output.of(args).folder();
        Path home = ScreenshotProgram.prepareHome("kiln-fine-tuning-shots");
        Path source = home.resolve("mnist-cnn");
        Path target = home.resolve("fashion-from-mnist");
        prepare(source, target);
        Platform.startup(() -> { });
        Stage[] stage = new Stage[1];
        MainWindow w = fx(() -> {
            stage[0] = new Stage();
            stage[0].setX(0);
            stage[0].setY(0);
            MainWindow window = new MainWindow(stage[0], new FxTaskExecutor(2), UserProjects.fromSystem());
            stage[0].setWidth(1360);
            stage[0].setHeight(860);
            stage[0].show();
            window.open(target);
            return window;
        });
        waitUntil("the project to open", 120, () -> w.document() != null && canvas(w) != null);
        for (String theme : List.of("", "-dark")) {
            fx(() -> w.darkThemeItem().setSelected(!theme.isEmpty()));
            shots(w, source, out, theme);
        }
        Platform.exit();
        System.exit(0);
    }

    /** The trained model, and the fine-tuned project with its four runs. */
    private static void prepare(Path source, Path target) throws Exception {
        Path samples = BundledData.sampleProjectsFolder().orElseThrow();
        Project mnist = ProjectIO.load(samples.resolve("mnist-cnn"));
        ProjectIO.save(mnist, source);
        train(mnist, source, 2000, 1, "MNIST CNN");

        Project p = ProjectIO.load(samples.resolve("fashion-mnist-cnn"));
        ProjectIO.save(p, target);
        // Start from… with its layers, then a new head for Fashion-MNIST's classes
        StartFrom.Plan plan = StartFrom.plan(p.graph(), target, StartFrom.label(target, source, "run-1"),
                StartFrom.Mode.TAKE_ITS_LAYERS);
        ModelGraph g = p.graph();
        g.setContents(plan.result());
        var old = g.node("output");
        g.remove("output");
        g.add("head", LayerCatalog.get("output"), old.params(), old.x(), old.y());
        g.connect(new Edge("dense1", "head", 0));
        String from = plan.label();

        configure(g, null, false, 0);
        train(p, target, TRAIN, 3, "from scratch");
        configure(g, from, true, 0);
        train(p, target, TRAIN, 3, "frozen backbone");
        configure(g, from, false, 0);
        train(p, target, TRAIN, 3, "full fine-tune");
        configure(g, from, true, 4);
        train(p, target, TRAIN, 3, "LoRA r4 on dense1");
        ProjectIO.save(p, target);
    }

    /** The backbone pre-trained or not, frozen or not; dense1 with LoRA adapters of this rank (0: none). */
    private static void configure(ModelGraph g, String from, boolean freeze, int rank) throws Exception {
        var dense = LayerCatalog.get("dense");
        for (String layer : BACKBONE) {
            var n = g.node(layer).withWeightsFrom(from)
                    .withTraining(new LayerTraining(!(freeze && (rank == 0 || !layer.equals("dense1"))), 1, false));
            if (layer.equals("dense1")) n = n.withParams(n.params().with(dense, "loraRank", rank));
            g.replace(n);
        }
    }

    private static void train(Project p, Path folder, int samples, int epochs, String name) throws Exception {
        p.setTraining(p.training().withEpochs(epochs));
        TrainingSession.PreparedData full = TrainingSession.prepareData(p, folder, samples, Progress.NONE);
        DataSplits s = full.splits();
        TrainingSession.PreparedData data = new TrainingSession.PreparedData(
                new DataSplits(s.train(), s.validation().head(1000), s.test().head(2000)), full.pipeline(), full.encoding());
        TrainingListener quiet = e -> { };
        Trainer trainer = TrainingSession.newRun(p, folder, data, samples, quiet);
        var end = trainer.run();
        RunFolder run = RunFolder.list(folder).get(RunFolder.list(folder).size() - 1);
        run.rename(name);
        var r = run.readRecord();
        System.out.printf(Locale.ROOT, "%s %s: %s, test accuracy %.4f, %d of %d weights train, %.1f s%n",
                folder.getFileName(), name, end.getClass().getSimpleName(), r.testAccuracy(), r.trainableParams(),
                r.totalParams(), r.seconds());
    }

    private static void shots(MainWindow w, Path source, Path out, String theme) throws Exception {
        selectTab(w, Views.MODEL);
        fx(() -> {
            canvas(w).zoomToFit();
            canvas(w).selectedNodes().setAll("conv2");
        });
        Thread.sleep(2000);
        shoot(w.stage().getScene().getRoot(), out.resolve("fine-tuning-canvas" + theme + ".png"));
        fx(() -> canvas(w).selectedNodes().setAll("dense1"));
        Thread.sleep(1500);
        shoot(fx(() -> w.stage().getScene().lookup(".layer-inspector")), out.resolve("fine-tuning-inspector" + theme + ".png"));

        StartFromDialog dialog = fx(w::startFrom);
        fx(() -> dialog.chooseSource(source));
        waitUntil("the run list", 60, () -> !dialog.reportLines().isEmpty());
        fx(() -> ((RadioButton) dialog.stage().getScene().lookup("#startFromKeepNetwork")).setSelected(true));
        waitUntil("the layer report", 60, () -> dialog.reportLines().stream().anyMatch(l -> l.startsWith("head")));
        Thread.sleep(1000);
        shoot(dialog.stage().getScene().getRoot(), out.resolve("fine-tuning-start-from" + theme + ".png"));
        fx(() -> dialog.stage().close());

        selectTab(w, Views.TRAINING);
        waitUntil("the four runs", 60, () -> ((TableView<?>) w.stage().getScene().lookup("#runsTable")).getItems().size() == 4);
        fx(() -> ((TableView<?>) w.stage().getScene().lookup("#runsTable")).getSelectionModel().selectAll());
        Thread.sleep(2500);
        shoot(w.stage().getScene().getRoot(), out.resolve("fine-tuning-compare" + theme + ".png"));
    }

    private static GraphCanvas canvas(MainWindow w) {
        return (GraphCanvas) w.stage().getScene().lookup(".graph-canvas");
    }

    private static void shoot(Node node, Path file) throws Exception {
        ScreenshotProgram.writePng(fx(() -> node.snapshot(null, null)), file);
    }
}
