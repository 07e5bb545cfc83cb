package kiln.app.data;

import javafx.application.Application;
import javafx.application.Platform;
import javafx.embed.swing.SwingFXUtils;
import javafx.scene.Parent;
import javafx.scene.Scene;
import javafx.stage.Stage;
import kiln.app.ProjectDocument;
import kiln.app.ViewContext;
import kiln.engine.data.BundledData;
import kiln.engine.data.pipeline.StepType;
import kiln.engine.project.Project;
import kiln.engine.project.ProjectIO;
import kiln.widgets.tasks.FxTaskExecutor;

import javax.imageio.ImageIO;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Screenshots of the data pane for the docs, run by hand under Xvfb (real glass, not Monocle):
 * xvfb-run -a -s "-screen 0 1600x1000x24" java -cp ... kiln.app.data.DataScreenshots docs/images
 */
public final class DataScreenshots {

    private static Path out;

    public static void main(String[] args) {
        out = Path.of(args.length > 0 ? args[0] : "docs/images");
        Application.launch(Shots.class, args);
    }

    /** Separate from main's class so JavaFX on the class path starts without module flags. */
    public static final class Shots extends Application {
        @Override
        public void start(Stage stage) throws Exception {
            DataScreenshots.start(stage);
        }
    }

    static void start(Stage stage) throws Exception {
        Path folder = BundledData.sampleProjectsFolder().orElseThrow().resolve("mnist-cnn");
        Project p = ProjectIO.load(folder);
        ProjectDocument doc = new ProjectDocument(p, folder);
        FxTaskExecutor executor = new FxTaskExecutor(2);
        DataView view = new DataView(new ViewContext(doc, executor, stage));
        stage.setScene(new Scene((Parent) view.node(), 1560, 960));
        stage.setTitle("Kiln — Data");
        stage.show();
        Thread script = new Thread(() -> {
            try {
                waitUntil(() -> view.gallery().shownImageCount() > 40);
                fx(() -> view.addStep(StepType.find("rotate").orElseThrow()));
                waitUntil(() -> view.previewGrid().imageCount() > 10);
                Thread.sleep(1500);
                shoot(stage, out.resolve("data.png"));
                fx(() -> view.addStep(StepType.find("standardize").orElseThrow()));
                waitUntil(() -> view.histogram().isVisible() && view.histogram().after() != null);
                Thread.sleep(1500);
                shoot(stage, out.resolve("data-normalize.png"));
                // a small table with holes and an outlier, to show the CSV overview and a cleaning step
                Path csv = Files.createTempFile("kiln-plants", ".csv");
                StringBuilder rows = new StringBuilder("petal_length,petal_width,stem_cm,species\n");
                java.util.Random r = new java.util.Random(5);
                for (int i = 0; i < 150; i++) {
                    int k = i % 3;
                    String len = i % 17 == 4 ? "" : String.format(java.util.Locale.ROOT, "%.1f", 1.5 + 2.2 * k + r.nextGaussian() * 0.4);
                    String wid = i % 23 == 7 ? "NA" : String.format(java.util.Locale.ROOT, "%.1f", 0.3 + 0.8 * k + r.nextGaussian() * 0.2);
                    String stem = i == 42 ? "310" : String.format(java.util.Locale.ROOT, "%.0f", 30 + 5 * k + r.nextGaussian() * 4);
                    rows.append(len).append(',').append(wid).append(',').append(stem).append(',').append(new String[] {"setosa", "versicolor", "virginica"}[k]).append('\n');
                }
                Files.writeString(csv, rows);
                fx(() -> doc.execute(new kiln.engine.edit.ValueChange<>("csv", doc.project()::data, doc.project()::setData,
                        new kiln.engine.data.DataSourceSpec.Csv(csv.toString(), "species"))));
                fx(() -> doc.execute(new kiln.engine.edit.ValueChange<>("pipeline", doc.project()::pipeline, doc.project()::setPipeline,
                        new kiln.engine.data.pipeline.Pipeline(java.util.List.of()))));
                waitUntil(() -> view.stepList().getItems().isEmpty() && !view.gallery().isVisible() || view.stepList().getItems().isEmpty());
                Thread.sleep(1500);
                fx(() -> view.addStep(StepType.find("fill_missing").orElseThrow()));
                Thread.sleep(1500);
                shoot(stage, out.resolve("data-csv.png"));
            } catch (Exception e) {
                e.printStackTrace();
            } finally {
                Platform.exit();
                System.exit(0);
            }
        });
        script.setDaemon(true);
        script.start();
    }

    private static void fx(Runnable r) throws InterruptedException {
        CountDownLatch done = new CountDownLatch(1);
        Platform.runLater(() -> {
            try {
                r.run();
            } finally {
                done.countDown();
            }
        });
        done.await(30, TimeUnit.SECONDS);
    }

    private static void waitUntil(java.util.function.BooleanSupplier condition) throws InterruptedException {
        for (int i = 0; i < 600; i++) {
            boolean[] ok = new boolean[1];
            fx(() -> ok[0] = condition.getAsBoolean());
            if (ok[0]) return;
            Thread.sleep(100);
        }
        throw new IllegalStateException("timed out waiting for the data pane");
    }

    private static void shoot(Stage stage, Path file) throws Exception {
        Files.createDirectories(file.getParent());
        fx(() -> {
            try {
                ImageIO.write(SwingFXUtils.fromFXImage(stage.getScene().snapshot(null), null), "png", file.toFile());
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        System.out.println("wrote " + file);
    }
}
