package kiln.engine.model;

import kiln.engine.catalog.SuggestedFix;
import kiln.engine.shape.TensorShape;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ShapeInferenceTest {

    private static final Map<String, Object> NONE = Map.of();

    @Test
    void kerasMnistNetworkGetsEveryShape() {
        GraphAnalysis a = ShapeInference.analyze(Graphs.kerasMnist());

        assertTrue(a.isValid(), a.problems().toString());
        assertEquals(List.of("input", "conv1", "pool1", "conv2", "pool2", "conv3", "flatten", "dense1", "output"), a.order());
        assertEquals(List.of("28×28×1", "26×26×32", "13×13×32", "11×11×64", "5×5×64", "3×3×64", "576", "64", "10"),
                a.order().stream().map(n -> a.get(n).shape().toString()).toList());
        assertEquals(93_322, a.totalParams());
    }

    @Test
    void aKernelLargerThanItsInputIsExplainedWithAFix() {
        ModelGraph g = Graphs.start().then("in", "input", Map.of("height", 4, "width", 4, "channels", 16))
                .then("conv2", "conv2d", Map.of("kernel", 5)).then("flat", "flatten", NONE)
                .then("out", "output", NONE).build();

        NodeAnalysis conv = ShapeInference.analyze(g).get("conv2");

        assertEquals(NodeAnalysis.Status.ERROR, conv.status());
        assertEquals("conv2 (Conv2D): output would be 0×0 for input 4×4×16 with kernel 5; "
                + "use padding 'same' or a smaller kernel", conv.message());
    }

    @Test
    void denseAfterAnImageSuggestsInsertingFlattenAndLaterLayersWait() {
        ModelGraph g = Graphs.start().then("input", "input", NONE).then("conv1", "conv2d", NONE)
                .then("dense1", "dense", NONE).then("output", "output", NONE).build();

        GraphAnalysis a = ShapeInference.analyze(g);

        NodeAnalysis dense = a.get("dense1");
        assertEquals(NodeAnalysis.Status.ERROR, dense.status());
        assertTrue(dense.message().startsWith("dense1 (Dense): expects a flat vector but received the image 26×26×32"),
                dense.message());
        assertTrue(dense.message().contains("insert a Flatten"), dense.message());
        assertEquals(new SuggestedFix("flatten", "Insert Flatten before dense1"), dense.fix().orElseThrow());
        NodeAnalysis out = a.get("output");
        assertEquals(NodeAnalysis.Status.BLOCKED, out.status());
        assertEquals("output (Output): waits for dense1, which has a problem; fix that layer first", out.message());
        assertEquals(List.of(dense.message()), a.problems(), "blocked layers are not reported as problems of their own");
    }

    @Test
    void addWithDifferentShapesNamesBothShapes() {
        ModelGraph g = Graphs.start().then("in", "input", NONE)
                .then("a", "conv2d", Map.of("filters", 16)).from("in").then("b", "conv2d", Map.of("filters", 32))
                .then("sum", "add", NONE).connect("a", "sum", 1)
                .then("gap", "global_avg_pool", NONE).then("out", "output", NONE).build();

        NodeAnalysis sum = ShapeInference.analyze(g).get("sum");

        assertEquals("sum (Add): inputs must have the same shape, but input 1 is 26×26×32 and input 2 is 26×26×16; "
                + "change a layer on one branch (e.g. its filters or stride) so that they match", sum.message());
    }

    @Test
    void concatNeedsMatchingSpatialSize() {
        ModelGraph g = Graphs.start().then("in", "input", NONE)
                .then("a", "conv2d", NONE).from("in").then("b", "conv2d", Map.of("padding", "same"))
                .then("cat", "concat", NONE).connect("a", "cat", 1)
                .then("gap", "global_avg_pool", NONE).then("out", "output", NONE).build();

        String m = ShapeInference.analyze(g).get("cat").message();

        assertTrue(m.startsWith("cat (Concat): inputs must match in all but the last axis, but input 1 is 28×28×32 "
                + "and input 2 is 26×26×32"), m);
    }

    @Test
    void aResidualBlockIsValid() {
        ModelGraph g = Graphs.start().then("in", "input", Map.of("height", 32, "width", 32, "channels", 3))
                .then("stem", "conv2d", Map.of("filters", 16, "padding", "same"))
                .then("c1", "conv2d", Map.of("filters", 16, "padding", "same"))
                .then("bn", "batch_norm", NONE)
                .then("c2", "conv2d", Map.of("filters", 16, "padding", "same", "activation", "linear"))
                .then("skip", "add", NONE).connect("stem", "skip", 1)
                .then("relu", "activation", NONE).then("gap", "global_avg_pool", NONE)
                .then("out", "output", NONE).build();

        GraphAnalysis a = ShapeInference.analyze(g);

        assertTrue(a.isValid(), a.problems().toString());
        assertEquals(TensorShape.image(32, 32, 16), a.get("skip").shape());
        assertEquals(TensorShape.vector(16), a.get("gap").shape());
    }

    @Test
    void aCycleIsReportedWithItsPath() {
        ModelGraph g = Graphs.start().then("in", "input", Map.of("kind", "vector", "size", 8))
                .add("a", "dense", NONE).add("b", "dense", Map.of("units", 8))
                .connect("a", "b", 0).connect("b", "a", 0).then("out", "output", NONE).connect("b", "out", 0).build();

        GraphAnalysis a = ShapeInference.analyze(g);

        assertEquals("a (Dense): is part of a cycle (a → b → a); data must flow one way, so remove one of these connections",
                a.get("a").message());
        assertEquals(NodeAnalysis.Status.ERROR, a.get("b").status());
        assertFalse(a.isValid());
    }

    @Test
    void unconnectedAndOverconnectedInputsAreExplained() {
        ModelGraph g = Graphs.start().then("in", "input", Map.of("kind", "vector", "size", 8))
                .add("lonely", "dense", NONE)
                .then("d", "dense", NONE).connect("in", "d", 0).then("out", "output", NONE)
                .add("sum", "add", NONE).connect("in", "sum", 0).build();
        g.connect(new Edge("d", "out", 1));

        GraphAnalysis a = ShapeInference.analyze(g);

        assertEquals("lonely (Dense): needs an input but nothing is connected; drag a connection from another layer's "
                + "output to it", a.get("lonely").message());
        assertEquals("sum (Add): needs at least 2 inputs but only 1 is connected; drag a connection from another "
                + "layer's output to it", a.get("sum").message());
        assertTrue(a.get("out").message().startsWith("out (Output): takes one input but 2 are connected"),
                a.get("out").message());
    }

    @Test
    void wholeGraphProblemsAreListed() {
        assertEquals(List.of("The network has no Input layer; drag one from the palette to start.",
                        "The network has no Output layer; add one at the end to say what it predicts."),
                ShapeInference.analyze(new ModelGraph()).graphProblems());

        ModelGraph g = Graphs.start().then("in", "input", Map.of("kind", "vector", "size", 8))
                .then("out", "output", NONE).from("in").then("out2", "output", NONE).from("in").then("extra", "dense", NONE).build();
        List<String> p = ShapeInference.analyze(g).graphProblems();
        assertEquals(List.of("The network has 2 Output layers; Kiln trains one, so remove the others.",
                "extra (Dense): its output goes nowhere; connect it to a later layer or delete it."), p);
    }

    @Test
    void analysisNeverChangesTheGraph() {
        ModelGraph g = Graphs.start().then("input", "input", NONE).then("conv1", "conv2d", NONE)
                .then("dense1", "dense", NONE).build();
        List<Node> nodes = g.nodes();
        List<Edge> edges = List.copyOf(g.edges());

        ShapeInference.analyze(g);

        assertEquals(nodes, g.nodes());
        assertEquals(edges, g.edges());
    }
}
