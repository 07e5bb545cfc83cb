package kiln.widgets.graph;

import javafx.geometry.Point2D;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.OverrunStyle;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.Pane;
import javafx.scene.layout.Region;
import javafx.scene.shape.Circle;
import javafx.scene.text.Font;
import javafx.scene.text.FontWeight;
import javafx.scene.text.Text;
import javafx.util.Duration;
import kiln.engine.catalog.LayerType;
import kiln.engine.catalog.LowRankAdapters;
import kiln.engine.model.Node;
import kiln.engine.model.NodeAnalysis;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One layer drawn on the canvas: a header coloured by category (name, type), the key parameters, the output
 * shape and parameter count, or the problem with a fix button. Input ports sit on the left edge, the output
 * port on the right. Built from immutable facts, so the canvas can keep it until the layer or its analysis
 * changes.
 */
final class NodeView extends Pane {

    static final double WIDTH = 188;
    static final double HEIGHT = 92;
    private static final double HEADER = 26;
    private static final double PORT_RADIUS = 6;

    Node node;
    final NodeAnalysis analysis;
    final int inputPorts;
    final List<Circle> inputs = new ArrayList<>();
    final Circle output;
    final Button fixButton;
    /** Whether the network starts from a trained model somewhere, so every layer says where its weights start. */
    final boolean transfer;

    NodeView(Node node, NodeAnalysis analysis, int inputPorts, boolean hasOutput) {
        this(node, analysis, inputPorts, hasOutput, false);
    }

