package kiln.widgets.graph;

import atlantafx.base.theme.PrimerLight;
import javafx.animation.AnimationTimer;
import javafx.application.Application;
import javafx.application.Platform;
import javafx.event.Event;
import javafx.scene.Scene;
import javafx.scene.input.MouseButton;
import javafx.scene.input.MouseEvent;
import javafx.stage.Stage;
import kiln.engine.catalog.LayerCatalog;
import kiln.engine.catalog.LayerType;
import kiln.engine.catalog.Params;
import kiln.engine.edit.CommandStack;
import kiln.engine.edit.GraphEdits;
import kiln.engine.layout.AutoLayout;
import kiln.engine.model.Edge;
import kiln.engine.model.ModelGraph;
import kiln.widgets.tasks.SameThreadTaskExecutor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.IntConsumer;

/**
 * Frame times of the graph editor with a generated 200-layer network: drag a layer, pan, zoom, one pulse per
 * step, timing the gap between pulses with an AnimationTimer. Run under Xvfb with the real glass and prism
 * (see docs/performance.md, "Graph editor"); prints one line per scenario.
 */
public final class EditorFrameBench {

    static final int LAYERS = 200;
    static final int FRAMES = Integer.getInteger("frames", 240);

    private GraphEditor editor;
    private final ModelGraph graph = deepNetwork(LAYERS);
    private final List<String> report = new ArrayList<>() {
        @Override
        public boolean add(String line) {
            System.out.println(line);
            System.out.flush();
            return super.add(line);
        }
    };

    /** Input, then blocks of Dense → BatchNorm → Activation → Dropout, then Output: 200 layers in a chain. */
    static ModelGraph deepNetwork(int layers) {
        ModelGraph g = new ModelGraph();
        String[] cycle = {"dense", "batch_norm", "activation", "dropout"};
        add(g, "input", "input", Map.of("kind", "vector", "size", 256));
        String prev = "input";
        for (int i = 1; i < layers - 1; i++) {
            String type = cycle[(i - 1) % cycle.length];
            String name = type + "_" + i;
            add(g, name, type, type.equals("dense") ? Map.of("units", 128) : Map.of());
            g.connect(new Edge(prev, name, 0));
            prev = name;
        }
        add(g, "output", "output", Map.of());
        g.connect(new Edge(prev, "output", 0));
        Map<String, GraphEdits.Position> p = AutoLayout.compute(g, AutoLayout.Orientation.LEFT_TO_RIGHT, Map.of(),
                new AutoLayout.Size(GraphCanvas.NODE_WIDTH, GraphCanvas.NODE_HEIGHT), 40, 40, 1.6);
        GraphEdits.applyLayout(g, p).execute();
        return g;
    }

