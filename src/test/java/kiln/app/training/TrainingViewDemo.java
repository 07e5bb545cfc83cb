package kiln.app.training;

import static kiln.app.FxCalls.fx;

import javafx.application.Application;
import javafx.scene.Parent;
import javafx.scene.Scene;
import javafx.stage.Stage;
import kiln.app.document.ProjectDocument;
import kiln.app.document.ViewContext;
import kiln.engine.edit.ValueChange;
import kiln.engine.nativesupport.NativeSetup;
import kiln.engine.project.Project;
import kiln.engine.project.ProjectIO;
import kiln.engine.project.TrainingSettings;
import kiln.engine.runs.RunFolder;
import kiln.engine.runs.TrainingEvent;
import kiln.widgets.tasks.FxTaskExecutor;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.function.UnaryOperator;

/**
 * The training view alone in a real window (run under Xvfb), for the in-app throughput benchmark
 * (docs/scripts/bench-app-vs-cli.sh); not a test. The documentation screenshots come from kiln.app.DocScreenshots.
 * <pre>
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
        if (arguments.length != 3 || !arguments[0].equals("bench")) {
            throw new IllegalArgumentException("usage: TrainingViewDemo bench PROJECT_COPY LIMIT");
        }
        Path folder = Path.of(arguments[1]);
        document = new ProjectDocument(ProjectIO.load(folder), folder);
        FxTaskExecutor executor = new FxTaskExecutor(2);
        view = new TrainingView(new ViewContext(document, executor, stage));
        stage.setScene(new Scene((Parent) view.node(), 1400, 880));
        stage.setTitle("Kiln — Training");
        if (!Boolean.getBoolean("kiln.demo.hidden")) stage.show();
        Thread script = new Thread(() -> {
            int code = 0;
            try {
                bench(folder, Integer.parseInt(arguments[2]));
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
        while (fx(() -> view.stateProperty().get()) != RunState.TRAINING) Thread.sleep(20);
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

    private void setSettings(UnaryOperator<TrainingSettings> change) {
        Project p = document.project();
        document.execute(new ValueChange<>("Demo settings", p::training, p::setTraining, change.apply(p.training())));
    }

    private void waitForIdle() throws Exception {
        Thread.sleep(500);
        while (fx(() -> view.stateProperty().get().isActive())) Thread.sleep(100);
        Thread.sleep(1500); // the history and charts refresh after the end
    }
    }
}
