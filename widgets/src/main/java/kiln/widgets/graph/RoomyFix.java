package kiln.widgets.graph;

import kiln.engine.catalog.SuggestedFix;
import kiln.engine.edit.GraphEdit;
import kiln.engine.edit.GraphEdits;
import kiln.engine.model.Edge;
import kiln.engine.model.ModelGraph;
import kiln.engine.model.Node;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;

/**
 * A one-click fix laid out on the canvas: the inserted layer (e.g. Flatten) goes where the layer it repairs
 * stood, and that layer with everything after it moves one step along the flow, so no box lands on another
 * and no connection curls back. Where there is already room between the two layers nothing moves. The
 * insertion and the moves are one undoable step.
 */
final class RoomyFix {

    /** Room between boxes: the auto-layout's spacing between layers (90) and within a layer (40). */
    private static final double STEP_X = NodeView.WIDTH + 90;
    private static final double STEP_Y = NodeView.HEIGHT + 40;

    private RoomyFix() { }

    static GraphEdit command(ModelGraph graph, String layer, SuggestedFix fix) {
        GraphEdit insert = GraphEdits.applyFix(graph, layer, fix);
        ModelGraph after = insert.result();
        Node added = after.nodes().stream().filter(n -> graph.find(n.name()).isEmpty()).findFirst().orElseThrow();
        if (!overlapsAnother(after, added)) return insert;
        Node target = after.node(layer);
        double[] step = step(after, target);
        Set<String> moved = downstream(after, layer);
        return new GraphEdit(insert.description(), graph, g -> {
            g.setContents(after);
            g.replace(added.withPosition(target.x(), target.y()));
            for (String name : moved) {
                Node n = g.node(name);
                g.replace(n.withPosition(n.x() + step[0], n.y() + step[1]));
            }
        });
    }

    private static boolean overlapsAnother(ModelGraph g, Node n) {
        return g.nodes().stream().anyMatch(o -> o != n && Math.abs(o.x() - n.x()) < NodeView.WIDTH + 20
                && Math.abs(o.y() - n.y()) < NodeView.HEIGHT + 20);
    }

    /**
     * One step along the flow at the target: down when it feeds a layer below it (a top-to-bottom layout),
     * else to the right, as far as the gap to the next layer in the row when that is wider.
     */
    private static double[] step(ModelGraph g, Node target) {
        Optional<Node> next = g.outputsOf(target.name()).stream().map(e -> g.node(e.to())).findFirst();
        if (next.isPresent()) {
            double dx = next.get().x() - target.x();
            double dy = next.get().y() - target.y();
            if (Math.abs(dy) > Math.abs(dx) && dy > 0) return new double[] {0, Math.max(STEP_Y, dy)};
            if (dx > 0 && Math.abs(dy) < NodeView.HEIGHT) return new double[] {Math.max(STEP_X, dx), 0};
        }
        return new double[] {STEP_X, 0};
    }

    /** The layer and every layer it feeds, directly or not. */
    private static Set<String> downstream(ModelGraph g, String start) {
        Set<String> seen = new LinkedHashSet<>();
        Deque<String> todo = new ArrayDeque<>(Set.of(start));
        while (!todo.isEmpty()) {
            String n = todo.pop();
            if (seen.add(n)) g.outputsOf(n).stream().map(Edge::to).forEach(todo::push);
        }
        return seen;
    }
}
