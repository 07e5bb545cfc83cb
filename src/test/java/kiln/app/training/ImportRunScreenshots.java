package kiln.app.training;

import static kiln.app.FxCalls.fx;

import javafx.embed.swing.SwingFXUtils;
import javafx.scene.Scene;
import javafx.scene.control.ChoiceBox;
import javafx.scene.control.Tab;
import javafx.stage.Stage;
import javafx.stage.Window;
import kiln.app.MainWindow;
import kiln.app.ScreenshotProgram;
import kiln.app.Views;
import kiln.engine.export.ExportFormat;

import javax.imageio.ImageIO;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Screenshots of a run imported from PyTorch: the Training view with it, Import run… refusing a damaged
 * folder, and the Export dialog set to a PyTorch training folder. Under Xvfb:
 * {@code java ... kiln.app.training.ImportRunScreenshots PROJECT-WITH-IMPORTED-RUN DAMAGED-RUN-FOLDER OUT [dark]}.
 */
public final class ImportRunScreenshots {


    private ImportRunScreenshots() { }

    public static void main(String[] args) throws Exception {
        ScreenshotProgram.prepareHome("kiln-import-shots");
        MainWindow window = ScreenshotProgram.start(w -> {
            w.stage().setWidth(1360);
            w.stage().setHeight(860);
            w.stage().show();
        });
        ScreenshotProgram.runAndExit(window, w -> script(w, Path.of(args[0]), Path.of(args[1]), Path.of(args[2]),
                args.length > 3 && args[3].equals("dark")));
    }

    static void script(MainWindow w, Path project, Path damaged, Path out, boolean dark) throws Exception {
        Files.createDirectories(out);
        String suffix = dark ? "-dark" : "";
        fx(() -> w.open(project));
        for (int i = 0; i < 600 && fx(() -> w.document()) == null; i++) Thread.sleep(100);
        if (dark) fx(() -> w.darkThemeItem().setSelected(true));
        fx(() -> {
            for (Tab t : w.tabs().getTabs()) if (t.getText().equals(Views.TRAINING)) w.tabs().getSelectionModel().select(t);
        });
        Thread.sleep(6000);
        shoot(w.stage().getScene(), out.resolve("training-imported-run" + suffix + ".png"));
        TrainingView v = findView(w);
        fx(() -> v.importRun(damaged));
        Stage alert = null;
        for (int i = 0; i < 600 && alert == null; i++) {
            Thread.sleep(100);
            alert = fx(() -> (Stage) Window.getWindows().stream().filter(x -> x instanceof Stage s
                    && "Import run".equals(s.getTitle())).findFirst().orElse(null));
        }
        if (alert == null) throw new IllegalStateException("no error dialog");
        Thread.sleep(1000);
        shoot(alert.getScene(), out.resolve("import-run-refused" + suffix + ".png"));
        Stage a = alert;
        fx(a::close);
        fx(w::export);
        Stage dialog = null;
        for (int i = 0; i < 600 && dialog == null; i++) {
            Thread.sleep(100);
            dialog = fx(() -> (Stage) Window.getWindows().stream().filter(x -> x instanceof Stage s && s.getTitle() != null
                    && s.getTitle().startsWith("Export")).findFirst().orElse(null));
        }
        Scene scene = dialog.getScene();
        fx(() -> {
            @SuppressWarnings("unchecked")
            ChoiceBox<ExportFormat> format = (ChoiceBox<ExportFormat>) scene.lookup("#exportFormat");
            format.setValue(ExportFormat.PYTORCH_TRAIN);
        });
        Thread.sleep(1500);
        shoot(scene, out.resolve("export-pytorch-train" + suffix + ".png"));
    }

    private static TrainingView findView(MainWindow w) throws Exception {
        java.lang.reflect.Field f = MainWindow.class.getDeclaredField("views");
        f.setAccessible(true);
        return fx(() -> {
            for (Object v : (List<?>) f.get(w)) if (v instanceof TrainingView t) return t;
            return null;
        });
    }

    private static void shoot(Scene scene, Path file) throws Exception {
        var image = fx(() -> scene.snapshot(null));
        ImageIO.write(SwingFXUtils.fromFXImage(image, null), "png", file.toFile());
        System.out.println("wrote " + file);
    }
}
