package kiln.engine.model;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ModelGraphTest {

    @Test
    void removingALayerRemovesAndReturnsItsConnections() {
        ModelGraph g = Graphs.kerasMnist();

        List<Edge> removed = g.remove("pool1");

        assertEquals(List.of(new Edge("conv1", "pool1", 0), new Edge("pool1", "conv2", 0)), removed);
        assertTrue(g.find("pool1").isEmpty());
        assertTrue(g.edges().stream().noneMatch(e -> e.from().equals("pool1") || e.to().equals("pool1")));
    }

    @Test
    void renamingKeepsConnectionsAndOrder() {
        ModelGraph g = Graphs.kerasMnist();

        g.rename("conv2", "features");

        assertEquals("features", g.nodes().get(3).name());
        assertEquals(List.of(new Edge("pool1", "features", 0)), g.inputsOf("features"));
        assertEquals(List.of(new Edge("features", "pool2", 0)), g.outputsOf("features"));
        assertTrue(ShapeInference.analyze(g).isValid());
    }

    @Test
    void connectingToAnOccupiedPortReplacesAndReturnsTheOldConnection() {
        ModelGraph g = Graphs.kerasMnist();

        Optional<Edge> old = g.connect(new Edge("input", "pool1", 0));

        assertEquals(Optional.of(new Edge("conv1", "pool1", 0)), old);
        assertEquals(List.of(new Edge("input", "pool1", 0)), g.inputsOf("pool1"));
    }

    @Test
    void namesMustBeValidAndUnique() {
        ModelGraph g = Graphs.kerasMnist();

        assertEquals(Optional.of("a layer named 'conv1' already exists"), g.checkName("conv1"));
        assertTrue(g.checkName("2nd layer").orElseThrow().contains("not a valid layer name"));
        assertEquals(Optional.empty(), g.checkName("conv_4"));
        assertEquals("conv2d_1", g.freshName(kiln.engine.catalog.LayerCatalog.get("conv2d")));
        assertThrows(IllegalArgumentException.class, () -> g.rename("conv1", "conv2"));
    }

    @Test
    void summaryListsShapesParametersAndSources() {
        ModelGraph g = Graphs.start().then("in", "input", Map.of("kind", "vector", "size", 4))
                .then("a", "dense", Map.of("units", 3)).from("in").then("b", "dense", Map.of("units", 5))
                .then("cat", "concat", Map.of()).connect("a", "cat", 1).then("out", "output", Map.of("units", 2)).build();

        ModelSummary s = ModelSummary.of(g);

        assertEquals("b, a", s.rows().get(3).connectedTo());
        assertEquals("8", s.rows().get(3).outputShape());
        assertEquals(4 * 3 + 3 + 4 * 5 + 5 + 8 * 2 + 2, s.totalParams());
        String text = s.toText();
        assertTrue(text.startsWith("Layer (type)"), text);
        assertTrue(text.contains("Output Shape") && text.contains("Param #") && text.contains("Connected to"), text);
        assertTrue(text.contains("cat (Concat)  8                   0  b, a"), text);
        assertTrue(text.contains("Total params: 58 (232 B)"), text);
    }

    @Test
    void summaryOfTheKerasNetworkCountsBatchNormStatisticsAsNonTrainable() {
        ModelGraph g = Graphs.start().then("in", "input", Map.of("kind", "vector", "size", 4))
                .then("bn", "batch_norm", Map.of()).then("out", "output", Map.of("units", 2)).build();

        ModelSummary s = ModelSummary.of(g);

        assertEquals(16 + 10, s.totalParams());
        assertEquals(8, s.nonTrainableParams());
        assertEquals(18, s.trainableParams());
    }
}
