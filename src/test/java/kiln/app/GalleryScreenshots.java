package kiln.app;

import javafx.application.Platform;
import javafx.scene.control.ScrollPane;
import javafx.scene.image.WritableImage;
import javafx.stage.Stage;
import kiln.widgets.tasks.FxTaskExecutor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Takes docs/images/first-run.png (a first launch: the MNIST CNN sample with the hint under Train) and
 * docs/images/open-sample.png (the "Open Sample…" gallery) from the real app, run under Xvfb.
 * Usage: xvfb-run -a -s "-screen 0 1400x900x24" java -cp ... kiln.app.GalleryScreenshots OUTPUT_FOLDER [light|dark]
 */
public final class GalleryScreenshots {

    private GalleryScreenshots() { }

    public static void main(String[] args) throws Exception {
        ScreenshotProgram.Output output = ScreenshotProgram.Output.of(args);
        Path home = Files.createTempDirectory("kiln-shots");
        System.setProperty("kiln.home", home.toString());
        // a fresh user: no recent projects, and paths shown as ~/Kiln
        System.setProperty("user.home", home.toString());
        Platform.startup(() -> {
            Stage stage = new Stage();
            MainWindow w = new MainWindow(stage, new FxTaskExecutor(2), UserProjects.fromSystem());
            stage.setX(0);
            stage.setY(0);
            w.darkThemeItem().setSelected(output.dark());
            w.showAndOpenStartProject();
            later(6000, () -> {
                write(stage.getScene().snapshot(null), output.folder().resolve("first-run.png"));
                w.trainGuide().hide();
                w.chooseSample(gallery -> later(2500, () -> {
                    write(gallery.stage().getScene().snapshot(null), output.folder().resolve("open-sample.png"));
                    ScrollPane scroll = (ScrollPane) gallery.stage().getScene().lookup(".scroll-pane");
                    scroll.setVvalue(1);
                    later(800, () -> {
                        write(gallery.stage().getScene().snapshot(null), output.folder().resolve("open-sample-cifar.png"));
                        Platform.exit();
                    });
                }));
            });
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

    private static void write(WritableImage img, Path file) {
        try {
            ScreenshotProgram.writePng(img, file);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
