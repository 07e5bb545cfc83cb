package kiln.engine.catalog;

import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.Layer;

/** How one Kiln layer becomes part of a Deeplearning4j ComputationGraph. */
public sealed interface Dl4jNode {

    /** A network input, fed by the data pipeline. */
    record Input(InputType type) implements Dl4jNode { }

    /** A layer with (possibly) trainable parameters. */
    record LayerNode(Layer layer) implements Dl4jNode { }

    /** A parameter-free vertex: element-wise add, merge, reshape. */
    record Vertex(GraphVertex vertex) implements Dl4jNode { }
}
