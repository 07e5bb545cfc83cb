package kiln.engine.catalog;

import kiln.engine.model.GraphAnalysis;
import kiln.engine.model.Graphs;
import kiln.engine.model.ModelGraph;
import kiln.engine.model.ShapeInference;
import kiln.engine.nn.Network;
import kiln.engine.nn.NetworkSpec;
import kiln.engine.nn.Param;
import kiln.engine.nn.Parameters;
import kiln.engine.shape.TensorShape;
import kiln.engine.train.NetworkCompiler;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;

import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Each layer's engine build agrees with the catalog: the same number of weights, and a forward pass whose
 * output has the size that shape inference promised.
 */
class EngineMappingTest {

    private static final Map<String, Object> NONE = Map.of();

    static Stream<Arguments> graphs() {
        Map<String, Object> img = Map.of("height", 12, "width", 10, "channels", 3);
        Map<String, Object> seq = Map.of("kind", "sequence", "length", 7, "features", 5);
        Map<String, Object> tokens = Map.of("kind", "sequence", "length", 6, "features", 1);
        return Stream.of(
                Arguments.of("dense", Graphs.start().then("in", "input", Map.of("kind", "vector", "size", 20))
                        .then("layer", "dense", Map.of("units", 7)).then("out", "output", Map.of("units", 3)).build()),
                Arguments.of("conv2d", Graphs.start().then("in", "input", img)
                        .then("layer", "conv2d", Map.of("filters", 4, "kernel", 3, "stride", 2, "padding", "same"))
                        .then("flat", "flatten", NONE).then("out", "output", Map.of("units", 3)).build()),
                Arguments.of("maxpool2d", Graphs.start().then("in", "input", img)
                        .then("layer", "maxpool2d", NONE).then("flat", "flatten", NONE).then("out", "output", Map.of("units", 3)).build()),
                Arguments.of("avgpool2d", Graphs.start().then("in", "input", img)
                        .then("layer", "avgpool2d", Map.of("pool", 3, "stride", 1)).then("flat", "flatten", NONE)
                        .then("out", "output", Map.of("units", 3)).build()),
                Arguments.of("global_avg_pool", Graphs.start().then("in", "input", img)
                        .then("layer", "global_avg_pool", NONE).then("out", "output", Map.of("units", 3)).build()),
                Arguments.of("batch_norm", Graphs.start().then("in", "input", img)
                        .then("layer", "batch_norm", NONE).then("flat", "flatten", NONE).then("out", "output", Map.of("units", 3)).build()),
                Arguments.of("dropout", Graphs.start().then("in", "input", Map.of("kind", "vector", "size", 20))
                        .then("layer", "dropout", NONE).then("out", "output", Map.of("units", 3)).build()),
                Arguments.of("activation", Graphs.start().then("in", "input", img)
                        .then("layer", "activation", Map.of("function", "leaky_relu")).then("flat", "flatten", NONE)
                        .then("out", "output", Map.of("units", 3)).build()),
                Arguments.of("add", Graphs.start().then("in", "input", img)
                        .then("a", "conv2d", Map.of("filters", 4, "padding", "same")).from("in")
                        .then("b", "conv2d", Map.of("filters", 4, "kernel", 1))
                        .then("layer", "add", NONE).connect("a", "layer", 1)
                        .then("flat", "flatten", NONE).then("out", "output", Map.of("units", 3)).build()),
                Arguments.of("concat", Graphs.start().then("in", "input", img)
                        .then("a", "conv2d", Map.of("filters", 4, "padding", "same")).from("in")
                        .then("b", "conv2d", Map.of("filters", 6, "kernel", 1))
                        .then("layer", "concat", NONE).connect("a", "layer", 1)
                        .then("gap", "global_avg_pool", NONE).then("out", "output", Map.of("units", 3)).build()),
                Arguments.of("lstm", Graphs.start().then("in", "input", seq)
                        .then("layer", "lstm", Map.of("units", 9)).then("out", "output", Map.of("units", 3)).build()),
                Arguments.of("lstm", Graphs.start().then("in", "input", seq)
                        .then("layer", "lstm", Map.of("units", 9, "returnSequences", true)).then("flat", "flatten", NONE)
                        .then("out", "output", Map.of("units", 3)).build()),
                Arguments.of("embedding", Graphs.start().then("in", "input", tokens)
                        .then("layer", "embedding", Map.of("vocabulary", 50, "dimensions", 4))
                        .then("lstm", "lstm", Map.of("units", 8)).then("out", "output", Map.of("units", 3)).build()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("graphs")
    void theEngineAgreesWithTheCatalog(String typeId, ModelGraph graph) {
        GraphAnalysis analysis = ShapeInference.analyze(graph);
        assertTrue(analysis.isValid(), analysis.problems().toString());

        NetworkSpec spec = NetworkCompiler.compile(graph, analysis);

        for (String name : analysis.order()) {
            long weights = spec.params().stream().filter(p -> p.name().startsWith(name + ".")).mapToLong(Param::size).sum();
            assertEquals(analysis.get(name).params(), weights, "weights of " + name);
        }
        assertEquals(analysis.totalParams(), spec.params().stream().mapToLong(Param::size).sum(), "all weights");
        Parameters params = new Parameters(spec.params(), DataType.FLOAT);
        params.initialise(1);
        TensorShape inShape = analysis.get("in").shape();
        float[] input = new float[(int) (2 * inShape.elementCount())];
        for (int i = 0; i < input.length; i++) input[i] = typeId.equals("embedding") ? (i * 7) % 50 : (float) Math.sin(i);
        try (Network net = new Network(spec, params)) {
            float[] out = net.layerOutputs(input, 2).get("layer");
            assertEquals(2 * analysis.get("layer").shape().elementCount(), out.length, "forward size of " + typeId);
            for (float v : out) assertTrue(Float.isFinite(v), typeId + " gives finite values");
        }
    }
}
