package kiln.app;

import static kiln.app.FxCalls.fx;
import static kiln.app.FxCalls.waitFor;

import javafx.stage.Stage;
import javafx.stage.Window;
import kiln.engine.importer.TorchModels;

import java.nio.file.Path;

/**
 * Takes docs/images/import-onnx.png (a PyTorch CNN brought in with File → Import ONNX…, opened as a project) and
 * docs/images/import-onnx-notes.png (what the import says about it) and docs/images/import-onnx-refused.png (the dialog for a model with an operator Kiln has no layer for), from the real
 * app under Xvfb; the models are made by make_models.py (needs the torch venv, see TorchModels).
 * Usage: xvfb-run -a -s "-screen 0 1400x900x24" java -cp ... kiln.app.ImportScreenshots OUTPUT_FOLDER [light|dark]
 */
public final class ImportScreenshots {

    private ImportScreenshots() { }

    public static void main(String[] args) throws Exception {
        ScreenshotProgram.Output output = ScreenshotProgram.Output.of(args);
        Path models = TorchModels.folder();
        Path home = ScreenshotProgram.prepareHome("kiln-import-shots");
        System.setProperty("user.home", home.toString());
        MainWindow w = ScreenshotProgram.start(window -> {
            window.darkThemeItem().setSelected(output.dark());
            window.showAndOpenStartProject();
        });
        waitFor("the start project", 120, () -> w.document() != null ? w : null);
        Thread.sleep(3000);
        fx(() -> w.importOnnx(models.resolve("cnn.onnx")));
        waitFor("the imported project", 120, () -> w.document() != null && w.document().project().name().equals("cnn") ? w : null);
        Thread.sleep(1500);
        Stage notes = waitFor("the import's notes", 120, () -> otherWindow(w));
        Thread.sleep(1000);
        ScreenshotProgram.writePng(fx(() -> notes.getScene().snapshot(null)), output.png("import-onnx-notes"));
        fx(notes::close);
        fx(w::zoomToFit);
        Thread.sleep(1500);
        ScreenshotProgram.writePng(fx(() -> w.stage().getScene().snapshot(null)), output.png("import-onnx"));
        fx(() -> w.importOnnx(models.resolve("unsupported.onnx")));
        Stage alert = waitFor("the refusal", 120, () -> otherWindow(w));
        Thread.sleep(1000);
        ScreenshotProgram.writePng(fx(() -> alert.getScene().snapshot(null)), output.png("import-onnx-refused"));
        System.exit(0);
    }

    private static Stage otherWindow(MainWindow w) {
        return Window.getWindows().stream().filter(x -> x instanceof Stage s && s != w.stage() && s.isShowing())
                .map(x -> (Stage) x).findFirst().orElse(null);
    }
}
