package kiln.widgets.graph;

import javafx.beans.property.BooleanProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.collections.ListChangeListener;
import javafx.geometry.Orientation;
import javafx.scene.control.SplitPane;
import javafx.scene.layout.BorderPane;
import kiln.engine.catalog.LayerType;
import kiln.engine.edit.Command;
import kiln.engine.edit.GraphEdits;
import kiln.engine.layout.AutoLayout;
import kiln.engine.model.ModelGraph;
import kiln.engine.model.Node;
import kiln.widgets.tasks.TaskExecutor;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The model editor: layer palette on the left, the canvas in the middle with the summary table below it,
 * the inspector on the right. Edits leave as {@link Command}s through the callback; the host calls
 * {@link #refresh()} after every change of the project.
 */
public final class GraphEditor extends BorderPane {

    private final ModelGraph graph;
    private final Consumer<Command> edits;
    private final TaskExecutor executor;
    private final GraphCanvas canvas;
    private final LayerPalette palette;
    private final LayerInspector inspector;
    private final SummaryTable summary = new SummaryTable();
    /** Layers copied in this editor, for its Paste. */
    private final LayerClipboard clipboard = new LayerClipboard();
    private final SplitPane middle = new SplitPane();
    private final BooleanProperty summaryVisible = new SimpleBooleanProperty(true);
    private final BooleanProperty readOnly = new SimpleBooleanProperty();
    private Consumer<String> onMessage = m -> { };

    public GraphEditor(ModelGraph graph, Consumer<Command> edits, TaskExecutor executor) {
        this.graph = graph;
        this.edits = edits;
        this.executor = executor;
        getStyleClass().add("graph-editor");
        canvas = new GraphCanvas(graph, edits, clipboard);
        inspector = new LayerInspector(graph, edits);
        palette = new LayerPalette(new LayerPalette.Handler() {
            @Override
            public void dragging(LayerType type, double sceneX, double sceneY) {
                canvas.showDropPreview(type, sceneX, sceneY);
            }

            @Override
            public void dropped(LayerType type, double sceneX, double sceneY) {
                canvas.addLayerAt(type, sceneX, sceneY);
            }

            @Override
            public void chosen(LayerType type) {
                canvas.appendLayer(type);
                canvas.requestFocus();
            }
        });
        canvas.setOnMessage(m -> onMessage.accept(m));
        canvas.readOnlyProperty().bind(readOnly);
        inspector.readOnlyProperty().bind(readOnly);
        canvas.selectedNodes().addListener((ListChangeListener<String>) c -> showInspector());
        inspector.setOnRenamed(name -> canvas.selectedNodes().setAll(name));

        middle.setOrientation(Orientation.VERTICAL);
        middle.getItems().add(canvas);
        summaryVisible.addListener((o, was, is) -> showSummary(is));
        showSummary(true);

        SplitPane sides = new SplitPane(palette, middle, inspector);
        sides.setDividerPositions(0.14, 0.76);
        SplitPane.setResizableWithParent(palette, false);
        SplitPane.setResizableWithParent(inspector, false);
        palette.setMinWidth(150);
        inspector.setMinWidth(240);
        setCenter(sides);
        refresh();
    }

    private void showSummary(boolean show) {
        if (show && !middle.getItems().contains(summary)) {
            middle.getItems().add(summary);
            middle.setDividerPositions(0.72);
            summary.show(graph);
        } else if (!show) {
            middle.getItems().remove(summary);
        }
    }

    private void showInspector() {
        var sel = canvas.selectedNodes();
        inspector.show(sel.isEmpty() ? null : sel.get(sel.size() - 1), canvas.analysis());
    }

    /** Redraws canvas, inspector and summary from the graph. */
    public void refresh() {
        canvas.refresh();
        showInspector();
        if (summaryVisible.get()) summary.show(graph);
    }

    /**
     * Arranges the whole graph with the layered layout, computed off the JavaFX thread on a copy and applied
     * as one undoable step; then shows all of it.
     */
    public void autoLayout(AutoLayout.Orientation orientation) {
        if (readOnly.get() || graph.nodes().isEmpty()) return;
        ModelGraph snapshot = graph.copy();
        AutoLayout.Size box = new AutoLayout.Size(GraphCanvas.NODE_WIDTH, GraphCanvas.NODE_HEIGHT);
        // a long chain that would only fit the canvas at an unreadable size is wrapped to the canvas's shape
        double viewW = canvas.getWidth();
        double viewH = canvas.getHeight();
        double aspect = viewH > 0 ? viewW / viewH : 0;
        executor.submit("Arranging the layers",
                progress -> {
                    Map<String, GraphEdits.Position> plain = AutoLayout.compute(snapshot, orientation, Map.of(), box, 40, 40);
                    return aspect > 0 && fitScale(plain, viewW, viewH) < READABLE_SCALE
                            ? AutoLayout.compute(snapshot, orientation, Map.of(), box, 40, 40, aspect) : plain;
                },
                positions -> {
                    // the student may have edited meanwhile: place only layers that still exist
                    Map<String, GraphEdits.Position> still = new LinkedHashMap<>();
                    for (Node n : graph.nodes()) {
                        if (positions.containsKey(n.name())) still.put(n.name(), positions.get(n.name()));
                    }
                    if (still.isEmpty() || readOnly.get()) return;
                    try {
                        edits.accept(GraphEdits.applyLayout(graph, still));
                    } catch (IllegalArgumentException | IllegalStateException e) {
                        onMessage.accept("The layout was not applied: " + e.getMessage());
                        return;
                    }
                    canvas.zoomToFit();
                },
                error -> onMessage.accept("Auto-layout failed: " + error.getMessage()));
    }

    /** Receives refusals and problems in plain words, for a status bar. */
    public void setOnMessage(Consumer<String> onMessage) {
        this.onMessage = onMessage == null ? m -> { } : onMessage;
    }

    private static final double READABLE_SCALE = 0.7;

    private static double fitScale(Map<String, GraphEdits.Position> p, double viewW, double viewH) {
        double w = p.values().stream().mapToDouble(GraphEdits.Position::x).max().orElse(0) + GraphCanvas.NODE_WIDTH;
        double h = p.values().stream().mapToDouble(GraphEdits.Position::y).max().orElse(0) + GraphCanvas.NODE_HEIGHT;
        return Math.min(viewW / w, viewH / h);
    }

    public GraphCanvas canvas() {
        return canvas;
    }

    public LayerPalette palette() {
        return palette;
    }

    public LayerInspector inspector() {
        return inspector;
    }

    public SummaryTable summary() {
        return summary;
    }

    public BooleanProperty summaryVisibleProperty() {
        return summaryVisible;
    }

    public BooleanProperty readOnlyProperty() {
        return readOnly;
    }
}
