package kiln.engine.nn;

import java.util.List;
import java.util.Map;

/**
 * A network as the catalog's layers composed it: primitives in an order where each comes after its inputs,
 * the values fed from outside (input, targets), the logits, the prediction, the loss and every parameter.
 * Independent of any batch size; {@link Plan} makes it executable.
 *
 * @param layerOutputs the value each layer of the project's graph produces, by layer name
 * @param rateMultipliers the learning-rate multiplier of each learned parameter whose layer learns at another rate
 */
public record NetworkSpec(List<Primitive> primitives, Tensor input, Tensor target, Tensor logits, Tensor output,
                          Tensor loss, LossKind lossKind, List<Param> params, Map<String, Tensor> layerOutputs,
                          Map<String, Double> rateMultipliers) {

    public NetworkSpec {
        primitives = List.copyOf(primitives);
        params = List.copyOf(params);
        layerOutputs = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(layerOutputs)); // in graph order
        rateMultipliers = Map.copyOf(rateMultipliers);
    }

    /** The learning-rate multiplier of a parameter (1 for most). */
    public double rateMultiplier(Param p) {
        return rateMultipliers.getOrDefault(p.name(), 1.0);
    }

    /** Number of output units (classes for softmax). */
    public int outputUnits() {
        return (int) output.dim(0);
    }
}
