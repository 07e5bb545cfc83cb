package kiln.app.training;

import atlantafx.base.theme.PrimerDark;
import atlantafx.base.theme.PrimerLight;
import javafx.application.Application;
import javafx.application.Platform;
import javafx.embed.swing.SwingFXUtils;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.TextField;
import javafx.stage.Stage;
import kiln.app.FxCalls;
import kiln.app.document.ProjectDocument;
import kiln.app.document.ViewContext;
import kiln.engine.nativesupport.NativeSetup;
import kiln.engine.project.ProjectIO;
import kiln.engine.project.SampleCopies;
import kiln.widgets.charts.CurveChart;
import kiln.widgets.tasks.FxTaskExecutor;

import javax.imageio.ImageIO;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * Takes docs/images/sweep.png: Training → Sweep… after a grid of learning rate × dense1 units on a copy of the tabular
 * sample (six trials of 40 epochs, about 40 s), the best trial marked in the table and on the chart; the whole content, as scrolled through. Not a test.
 * Usage: xvfb-run -a -s "-screen 0 1400x900x24" java -Dprism.order=sw -cp ... kiln.app.training.SweepScreenshots OUTPUT_FOLDER [light|dark]
 */
public final class SweepScreenshots {

    private SweepScreenshots() { }

    public static void main(String[] args) throws Exception {
        NativeSetup.prepare();
        Path out = Path.of(args.length > 0 ? args[0] : "docs/images").toAbsolutePath();
        boolean dark = args.length > 1 && args[1].equals("dark");
        Files.createDirectories(out);
        Path folder = SampleCopies.copy("tabular-binary", Files.createTempDirectory("kiln-sweep-shots").resolve("tabular"));
        SweepDialog[] dialog = new SweepDialog[1];
        Platform.startup(() -> {
            Application.setUserAgentStylesheet(dark ? new PrimerDark().getUserAgentStylesheet()
                    : new PrimerLight().getUserAgentStylesheet());
            Stage owner = new Stage();
            try {
                ProjectDocument document = new ProjectDocument(ProjectIO.load(folder), folder);
                dialog[0] = new SweepDialog(new ViewContext(document, new FxTaskExecutor(3), owner), () -> { });
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            dialog[0].show();
        });
        SweepDialog d = waitFor("the dialog", () -> dialog[0]);
        FxCalls.fx(() -> {
            var scene = d.stage().getScene();
            ((TextField) scene.lookup("#sweepValues0")).setText("0.0003,0.001,0.003");
            ((Button) scene.lookup("#sweepAddParam")).fire();
            @SuppressWarnings("unchecked")
            ComboBox<String> target = (ComboBox<String>) scene.lookup("#sweepTarget1");
            target.setValue("dense1.units");
            ((TextField) scene.lookup("#sweepValues1")).setText("16,64");
            ((Button) scene.lookup("#sweepRun")).fire();
            return null;
        });
        waitFor("the sweep to end", () -> ((Label) d.stage().getScene().lookup("#sweepResult")).getText().startsWith("Best: ") ? d : null);
        CurveChart chart = waitFor("the chart", () -> (CurveChart) d.stage().getScene().lookup("#sweepChart"));
        waitFor("the chart's drawing", () -> chart.drawings() > 0 ? chart : null);
        Thread.sleep(1500);
        Path file = out.resolve(dark ? "dark/sweep.png" : "sweep.png");
        Files.createDirectories(file.getParent());
        ImageIO.write(SwingFXUtils.fromFXImage(FxCalls.fx(() -> d.stage().getScene().lookup("#sweepContent").snapshot(null, null)), null), "png", file.toFile());
        System.out.println("wrote " + file);
        System.exit(0);
    }

    private static <T> T waitFor(String what, Callable<T> value) throws Exception {
        for (int i = 0; i < 3000; i++) {
            T v = FxCalls.fx(value);
            if (v != null) return v;
            Thread.sleep(100);
        }
        throw new IllegalStateException("timed out waiting for " + what);
    }
}
