package kiln.app;

import javafx.application.Platform;
import javafx.embed.swing.SwingFXUtils;
import javafx.scene.control.Tab;
import javafx.scene.image.Image;
import javafx.stage.Stage;
import kiln.engine.nativesupport.NativeSetup;
import kiln.widgets.tasks.FxTaskExecutor;

import javax.imageio.ImageIO;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

import static kiln.app.FxCalls.fx;

/**
 * What every screenshot program does around its script: a fresh Kiln home, the main window started without an
 * Application subclass (so JavaFX on the class path needs no module flags), and an exit code that says whether
 * the script got through.
 */
public final class ScreenshotProgram {

    /** The part of a program that drives the window and takes the pictures; runs off the JavaFX thread. */
    public interface Script {
        void run(MainWindow window) throws Exception;
    }

    private ScreenshotProgram() { }

    /**
     * Prepares ND4J as the app's Launcher does and points kiln.home at a new temporary folder in which the
     * first-launch hint under Train counts as seen (it has its own picture, in GalleryScreenshots).
     */
    public static Path prepareHome(String prefix) throws IOException {
        NativeSetup.prepare();
        Path home = Files.createTempDirectory(prefix);
        System.setProperty("kiln.home", home.toString());
        Files.createDirectories(home.resolve(".kiln"));
        Files.writeString(home.resolve(".kiln").resolve("train-guide-shown"), "");
        return home;
    }

    /** Starts JavaFX and a main window at the screen's corner, which {@code show} shows; returns once it exists. */
    public static MainWindow start(Consumer<MainWindow> show) throws Exception {
        CompletableFuture<MainWindow> window = new CompletableFuture<>();
        Platform.startup(() -> {
            try {
                Stage stage = new Stage();
                stage.setX(0);
                stage.setY(0);
                MainWindow w = new MainWindow(stage, new FxTaskExecutor(2), UserProjects.fromSystem());
                show.accept(w);
                window.complete(w);
            } catch (Throwable e) {
                window.completeExceptionally(e);
            }
        });
        return window.get();
    }

    /** Runs the script against the window and ends the program: 0 when it got through, 1 with the trace if not. */
    public static void runAndExit(MainWindow window, Script script) {
        int code = 0;
        try {
            script.run(window);
        } catch (Throwable e) {
            e.printStackTrace();
            code = 1;
        }
        System.exit(code);
    }

    /** The usual program: the start project opened, then the script. */
    public static void run(String homePrefix, Script script) throws Exception {
        prepareHome(homePrefix);
        runAndExit(start(MainWindow::showAndOpenStartProject), script);
    }

    /** Where a program's pictures go and in which theme, from its arguments [OUTPUT_FOLDER [light|dark]]. */
    public record Output(Path folder, boolean dark) {

        /** The folder (docs/images without an argument) is made if missing. */
        public static Output of(String[] args) throws IOException {
            Path folder = Path.of(args.length > 0 ? args[0] : "docs/images").toAbsolutePath();
            Files.createDirectories(folder);
            return new Output(folder, args.length > 1 && args[1].equals("dark"));
        }

        /** The file for a picture: {@code name}.png; the dark pass has its own folder (docs/images/dark) with the same names. */
        public Path png(String name) {
            return folder.resolve(name + ".png");
        }
    }

    /** Writes the picture as a PNG file and says where, with its size. */
    public static void writePng(Image image, Path file) throws IOException {
        ImageIO.write(SwingFXUtils.fromFXImage(image, null), "png", file.toFile());
        System.out.printf(Locale.ROOT, "wrote %s (%d KB)%n", file, Files.size(file) / 1024);
    }

    /** The window's open view of a type, or null; call on the JavaFX thread (the window has no accessor for its views). */
    public static <T> T openView(MainWindow w, Class<T> type) {
        try {
            java.lang.reflect.Field f = MainWindow.class.getDeclaredField("views");
            f.setAccessible(true);
            for (Object v : (List<?>) f.get(w)) if (type.isInstance(v)) return type.cast(v);
            return null;
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Selects the tab of that title and gives it time to lay out and draw. */
    public static void selectTab(MainWindow w, String title) throws Exception {
        fx(() -> {
            for (Tab t : w.tabs().getTabs()) if (t.getText().equals(title)) w.tabs().getSelectionModel().select(t);
        });
        Thread.sleep(1500);
    }
}
