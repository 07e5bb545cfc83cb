package kiln.app.training;

import atlantafx.base.theme.PrimerDark;
import atlantafx.base.theme.PrimerLight;
import javafx.application.Application;
import javafx.application.Platform;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.TextField;
import javafx.stage.Stage;
import kiln.app.FxCalls;
import kiln.app.ScreenshotProgram;
import kiln.app.document.ProjectDocument;
import kiln.app.document.ViewContext;
import kiln.engine.nativesupport.NativeSetup;
import kiln.engine.project.ProjectIO;
import kiln.engine.project.SampleCopies;
import kiln.widgets.charts.CurveChart;
import kiln.widgets.tasks.FxTaskExecutor;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Takes docs/images/sweep.png: Training → Sweep… after a grid of learning rate × dense1 units on a copy of the tabular
 * sample (six trials of 40 epochs, about 40 s), the best trial marked in the table and on the chart; the whole content, as scrolled through. Not a test.
 * Usage: xvfb-run -a -s "-screen 0 1400x900x24" java -Dprism.order=sw -cp ... kiln.app.training.SweepScreenshots OUTPUT_FOLDER [light|dark]
 */
public final class SweepScreenshots {

    private SweepScreenshots() { }

    public static void main(String[] args) throws Exception {
        NativeSetup.prepare();
        ScreenshotProgram.Output output = ScreenshotProgram.Output.of(args);
        boolean dark = output.dark();
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
        SweepDialog d = FxCalls.waitFor("the dialog", 60, () -> dialog[0]);
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
        FxCalls.waitUntil("the sweep to end", 300,
                () -> ((Label) d.stage().getScene().lookup("#sweepResult")).getText().startsWith("Best: "));
        CurveChart chart = FxCalls.waitFor("the chart", 30, () -> (CurveChart) d.stage().getScene().lookup("#sweepChart"));
        FxCalls.waitUntil("the chart's drawing", 30, () -> chart.drawings() > 0);
        Thread.sleep(1500);
        ScreenshotProgram.writePng(FxCalls.fx(() -> d.stage().getScene().lookup("#sweepContent").snapshot(null, null)),
                output.png("sweep"));
        System.exit(0);
    }
}
