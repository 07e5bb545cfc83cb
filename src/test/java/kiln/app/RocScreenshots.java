package kiln.app;

import static kiln.app.FxCalls.fx;
import static kiln.app.FxCalls.waitUntil;

import kiln.app.eval.EvaluationView;
import kiln.app.eval.EvaluationViewDriver;
import kiln.engine.eval.TrainedProjects;
import kiln.engine.project.Project;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Takes docs/images/roc-threshold.png (docs/images/dark/roc-threshold.png in the dark theme): the Evaluation tab of
 * the breast-cancer sample trained for its 40 epochs, with the ROC and precision-recall curves and the threshold
 * slider moved to 0.30.
 * Usage: xvfb-run -a -s "-screen 0 1400x900x24" java -cp ... kiln.app.RocScreenshots OUTPUT_FOLDER [light|dark]
 */
public final class RocScreenshots {

    private RocScreenshots() { }

    public static void main(String[] args) throws Exception {
        ScreenshotProgram.Output output = ScreenshotProgram.Output.of(args);
        Path home = ScreenshotProgram.prepareHome("kiln-roc-shots");
        Path project = Files.createDirectories(home.resolve("tabular-binary"));
        Project p = TrainedProjects.copySample("tabular-binary", project);
        TrainedProjects.train(p, project, 0, p.training().epochs());

        MainWindow w = ScreenshotProgram.start(window -> {
            window.darkThemeItem().setSelected(output.dark());
            window.showAndOpenStartProject();
        });
        ScreenshotProgram.runAndExit(w, window -> {
            waitUntil("the start project", 120, () -> window.document() != null);
            Thread.sleep(2000);
            fx(() -> window.open(project));
            waitUntil("the trained project", 120, () -> window.document() != null && project.equals(window.document().folder()));
            Thread.sleep(1500);
            ScreenshotProgram.selectTab(window, Views.EVALUATION);
            EvaluationView eval = fx(() -> ScreenshotProgram.openView(window, EvaluationView.class));
            fx(eval::evaluate);
            waitUntil("the evaluation", 300, () -> EvaluationViewDriver.evaluated(eval));
            fx(() -> EvaluationViewDriver.setThreshold(eval, 0.30));
            Thread.sleep(3000);
            ScreenshotProgram.writePng(fx(() -> window.stage().getScene().snapshot(null)), output.png("roc-threshold"));
        });
    }
}
