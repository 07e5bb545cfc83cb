package kiln.engine.catalog;

import kiln.engine.nn.LayerBuilder;
import kiln.engine.nn.Tensor;
import kiln.engine.params.ParamSpec;
import kiln.engine.shape.TensorShape;

import java.util.List;

public final class Dropout extends LayerType {

    public static final String ID = "dropout";

    public Dropout() {
        super(ID, "Dropout", Category.REGULARIZATION, List.of(
                ParamSpec.decimal("rate", "Rate", 0.5, 0.0, 0.95,
                        "Fraction of values set to zero during training (0.5 drops half).")),
                "During training, sets a random fraction of its inputs to zero (and scales up the rest), so the "
                        + "network cannot rely on any single neuron. This fights overfitting. At test time it does nothing.");
    }

    @Override public String shapeFormula() { return "output = input"; }

    @Override
    public ShapeResult outputShape(List<TensorShape> inputs, Params p) {
        return ShapeResult.ok(inputs.get(0));
    }

    @Override public String subtitle(Params p) { return "rate " + p.getDouble("rate"); }

    @Override
    public Tensor build(LayerBuilder b, List<Tensor> inputs, List<TensorShape> shapes, Params p) {
        return b.dropout(inputs.get(0), p.getDouble("rate"));
    }

    /** Dropout does nothing at inference. */
    @Override
    public String toOnnx(OnnxGraph g, List<TensorShape> inputs, Params p) {
        return g.node("Identity", g.inputs().get(0));
    }

    @Override
    public String toPyTorch(TorchModule m, List<TensorShape> inputs, Params p) {
        m.module("nn.Dropout(" + Activations.py(p.getDouble("rate")) + ")");
        return m.call(m.inputs().get(0));
    }
}
