package kiln.engine.catalog;

import java.util.List;

/**
 * What a layer needs to describe itself as PyTorch code; the PyTorch exporter implements it. The layer
 * declares at most one submodule (attribute {@code self.<name>}), gives its trained tensors in PyTorch's
 * layout, and returns the Python expression of its output in forward().
 */
public interface TorchModule {

    /** The layer's Python attribute name, e.g. "conv1". */
    String name();

    /** Python expressions of the tensors feeding this layer (NCHW images), in port order. */
    List<String> inputs();

    LayerWeights weights();

    /** Declares {@code self.<name> = <constructor>} in __init__, e.g. "nn.Linear(784, 128)". */
    void module(String constructor);

    /** The Python of this layer's submodule applied to {@code argument}: "self.<name>(<argument>)". */
    default String call(String argument) {
        return "self." + name() + "(" + argument + ")";
    }

    /** A state-dict entry of this layer's module, e.g. key "weight" becomes "dense1.weight". */
    void tensor(String key, float[] values, long... shape);
}
