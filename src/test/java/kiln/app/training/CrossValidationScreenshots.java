package kiln.app.training;

import static kiln.app.FxCalls.fx;

import javafx.embed.swing.SwingFXUtils;
import javafx.scene.control.Tab;
import javafx.scene.control.TableView;
import kiln.app.MainWindow;
import kiln.app.ScreenshotProgram;
import kiln.app.Views;
import kiln.engine.eval.TrainedProjects;

import javax.imageio.ImageIO;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Takes training-cv.png: the Training tab after Cross-validate (k folds)… with 5 folds on the tabular sample (40
 * epochs each, about a minute on 2 cores), the five fold runs selected on the charts and the result beside the runs.
 * Usage: xvfb-run -a -s "-screen 0 1400x900x24" java -cp ... kiln.app.training.CrossValidationScreenshots OUTPUT_FOLDER [light|dark]
 */
public final class CrossValidationScreenshots {

    private CrossValidationScreenshots() { }

    public static void main(String[] args) throws Exception {
        Path out = Path.of(args.length > 0 ? args[0] : "docs/images").toAbsolutePath();
        boolean dark = args.length > 1 && args[1].equals("dark");
        Files.createDirectories(out);
        Path home = ScreenshotProgram.prepareHome("kiln-cv-shots");
        Path project = Files.createDirectories(home.resolve("tabular-binary"));
        TrainedProjects.copySample("tabular-binary", project);
        MainWindow w = ScreenshotProgram.start(window -> {
            window.darkThemeItem().setSelected(dark);
            window.stage().setWidth(1360);
            window.stage().setHeight(900);
            window.showAndOpenStartProject();
        });
        ScreenshotProgram.runAndExit(w, window -> script(window, project, out));
    }

    private static void script(MainWindow w, Path project, Path out) throws Exception {
        for (int i = 0; i < 600 && fx(w::document) == null; i++) Thread.sleep(100);
        fx(() -> w.open(project));
        for (int i = 0; i < 600 && !project.equals(fx(() -> w.document() == null ? null : w.document().folder())); i++) {
            Thread.sleep(100);
        }
        fx(() -> {
            for (Tab t : w.tabs().getTabs()) if (t.getText().equals(Views.TRAINING)) w.tabs().getSelectionModel().select(t);
        });
        Thread.sleep(1500);
        TrainingView view = findView(w);
        fx(() -> view.startCrossValidation(5));
        for (int i = 0; i < 6000 && !fx(() -> view.stateProperty().get().isEnd()); i++) Thread.sleep(100);
        if (fx(() -> view.stateProperty().get()) != RunState.FINISHED) throw new IllegalStateException("the folds did not finish");
        Thread.sleep(2000);
        @SuppressWarnings("unchecked")
        TableView<RunRow> table = (TableView<RunRow>) fx(() -> w.stage().getScene().lookup("#runsTable"));
        fx(() -> {
            table.getSelectionModel().selectRange(0, table.getItems().size());
            // room for the runs and the result beside them (the charts keep their least height)
            javafx.scene.Node n = w.stage().getScene().lookup("#runsAndLayers");
            while (n != null && !(n instanceof javafx.scene.control.SplitPane)) n = n.getParent();
            ((javafx.scene.control.SplitPane) n).setDividerPositions(0.3);
        });
        Thread.sleep(4000); // the charts draw off the JavaFX thread
        var image = fx(() -> w.stage().getScene().snapshot(null));
        Path file = out.resolve("training-cv.png");
        ImageIO.write(SwingFXUtils.fromFXImage(image, null), "png", file.toFile());
        System.out.println("wrote " + file);
    }

    private static TrainingView findView(MainWindow w) throws Exception {
        java.lang.reflect.Field f = MainWindow.class.getDeclaredField("views");
        f.setAccessible(true);
        return fx(() -> {
            for (Object v : (List<?>) f.get(w)) if (v instanceof TrainingView t) return t;
            return null;
        });
    }
}
