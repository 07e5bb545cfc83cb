package kiln.engine.layout;

import kiln.engine.edit.GraphEdits.Position;
import kiln.engine.model.Edge;
import kiln.engine.model.Graphs;
import kiln.engine.model.ModelGraph;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AutoLayoutTest {

    private static final AutoLayout.Size BOX = new AutoLayout.Size(180, 90);

    @Test
    void leftToRightPutsEveryLayerRightOfItsInputsWithoutOverlap() {
        ModelGraph g = Graphs.kerasMnist();
        Map<String, Position> p = AutoLayout.compute(g, AutoLayout.Orientation.LEFT_TO_RIGHT, Map.of(), BOX, 10, 20);
        assertEquals(g.nodes().size(), p.size());
        for (Edge e : g.edges()) {
            assertTrue(p.get(e.to()).x() >= p.get(e.from()).x() + BOX.width(), e + " points right: " + p);
        }
        assertEquals(10, p.values().stream().mapToDouble(Position::x).min().orElseThrow(), 0.5);
        Set<String> spots = new HashSet<>();
        p.values().forEach(pos -> spots.add(pos.x() + "," + pos.y()));
        assertEquals(p.size(), spots.size(), "no two layers share a place");
    }

    @Test
    void topToBottomWithABranch() {
        ModelGraph g = Graphs.start().then("input", "input", Map.of()).then("a", "dense", Map.of())
                .from("input").then("b", "dense", Map.of()).add("sum", "add", Map.of())
                .connect("a", "sum", 0).connect("b", "sum", 1).build();
        Map<String, Position> p = AutoLayout.compute(g, AutoLayout.Orientation.TOP_TO_BOTTOM, Map.of(), BOX, 0, 0);
        assertTrue(p.get("a").y() > p.get("input").y());
        assertTrue(p.get("sum").y() > p.get("b").y());
        assertEquals(p.get("a").y(), p.get("b").y(), "the two branches share a layer");
        assertTrue(Math.abs(p.get("a").x() - p.get("b").x()) >= BOX.width(), "side by side");
    }

    @Test
    void aLongChainWrapsIntoRowsForAWideView() {
        ModelGraph g = Graphs.kerasMnist();
        Map<String, Position> p = AutoLayout.compute(g, AutoLayout.Orientation.LEFT_TO_RIGHT, Map.of(), BOX, 0, 0, 1.6);
        double width = p.values().stream().mapToDouble(Position::x).max().orElseThrow() + BOX.width();
        double height = p.values().stream().mapToDouble(Position::y).max().orElseThrow() + BOX.height();
        assertTrue(height > BOX.height() * 1.5, "more than one row: " + p);
        assertTrue(width / height < 9 * BOX.width() / BOX.height(), "closer to the view's shape than one row: " + p);
    }
}