    NodeView(Node node, NodeAnalysis analysis, int inputPorts, boolean hasOutput, boolean transfer) {
        this.node = node;
        this.transfer = transfer;
        this.analysis = analysis;
        this.inputPorts = inputPorts;
        LayerType type = node.type();
        getStyleClass().addAll("graph-node", "category-" + type.category().name().toLowerCase(Locale.ROOT));
        if (analysis != null && analysis.status() == NodeAnalysis.Status.ERROR) getStyleClass().add("error");
        if (analysis != null && analysis.status() == NodeAnalysis.Status.BLOCKED) getStyleClass().add("blocked");
        setPrefSize(WIDTH, HEIGHT);
        setMinSize(WIDTH, HEIGHT);
        setMaxSize(WIDTH, HEIGHT);
        resize(WIDTH, HEIGHT);

        Region header = new Region();
        header.getStyleClass().add("node-header");
        header.setManaged(false);
        header.resizeRelocate(0, 0, WIDTH, HEADER);
        Label name = label(node.name(), "node-name", 10, 4, WIDTH - 20);
        Label kind = label(type.displayName(), "node-type", 10, 4, WIDTH - 20);
        kind.setMaxWidth(WIDTH - 20);
        kind.setPrefWidth(WIDTH - 20);
        kind.setAlignment(javafx.geometry.Pos.CENTER_RIGHT);
        // a long name keeps the header to itself: the type is in the inspector and the summary
        kind.setVisible(textWidth(node.name(), FontWeight.BOLD, 12) + 8 + textWidth(type.displayName(), FontWeight.NORMAL, 11)
                <= WIDTH - 20);
        String subtitleText = type.subtitle(node.params());
        Label subtitle = label(subtitleText.isEmpty() ? " " : subtitleText, "node-subtitle", 10, HEADER + 4, WIDTH - 20);
        getChildren().addAll(header, kind, name, subtitle);

        Button fix = null;
        if (analysis == null || analysis.status() == NodeAnalysis.Status.BLOCKED) {
            getChildren().add(label("output unknown", "node-muted", 10, HEADER + 24, WIDTH - 20));
        } else if (analysis.ok()) {
            String origin = transfer && analysis.params() > 0 ? (node.pretrained() ? "pre-trained" : "new") : null;
            String training = analysis.params() > 0 ? trainingMark(node) : null;
            getChildren().add(label("→ " + analysis.shape(), "node-shape", 10, HEADER + 24,
                    WIDTH - 20 - (origin == null ? 0 : MARK_WIDTH + 4)));
            getChildren().add(label(String.format(Locale.ROOT, "%,d params", analysis.params()), "node-params",
                    10, HEADER + 44, WIDTH - 20 - (training == null ? 0 : MARK_WIDTH + 4)));
            if (origin != null) {
                Label m = mark(origin, node.pretrained() ? "mark-pretrained" : "mark-new", HEADER + 25);
                Tooltip.install(m, new Tooltip(node.pretrained() ? "Its weights start from " + node.weightsFrom()
                        : "Its weights start new (random)"));
                getChildren().add(m);
            }
            if (training != null) {
                Label m = mark(training, node.trainable() ? "mark-adapted" : "mark-frozen", HEADER + 45);
                Tooltip.install(m, new Tooltip(!node.trainable() ? "Frozen: training leaves its weights as they are"
                        : training.startsWith("LoRA") ? "Only its low-rank adapters train; its weights stay as they are"
                        : "Trains at " + training.substring(4) + " the run's learning rate"));
                getChildren().add(m);
            }
        } else {
            getChildren().add(label("⚠ " + shortProblem(analysis.message(), node.name()), "node-problem",
                    10, HEADER + 24, WIDTH - 20));
            if (analysis.fix().isPresent()) {
                fix = new Button("Fix: " + analysis.fix().get().description().replaceFirst(" before .*$", ""));
                fix.getStyleClass().addAll("node-fix", "small");
                fix.setMnemonicParsing(false);
                fix.setFocusTraversable(false);
                fix.relocate(10, HEADER + 43);
                getChildren().add(fix);
            }
        }
        fixButton = fix;
        if (analysis != null && !analysis.ok()) {
            Tooltip tip = new Tooltip(analysis.message());
            tip.setWrapText(true);
            tip.setMaxWidth(360);
            tip.setShowDelay(Duration.millis(300));
            Tooltip.install(this, tip);
        }

        for (int i = 0; i < inputPorts; i++) {
            Circle c = port("input-port");
            c.setCenterX(0);
            c.setCenterY(inputY(i, inputPorts));
            inputs.add(c);
        }
        if (hasOutput) {
            output = port("output-port");
            output.setCenterX(WIDTH);
            output.setCenterY(outputY());
        } else {
            output = null;
        }
        getChildren().addAll(inputs);
        if (output != null) getChildren().add(output);
        if (!node.trainable()) getStyleClass().add("frozen");
        if (node.pretrained()) getStyleClass().add("pretrained");
        relocate(node.x(), node.y());
        // drawn once into a bitmap: panning and dragging then only move bitmaps (see docs/performance.md)
        setCache(true);
        setCacheHint(javafx.scene.CacheHint.QUALITY);
    }

    private static final double MARK_WIDTH = 76;

    /** How the layer trains when that is not simply "all its weights at the run's rate", or null. */
    static String trainingMark(Node node) {
        if (!node.trainable()) return "frozen";
        int rank = node.params().asMap().containsKey(LowRankAdapters.RANK) ? LowRankAdapters.rank(node.params()) : 0;
        if (rank > 0) return "LoRA r" + rank;
        double m = node.training().rateMultiplier();
        if (m != 1) return "lr ×" + (m == Math.rint(m) ? String.valueOf((long) m) : String.valueOf(m));
        return null;
    }

    private static Label mark(String text, String styleClass, double y) {
        Label l = new Label(text);
        l.getStyleClass().addAll("node-mark", styleClass);
        l.setAlignment(javafx.geometry.Pos.CENTER);
        l.setManaged(false);
        l.relocate(WIDTH - 8 - MARK_WIDTH, y);
        l.resize(MARK_WIDTH, 16);
        return l;
    }

    /** A word-sized picture laid on the layer's box (a sparkline of how it learns), or null; apart from the decoration. */
    private javafx.scene.Node badge;
    static final double BADGE_WIDTH = 64;
    static final double BADGE_HEIGHT = 16;

