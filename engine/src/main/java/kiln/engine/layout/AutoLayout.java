package kiln.engine.layout;

import kiln.engine.edit.GraphEdits.Position;
import kiln.engine.model.Edge;
import kiln.engine.model.ModelGraph;
import kiln.engine.model.Node;
import org.eclipse.elk.alg.layered.options.LayeredMetaDataProvider;
import org.eclipse.elk.alg.layered.options.LayeredOptions;
import org.eclipse.elk.alg.layered.options.WrappingStrategy;
import org.eclipse.elk.core.RecursiveGraphLayoutEngine;
import org.eclipse.elk.core.data.LayoutMetaDataService;
import org.eclipse.elk.core.options.CoreOptions;
import org.eclipse.elk.core.options.Direction;
import org.eclipse.elk.core.util.BasicProgressMonitor;
import org.eclipse.elk.graph.ElkNode;
import org.eclipse.elk.graph.util.ElkGraphUtil;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Arranges a model graph in layers with the Eclipse Layout Kernel's layered algorithm (Sugiyama style:
 * few crossings, edges pointing one way). Pure and headless, so the app runs it off the JavaFX thread on a
 * copy of the graph.
 */
public final class AutoLayout {

    public enum Orientation { LEFT_TO_RIGHT, TOP_TO_BOTTOM }

    /** Width and height of a layer's box on the canvas. */
    public record Size(double width, double height) { }

    private static boolean registered;

    private AutoLayout() { }

    private static synchronized void register() {
        if (!registered) {
            LayoutMetaDataService.getInstance().registerLayoutMetaDataProviders(new LayeredMetaDataProvider());
            registered = true;
        }
    }

    /**
     * New top-left positions for every layer, the whole drawing starting at (originX, originY).
     * @param sizes box size per layer name; layers missing from the map use {@code fallback}
     */
    public static Map<String, Position> compute(ModelGraph graph, Orientation orientation,
                                                Map<String, Size> sizes, Size fallback,
                                                double originX, double originY) {
        return compute(graph, orientation, sizes, fallback, originX, originY, 0);
    }

    /**
     * As above; with a positive {@code aspectRatio} (width / height of the view) a long chain is wrapped into
     * several rows (or columns) so that the drawing fits that shape, as text wraps in a paragraph.
     */
    public static Map<String, Position> compute(ModelGraph graph, Orientation orientation,
                                                Map<String, Size> sizes, Size fallback,
                                                double originX, double originY, double aspectRatio) {
        register();
        ElkNode root = ElkGraphUtil.createGraph();
        root.setProperty(CoreOptions.ALGORITHM, LayeredOptions.ALGORITHM_ID);
        root.setProperty(CoreOptions.DIRECTION,
                orientation == Orientation.LEFT_TO_RIGHT ? Direction.RIGHT : Direction.DOWN);
        root.setProperty(LayeredOptions.SPACING_NODE_NODE, 40.0);
        root.setProperty(LayeredOptions.SPACING_NODE_NODE_BETWEEN_LAYERS, 90.0);
        root.setProperty(LayeredOptions.SPACING_EDGE_NODE_BETWEEN_LAYERS, 20.0);
        if (aspectRatio > 0) {
            root.setProperty(LayeredOptions.WRAPPING_STRATEGY, WrappingStrategy.MULTI_EDGE);
            root.setProperty(CoreOptions.ASPECT_RATIO, aspectRatio);
        }
        root.setProperty(CoreOptions.PADDING, new org.eclipse.elk.core.math.ElkPadding(0));

        Map<String, ElkNode> boxes = new HashMap<>();
        List<Node> nodes = graph.nodes();
        for (Node n : nodes) {
            ElkNode box = ElkGraphUtil.createNode(root);
            Size s = sizes.getOrDefault(n.name(), fallback);
            box.setDimensions(s.width(), s.height());
            box.setIdentifier(n.name());
            boxes.put(n.name(), box);
        }
        for (Edge e : graph.edges()) {
            ElkGraphUtil.createSimpleEdge(boxes.get(e.from()), boxes.get(e.to()));
        }
        new RecursiveGraphLayoutEngine().layout(root, new BasicProgressMonitor());

        Map<String, Position> result = new LinkedHashMap<>();
        for (Node n : nodes) {
            ElkNode box = boxes.get(n.name());
            result.put(n.name(), new Position(Math.round(originX + box.getX()), Math.round(originY + box.getY())));
        }
        return result;
    }
}
