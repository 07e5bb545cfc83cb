package kiln.engine.catalog;

import java.util.List;
import java.util.Map;

/**
 * What a layer needs to describe itself as ONNX operators (opset 13); the ONNX exporter implements it.
 * Tensors are referred to by name. Images are NCHW, vectors (N, size), sequences (N, steps, features), as the engine.
 */
public interface OnnxGraph {

    /** The tensors feeding this layer, in port order. */
    List<String> inputs();

    /** This layer's trained parameters. */
    LayerWeights weights();

    /** Adds a float constant named after the layer, e.g. "conv1/weight"; returns its tensor name. */
    String floats(String suffix, float[] values, long... dims);

    /**
     * Adds one operator; attributes are Integer, Float, String, int[] or float[].
     * @return the name of its output tensor
     */
    String node(String opType, List<String> inputs, Map<String, Object> attributes);

    default String node(String opType, String input) {
        return node(opType, List.of(input), Map.of());
    }
}
