package kiln.app.follow;

import javafx.application.Platform;
import javafx.scene.Scene;
import javafx.stage.Stage;
import kiln.engine.eval.SampleTrace;
import kiln.engine.eval.TrainedModel;
import kiln.engine.nativesupport.NativeSetup;
import kiln.engine.project.Project;
import kiln.engine.project.ProjectIO;
import kiln.engine.util.Progress;
import kiln.widgets.graph.GraphEditor;
import kiln.widgets.graph.LayerThumbnail;
import kiln.widgets.tasks.SameThreadTaskExecutor;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

import static kiln.app.FxCalls.fx;

/**
 * How long "Follow a sample" takes from choosing a sample to every layer's thumbnail, for a project (default the
 * MNIST CNN): the forward pass alone (engine), and the forward pass off the JavaFX thread plus building the
 * thumbnails on it and rendering the canvas once (painted). Medians of 50 picks after 20 to warm up. Not a test;
 * run by docs/scripts/bench-follow-sample.sh under Xvfb.
 */
public final class FollowSampleBench {

    private static final int WARM_UP = 20;
    private static final int PICKS = 50;

    private FollowSampleBench() { }

    public static void main(String[] args) throws Exception {
        NativeSetup.prepare();
        Path folder = Path.of(args.length > 0 ? args[0] : "sample-projects/mnist-cnn");
        Project project = ProjectIO.load(folder);
        TrainedModel model = TrainedModel.untrained(project, folder, Progress.NONE);
        SampleTrace trace = new SampleTrace(model);

        double[] engine = new double[PICKS];
        for (int i = 0; i < WARM_UP + PICKS; i++) {
            long t0 = System.nanoTime();
            trace.ofTestSample(i);
            if (i >= WARM_UP) engine[i - WARM_UP] = (System.nanoTime() - t0) / 1e6;
        }

        Platform.startup(() -> { });
        Scene scene = fx(() -> {
            javafx.application.Application.setUserAgentStylesheet(new atlantafx.base.theme.PrimerLight().getUserAgentStylesheet());
            GraphEditor editor = new GraphEditor(project.graph(), c -> { }, new SameThreadTaskExecutor());
            Stage stage = new Stage();
            Scene s = new Scene(editor, 1280, 760);
            s.getStylesheets().add(kiln.app.MainWindow.class.getResource("kiln.css").toExternalForm());
            stage.setScene(s);
            stage.show();
            editor.canvas().zoomToFit();
            return s;
        });
        GraphEditor editor = (GraphEditor) scene.getRoot();
        String output = model.outputNode().name();
        double[] painted = new double[PICKS];
        double[] onFx = new double[PICKS];
        for (int i = 0; i < WARM_UP + PICKS; i++) {
            long t0 = System.nanoTime();
            SampleTrace.Result r = trace.ofTestSample(i);
            int pick = i;
            fx(() -> {
                long started = System.nanoTime();
                for (SampleTrace.Layer l : r.layers()) {
                    editor.canvas().setDecoration(l.name(), LayerThumbnail.of(l, l.name().equals(output) ? r.prediction() : null));
                }
                // CSS, layout and rendering of the whole window with the new thumbnails (more than a pulse
                // repaints, which is only what changed)
                scene.snapshot(null);
                if (pick >= WARM_UP) onFx[pick - WARM_UP] = (System.nanoTime() - started) / 1e6;
            });
            if (i >= WARM_UP) painted[i - WARM_UP] = (System.nanoTime() - t0) / 1e6;
        }
        // What rendering the window costs when nothing changed, to tell following's share from the renderer's.
        double[] unchanged = new double[PICKS];
        for (int i = 0; i < PICKS; i++) {
            unchanged[i] = fx(() -> {
                long t0 = System.nanoTime();
                scene.snapshot(null);
                return (System.nanoTime() - t0) / 1e6;
            });
        }
        System.out.printf(Locale.ROOT, "rendering the unchanged window: median %.2f ms%n", median(unchanged));
        System.out.printf(Locale.ROOT, "%s, %d layers, %d picks: engine (forward pass, every layer's output) median %.2f ms "
                        + "(p90 %.2f); chosen → thumbnails painted median %.2f ms (p90 %.2f), of which on the JavaFX thread "
                        + "(thumbnails built, CSS, layout, rendering) median %.2f ms (p90 %.2f)%n", project.name(),
                trace.ofTestSample(0).layers().size(), PICKS, median(engine), p90(engine), median(painted), p90(painted),
                median(onFx), p90(onFx));
        Platform.exit();
        System.exit(0);
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return (s[s.length / 2] + s[(s.length - 1) / 2]) / 2;
    }

    private static double p90(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s[(int) Math.ceil(0.9 * s.length) - 1];
    }
}