    /**
     * Shows {@code b} (at most {@link #BADGE_WIDTH} × {@link #BADGE_HEIGHT}) at the right of the parameter row, or
     * above the box where a training mark takes that place; null takes the badge away.
     */
    void setBadge(javafx.scene.Node b) {
        if (b == badge) return;
        if (badge != null) getChildren().remove(badge);
        badge = b;
        if (b == null) return;
        b.setManaged(false);
        boolean markThere = analysis != null && analysis.ok() && analysis.params() > 0 && trainingMark(node) != null;
        b.relocate(WIDTH - 8 - BADGE_WIDTH, markThere ? -BADGE_HEIGHT - 2 : HEADER + 46);
        getChildren().add(b);
    }

    javafx.scene.Node badge() {
        return badge;
    }

    /** The marks this view shows (where the weights start, how it trains), for tests and tooltips. */
    List<String> marks() {
        return getChildren().stream().filter(c -> c.getStyleClass().contains("node-mark"))
                .map(c -> ((Label) c).getText()).toList();
    }

    private Circle port(String styleClass) {
        Circle c = new Circle(PORT_RADIUS);
        c.getStyleClass().addAll("port", styleClass);
        c.setManaged(false);
        return c;
    }

    /** The width of a text in the canvas's font at that weight and size (graph.css's node-name and node-type). */
    private static double textWidth(String text, FontWeight weight, double size) {
        Text t = new Text(text);
        t.setFont(Font.font(Font.getDefault().getFamily(), weight, size));
        return t.getLayoutBounds().getWidth();
    }

    private static Label label(String text, String styleClass, double x, double y, double width) {
        Label l = new Label(text);
        l.getStyleClass().add(styleClass);
        l.setTextOverrun(OverrunStyle.ELLIPSIS);
        l.setMaxWidth(width);
        l.setManaged(false);
        l.relocate(x, y);
        l.resize(width, 18);
        return l;
    }

    /** The problem without the leading "name (Type): " that the header already shows. */
    static String shortProblem(String message, String name) {
        int colon = message.indexOf("): ");
        return message.startsWith(name) && colon > 0 ? message.substring(colon + 3) : message;
    }

    static double inputY(int port, int count) {
        double top = HEADER + 10;
        double bottom = HEIGHT - 12;
        return count == 1 ? outputY() : top + (bottom - top) * port / (count - 1);
    }

    static double outputY() {
        return (HEADER + HEIGHT) / 2;
    }

    /** Port centre in world coordinates, from the node's current place (it may be mid-drag). */
    Point2D inputPoint(int port) {
        return new Point2D(getLayoutX(), getLayoutY() + inputY(Math.min(port, Math.max(0, inputPorts - 1)), Math.max(1, inputPorts)));
    }

    Point2D outputPoint() {
        return new Point2D(getLayoutX() + WIDTH, getLayoutY() + outputY());
    }

    /** The box in world coordinates, from the node's current place. */
    javafx.geometry.Bounds box() {
        return new javafx.geometry.BoundingBox(getLayoutX(), getLayoutY(), WIDTH, HEIGHT);
    }

    /** Same layer (wherever it stands) and same analysis: the view can be kept and just moved. */
    boolean shows(Node n, NodeAnalysis a, int ports, boolean transfer) {
        return n.withPosition(0, 0).equals(node.withPosition(0, 0)) && java.util.Objects.equals(a, analysis)
                && ports == inputPorts && transfer == this.transfer;
    }

    void moveTo(Node n) {
        node = n;
        relocate(n.x(), n.y());
    }

    private javafx.scene.Node decoration;

    /** A picture hung under the box (what the layer made of a sample); null removes it. */
    void setDecoration(javafx.scene.Node picture) {
        if (decoration != null) getChildren().remove(decoration);
        decoration = picture;
        if (picture == null) return;
        picture.setManaged(false);
        picture.relocate(0, HEIGHT + 4);
        getChildren().add(picture);
    }

    javafx.scene.Node decoration() {
        return decoration;
    }

    void setSelected(boolean selected) {
        pseudoClassStateChanged(javafx.css.PseudoClass.getPseudoClass("selected"), selected);
    }
}
