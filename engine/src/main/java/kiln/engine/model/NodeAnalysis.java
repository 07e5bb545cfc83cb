package kiln.engine.model;

import kiln.engine.catalog.SuggestedFix;
import kiln.engine.shape.TensorShape;

import java.util.List;
import java.util.Optional;

/**
 * What shape inference found for one layer.
 * @param status      OK; ERROR when this layer itself has a problem; BLOCKED when an earlier layer has one
 * @param shape       output shape when OK
 * @param inputShapes shapes arriving at the inputs, in port order (empty when not all are known)
 * @param message     for ERROR and BLOCKED: a sentence naming the layer, what it got and how to fix it
 */
public record NodeAnalysis(String name, Status status, TensorShape shape, List<TensorShape> inputShapes,
                           long params, long nonTrainableParams, long multiplyAdds,
                           String message, Optional<SuggestedFix> fix) {

    public enum Status { OK, ERROR, BLOCKED }

    public boolean ok() {
        return status == Status.OK;
    }

    static NodeAnalysis ok(String name, TensorShape shape, List<TensorShape> in, long params, long nonTrainable, long macs) {
        return new NodeAnalysis(name, Status.OK, shape, List.copyOf(in), params, nonTrainable, macs, null, Optional.empty());
    }

    static NodeAnalysis error(String name, String message, Optional<SuggestedFix> fix) {
        return new NodeAnalysis(name, Status.ERROR, null, List.of(), 0, 0, 0, message, fix);
    }

    static NodeAnalysis blocked(String name, String message) {
        return new NodeAnalysis(name, Status.BLOCKED, null, List.of(), 0, 0, 0, message, Optional.empty());
    }
}