    private static void add(ModelGraph g, String name, String type, Map<String, Object> params) {
        LayerType t = LayerCatalog.get(type);
        try {
            g.add(name, t, Params.of(t, params), 0, 0);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private void start(Stage stage) {
        Application.setUserAgentStylesheet(new PrimerLight().getUserAgentStylesheet());
        CommandStack stack = new CommandStack();
        editor = new GraphEditor(graph, stack::execute, new SameThreadTaskExecutor());
        stack.addListener(editor::refresh);
        stage.setScene(new Scene(editor, 1360, 860));
        stage.show();
        long t0 = System.nanoTime();
        editor.refresh();
        report.add(String.format(Locale.ROOT, "first full refresh of %d layers: %.1f ms", LAYERS, (System.nanoTime() - t0) / 1e6));

        GraphCanvas canvas = editor.canvas();
        NodeView dragged = (NodeView) canvas.lookup("#node-dense_101");
        queue.add(() -> run("drag a layer, whole graph visible (fit)", canvas::zoomToFit,
                f -> drag(dragged, f), this::next));
        queue.add(() -> run("pan, whole graph visible (fit)", canvas::zoomToFit,
                f -> canvas.panBy(f % 60 < 30 ? 4 : -4, 0), this::next));
        queue.add(() -> run("zoom in and out around the centre, from fit", canvas::zoomToFit,
                f -> canvas.zoomAt(f % 60 < 30 ? 1.04 : 1 / 1.04, canvas.getWidth() / 2, canvas.getHeight() / 2), this::next));
        queue.add(() -> run("drag a layer at 100 %", () -> {
            canvas.zoomToFit();
            canvas.zoomAt(1 / canvas.scaleProperty().get(), canvas.getWidth() / 2, canvas.getHeight() / 2);
        }, f -> drag(dragged, f), this::next));
        queue.add(() -> {
            long s = System.nanoTime();
            stack.execute(GraphEdits.setParam(graph, "dense_101", "units", 64));
            report.add(String.format(Locale.ROOT, "an edit (set units of one layer) with refresh of canvas, inspector, summary: %.1f ms",
                    (System.nanoTime() - s) / 1e6));
            next();
        });
        queue.add(() -> {
            long a = System.nanoTime();
            canvas.refresh();
            long b = System.nanoTime();
            editor.summary().show(graph);
            long c = System.nanoTime();
            kiln.engine.model.ShapeInference.analyze(graph);
            long d = System.nanoTime();
            report.add(String.format(Locale.ROOT, "  of which canvas refresh %.1f ms, summary table %.1f ms, one shape inference %.1f ms",
                    (b - a) / 1e6, (c - b) / 1e6, (d - c) / 1e6));
            next();
        });
        queue.add(() -> {
            Platform.exit();
        });
        run("warm-up (pan, fitted)", canvas::zoomToFit, f -> canvas.panBy(f % 2 == 0 ? 3 : -3, 0), this::next);
    }

    private final List<Runnable> queue = new ArrayList<>();

    private void next() {
        Platform.runLater(queue.remove(0));
    }

    private double pressX;
    private double pressY;

    /** Press, move 2 px per frame (as a hand would), release at the end: one move command. */
    private void drag(NodeView v, int frame) {
        var b = v.localToScene(v.getBoundsInLocal());
        if (frame == 0) {
            pressX = b.getCenterX();
            pressY = b.getCenterY();
            Event.fireEvent(v, mouse(MouseEvent.MOUSE_PRESSED, pressX, pressY));
        } else if (frame < FRAMES - 1) {
            Event.fireEvent(v, mouse(MouseEvent.MOUSE_DRAGGED, pressX + frame * 2, pressY + (frame % 40)));
        } else {
            Event.fireEvent(v, mouse(MouseEvent.MOUSE_RELEASED, pressX + frame * 2, pressY));
        }
    }

    private static MouseEvent mouse(javafx.event.EventType<MouseEvent> type, double x, double y) {
        return new MouseEvent(type, x, y, x, y, MouseButton.PRIMARY, 1, false, false, false, false,
                true, false, false, false, false, false, null);
    }

    /** Runs one step per pulse for FRAMES pulses and records the pulse-to-pulse times. */
    private void run(String name, Runnable setup, IntConsumer step, Runnable done) {
        setup.run();
        long[] stamps = new long[FRAMES + 1];
        long[] work = new long[FRAMES];
        new AnimationTimer() {
            int frame = -5; // let the setup settle

            @Override
            public void handle(long now) {
                if (frame >= 0) {
                    stamps[frame] = System.nanoTime();
                    if (frame == FRAMES) {
                        stop();
                        summarize(name, stamps, work);
                        done.run();
                        return;
                    }
                    long s = System.nanoTime();
                    step.accept(frame);
                    work[frame] = System.nanoTime() - s;
                }
                frame++;
            }
        }.start();
    }

    private void summarize(String name, long[] stamps, long[] work) {
        double[] gaps = new double[FRAMES];
        for (int i = 0; i < FRAMES; i++) gaps[i] = (stamps[i + 1] - stamps[i]) / 1e6;
        double[] w = Arrays.stream(work).mapToDouble(n -> n / 1e6).toArray();
        Arrays.sort(gaps);
        Arrays.sort(w);
        double mean = Arrays.stream(gaps).average().orElse(0);
        report.add(String.format(Locale.ROOT,
                "%-48s frame mean %5.1f ms, median %5.1f, p95 %5.1f, max %5.1f (%.0f fps); handler median %.2f ms, p95 %.2f",
                name, mean, gaps[FRAMES / 2], gaps[(int) (FRAMES * 0.95)], gaps[FRAMES - 1], 1000 / mean,
                w[FRAMES / 2], w[(int) (FRAMES * 0.95)]));
    }

    public static void main(String[] args) {
        // a plain main (not an Application) so JavaFX on the class path starts without module flags
        Platform.startup(() -> {
            try {
                new EditorFrameBench().start(new Stage());
            } catch (RuntimeException e) {
                e.printStackTrace();
                Platform.exit();
            }
        });
    }
}
