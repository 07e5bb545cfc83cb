package kiln.engine.catalog;

import kiln.engine.nn.Init;
import kiln.engine.nn.LayerBuilder;
import kiln.engine.nn.Param;
import kiln.engine.nn.Tensor;
import kiln.engine.shape.TensorShape;

import java.util.List;

/**
 * The rules Dense and Output share, both being a weight matrix and a bias over a flat vector of {@code units}
 * outputs; each layer keeps its own activation, loss and texts.
 */
final class FullyConnected {

    static final String SHAPE_FORMULA = "(n) → (units)";
    static final String PARAM_COUNT_FORMULA = "n × units + units";

    private FullyConnected() { }

    static ShapeResult outputShape(List<TensorShape> inputs, Params p) {
        ShapeResult bad = Inputs.requireVector(inputs.get(0));
        return bad != null ? bad : ShapeResult.ok(TensorShape.vector(p.getInt("units")));
    }

    static long paramCount(List<TensorShape> inputs, Params p) {
        long units = p.getInt("units");
        return inputs.get(0).size() * units + units;
    }

    static long multiplyAdds(List<TensorShape> inputs, Params p) {
        return (long) inputs.get(0).size() * p.getInt("units");
    }

    /** The weighted sum plus bias, before any activation; {@code init} starts the weights for that activation. */
    static Tensor linear(LayerBuilder b, List<Tensor> inputs, List<TensorShape> shapes, Params p, Init init) {
        long in = shapes.get(0).size();
        int units = p.getInt("units");
        Param weight = b.weight("weight", init, units, in);
        Param bias = b.bias("bias", Init.zeros(), units);
        return b.linear(inputs.get(0), weight, bias);
    }
}
