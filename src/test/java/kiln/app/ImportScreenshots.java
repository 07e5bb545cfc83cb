package kiln.app;

import static kiln.app.FxCalls.fx;

import javafx.application.Platform;
import javafx.embed.swing.SwingFXUtils;
import javafx.scene.image.WritableImage;
import javafx.stage.Stage;
import javafx.stage.Window;
import kiln.engine.nativesupport.NativeSetup;
import kiln.engine.importer.TorchModels;
import kiln.widgets.tasks.FxTaskExecutor;

import javax.imageio.ImageIO;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * Takes docs/images/import-onnx.png (a PyTorch CNN brought in with File → Import ONNX…, opened as a project) and
 * docs/images/import-onnx-notes.png (what the import says about it) and docs/images/import-onnx-refused.png (the dialog for a model with an operator Kiln has no layer for), from the real
 * app under Xvfb; the models are made by make_models.py (needs the torch venv, see TorchModels).
 * Usage: xvfb-run -a -s "-screen 0 1400x900x24" java -cp ... kiln.app.ImportScreenshots OUTPUT_FOLDER [light|dark]
 */
public final class ImportScreenshots {

    private ImportScreenshots() { }

    public static void main(String[] args) throws Exception {
        NativeSetup.prepare();
        Path out = Path.of(args.length > 0 ? args[0] : "docs/images").toAbsolutePath();
        boolean dark = args.length > 1 && args[1].equals("dark");
        Files.createDirectories(out);
        Path models = TorchModels.folder();
        Path home = Files.createTempDirectory("kiln-import-shots");
        System.setProperty("kiln.home", home.toString());
        System.setProperty("user.home", home.toString());
        Files.createDirectories(home.resolve(".kiln"));
        Files.writeString(home.resolve(".kiln").resolve("train-guide-shown"), "");
        MainWindow[] window = new MainWindow[1];
        Platform.startup(() -> {
            Stage stage = new Stage();
            stage.setX(0);
            stage.setY(0);
            window[0] = new MainWindow(stage, new FxTaskExecutor(2), UserProjects.fromSystem());
            window[0].darkThemeItem().setSelected(dark);
            window[0].showAndOpenStartProject();
        });
        MainWindow w = waitFor("the main window", () -> window[0] != null && window[0].document() != null ? window[0] : null);
        Thread.sleep(3000);
        fx(() -> w.importOnnx(models.resolve("cnn.onnx")));
        waitFor("the imported project", () -> w.document() != null && w.document().project().name().equals("cnn") ? w : null);
        Thread.sleep(1500);
        Stage notes = waitFor("the import's notes", () -> otherWindow(w));
        Thread.sleep(1000);
        write(fx(() -> notes.getScene().snapshot(null)), out.resolve("import-onnx-notes.png"));
        fx(notes::close);
        fx(w::zoomToFit);
        Thread.sleep(1500);
        write(fx(() -> w.stage().getScene().snapshot(null)), out.resolve("import-onnx.png"));
        fx(() -> w.importOnnx(models.resolve("unsupported.onnx")));
        Stage alert = waitFor("the refusal", () -> otherWindow(w));
        Thread.sleep(1000);
        write(fx(() -> alert.getScene().snapshot(null)), out.resolve("import-onnx-refused.png"));
        System.exit(0);
    }

    private static Stage otherWindow(MainWindow w) {
        return Window.getWindows().stream().filter(x -> x instanceof Stage s && s != w.stage() && s.isShowing())
                .map(x -> (Stage) x).findFirst().orElse(null);
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
