package kiln.app;

import static kiln.app.FxCalls.fx;
import static kiln.app.FxCalls.waitUntil;
import static kiln.app.ScreenshotProgram.openView;

import javafx.scene.control.Tab;
import kiln.app.training.TrainingView;
import kiln.engine.edit.ValueChange;
import kiln.engine.project.Project;
import kiln.engine.project.SampleCatalog;

import java.nio.file.Path;

/**
 * The Training tab of the transfer sample during the head-first recipe (docs/images/training-transfer.png), from
 * the real app under Xvfb like DocScreenshots (docs/scripts/screenshots.sh shows the class path):
 *
 * <pre>xvfb-run -a -s "-screen 0 1400x900x24" java -Dprism.order=sw -cp "target/classes:target/test-classes:..." kiln.app.TransferScreenshots docs/images [dark]</pre>
 */
public final class TransferScreenshots {

    private static ScreenshotProgram.Output output;

    private TransferScreenshots() { }

    public static void main(String[] args) throws Exception {
        output = ScreenshotProgram.Output.of(args);
        ScreenshotProgram.run("kiln-transfer-shots", TransferScreenshots::run);
    }

    private static void run(MainWindow w) throws Exception {
        waitUntil("the start project", 120, () -> w.document() != null);
        SampleCatalog.Sample sample = SampleCatalog.list().stream()
                .filter(s -> s.id().equals("transfer-mnist-to-fashion")).findFirst().orElseThrow();
        fx(() -> w.openSample(sample));
        waitUntil("the transfer sample", 120, () -> w.document() != null && w.document().project().name().startsWith("Transfer"));
        if (output.dark()) fx(() -> w.darkThemeItem().setSelected(true));
        Thread.sleep(2000);
        fx(() -> {
            for (Tab t : w.tabs().getTabs()) if (t.getText().equals(Views.TRAINING)) w.tabs().getSelectionModel().select(t);
            Project p = w.document().project();
            w.document().execute(new ValueChange<>("Screenshot settings", p::training, p::setTraining,
                    p.training().withEpochs(6).withHeadFirst(3, 0.1)));
            w.requestTrain();
            return null;
        });
        TrainingView training = fx(() -> openView(w, TrainingView.class));
        Thread.sleep(1000);
        waitUntil("the run to end", 900, () -> !training.stateProperty().get().isActive());
        Thread.sleep(2500);
        ScreenshotProgram.writePng(fx(() -> w.stage().getScene().snapshot(null)), output.png("training-transfer"));
    }
}
