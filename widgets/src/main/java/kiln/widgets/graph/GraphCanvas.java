package kiln.widgets.graph;

import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ReadOnlyDoubleProperty;
import javafx.beans.property.ReadOnlyDoubleWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.collections.FXCollections;
import javafx.collections.ListChangeListener;
import javafx.collections.ObservableList;
import javafx.geometry.Point2D;
import javafx.geometry.Pos;
import javafx.scene.Group;
import javafx.scene.control.Label;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyEvent;
import javafx.scene.control.ContextMenu;
import javafx.scene.control.MenuItem;
import javafx.scene.control.SeparatorMenuItem;
import javafx.scene.input.MouseButton;
import javafx.scene.input.ScrollEvent;
import javafx.scene.layout.Region;
import javafx.scene.shape.Rectangle;
import kiln.engine.catalog.LayerType;
import kiln.engine.catalog.Params;
import kiln.engine.catalog.SuggestedFix;
import kiln.engine.edit.Command;
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

    // package-private: the gesture classes work on these
    final ModelGraph graph;
    final Group content = new Group();
    final Group nodeLayer = new Group();
    final Group overlay = new Group();
    final Map<String, NodeView> nodeViews = new HashMap<>();
    final Map<Edge, EdgeView> edgeViews = new HashMap<>();
    final ObservableList<String> selection = FXCollections.observableArrayList();
    final ObservableList<Edge> selectedEdges = FXCollections.observableArrayList();
    final Viewport viewport = new Viewport(this::viewChanged);

    private final Consumer<Command> edits;
    private final LayerClipboard clipboard;
    private final MoveGesture move = new MoveGesture(this);
    private final ConnectGesture connect = new ConnectGesture(this);
    private final Group edgeLayer = new Group();
    private final ReadOnlyDoubleWrapper scale = new ReadOnlyDoubleWrapper(1);
    /** Pictures hung under layers (see {@link #setDecoration}), kept when a layer's view is rebuilt. */
    private final Map<String, javafx.scene.Node> decorations = new HashMap<>();
    /** Word-sized pictures laid on layers' boxes by name (sparklines of how they learn), kept across redraws. */
    private final Map<String, javafx.scene.Node> badges = new HashMap<>();
    private final BooleanProperty readOnly = new SimpleBooleanProperty();
    private final Label banner = new Label("Training is running: the model is read-only until the run stops.");
    private final Label message = new Label();
    private final Label hint = new Label("Drag layers here from the palette, then drag from a layer's right port to the next layer's left port.");
    private final GridBackground grid = new GridBackground(hint::getTextFill);
    private Consumer<String> onMessage = m -> { };
    private GraphAnalysis analysis;

    private NodeView dropPreview;
    private ContextMenu layerMenu;

    public GraphCanvas(ModelGraph graph, Consumer<Command> edits) {
        this(graph, edits, new LayerClipboard());
    }

    /** A canvas whose Copy and Paste go through this clipboard (the editor's). */
    GraphCanvas(ModelGraph graph, Consumer<Command> edits, LayerClipboard clipboard) {
        this.graph = graph;
        this.edits = edits;
        this.clipboard = clipboard;
        getStyleClass().add("graph-canvas");
        getStylesheets().add(GraphCanvas.class.getResource("graph.css").toExternalForm());
        setFocusTraversable(true);
        content.getTransforms().addAll(viewport.pan, viewport.zoom);
        content.getChildren().addAll(edgeLayer, nodeLayer, overlay);
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
        hint.textFillProperty().addListener((o, a, b) -> grid.draw(viewport.scale()));

        new PanAndSelectGesture(this);
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
        badges.keySet().retainAll(alive);
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

    /**
     * Lays a word-sized picture on each named layer's box (replacing those shown before; layers not named show none),
     * for views that tell about layers, such as training's sparklines. Each fits 64 × 16. Apart from the picture
     * {@link #setDecoration} hangs under a box.
     */
    public void setBadges(Map<String, ? extends javafx.scene.Node> byLayer) {
        badges.clear();
        badges.putAll(byLayer);
        nodeViews.forEach((name, v) -> v.setBadge(badges.get(name)));
    }

    /** The picture laid on a layer's box, or null. */
    public javafx.scene.Node badge(String layer) {
        NodeView v = nodeViews.get(layer);
        return v == null ? null : v.badge();
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
        clipboard.copy(GraphEdits.Fragment.of(graph, selection));
    }

    public void paste() {
        if (!editable()) return;
        clipboard.nextPaste().ifPresent(p -> pasteFragment(p.fragment(), p.offset(), "Paste"));
    }

    public void duplicateSelection() {
        if (!editable() || selection.isEmpty()) return;
        pasteFragment(GraphEdits.Fragment.of(graph, selection), LayerClipboard.PASTE_STEP, "Duplicate");
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
        viewport.zoomAt(factor, x, y);
    }

    public void panBy(double dx, double dy) {
        viewport.panBy(dx, dy);
    }

    /** Shows the whole graph, at most at full size. */
    public void zoomToFit() {
        viewport.fit(graph.nodes(), getWidth(), getHeight());
    }

    /**
     * Zoom to fit, but never smaller than a size where the text can be read: a long network then starts at
     * its left (top) edge and the rest is a pan away. Used when a project opens.
     */
    public void showReadable() {
        viewport.fitReadable(graph.nodes(), getWidth(), getHeight());
    }

    /** The world point (graph coordinates) under a point of the canvas. */
    public Point2D toWorld(double x, double y) {
        return viewport.toWorld(x, y);
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
        v.setBadge(badges.get(n.name()));
        move.attach(v);
        connect.attach(v);
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

    void placeEdge(EdgeView ev) {
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

    /** The menu on a layer, at a point of the screen. */
    void showLayerMenu(NodeView v, double screenX, double screenY) {
        if (layerMenu != null) layerMenu.hide();
        layerMenu = layerMenu(v.node.name());
        layerMenu.show(v, screenX, screenY);
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
    boolean run(java.util.function.Supplier<Command> build) {
        try {
            edits.accept(build.get());
            clearNote();
            return true;
        } catch (IllegalArgumentException | IllegalStateException ex) {
            note(ex.getMessage());
            return false;
        }
    }

    boolean editable() {
        return editable(true);
    }

    boolean editable(boolean say) {
        if (readOnly.get() && say) note("The model is read-only while training runs.");
        return !readOnly.get();
    }

    void note(String text) {
        message.setText(text);
        message.setVisible(true);
        layoutOverlays();
        onMessage.accept(text);
    }

    void clearNote() {
        if (!message.isVisible()) return;
        message.setVisible(false);
        onMessage.accept("");
    }

    private Point2D dropPoint(double sceneX, double sceneY) {
        Point2D w = content.sceneToLocal(sceneX, sceneY);
        return new Point2D(snap(w.getX() - NODE_WIDTH / 2), snap(w.getY() - NODE_HEIGHT / 2));
    }

    static double snap(double v) {
        return Math.round(v / 10) * 10.0;
    }

    private void viewChanged() {
        if (scale.get() != viewport.scale()) {
            scale.set(viewport.scale());
            zooming();
            grid.draw(viewport.scale());
        }
        grid.place(viewport.panX(), viewport.panY());
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
        if (grid.resizeView(getWidth(), getHeight())) {
            grid.draw(viewport.scale());
            grid.place(viewport.panX(), viewport.panY());
        }
        layoutOverlays();
    }

    private void layoutOverlays() {
        double w = getWidth();
        banner.autosize();
        banner.resizeRelocate(0, 0, w, banner.prefHeight(w));
        double mw = Math.min(w - 24, 560);
        message.resizeRelocate(12, getHeight() - message.prefHeight(mw) - 12, mw, message.prefHeight(mw));
        double hw = Math.min(w - 40, 420);
        hint.resizeRelocate((w - hw) / 2, getHeight() / 2 + 40, hw, hint.prefHeight(hw));
    }
}
