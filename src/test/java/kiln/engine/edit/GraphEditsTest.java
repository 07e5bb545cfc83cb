package kiln.engine.edit;

import kiln.engine.catalog.LayerCatalog;
import kiln.engine.catalog.SuggestedFix;
import kiln.engine.model.Edge;
import kiln.engine.model.Graphs;
import kiln.engine.model.ModelGraph;
import kiln.engine.model.ModelSummary;
import kiln.engine.model.NodeAnalysis;
import kiln.engine.model.ShapeInference;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GraphEditsTest {

    private final ModelGraph graph = Graphs.kerasMnist();
    private final CommandStack stack = new CommandStack();

    /** Executes, checks undo restores the start exactly and redo gives the same result again. */
    private void roundTrip(GraphEdit edit) {
        ModelGraph start = graph.copy();
        stack.execute(edit);
        ModelGraph done = graph.copy();
        assertFalse(start.sameContents(done), "the edit changed something");
        stack.undo();
        assertTrue(start.sameContents(graph), "undo restores the graph exactly");
        stack.redo();
        assertTrue(done.sameContents(graph), "redo gives the same result");
    }

    @Test
    void addNodeUsesAFreshNameAndDefaults() {
        GraphEdit add = GraphEdits.addNode(graph, LayerCatalog.get("dense"), 100, 200);
        assertEquals("Add Dense dense_1", add.description());
        roundTrip(add);
        assertEquals(64, graph.node("dense_1").params().getInt("units"));
        assertEquals(100, graph.node("dense_1").x());
        assertEquals(Optional.of("Add Dense dense_1"), stack.undoDescription());
    }

    @Test
    void appendAfterConnectsTheNewLayer() {
        GraphEdit add = GraphEdits.appendAfter(graph, LayerCatalog.get("dropout"), "dense1", 200, 0);
        assertEquals("Add Dropout dropout_1 after dense1", add.description());
        roundTrip(add);
        assertTrue(graph.edges().contains(new Edge("dense1", "dropout_1", 0)));
        assertThrows(IllegalArgumentException.class,
                () -> GraphEdits.appendAfter(graph, LayerCatalog.get("input"), "dense1", 200, 0));
    }

    @Test
    void deleteRemovesTheLayerWithItsConnectionsInOneStep() {
        GraphEdit delete = GraphEdits.removeNodes(graph, List.of("conv2"));
        assertEquals("Delete conv2", delete.description());
        roundTrip(delete);
        assertTrue(graph.find("conv2").isEmpty());
        assertTrue(graph.edges().stream().noneMatch(e -> e.from().equals("conv2") || e.to().equals("conv2")));
        stack.undo();
        assertEquals(Graphs.kerasMnist().nodes(), graph.nodes(), "order and positions come back too");
        assertEquals(Graphs.kerasMnist().edges(), graph.edges());
        assertEquals("Delete 2 layers", GraphEdits.removeNodes(graph, List.of("conv1", "pool1")).description());
        assertThrows(IllegalArgumentException.class, () -> GraphEdits.removeNodes(graph, List.of()));
        assertThrows(IllegalArgumentException.class, () -> GraphEdits.removeNodes(graph, List.of("nope")));
    }

    @Test
    void moveIsOneStepAndAMoveToTheSamePlaceIsDropped() {
        GraphEdit move = GraphEdits.moveNodes(graph, Map.of("conv1", new GraphEdits.Position(10, 20),
                "pool1", new GraphEdits.Position(30, 40)));
        assertEquals("Move 2 layers", move.description());
        roundTrip(move);
        assertEquals(30, graph.node("pool1").x());
        GraphEdit still = GraphEdits.moveNodes(graph, Map.of("conv1", new GraphEdits.Position(10, 20)));
        assertEquals("Move conv1", still.description());
        assertTrue(still.isNoOp());
        assertFalse(stack.execute(still));
    }

    @Test
    void connectReplacingAnEdgeIsUndoneTogether() {
        ModelGraph g = Graphs.start().then("input", "input", Map.of()).then("a", "dense", Map.of())
                .then("b", "dense", Map.of()).from("input").then("c", "dense", Map.of()).build();
        CommandStack s = new CommandStack();
        GraphEdit connect = GraphEdits.connect(g, "c", "b", 0);
        assertEquals("Connect c → b", connect.description());
        s.execute(connect);
        assertEquals(List.of(new Edge("c", "b", 0)), g.inputsOf("b"), "the old edge a → b is replaced");
        s.undo();
        assertEquals(List.of(new Edge("a", "b", 0)), g.inputsOf("b"));
    }

    @Test
    void connectRefusesCyclesSelfLoopsDuplicatesAndMissingPorts() {
        assertEquals(Optional.empty(), GraphEdits.connectProblem(graph, "pool1", "dense1", 0));
        assertTrue(GraphEdits.connectProblem(graph, "dense1", "conv1", 0).orElseThrow().contains("cycle"));
        assertTrue(GraphEdits.connectProblem(graph, "conv1", "conv1", 0).orElseThrow().contains("itself"));
        assertTrue(GraphEdits.connectProblem(graph, "conv1", "pool1", 0).orElseThrow().contains("already"));
        assertTrue(GraphEdits.connectProblem(graph, "conv1", "input", 0).orElseThrow().contains("takes no input"));
        assertTrue(GraphEdits.connectProblem(graph, "conv1", "pool2", 1).orElseThrow().contains("no input 2"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> GraphEdits.connect(graph, "dense1", "conv1", 0));
        assertTrue(e.getMessage().contains("cycle"), e.getMessage());
        // The Output ends the network: it has no output port to connect from.
        assertTrue(GraphEdits.connectProblem(graph, "output", "conv1", 0).orElseThrow().contains("ends the network"));
    }

    @Test
    void disconnectNamesTheConnection() {
        GraphEdit d = GraphEdits.disconnect(graph, List.of(new Edge("conv1", "pool1", 0)));
        assertEquals("Disconnect conv1 → pool1", d.description());
        roundTrip(d);
        assertTrue(graph.inputsOf("pool1").isEmpty());
        assertThrows(IllegalArgumentException.class,
                () -> GraphEdits.disconnect(graph, List.of(new Edge("conv1", "pool1", 0))));
    }

    @Test
    void setParamValidatesThroughTheCatalog() {
        GraphEdit set = GraphEdits.setParam(graph, "conv1", "filters", 16);
        assertEquals("Set conv1 filters to 16", set.description());
        roundTrip(set);
        assertEquals(16, graph.node("conv1").params().getInt("filters"));

        IllegalArgumentException tooBig = assertThrows(IllegalArgumentException.class,
                () -> GraphEdits.setParam(graph, "conv1", "filters", 0));
        assertTrue(tooBig.getMessage().startsWith("conv1: "), tooBig.getMessage());
        assertTrue(tooBig.getMessage().contains("whole number from 1"), tooBig.getMessage());
        assertThrows(IllegalArgumentException.class, () -> GraphEdits.setParam(graph, "conv1", "padding", "wide"));
        assertEquals(16, graph.node("conv1").params().getInt("filters"), "a refused value changes nothing");
        assertTrue(GraphEdits.setParam(graph, "conv1", "filters", 16).isNoOp());
    }

    @Test
    void renameKeepsConnectionsAndRefusesBadNames() {
        GraphEdit r = GraphEdits.rename(graph, "conv1", "features");
        assertEquals("Rename conv1 to features", r.description());
        roundTrip(r);
        assertEquals(List.of(new Edge("input", "features", 0)), graph.inputsOf("features"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> GraphEdits.rename(graph, "features", "pool1"))
                .getMessage().contains("already exists"));
        assertThrows(IllegalArgumentException.class, () -> GraphEdits.rename(graph, "features", "2 bad"));
    }

    @Test
    void pasteGivesFreshNamesAndKeepsInternalConnections() {
        GraphEdits.Fragment copied = GraphEdits.Fragment.of(graph, List.of("conv2", "pool2"));
        assertEquals(List.of(new Edge("conv2", "pool2", 0)), copied.edges(), "only edges inside the selection");
        ModelGraph before = graph.copy();
        GraphEdit paste = GraphEdits.paste(graph, copied, 40, 40, "Paste");
        assertEquals("Paste 2 layers", paste.description());
        assertEquals(List.of("conv4", "pool3"), GraphEdits.pastedNames(before, paste));
        roundTrip(paste);
        assertTrue(graph.edges().contains(new Edge("conv4", "pool3", 0)));
        assertEquals(graph.node("conv2").x() + 40, graph.node("conv4").x());
        assertEquals("Duplicate input", GraphEdits.paste(graph, GraphEdits.Fragment.of(graph, List.of("input")),
                0, 0, "Duplicate").description());
    }

    @Test
    void applyFixInsertsFlattenAndMakesTheGraphValid() {
        ModelGraph g = Graphs.start().then("input", "input", Map.of()).then("conv", "conv2d", Map.of())
                .then("dense1", "dense", Map.of()).then("output", "output", Map.of()).build();
        NodeAnalysis bad = ShapeInference.analyze(g).get("dense1");
        SuggestedFix fix = bad.fix().orElseThrow();
        GraphEdit apply = GraphEdits.applyFix(g, "dense1", fix);
        assertEquals("Insert Flatten before dense1", apply.description());
        CommandStack s = new CommandStack();
        s.execute(apply);
        assertTrue(ShapeInference.analyze(g).isValid(), ShapeInference.analyze(g).problems().toString());
        assertEquals(List.of(new Edge("flatten_1", "dense1", 0)), g.inputsOf("dense1"));
        s.undo();
        assertEquals(NodeAnalysis.Status.ERROR, ShapeInference.analyze(g).get("dense1").status());
    }

    @Test
    void layoutIsOneStep() {
        GraphEdit layout = GraphEdits.applyLayout(graph, Map.of("conv1", new GraphEdits.Position(5, 5)));
        assertEquals("Auto-layout", layout.description());
        roundTrip(layout);
    }

    @Test
    void theKerasNetworkHasItsKnownParameterCount() {
        assertEquals(93_322, ModelSummary.of(graph).totalParams());
    }
    @Test
    void freezingLayersIsOneStepThatUndoRestores() {
        GraphEdit freeze = GraphEdits.setTrainable(graph, List.of("conv1", "pool1", "conv2"), false);
        assertEquals("Freeze 2 layers", freeze.description(), "pool1 has no weights to freeze");
        roundTrip(freeze);
        assertFalse(graph.node("conv1").trainable());
        assertFalse(graph.node("conv2").trainable());
        assertTrue(graph.node("pool1").trainable());
        ModelSummary s = ModelSummary.of(graph);
        long frozen = ShapeInference.analyze(graph).get("conv1").params() + ShapeInference.analyze(graph).get("conv2").params();
        assertEquals(frozen, s.nonTrainableParams());
        assertEquals(s.totalParams() - frozen, s.trainableParams());

        GraphEdit unfreeze = GraphEdits.setTrainable(graph, List.of("conv1"), true);
        assertEquals("Unfreeze conv1", unfreeze.description());
        roundTrip(unfreeze);
        assertTrue(graph.node("conv1").trainable());
        assertFalse(graph.node("conv2").trainable());
        var none = assertThrows(IllegalArgumentException.class, () -> GraphEdits.setTrainable(graph, List.of("pool1"), false));
        assertEquals("pool1 has no weights, so there is nothing to freeze", none.getMessage());
    }

    @Test
    void freezeKeepsTheLayersRateMultiplier() {
        stack.execute(GraphEdits.setRateMultiplier(graph, "dense1", 0.1));
        stack.execute(GraphEdits.setTrainable(graph, List.of("dense1"), false));
        stack.execute(GraphEdits.setTrainable(graph, List.of("dense1"), true));
        assertEquals(0.1, graph.node("dense1").training().rateMultiplier());
    }

    @Test
    void freezeBeforeFreezesEveryWeightedLayerUpstream() {
        GraphEdit edit = GraphEdits.freezeBefore(graph, "dense1");
        assertEquals("Freeze the layers before dense1", edit.description());
        roundTrip(edit);
        for (String frozen : List.of("conv1", "conv2", "conv3")) assertFalse(graph.node(frozen).trainable(), frozen);
        for (String trains : List.of("dense1", "output", "pool1", "flatten")) assertTrue(graph.node(trains).trainable(), trains);
        assertEquals(Optional.of("Freeze the layers before dense1"), stack.undoDescription());
        stack.undo();
        assertTrue(graph.nodes().stream().allMatch(n -> n.trainable()), "one undo step thaws all of them");
        var nothing = assertThrows(IllegalArgumentException.class, () -> GraphEdits.freezeBefore(graph, "conv1"));
        assertEquals("no layer with weights comes before conv1, so there is nothing to freeze", nothing.getMessage());
    }

    @Test
    void rateMultiplierAndStatisticsAreUndoableAndCheckedFirst() {
        GraphEdit rate = GraphEdits.setRateMultiplier(graph, "conv1", 0.25);
        assertEquals("Set conv1 learning-rate multiplier to 0.25", rate.description());
        roundTrip(rate);
        assertEquals(0.25, graph.node("conv1").training().rateMultiplier());
        var zero = assertThrows(IllegalArgumentException.class, () -> GraphEdits.setRateMultiplier(graph, "conv1", 0));
        assertTrue(zero.getMessage().startsWith("conv1: the learning-rate multiplier must be a number above 0"), zero.getMessage());
        GraphEdit stats = GraphEdits.setUpdateStatistics(graph, "conv1", true);
        roundTrip(stats);
        assertTrue(graph.node("conv1").training().updateStatistics());
        assertEquals(0.25, graph.node("conv1").training().rateMultiplier());
    }
    @Test
    void aPretrainedLayerWhoseWeightsNoLongerFitStartsNew() {
        for (String layer : List.of("conv3", "dense1", "output")) {
            graph.replace(graph.node(layer).withWeightsFrom("../mnist-cnn:run-1"));
        }
        GraphEdit wider = GraphEdits.setParam(graph, "dense1", "units", 128);
        roundTrip(wider);
        assertEquals("../mnist-cnn:run-1", graph.node("conv3").weightsFrom(), "conv3 keeps its shape");
        assertEquals(null, graph.node("dense1").weightsFrom(), "128 units do not fit the trained 64");
        assertEquals(null, graph.node("output").weightsFrom(), "its input grew, so its weights changed shape too");
        stack.undo();
        assertEquals("../mnist-cnn:run-1", graph.node("output").weightsFrom());
        roundTrip(GraphEdits.setParam(graph, "dense1", "activation", "tanh"));
        assertEquals("../mnist-cnn:run-1", graph.node("dense1").weightsFrom(), "a new activation keeps the weights");
    }
}
