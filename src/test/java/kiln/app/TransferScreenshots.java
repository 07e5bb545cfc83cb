package kiln.app;

import static kiln.app.FxCalls.fx;

import javafx.embed.swing.SwingFXUtils;
import javafx.scene.control.Tab;
import kiln.app.training.TrainingView;
import kiln.engine.edit.ValueChange;
import kiln.engine.project.Project;
import kiln.engine.project.SampleCatalog;

import javax.imageio.ImageIO;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * The Training tab of the transfer sample during the head-first recipe (docs/images/training-transfer.png), from
 * the real app under Xvfb like DocScreenshots (docs/scripts/screenshots.sh shows the class path):
 *
 * <pre>xvfb-run -a -s "-screen 0 1400x900x24" java -Dprism.order=sw -cp "target/classes:target/test-classes:..." kiln.app.TransferScreenshots docs/images [dark]</pre>
 */
public final class TransferScreenshots {

    private static Path out;
    private static boolean dark;

    private TransferScreenshots() { }

    public static void main(String[] args) throws Exception {
        out = Path.of(args.length > 0 ? args[0] : "docs/images").toAbsolutePath();
        dark = args.length > 1 && args[1].equals("dark");
        ScreenshotProgram.run("kiln-transfer-shots", TransferScreenshots::run);
    }

    private static void run(MainWindow w) throws Exception {
        waitUntil(120, () -> w.document() != null);
        SampleCatalog.Sample sample = SampleCatalog.list().stream()
                .filter(s -> s.id().equals("transfer-mnist-to-fashion")).findFirst().orElseThrow();
        fx(() -> {
            w.openSample(sample);
            return null;
        });
        waitUntil(120, () -> w.document() != null && w.document().project().name().startsWith("Transfer"));
        if (dark) fx(() -> {
            w.darkThemeItem().setSelected(true);
            return null;
        });
        Thread.sleep(2000);
        fx(() -> {
            for (Tab t : w.tabs().getTabs()) if (t.getText().equals(Views.TRAINING)) w.tabs().getSelectionModel().select(t);
            Project p = w.document().project();
            w.document().execute(new ValueChange<>("Screenshot settings", p::training, p::setTraining,
                    p.training().withEpochs(6).withHeadFirst(3, 0.1)));
            w.requestTrain();
            return null;
        });
        TrainingView training = fx(() -> {
            // the main window has no accessor for its views (as in DocScreenshots)
            java.lang.reflect.Field f = MainWindow.class.getDeclaredField("views");
            f.setAccessible(true);
            for (Object v : (java.util.List<?>) f.get(w)) if (v instanceof TrainingView t) return t;
            throw new IllegalStateException("no Training tab");
        });
        Thread.sleep(1000);
        waitUntil(900, () -> !training.stateProperty().get().isActive());
        Thread.sleep(2500);
        Path file = out.resolve(dark ? "training-transfer-dark.png" : "training-transfer.png");
        var image = fx(() -> w.stage().getScene().snapshot(null));
        ImageIO.write(SwingFXUtils.fromFXImage(image, null), "png", file.toFile());
        System.out.println("wrote " + file);
    }

    private static void waitUntil(int seconds, Callable<Boolean> condition) throws Exception {
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        while (System.nanoTime() < end) {
            if (fx(condition)) return;
            Thread.sleep(200);
        }
        throw new IllegalStateException("timed out");
    }
}
