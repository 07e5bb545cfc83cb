package kiln.app.follow;

import javafx.animation.AnimationTimer;
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
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static kiln.app.FxCalls.fx;

/**
 * How long "Follow a sample" takes from choosing a sample to every layer's thumbnail, for a project (default the
 * MNIST CNN): the forward pass alone (engine); the thumbnails' pixels computed with it off the JavaFX thread and
 * copied in on it, then either a forced full-window snapshot or the next pulse and its rendering, as a student sees it.
 * Medians of 50 picks after 20 to warm up. Not a test;
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
        // As the pane does: forward pass and the thumbnails' pixels off the JavaFX thread, then on it the pixels
        // copied into the thumbnails, and the whole window rendered at once by a snapshot (more than a pulse
        // repaints, which is only what changed).
        double[] pictures = new double[PICKS];
        double[] applied = new double[PICKS];
        double[] snapshotted = new double[PICKS];
        double[] painted = new double[PICKS];
        for (int i = 0; i < WARM_UP + PICKS; i++) {
            long t0 = System.nanoTime();
            SampleTrace.Result r = trace.ofTestSample(i);
            long traced = System.nanoTime();
            Map<String, LayerThumbnail.Picture> made = LayerThumbnail.pictures(r, output);
            long prepared = System.nanoTime();
            long[] fxTimes = fx(() -> {
                long started = System.nanoTime();
                LayerThumbnail.show(editor.canvas(), made);
                long shown = System.nanoTime();
                scene.snapshot(null);
                return new long[] {shown - started, System.nanoTime() - shown};
            });
            if (i >= WARM_UP) {
                pictures[i - WARM_UP] = (prepared - traced) / 1e6;
                applied[i - WARM_UP] = fxTimes[0] / 1e6;
                snapshotted[i - WARM_UP] = fxTimes[1] / 1e6;
                painted[i - WARM_UP] = (System.nanoTime() - t0) / 1e6;
            }
        }
        // What a student sees: no snapshot; the change waits for the next pulse, which does CSS and layout (post-layout
        // listener) and hands the changed parts to the render thread; at the pulse after it the bench waits for that
        // rendering to finish (JavaFX's own wait, reached through its internals as nothing public tells).
        double[] laidOut = new double[PICKS];
        double[] nextFrame = new double[PICKS];
        for (int i = 0; i < WARM_UP + PICKS; i++) {
            long t0 = System.nanoTime();
            SampleTrace.Result r = trace.ofTestSample(WARM_UP + PICKS + i);
            Map<String, LayerThumbnail.Picture> made = LayerThumbnail.pictures(r, output);
            CompletableFuture<long[]> frame = new CompletableFuture<>();
            Platform.runLater(() -> {
                LayerThumbnail.show(editor.canvas(), made);
                long[] times = new long[2];
                Runnable[] afterLayout = new Runnable[1];
                afterLayout[0] = () -> {
                    scene.removePostLayoutPulseListener(afterLayout[0]);
                    times[0] = System.nanoTime();
                    new AnimationTimer() {
                        @Override
                        public void handle(long now) {
                            stop();
                            com.sun.javafx.scene.SceneHelper.getPeer(scene).waitForRenderingToComplete();
                            times[1] = System.nanoTime();
                            frame.complete(times);
                        }
                    }.start();
                };
                scene.addPostLayoutPulseListener(afterLayout[0]);
                Platform.requestNextPulse();
            });
            long[] times = frame.get();
            if (i >= WARM_UP) {
                laidOut[i - WARM_UP] = (times[0] - t0) / 1e6;
                nextFrame[i - WARM_UP] = (times[1] - t0) / 1e6;
            }
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
        System.out.printf(Locale.ROOT, "%s, %d layers, %d picks, medians (p90):%n", project.name(), trace.ofTestSample(0).layers().size(), PICKS);
        System.out.printf(Locale.ROOT, "  engine (forward pass, every layer's output):            %7.2f ms (%.2f)%n", median(engine), p90(engine));
        System.out.printf(Locale.ROOT, "  thumbnails' pixels, off the JavaFX thread:               %7.2f ms (%.2f)%n", median(pictures), p90(pictures));
        System.out.printf(Locale.ROOT, "  pixels copied into the thumbnails, JavaFX thread:        %7.2f ms (%.2f)%n", median(applied), p90(applied));
        System.out.printf(Locale.ROOT, "  forced full-window snapshot (CSS, layout, render):       %7.2f ms (%.2f)%n", median(snapshotted), p90(snapshotted));
        System.out.printf(Locale.ROOT, "  chosen -> painted, with the forced snapshot:             %7.2f ms (%.2f)%n", median(painted), p90(painted));
        System.out.printf(Locale.ROOT, "  chosen -> next pulse laid out (no snapshot):             %7.2f ms (%.2f)%n", median(laidOut), p90(laidOut));
        System.out.printf(Locale.ROOT, "  chosen -> that pulse's rendering done (no snapshot):     %7.2f ms (%.2f)%n", median(nextFrame), p90(nextFrame));
        System.out.printf(Locale.ROOT, "  rendering the unchanged window (snapshot):               %7.2f ms (%.2f)%n", median(unchanged), p90(unchanged));
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
