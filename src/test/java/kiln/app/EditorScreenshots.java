package kiln.app;

import javafx.application.Platform;
import javafx.embed.swing.SwingFXUtils;
import javafx.scene.image.WritableImage;
import javafx.stage.Stage;
import kiln.engine.edit.GraphEdits;
import kiln.engine.layout.AutoLayout;
import kiln.engine.model.ModelGraph;
import kiln.widgets.graph.GraphCanvas;
import kiln.widgets.tasks.FxTaskExecutor;

import javax.imageio.ImageIO;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Takes the editor screenshots for docs/images from the real app (run under Xvfb, not Monocle): the MNIST CNN
 * sample after Auto-layout, the same with an image fed straight into Dense (the error and its fix), and dark.
 * Usage: java -cp ... kiln.app.EditorScreenshots OUTPUT_FOLDER
 */
public final class EditorScreenshots {

    private EditorScreenshots() { }

    public static void main(String[] args) throws Exception {
        Path out = Path.of(args.length > 0 ? args[0] : "docs/images");
        Files.createDirectories(out);
        Path home = Files.createTempDirectory("kiln-shots");
        System.setProperty("kiln.home", home.toString());
        Platform.startup(() -> {
            Stage stage = new Stage();
            MainWindow w = new MainWindow(stage, new FxTaskExecutor(2), UserProjects.fromSystem());
            stage.setX(0);
            stage.setY(0);
            w.showAndOpenStartProject();
            steps(w, out);
        });
    }

    private static void later(long ms, Runnable r) {
        javafx.animation.PauseTransition p = new javafx.animation.PauseTransition(javafx.util.Duration.millis(ms));
        p.setOnFinished(e -> {
            try {
                r.run();
            } catch (RuntimeException ex) {
                ex.printStackTrace();
                Platform.exit();
            }
        });
        p.play();
    }

    private static void steps(MainWindow w, Path out) {
        later(4000, () -> {
            w.autoLayout(AutoLayout.Orientation.LEFT_TO_RIGHT);
            whenLaidOut(w, () -> {
                canvas(w).selectedNodes().setAll("conv2");
                later(1200, () -> {
                    save(w, out.resolve("editor.png"));
                    ModelGraph g = w.document().project().graph();
                    // feed the image straight into Dense: shape inference offers "Insert Flatten"
                    w.document().execute(GraphEdits.removeNodes(g, List.of("flatten")));
                    w.document().execute(GraphEdits.connect(g, "conv3", "dense1", 0));
                    canvas(w).selectedNodes().setAll("dense1");
                    later(1200, () -> {
                        save(w, out.resolve("editor-error.png"));
                        w.undo();
                        w.undo();
                        canvas(w).selectedNodes().setAll("conv2");
                        javafx.application.Application.setUserAgentStylesheet(
                                new atlantafx.base.theme.PrimerDark().getUserAgentStylesheet());
                        later(1500, () -> {
                            save(w, out.resolve("editor-dark.png"));
                            Platform.exit();
                        });
                    });
                });
            });
        });
    }

    /** Waits for the layout (computed in the background) to land on the undo stack. */
    private static void whenLaidOut(MainWindow w, Runnable then) {
        if (w.document().commands().undoDescription().filter("Auto-layout"::equals).isPresent()) {
            later(800, then);
        } else {
            later(200, () -> whenLaidOut(w, then));
        }
    }

    private static GraphCanvas canvas(MainWindow w) {
        return (GraphCanvas) w.stage().getScene().lookup(".graph-canvas");
    }

    private static void save(MainWindow w, Path file) {
        WritableImage img = w.stage().getScene().snapshot(null);
        try {
            ImageIO.write(SwingFXUtils.fromFXImage(img, null), "png", file.toFile());
            System.out.println("wrote " + file);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
