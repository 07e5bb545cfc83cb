package kiln.app;

import static kiln.app.FxCalls.fx;

import javafx.embed.swing.SwingFXUtils;
import javafx.scene.control.Tab;
import kiln.app.eval.EvaluationView;
import kiln.app.eval.EvaluationViewDriver;
import kiln.engine.eval.TrainedProjects;
import kiln.engine.project.Project;

import javax.imageio.ImageIO;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * Takes docs/images/roc-threshold.png (docs/images/dark/roc-threshold.png in the dark theme): the Evaluation tab of the breast-cancer sample
 * trained for its 40 epochs, with the ROC and precision-recall curves and the threshold slider moved to 0.30.
 * Usage: xvfb-run -a -s "-screen 0 1400x900x24" java -cp ... kiln.app.RocScreenshots OUTPUT_FOLDER [light|dark]
 */
public final class RocScreenshots {

    private RocScreenshots() { }

    public static void main(String[] args) throws Exception {
        Path out = Path.of(args.length > 0 ? args[0] : "docs/images").toAbsolutePath();
        boolean dark = args.length > 1 && args[1].equals("dark");
        Files.createDirectories(out);
        Path home = ScreenshotProgram.prepareHome("kiln-roc-shots");
        Path project = Files.createDirectories(home.resolve("tabular-binary"));
        Project p = TrainedProjects.copySample("tabular-binary", project);
        TrainedProjects.train(p, project, 0, p.training().epochs());

        MainWindow w = ScreenshotProgram.start(window -> {
            window.darkThemeItem().setSelected(dark);
            window.showAndOpenStartProject();
        });
        ScreenshotProgram.runAndExit(w, window -> {
            waitUntil("the start project", 120, () -> window.document() != null);
            Thread.sleep(2000);
            fx(() -> window.open(project));
            waitUntil("the trained project", 120, () -> window.document() != null && project.equals(window.document().folder()));
            Thread.sleep(1500);
            fx(() -> {
                for (Tab t : window.tabs().getTabs()) if (t.getText().equals(Views.EVALUATION)) window.tabs().getSelectionModel().select(t);
            });
            Thread.sleep(1500);
            EvaluationView eval = fx(() -> view(window, EvaluationView.class));
            fx(eval::evaluate);
            waitUntil("the evaluation", 300, () -> EvaluationViewDriver.evaluated(eval));
            fx(() -> EvaluationViewDriver.setThreshold(eval, 0.30));
            Thread.sleep(3000);
            Path file = out.resolve("roc-threshold.png");
            var image = fx(() -> window.stage().getScene().snapshot(null));
            ImageIO.write(SwingFXUtils.fromFXImage(image, null), "png", file.toFile());
            System.out.println("wrote " + file);
        });
    }

    /** The open view of a type, on the JavaFX thread (the main window has no accessor for its views). */
    private static <T> T view(MainWindow w, Class<T> type) {
        try {
            java.lang.reflect.Field f = MainWindow.class.getDeclaredField("views");
            f.setAccessible(true);
            for (Object v : (List<?>) f.get(w)) if (type.isInstance(v)) return type.cast(v);
            return null;
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void waitUntil(String what, int seconds, BooleanSupplier condition) throws Exception {
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        while (System.nanoTime() < end) {
            if (fx(condition::getAsBoolean)) return;
            Thread.sleep(200);
        }
        throw new IllegalStateException("timed out waiting for " + what);
    }
}
