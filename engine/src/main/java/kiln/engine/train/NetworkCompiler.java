package kiln.engine.train;

import kiln.engine.model.Edge;
import kiln.engine.model.GraphAnalysis;
import kiln.engine.model.ModelGraph;
import kiln.engine.model.Node;
import kiln.engine.nn.NetworkBuilder;
import kiln.engine.nn.NetworkSpec;
import kiln.engine.nn.Tensor;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Turns a valid Kiln graph into the engine's network: each layer of the catalog builds itself from primitives. */
public final class NetworkCompiler {

    private NetworkCompiler() { }

    /** @param analysis the graph's shape inference, which must be valid */
    public static NetworkSpec compile(ModelGraph graph, GraphAnalysis analysis) {
        if (!analysis.isValid()) {
            throw new IllegalArgumentException("the network cannot be built: " + analysis.firstProblem().orElseThrow());
        }
        NetworkBuilder network = new NetworkBuilder();
        Map<String, Tensor> outputs = new HashMap<>();
        for (String name : analysis.order()) {
            Node node = graph.node(name);
            List<Tensor> inputs = graph.inputsOf(name).stream().map(Edge::from).map(outputs::get).toList();
            Tensor out = node.type().build(network.layer(name, node.training()), inputs, analysis.get(name).inputShapes(), node.params());
            outputs.put(name, out);
            network.layerOutput(name, out);
        }
        return network.build();
    }
}
