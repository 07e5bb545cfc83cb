package kiln.app.eval;

import javafx.application.Platform;
import javafx.embed.swing.SwingFXUtils;
import javafx.scene.Parent;
import javafx.scene.Scene;
import javafx.scene.control.TabPane;
import javafx.scene.image.WritableImage;
import javafx.stage.Stage;
import kiln.app.ProjectDocument;
import kiln.app.ViewContext;
import kiln.engine.eval.TrainedProjects;
import kiln.engine.project.Project;
import kiln.engine.project.ProjectIO;
import kiln.engine.runs.RunFolder;
import kiln.widgets.tasks.FxTaskExecutor;

import javax.imageio.ImageIO;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Makes docs/images/evaluation.png and docs/images/try-it.png: trains the MNIST CNN sample for one epoch on
 * 10,000 images (once, in a scratch folder), evaluates it and draws a digit. Run under Xvfb:
 * {@code xvfb-run -a -s "-screen 0 1400x900x24" java -cp <test classpath> kiln.app.eval.EvaluationScreenshots OUT_DIR SCRATCH}
 */
public final class EvaluationScreenshots {

    public static void main(String[] args) throws Exception {
        Path out = Path.of(args.length > 0 ? args[0] : "docs/images");
        Path scratch = Path.of(args.length > 1 ? args[1] : "/tmp/kiln-screenshots/mnist-cnn");
        Files.createDirectories(out);
        if (!Files.exists(scratch.resolve("project.json")) || RunFolder.list(scratch).isEmpty()) {
            Files.createDirectories(scratch);
            Project p = TrainedProjects.copySample("mnist-cnn", scratch);
            TrainedProjects.train(p, scratch, 10_000);
        }
        CountDownLatch started = new CountDownLatch(1);
        Platform.startup(started::countDown);
        started.await();
        FxTaskExecutor executor = new FxTaskExecutor(2);
        EvaluationView[] view = new EvaluationView[1];
        Stage[] stage = new Stage[1];
        onFx(() -> {
            stage[0] = new Stage();
            ProjectDocument doc;
            try {
                doc = new ProjectDocument(ProjectIO.load(scratch), scratch);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            view[0] = new EvaluationView(new ViewContext(doc, executor, stage[0]));
            stage[0].setScene(new Scene((Parent) view[0].node(), 1320, 860));
            stage[0].setTitle("Kiln — Evaluation");
            stage[0].show();
            view[0].evaluate();
        });
        waitFor(() -> view[0].result() != null, 120);
        onFx(() -> {
            // Select the most frequent confusion, the cell a student would click first.
            int[][] c = view[0].result().confusion();
            int br = 0, bc = 1;
            for (int r = 0; r < c.length; r++) for (int k = 0; k < c.length; k++) if (r != k && c[r][k] > c[br][bc]) { br = r; bc = k; }
            view[0].matrix().select(br, bc);
            view[0].matrix().onCellClickedProperty().get().clicked(br, bc);
        });
        Thread.sleep(800);
        snapshot(view[0], out.resolve("evaluation.png"));

        onFx(() -> {
            TabPane tabs = (TabPane) view[0].node().lookup("#evaluationTabs");
            tabs.getSelectionModel().select(1);
        });
        Thread.sleep(500);
        onFx(() -> {
            // A handwritten-looking 7: the top bar, then the slanted stem.
            view[0].pad().drawStroke(7, 7.5, 12, 6.8, 17, 6.6, 21, 7);
            view[0].pad().drawStroke(21, 7, 18.5, 12, 16, 17, 14, 22);
        });
        Thread.sleep(4000);
        snapshot(view[0], out.resolve("try-it.png"));
        executor.shutdown();
        Platform.exit();
    }

    private static void snapshot(EvaluationView view, Path file) throws Exception {
        CountDownLatch done = new CountDownLatch(1);
        WritableImage[] img = new WritableImage[1];
        onFx(() -> {
            img[0] = view.node().getScene().getRoot().snapshot(null, null);
            done.countDown();
        });
        done.await(10, TimeUnit.SECONDS);
        ImageIO.write(SwingFXUtils.fromFXImage(img[0], null), "png", file.toFile());
        System.out.println("wrote " + file);
    }

    private static void onFx(Runnable r) throws InterruptedException {
        CountDownLatch done = new CountDownLatch(1);
        Platform.runLater(() -> {
            try {
                r.run();
            } finally {
                done.countDown();
            }
        });
        done.await(60, TimeUnit.SECONDS);
    }

    private static void waitFor(BooleanSupplier condition, int seconds) throws Exception {
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        while (System.nanoTime() < end) {
            boolean[] ok = new boolean[1];
            onFx(() -> ok[0] = condition.getAsBoolean());
            if (ok[0]) return;
            Thread.sleep(200);
        }
        throw new IllegalStateException("timed out");
    }
}
