package kiln.app.training;

import javafx.application.Application;
import javafx.application.Platform;
import javafx.embed.swing.SwingFXUtils;
import javafx.scene.Parent;
import javafx.scene.Scene;
import javafx.scene.control.TableView;
import javafx.scene.image.WritableImage;
import javafx.stage.Stage;
import kiln.app.ProjectDocument;
import kiln.app.ViewContext;
import kiln.engine.edit.ValueChange;
import kiln.engine.nativesupport.NativeSetup;
import kiln.engine.project.Project;
import kiln.engine.project.ProjectIO;
import kiln.engine.runs.RunFolder;
import kiln.engine.train.TrainingEvent;
import kiln.engine.train.TrainingSettings;
import kiln.widgets.charts.CurveChart;
import kiln.widgets.tasks.FxTaskExecutor;

import javax.imageio.ImageIO;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.FutureTask;
import java.util.function.UnaryOperator;

/**
 * The training view alone in a real window (run under Xvfb), for screenshots and the in-app throughput
 * benchmark; not a test. Always trains into a temporary copy of the sample, never into sample-projects.
 * <pre>
 *   screenshots OUT_DIR          docs/images/training.png and training-compare.png
 *   bench PROJECT_COPY LIMIT      one run of 1 epoch on LIMIT samples; prints the epoch's seconds and images/s
 * </pre>
 */
public final class TrainingViewDemo {

    private static String[] arguments;

    private TrainingViewDemo() { }

    /** A plain main class, like the app's Launcher, so JavaFX starts from the class path. */
    public static void main(String[] args) {
        NativeSetup.prepare(); // as the app's Launcher does, before anything touches ND4J
        arguments = args;
        Application.launch(Window.class, args);
    }

    public static final class Window extends Application {

    private TrainingView view;
    private ProjectDocument document;
    private Stage stage;

    @Override
    public void start(Stage primaryStage) throws Exception {
        stage = primaryStage;
        Path folder = arguments[0].equals("bench") ? Path.of(arguments[1]) : TrainingViewTest.copyOfSample("mnist-cnn");
        document = new ProjectDocument(ProjectIO.load(folder), folder);
        FxTaskExecutor executor = new FxTaskExecutor(2);
        view = new TrainingView(new ViewContext(document, executor, stage));
        stage.setScene(new Scene((Parent) view.node(), 1400, 880));
        stage.setTitle("Kiln — Training");
        if (!Boolean.getBoolean("kiln.demo.hidden")) stage.show();
        Thread script = new Thread(() -> {
            int code = 0;
            try {
                if (arguments[0].equals("bench")) bench(folder, Integer.parseInt(arguments[2]));
                else screenshots(Path.of(arguments[1]));
            } catch (Throwable e) {
                e.printStackTrace();
                code = 1;
            }
            System.exit(code);
        }, "demo-script");
        script.setDaemon(true);
        script.start();
    }

    private void bench(Path folder, int limit) throws Exception {
        fx(() -> {
            view.setLimitTrain(limit);
            setSettings(s -> s.withEpochs(1));
            view.startTraining();
            return null;
        });
        var threads = java.lang.management.ManagementFactory.getThreadMXBean();
        while (fx(() -> view.stateProperty().get()) != TrainingView.State.TRAINING) Thread.sleep(20);
        java.util.Map<Thread, Long> atStart = new java.util.HashMap<>();
        Thread.getAllStackTraces().keySet().forEach(t -> atStart.put(t, threads.getThreadCpuTime(t.getId())));
        waitForIdle();
        List<RunFolder> runs = RunFolder.list(folder);
        TrainingEvent.EpochFinished epoch = runs.get(runs.size() - 1).readMetrics().get(0);
        // Where the processor time went while training, by thread (training and the UI's threads).
        java.util.function.ToLongFunction<Thread> used = t -> threads.getThreadCpuTime(t.getId()) - atStart.getOrDefault(t, 0L);
        Thread.getAllStackTraces().keySet().stream()
                .sorted(java.util.Comparator.comparingLong(used).reversed())
                .limit(6).forEach(t -> System.out.printf(Locale.ROOT, "CPU while training %-30s %8.0f ms%n", t.getName(),
                        used.applyAsLong(t) / 1e6));
        System.out.printf(Locale.ROOT, "RESULT app epoch_seconds=%.3f samples=%d img_per_s=%.1f%n",
                epoch.seconds(), limit, limit / epoch.seconds());
    }

    private void screenshots(Path out) throws Exception {
        Files.createDirectories(out);
        // Run 1: Adam at the sample's rate. Run 2: a rate ten times higher, to have something to compare.
        fx(() -> {
            view.setLimitTrain(4000);
            setSettings(s -> s.withEpochs(6));
            view.startTraining();
            return null;
        });
        waitForIdle();
        fx(() -> {
            setSettings(s -> s.withLearningRate(0.01).withEpochs(6));
            view.startTraining();
            return null;
        });
        CurveChart loss = (CurveChart) stage.getScene().lookup("#lossChart");
        while (fx(() -> loss.curves().containsKey("run-2/val") ? loss.curves().get("run-2/val").size() : 0) < 3) {
            Thread.sleep(100);
        }
        Thread.sleep(2500); // let the batch chart and status line move on into the next epoch
        snapshot(out.resolve("training.png"));
        waitForIdle();
        fx(() -> {
            @SuppressWarnings("unchecked")
            TableView<RunRow> table = (TableView<RunRow>) stage.getScene().lookup("#runsTable");
            table.getSelectionModel().selectAll();
            return null;
        });
        Thread.sleep(2500);
        snapshot(out.resolve("training-compare.png"));
    }

    private void setSettings(UnaryOperator<TrainingSettings> change) {
        Project p = document.project();
        document.execute(new ValueChange<>("Demo settings", p::training, p::setTraining, change.apply(p.training())));
    }

    private void waitForIdle() throws Exception {
        Thread.sleep(500);
        while (fx(() -> view.stateProperty().get()) != TrainingView.State.IDLE) Thread.sleep(100);
        Thread.sleep(1500); // the history and charts refresh after the end
    }

    private void snapshot(Path file) throws Exception {
        WritableImage image = fx(() -> stage.getScene().snapshot(null));
        ImageIO.write(SwingFXUtils.fromFXImage(image, null), "png", file.toFile());
        System.out.println("wrote " + file);
    }

    private static <T> T fx(Callable<T> c) throws Exception {
        FutureTask<T> task = new FutureTask<>(c);
        Platform.runLater(task);
        return task.get();
    }
    }
}
