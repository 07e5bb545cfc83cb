package kiln.widgets.graph;

import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ReadOnlyDoubleProperty;
import javafx.beans.property.ReadOnlyDoubleWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.collections.FXCollections;
import javafx.collections.ListChangeListener;
import javafx.collections.ObservableList;
import javafx.geometry.Bounds;
import javafx.geometry.Point2D;
import javafx.geometry.Pos;
import javafx.scene.Cursor;
import javafx.scene.Group;
import javafx.scene.canvas.Canvas;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.control.Label;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyEvent;
import javafx.scene.control.ContextMenu;
import javafx.scene.control.MenuItem;
import javafx.scene.control.SeparatorMenuItem;
import javafx.scene.input.MouseButton;
import javafx.scene.input.MouseEvent;
import javafx.scene.input.ScrollEvent;
import javafx.scene.layout.Region;
import javafx.scene.paint.Color;
import javafx.scene.shape.CubicCurve;
import javafx.scene.shape.Rectangle;
import javafx.scene.transform.Scale;
import javafx.scene.transform.Translate;
import kiln.engine.catalog.LayerType;
import kiln.engine.catalog.Params;
import kiln.engine.catalog.SuggestedFix;
import kiln.engine.edit.Command;
import kiln.engine.edit.GraphEdits.Position;
import kiln.engine.edit.GraphEdits;
import kiln.engine.model.Edge;
import kiln.engine.model.GraphAnalysis;
import kiln.engine.model.ModelGraph;
import kiln.engine.model.Node;
import kiln.engine.model.NodeAnalysis;
import kiln.engine.model.ShapeInference;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The model graph as boxes and curves: select, move, connect, delete, copy and paste, pan and zoom.
 * It never changes the graph itself: every edit is a {@link Command} handed to the {@code edits} callback
 * (the app runs it through the project's undo stack), and {@link #refresh()} redraws from the graph and its
 * shape inference afterwards. Views of unchanged layers are kept, so a refresh after an edit touches only
 * what changed.
 */
public final class GraphCanvas extends Region {

    public static final double NODE_WIDTH = NodeView.WIDTH;
    public static final double NODE_HEIGHT = NodeView.HEIGHT;
    private static final double MIN_SCALE = 0.15;
    private static final double MAX_SCALE = 2.5;
    private static final double GRID = 20;

    private final ModelGraph graph;
    private final Consumer<Command> edits;
    private final Canvas grid = new Canvas();
    private final Group content = new Group();
    private final Group edgeLayer = new Group();
    private final Group nodeLayer = new Group();
    private final Group overlay = new Group();
    private final Translate pan = new Translate();
    private final Scale zoom = new Scale(1, 1, 0, 0);
    private final ReadOnlyDoubleWrapper scale = new ReadOnlyDoubleWrapper(1);
    private final Map<String, NodeView> nodeViews = new HashMap<>();
    /** Pictures hung under layers (see {@link #setDecoration}), kept when a layer's view is rebuilt. */
    private final Map<String, javafx.scene.Node> decorations = new HashMap<>();
    private final Map<Edge, EdgeView> edgeViews = new HashMap<>();
    private final ObservableList<String> selection = FXCollections.observableArrayList();
    private final ObservableList<Edge> selectedEdges = FXCollections.observableArrayList();
    private final BooleanProperty readOnly = new SimpleBooleanProperty();
    private final Label banner = new Label("Training is running: the model is read-only until the run stops.");
    private final Label message = new Label();
    private final Label hint = new Label("Drag layers here from the palette, then drag from a layer's right port to the next layer's left port.");
    private Consumer<String> onMessage = m -> { };
    private GraphAnalysis analysis;

    private static GraphEdits.Fragment clipboard;
    private int pasteCount;

    // gesture state
    private Point2D pressScene;
    private Map<String, Point2D> dragStart;
    private boolean panning;
    private Rectangle rubberBand;
    private Set<String> rubberBase;
    private String connectFrom;
    private CubicCurve connectCurve;
    private NodeView dropPreview;
    private ContextMenu layerMenu;

    public GraphCanvas(ModelGraph graph, Consumer<Command> edits) {
        this.graph = graph;
        this.edits = edits;
        getStyleClass().add("graph-canvas");
        getStylesheets().add(GraphCanvas.class.getResource("graph.css").toExternalForm());
        setFocusTraversable(true);
        content.getTransforms().addAll(pan, zoom);
        content.getChildren().addAll(edgeLayer, nodeLayer, overlay);
        grid.setMouseTransparent(true);
        Rectangle clip = new Rectangle();
        clip.widthProperty().bind(widthProperty());
        clip.heightProperty().bind(heightProperty());
        setClip(clip);

        banner.getStyleClass().add("graph-banner");
        banner.setManaged(false);
        banner.visibleProperty().bind(readOnly);
        message.getStyleClass().add("graph-message");
        message.setManaged(false);
        message.setWrapText(true);
        message.setVisible(false);
        hint.getStyleClass().add("graph-hint");
        hint.setManaged(false);
        hint.setMouseTransparent(true);
        hint.setWrapText(true);
        hint.setAlignment(Pos.CENTER);
        getChildren().addAll(grid, content, hint, banner, message);
        // the grid takes its colour from the theme's text colour: redraw when the theme changes
        hint.textFillProperty().addListener((o, a, b) -> drawGrid());

        addEventHandler(MouseEvent.MOUSE_PRESSED, this::backgroundPressed);
        addEventHandler(MouseEvent.MOUSE_DRAGGED, this::backgroundDragged);
        addEventHandler(MouseEvent.MOUSE_RELEASED, this::backgroundReleased);
        addEventHandler(ScrollEvent.SCROLL, e -> {
            if (e.getDeltaY() == 0) return;
            zoomAt(e.getDeltaY() > 0 ? 1.1 : 1 / 1.1, e.getX(), e.getY());
            e.consume();
        });
        addEventHandler(KeyEvent.KEY_PRESSED, this::keyPressed);
        selection.addListener((ListChangeListener<String>) c -> showSelection());
        selectedEdges.addListener((ListChangeListener<Edge>) c -> showSelection());
        readOnly.addListener((o, a, b) -> refresh());
        refresh();
    }

    // ------------------------------------------------------------------ public API

    /** Redraws from the graph: call after every change of the project (edit, undo, redo). */
    public void refresh() {
        analysis = ShapeInference.analyze(graph);
        boolean transfer = graph.nodes().stream().anyMatch(n -> !n.trainable() || n.pretrained());
        Set<String> alive = new HashSet<>();
        List<javafx.scene.Node> order = new ArrayList<>();
        for (Node n : graph.nodes()) {
            alive.add(n.name());
            NodeAnalysis a = analysis.get(n.name());
            int ports = inputPortCount(n);
            NodeView v = nodeViews.get(n.name());
            if (v != null && v.shows(n, a, ports, transfer)) {
                v.moveTo(n);
            } else {
                v = createNodeView(n, a, ports, transfer);
                nodeViews.put(n.name(), v);
            }
            if (v.fixButton != null) v.fixButton.setDisable(readOnly.get());
            order.add(v);
        }
        nodeViews.keySet().retainAll(alive);
        decorations.keySet().retainAll(alive);
        if (!nodeLayer.getChildren().equals(order)) nodeLayer.getChildren().setAll(order);

        Set<Edge> liveEdges = new HashSet<>(graph.edges());
        edgeViews.keySet().retainAll(liveEdges);
        List<javafx.scene.Node> edgeOrder = new ArrayList<>();
        for (Edge e : graph.edges()) {
            NodeAnalysis source = analysis.get(e.from());
            String shape = source != null && source.ok() ? source.shape().toString() : "";
            EdgeView ev = edgeViews.get(e);
            if (ev == null) {
                ev = createEdgeView(e, shape);
                edgeViews.put(e, ev);
            } else {
                ev.setShape(shape);
            }
            placeEdge(ev);
            edgeOrder.add(ev);
        }
        if (!edgeLayer.getChildren().equals(edgeOrder)) edgeLayer.getChildren().setAll(edgeOrder);
        selection.retainAll(alive);
        selectedEdges.retainAll(liveEdges);
        hint.setVisible(graph.nodes().size() <= 2 && graph.edges().isEmpty());
        showSelection();
    }

    /** The marks a layer shows on the canvas ("pre-trained", "frozen", "LoRA r4"), empty for a plain layer. */
    public List<String> marks(String layer) {
        NodeView v = nodeViews.get(layer);
        return v == null ? List.of() : v.marks();
    }

    /** Hangs a picture under a layer's box, e.g. what the layer made of a sample; null removes it. */
    public void setDecoration(String layer, javafx.scene.Node picture) {
        if (picture == null) decorations.remove(layer);
        else decorations.put(layer, picture);
        NodeView v = nodeViews.get(layer);
        if (v != null) v.setDecoration(picture);
    }

    /** The picture under a layer, or null. */
    public javafx.scene.Node decoration(String layer) {
        return decorations.get(layer);
    }

    /** The layers selected, in selection order; the inspector follows the last one. */
    public ObservableList<String> selectedNodes() {
        return selection;
    }

    public ObservableList<Edge> selectedEdges() {
        return selectedEdges;
    }

    /** While true (the project trains) no edit is offered and a banner says why. */
    public BooleanProperty readOnlyProperty() {
        return readOnly;
    }

    /**
     * Receives refusals and problems in plain words (for a status bar), besides the canvas's own note, and an
     * empty text once the note no longer holds (the edit went through, or a drag moved off a refusing port).
     */
    public void setOnMessage(Consumer<String> onMessage) {
        this.onMessage = onMessage == null ? m -> { } : onMessage;
    }

    public ReadOnlyDoubleProperty scaleProperty() {
        return scale.getReadOnlyProperty();
    }

    /** The latest shape inference of the graph, as drawn. */
    public GraphAnalysis analysis() {
        return analysis;
    }

    /** True when a point of the scene lies on the canvas (for drops from the palette). */
    public boolean containsScenePoint(double sceneX, double sceneY) {
        Point2D local = sceneToLocal(sceneX, sceneY);
        return local != null && local.getX() >= 0 && local.getY() >= 0
                && local.getX() <= getWidth() && local.getY() <= getHeight();
    }

    /** Shows where a layer dragged from the palette would land; hides it when the point is off the canvas. */
    public void showDropPreview(LayerType type, double sceneX, double sceneY) {
        if (readOnly.get() || !containsScenePoint(sceneX, sceneY)) {
            hideDropPreview();
            return;
        }
        if (dropPreview == null || !dropPreview.node.typeId().equals(type.id())) {
            hideDropPreview();
            dropPreview = new NodeView(new Node(type.displayName(), type.id(),
                    Params.defaults(type), 0, 0), null, 0, false);
            dropPreview.setOpacity(0.6);
            dropPreview.setMouseTransparent(true);
            overlay.getChildren().add(dropPreview);
        }
        Point2D w = dropPoint(sceneX, sceneY);
        dropPreview.relocate(w.getX(), w.getY());
    }

    public void hideDropPreview() {
        if (dropPreview != null) overlay.getChildren().remove(dropPreview);
        dropPreview = null;
    }

    /** Adds a layer centred on a scene point of the canvas (a drop from the palette) and selects it. */
    public boolean addLayerAt(LayerType type, double sceneX, double sceneY) {
        hideDropPreview();
        if (!containsScenePoint(sceneX, sceneY) || !editable()) return false;
        Point2D w = dropPoint(sceneX, sceneY);
        String name = graph.freshName(type);
        if (run(() -> GraphEdits.addNode(graph, type, w.getX(), w.getY()))) {
            selection.setAll(name);
            requestFocus();
            return true;
        }
        return false;
    }

    /**
     * Adds a layer after the selected one, connected to it (a double-click in the palette); with no single
     * selection it goes to the middle of the view, unconnected.
     */
    public boolean appendLayer(LayerType type) {
        if (!editable()) return false;
        String name = graph.freshName(type);
        boolean done;
        if (selection.size() == 1 && graph.find(selection.get(0)).isPresent() && type.maxInputs() > 0) {
            String after = selection.get(0);
            Point2D spot = freeSpotRightOf(graph.node(after));
            done = run(() -> GraphEdits.appendAfter(graph, type, after, spot.getX(), spot.getY()));
        } else {
            Point2D c = toWorld(getWidth() / 2, getHeight() / 2);
            done = run(() -> GraphEdits.addNode(graph, type, snap(c.getX() - NODE_WIDTH / 2), snap(c.getY() - NODE_HEIGHT / 2)));
        }
        if (done) selection.setAll(name);
        return done;
    }

    /** Right of a layer, moved down past any layer already there. */
    private Point2D freeSpotRightOf(Node source) {
        double x = source.x() + NODE_WIDTH + 60;
        double y = source.y();
        for (int i = 0; i < 50 && occupied(x, y); i++) y += NODE_HEIGHT + 30;
        return new Point2D(x, y);
    }

    private boolean occupied(double x, double y) {
        for (Node n : graph.nodes()) {
            if (Math.abs(n.x() - x) < NODE_WIDTH + 20 && Math.abs(n.y() - y) < NODE_HEIGHT + 20) return true;
        }
        return false;
    }

    public void deleteSelection() {
        if (!editable()) return;
        if (!selection.isEmpty()) {
            run(() -> GraphEdits.removeNodes(graph, List.copyOf(selection)));
        } else if (!selectedEdges.isEmpty()) {
            run(() -> GraphEdits.disconnect(graph, List.copyOf(selectedEdges)));
        }
    }

    public void copySelection() {
        if (selection.isEmpty()) return;
        clipboard = GraphEdits.Fragment.of(graph, selection);
        pasteCount = 0;
    }

    public void paste() {
        if (!editable() || clipboard == null || clipboard.isEmpty()) return;
        pasteCount++;
        pasteFragment(clipboard, 40 * pasteCount, "Paste");
    }

    public void duplicateSelection() {
        if (!editable() || selection.isEmpty()) return;
        pasteFragment(GraphEdits.Fragment.of(graph, selection), 40, "Duplicate");
    }

    private void pasteFragment(GraphEdits.Fragment fragment, double offset, String verb) {
        ModelGraph before = graph.copy();
        List<String> added = new ArrayList<>();
        if (run(() -> {
            var edit = GraphEdits.paste(graph, fragment, offset, offset, verb);
            added.addAll(GraphEdits.pastedNames(before, edit));
            return edit;
        })) {
            selection.setAll(added);
        }
    }

    /** Freezes (or unfreezes) the selected layers as one step. */
    public void setSelectionTrainable(boolean trainable) {
        if (!editable() || selection.isEmpty()) return;
        run(() -> GraphEdits.setTrainable(graph, List.copyOf(selection), trainable));
    }

    /** Freezes every layer with weights that feeds this one: only it and what follows it train. */
    public void freezeBefore(String layer) {
        if (!editable()) return;
        run(() -> GraphEdits.freezeBefore(graph, layer));
    }

    /** The menu on a layer: freezing the selection, or everything before this layer; deleting. */
    ContextMenu layerMenu(String layer) {
        int n = selection.size();
        String what = n <= 1 ? layer : n + " layers";
        boolean anyFrozen = selection.stream().map(graph::find).flatMap(java.util.Optional::stream).anyMatch(x -> !x.trainable());
        boolean anyTrains = selection.stream().map(graph::find).flatMap(java.util.Optional::stream).anyMatch(Node::trainable);
        MenuItem freeze = new MenuItem("Freeze " + what);
        freeze.setId("menu-freeze");
        freeze.setOnAction(e -> setSelectionTrainable(false));
        freeze.setDisable(!anyTrains);
        MenuItem unfreeze = new MenuItem("Unfreeze " + what);
        unfreeze.setId("menu-unfreeze");
        unfreeze.setOnAction(e -> setSelectionTrainable(true));
        unfreeze.setDisable(!anyFrozen);
        MenuItem before = new MenuItem("Freeze Everything Before " + layer);
        before.setId("menu-freeze-before");
        before.setOnAction(e -> freezeBefore(layer));
        MenuItem delete = new MenuItem("Delete " + what);
        delete.setOnAction(e -> deleteSelection());
        ContextMenu menu = new ContextMenu(freeze, unfreeze, before, new SeparatorMenuItem(), delete);
        for (MenuItem item : menu.getItems()) {
            item.setMnemonicParsing(false);
            if (readOnly.get()) item.setDisable(true);
        }
        return menu;
    }

    public void selectAll() {
        selection.setAll(graph.nodes().stream().map(Node::name).toList());
    }

    public void zoomIn() {
        zoomAt(1.2, getWidth() / 2, getHeight() / 2);
    }

    public void zoomOut() {
        zoomAt(1 / 1.2, getWidth() / 2, getHeight() / 2);
    }

    /** Zooms by a factor keeping the canvas point (x, y) in place. */
    public void zoomAt(double factor, double x, double y) {
        double s = clamp(zoom.getX() * factor, MIN_SCALE, MAX_SCALE);
        Point2D w = toWorld(x, y);
        zoom.setX(s);
        zoom.setY(s);
        pan.setX(x - w.getX() * s);
        pan.setY(y - w.getY() * s);
        viewChanged();
    }

    public void panBy(double dx, double dy) {
        pan.setX(pan.getX() + dx);
        pan.setY(pan.getY() + dy);
        viewChanged();
    }

    /** Shows the whole graph, at most at full size. */
    public void zoomToFit() {
        if (graph.nodes().isEmpty() || getWidth() <= 0 || getHeight() <= 0) return;
        double minX = Double.MAX_VALUE, minY = Double.MAX_VALUE, maxX = -Double.MAX_VALUE, maxY = -Double.MAX_VALUE;
        for (Node n : graph.nodes()) {
            minX = Math.min(minX, n.x());
            minY = Math.min(minY, n.y());
            maxX = Math.max(maxX, n.x() + NODE_WIDTH);
            maxY = Math.max(maxY, n.y() + NODE_HEIGHT);
        }
        double margin = 40;
        double s = clamp(Math.min((getWidth() - 2 * margin) / (maxX - minX), (getHeight() - 2 * margin) / (maxY - minY)),
                MIN_SCALE, 1.0);
        zoom.setX(s);
        zoom.setY(s);
        pan.setX((getWidth() - (maxX - minX) * s) / 2 - minX * s);
        pan.setY((getHeight() - (maxY - minY) * s) / 2 - minY * s);
        viewChanged();
    }

    /**
     * Zoom to fit, but never smaller than a size where the text can be read: a long network then starts at
     * its left (top) edge and the rest is a pan away. Used when a project opens.
     */
    public void showReadable() {
        zoomToFit();
        if (graph.nodes().isEmpty() || zoom.getX() >= READABLE) return;
        double minX = graph.nodes().stream().mapToDouble(Node::x).min().orElse(0);
        double minY = graph.nodes().stream().mapToDouble(Node::y).min().orElse(0);
        double maxY = graph.nodes().stream().mapToDouble(Node::y).max().orElse(0) + NODE_HEIGHT;
        zoom.setX(READABLE);
        zoom.setY(READABLE);
        pan.setX(40 - minX * READABLE);
        double h = (maxY - minY) * READABLE;
        pan.setY(h < getHeight() ? (getHeight() - h) / 2 - minY * READABLE : 40 - minY * READABLE);
        viewChanged();
    }

    private static final double READABLE = 0.6;

    /** The world point (graph coordinates) under a point of the canvas. */
    public Point2D toWorld(double x, double y) {
        return new Point2D((x - pan.getX()) / zoom.getX(), (y - pan.getY()) / zoom.getY());
    }

    // ------------------------------------------------------------------ building views

    private int inputPortCount(Node n) {
        LayerType t = n.type();
        if (t.maxInputs() <= 1) return t.maxInputs();
        int highest = graph.inputsOf(n.name()).stream().mapToInt(Edge::toPort).max().orElse(-1);
        return (int) Math.min(t.maxInputs(), Math.max(t.minInputs(), highest + 2L));
    }

    private NodeView createNodeView(Node n, NodeAnalysis a, int ports, boolean transfer) {
        NodeView v = new NodeView(n, a, ports, n.type().hasOutputPort(), transfer);
        v.setId("node-" + n.name());
        v.setDecoration(decorations.get(n.name()));
        v.setOnMousePressed(e -> nodePressed(v, e));
        v.setOnMouseDragged(e -> nodeDragged(e));
        v.setOnMouseReleased(e -> nodeReleased(e));
        v.setOnMouseClicked(javafx.event.Event::consume);
        if (v.output != null) {
            v.output.setOnMousePressed(e -> connectPressed(v, e));
            v.output.setOnMouseDragged(this::connectDragged);
            v.output.setOnMouseReleased(this::connectReleased);
        }
        if (v.fixButton != null) {
            SuggestedFix fix = a.fix().orElseThrow();
            v.fixButton.setOnAction(e -> {
                if (editable()) run(() -> RoomyFix.command(graph, n.name(), fix));
            });
        }
        return v;
    }

    private EdgeView createEdgeView(Edge e, String shape) {
        EdgeView ev = new EdgeView(e, shape);
        ev.hitArea().setOnMousePressed(m -> {
            if (m.getButton() != MouseButton.PRIMARY) return;
            requestFocus();
            selection.clear();
            if (m.isShiftDown()) {
                if (!selectedEdges.remove(e)) selectedEdges.add(e);
            } else {
                selectedEdges.setAll(e);
            }
            m.consume();
        });
        return ev;
    }

    private void placeEdge(EdgeView ev) {
        NodeView from = nodeViews.get(ev.edge.from());
        NodeView to = nodeViews.get(ev.edge.to());
        if (from == null || to == null) return;
        ev.place(from.outputPoint(), to.inputPoint(ev.edge.toPort()), from.box(), to.box());
    }

    private void showSelection() {
        Set<String> sel = new HashSet<>(selection);
        nodeViews.forEach((name, v) -> v.setSelected(sel.contains(name)));
        Set<Edge> selE = new HashSet<>(selectedEdges);
        edgeViews.forEach((e, v) -> v.setSelected(selE.contains(e)));
    }

    // ------------------------------------------------------------------ gestures on layers

    private void nodePressed(NodeView v, MouseEvent e) {
        if (e.getButton() == MouseButton.SECONDARY || e.isPopupTrigger()) {
            requestFocus();
            if (!selection.contains(v.node.name())) selection.setAll(v.node.name());
            if (layerMenu != null) layerMenu.hide();
            layerMenu = layerMenu(v.node.name());
            layerMenu.show(v, e.getScreenX(), e.getScreenY());
            e.consume();
            return;
        }
        if (e.getButton() != MouseButton.PRIMARY) return;
        requestFocus();
        String name = v.node.name();
        selectedEdges.clear();
        if (e.isShiftDown() || e.isShortcutDown()) {
            if (!selection.remove(name)) selection.add(name);
        } else if (!selection.contains(name)) {
            selection.setAll(name);
        } else {
            // keep the group selected for a drag, and make this the layer the inspector shows
            selection.remove(name);
            selection.add(name);
        }
        pressScene = new Point2D(e.getSceneX(), e.getSceneY());
        dragStart = new LinkedHashMap<>();
        for (String s : selection) {
            NodeView sv = nodeViews.get(s);
            if (sv != null) dragStart.put(s, new Point2D(sv.getLayoutX(), sv.getLayoutY()));
        }
        v.toFront();
        e.consume();
    }

    private void nodeDragged(MouseEvent e) {
        e.consume();
        if (dragStart == null || !editable(false)) return;
        double dx = (e.getSceneX() - pressScene.getX()) / zoom.getX();
        double dy = (e.getSceneY() - pressScene.getY()) / zoom.getY();
        Set<String> moved = dragStart.keySet();
        dragStart.forEach((name, p) -> nodeViews.get(name).relocate(p.getX() + dx, p.getY() + dy));
        for (EdgeView ev : edgeViews.values()) {
            if (moved.contains(ev.edge.from()) || moved.contains(ev.edge.to())) placeEdge(ev);
        }
    }

    private void nodeReleased(MouseEvent e) {
        e.consume();
        if (dragStart == null) return;
        Map<String, Position> target = new LinkedHashMap<>();
        dragStart.forEach((name, p) -> {
            NodeView v = nodeViews.get(name);
            if (v.getLayoutX() != p.getX() || v.getLayoutY() != p.getY()) {
                target.put(name, new Position(snap(v.getLayoutX()), snap(v.getLayoutY())));
            }
        });
        dragStart = null;
        if (!target.isEmpty() && editable()) {
            if (!run(() -> GraphEdits.moveNodes(graph, target))) refresh();
        }
    }

    // ------------------------------------------------------------------ connecting ports

    private void connectPressed(NodeView v, MouseEvent e) {
        e.consume();
        if (e.getButton() != MouseButton.PRIMARY || !editable()) return;
        requestFocus();
        connectFrom = v.node.name();
        connectCurve = new CubicCurve();
        connectCurve.getStyleClass().add("edge-dragging");
        connectCurve.setFill(null);
        connectCurve.setMouseTransparent(true);
        overlay.getChildren().add(connectCurve);
        // mark every input port as accepting or refusing this connection
        for (NodeView t : nodeViews.values()) {
            for (int i = 0; i < t.inputs.size(); i++) {
                boolean ok = GraphEdits.connectProblem(graph, connectFrom, t.node.name(), i).isEmpty();
                t.inputs.get(i).getStyleClass().add(ok ? "port-accepts" : "port-refuses");
            }
        }
        connectDragged(e);
    }

    private void connectDragged(MouseEvent e) {
        e.consume();
        if (connectFrom == null) return;
        Point2D start = nodeViews.get(connectFrom).outputPoint();
        Point2D end = content.sceneToLocal(e.getSceneX(), e.getSceneY());
        double dx = Math.max(40, Math.abs(end.getX() - start.getX()) / 2);
        connectCurve.setStartX(start.getX());
        connectCurve.setStartY(start.getY());
        connectCurve.setControlX1(start.getX() + dx);
        connectCurve.setControlY1(start.getY());
        connectCurve.setControlX2(end.getX() - dx);
        connectCurve.setControlY2(end.getY());
        connectCurve.setEndX(end.getX());
        connectCurve.setEndY(end.getY());
        Optional<Target> target = targetAt(end);
        connectCurve.pseudoClassStateChanged(javafx.css.PseudoClass.getPseudoClass("refused"),
                target.isPresent() && target.get().problem().isPresent());
        target.flatMap(Target::problem).ifPresentOrElse(this::note, this::clearNote);
    }

    private void connectReleased(MouseEvent e) {
        e.consume();
        if (connectFrom == null) return;
        String from = connectFrom;
        Optional<Target> target = targetAt(content.sceneToLocal(e.getSceneX(), e.getSceneY()));
        endConnect();
        if (target.isEmpty()) return;
        Target t = target.get();
        if (t.problem().isPresent()) {
            note("Not connected: " + t.problem().get());
        } else {
            run(() -> GraphEdits.connect(graph, from, t.node(), t.port()));
        }
    }

    private void endConnect() {
        overlay.getChildren().remove(connectCurve);
        connectCurve = null;
        connectFrom = null;
        for (NodeView t : nodeViews.values()) {
            t.inputs.forEach(c -> c.getStyleClass().removeAll("port-accepts", "port-refuses"));
        }
    }

    private record Target(String node, int port, Optional<String> problem) { }

    /**
     * The input a connection dropped at this world point goes to: the nearest input port when the point is
     * close to one, else the first free input of the layer under the point.
     */
    private Optional<Target> targetAt(Point2D world) {
        // an input port near the point wins, even under another layer
        NodeView bestView = null;
        int bestPort = -1;
        double best = 14;
        for (NodeView v : nodeViews.values()) {
            for (int i = 0; i < v.inputs.size(); i++) {
                double d = world.distance(v.inputPoint(i));
                if (d <= best) {
                    best = d;
                    bestView = v;
                    bestPort = i;
                }
            }
        }
        if (bestView != null) {
            String name = bestView.node.name();
            return Optional.of(new Target(name, bestPort, GraphEdits.connectProblem(graph, connectFrom, name, bestPort)));
        }
        // else the topmost layer under the point, at its first free input
        List<javafx.scene.Node> layers = nodeLayer.getChildren();
        for (int i = layers.size() - 1; i >= 0; i--) {
            NodeView v = (NodeView) layers.get(i);
            double x = v.getLayoutX();
            double y = v.getLayoutY();
            if (world.getX() < x || world.getX() > x + NodeView.WIDTH || world.getY() < y
                    || world.getY() > y + NodeView.HEIGHT) continue;
            String name = v.node.name();
            int port = v.inputs.isEmpty() ? 0 : firstFreePort(v);
            return Optional.of(new Target(name, port, GraphEdits.connectProblem(graph, connectFrom, name, port)));
        }
        return Optional.empty();
    }

    private int firstFreePort(NodeView v) {
        Set<Integer> used = new HashSet<>();
        graph.inputsOf(v.node.name()).forEach(e -> used.add(e.toPort()));
        for (int i = 0; i < v.inputs.size(); i++) if (!used.contains(i)) return i;
        return 0;
    }

    // ------------------------------------------------------------------ background: pan and rubber band

    private void backgroundPressed(MouseEvent e) {
        requestFocus();
        pressScene = new Point2D(e.getSceneX(), e.getSceneY());
        if (e.getButton() == MouseButton.MIDDLE || (e.getButton() == MouseButton.PRIMARY && !e.isShiftDown())) {
            panning = true;
            if (e.getButton() == MouseButton.PRIMARY) {
                selection.clear();
                selectedEdges.clear();
            }
            setCursor(Cursor.CLOSED_HAND);
        } else if (e.getButton() == MouseButton.PRIMARY) {
            Point2D w = content.sceneToLocal(e.getSceneX(), e.getSceneY());
            rubberBand = new Rectangle(w.getX(), w.getY(), 0, 0);
            rubberBand.getStyleClass().add("rubber-band");
            rubberBand.setMouseTransparent(true);
            overlay.getChildren().add(rubberBand);
            rubberBase = new HashSet<>(selection);
        }
    }

    private void backgroundDragged(MouseEvent e) {
        if (panning) {
            panBy(e.getSceneX() - pressScene.getX(), e.getSceneY() - pressScene.getY());
            pressScene = new Point2D(e.getSceneX(), e.getSceneY());
        } else if (rubberBand != null) {
            Point2D a = content.sceneToLocal(pressScene.getX(), pressScene.getY());
            Point2D b = content.sceneToLocal(e.getSceneX(), e.getSceneY());
            rubberBand.setX(Math.min(a.getX(), b.getX()));
            rubberBand.setY(Math.min(a.getY(), b.getY()));
            rubberBand.setWidth(Math.abs(a.getX() - b.getX()));
            rubberBand.setHeight(Math.abs(a.getY() - b.getY()));
            Bounds r = rubberBand.getBoundsInParent();
            List<String> picked = new ArrayList<>(rubberBase);
            for (Node n : graph.nodes()) {
                NodeView v = nodeViews.get(n.name());
                if (r.intersects(v.getBoundsInParent()) && !picked.contains(n.name())) picked.add(n.name());
            }
            if (!picked.equals(selection)) selection.setAll(picked);
        }
    }

    private void backgroundReleased(MouseEvent e) {
        panning = false;
        setCursor(Cursor.DEFAULT);
        if (rubberBand != null) {
            overlay.getChildren().remove(rubberBand);
            rubberBand = null;
        }
    }

    // ------------------------------------------------------------------ keys

    private void keyPressed(KeyEvent e) {
        boolean shortcut = e.isShortcutDown();
        KeyCode k = e.getCode();
        if (k == KeyCode.DELETE || k == KeyCode.BACK_SPACE) deleteSelection();
        else if (shortcut && k == KeyCode.C) copySelection();
        else if (shortcut && k == KeyCode.V) paste();
        else if (shortcut && k == KeyCode.D) duplicateSelection();
        else if (shortcut && k == KeyCode.A) selectAll();
        else if (shortcut && (k == KeyCode.EQUALS || k == KeyCode.PLUS || k == KeyCode.ADD)) zoomIn();
        else if (shortcut && (k == KeyCode.MINUS || k == KeyCode.SUBTRACT)) zoomOut();
        else if (shortcut && (k == KeyCode.DIGIT0 || k == KeyCode.NUMPAD0)) zoomToFit();
        else if (k == KeyCode.ESCAPE) {
            selection.clear();
            selectedEdges.clear();
        } else return;
        e.consume();
    }

    // ------------------------------------------------------------------ helpers

    /** Runs an edit through the callback; a refusal is shown in plain words. True when it was applied. */
    private boolean run(java.util.function.Supplier<Command> build) {
        try {
            edits.accept(build.get());
            clearNote();
            return true;
        } catch (IllegalArgumentException | IllegalStateException ex) {
            note(ex.getMessage());
            return false;
        }
    }

    private boolean editable() {
        return editable(true);
    }

    private boolean editable(boolean say) {
        if (readOnly.get() && say) note("The model is read-only while training runs.");
        return !readOnly.get();
    }

    private void note(String text) {
        message.setText(text);
        message.setVisible(true);
        layoutOverlays();
        onMessage.accept(text);
    }

    private void clearNote() {
        if (!message.isVisible()) return;
        message.setVisible(false);
        onMessage.accept("");
    }

    private Point2D dropPoint(double sceneX, double sceneY) {
        Point2D w = content.sceneToLocal(sceneX, sceneY);
        return new Point2D(snap(w.getX() - NODE_WIDTH / 2), snap(w.getY() - NODE_HEIGHT / 2));
    }

    private static double snap(double v) {
        return Math.round(v / 10) * 10.0;
    }

    private static double clamp(double v, double lo, double hi) {
        return Math.max(lo, Math.min(hi, v));
    }

    private void viewChanged() {
        if (scale.get() != zoom.getX()) {
            scale.set(zoom.getX());
            zooming();
            drawGrid();
        }
        placeGrid();
    }

    /**
     * While the zoom changes, layers are drawn by scaling their cached bitmaps; a moment after it stops they
     * are drawn sharp again at the new size.
     */
    private void zooming() {
        if (!zoomSettling) {
            nodeViews.values().forEach(v -> v.setCacheHint(javafx.scene.CacheHint.SPEED));
            zoomSettling = true;
        }
        sharpen.playFromStart();
    }

    private boolean zoomSettling;
    private final javafx.animation.PauseTransition sharpen = new javafx.animation.PauseTransition(javafx.util.Duration.millis(200));
    {
        sharpen.setOnFinished(e -> {
            zoomSettling = false;
            nodeViews.values().forEach(v -> v.setCacheHint(javafx.scene.CacheHint.QUALITY));
        });
    }

    @Override
    protected void layoutChildren() {
        if (gridW != getWidth() || gridH != getHeight()) {
            gridW = getWidth();
            gridH = getHeight();
            drawGrid();
            placeGrid();
        }
        layoutOverlays();
    }

    private double gridW = -1;
    private double gridH = -1;
    private double gridStep = GRID;

    private void layoutOverlays() {
        double w = getWidth();
        banner.autosize();
        banner.resizeRelocate(0, 0, w, banner.prefHeight(w));
        double mw = Math.min(w - 24, 560);
        message.resizeRelocate(12, getHeight() - message.prefHeight(mw) - 12, mw, message.prefHeight(mw));
        double hw = Math.min(w - 40, 420);
        hint.resizeRelocate((w - hw) / 2, getHeight() / 2 + 40, hw, hint.prefHeight(hw));
    }

    /**
     * A light grid, drawn once per zoom level on a bitmap one cell larger than the view; panning only shifts
     * the bitmap, so the grid costs the same at any graph size and pan speed.
     */
    private void drawGrid() {
        double step = GRID * zoom.getX();
        while (step < 12) step *= 5;
        gridStep = step;
        grid.setWidth(Math.max(0, gridW) + step);
        grid.setHeight(Math.max(0, gridH) + step);
        GraphicsContext g = grid.getGraphicsContext2D();
        double w = grid.getWidth();
        double h = grid.getHeight();
        g.clearRect(0, 0, w, h);
        g.setStroke(gridColor());
        g.setLineWidth(1);
        for (double x = 0; x < w; x += step) g.strokeLine(Math.floor(x) + 0.5, 0, Math.floor(x) + 0.5, h);
        for (double y = 0; y < h; y += step) g.strokeLine(0, Math.floor(y) + 0.5, w, Math.floor(y) + 0.5);
    }

    private void placeGrid() {
        double ox = ((pan.getX() % gridStep) + gridStep) % gridStep;
        double oy = ((pan.getY() % gridStep) + gridStep) % gridStep;
        grid.setTranslateX(Math.round(ox - gridStep));
        grid.setTranslateY(Math.round(oy - gridStep));
    }

    private Color gridColor() {
        // the grid follows the theme: a faint line of the text colour over the background
        Color text = hint.getTextFill() instanceof Color c ? c : Color.GRAY;
        return new Color(text.getRed(), text.getGreen(), text.getBlue(), 0.07);
    }
}
