package kiln.engine.catalog;

import kiln.engine.nn.Init;
import kiln.engine.nn.LayerBuilder;
import kiln.engine.nn.Param;
import kiln.engine.nn.Tensor;
import kiln.engine.params.ParamSpec;
import kiln.engine.shape.TensorShape;

import java.util.List;

public final class Dense extends LayerType {

    public static final String ID = "dense";

    public Dense() {
        super(ID, "Dense", Category.CORE, List.of(
                ParamSpec.integer("units", "Units", 64, 1, 100_000, "Number of neurons, and so the output size."),
                Activations.param("relu", Activations.NAMES)));
    }

    @Override
    public String explanation() {
        return "A fully connected layer: every output is a weighted sum of all inputs plus a bias, passed "
                + "through the activation. It learns combinations of features and is the building block of "
                + "classic multilayer perceptrons. It needs a flat vector, so images go through Flatten first.";
    }

    @Override public String shapeFormula() { return "(n) → (units)"; }
    @Override public String paramCountFormula() { return "n × units + units"; }

    @Override
    public ShapeResult outputShape(List<TensorShape> inputs, Params p) {
        ShapeResult bad = Inputs.requireVector(inputs.get(0));
        return bad != null ? bad : ShapeResult.ok(TensorShape.vector(p.getInt("units")));
    }

    @Override
    public long paramCount(List<TensorShape> inputs, Params p) {
        long units = p.getInt("units");
        return inputs.get(0).size() * units + units;
    }

    @Override
    public long multiplyAdds(List<TensorShape> inputs, Params p, TensorShape output) {
        return (long) inputs.get(0).size() * p.getInt("units");
    }

    @Override
    public String subtitle(Params p) {
        return p.getInt("units") + " units" + Activations.suffix(p.getString("activation"));
    }

    @Override
    public Tensor build(LayerBuilder b, List<Tensor> inputs, List<TensorShape> shapes, Params p) {
        long in = shapes.get(0).size();
        int units = p.getInt("units");
        String activation = p.getString("activation");
        Param weight = b.weight("weight", Activations.init(activation, in, units), units, in);
        Param bias = b.bias("bias", Init.zeros(), units);
        return b.activation(b.linear(inputs.get(0), weight, bias), activation, Activations.LEAKY_ALPHA);
    }

    @Override
    public String toOnnx(OnnxGraph g, List<TensorShape> inputs, Params p) {
        String y = Export.onnxDense(g, inputs.get(0).size(), p.getInt("units"));
        return Activations.onnx(g, y, p.getString("activation"), Activations.LEAKY_ALPHA);
    }

    @Override
    public String toPyTorch(TorchModule m, List<TensorShape> inputs, Params p) {
        Export.torchDense(m, inputs.get(0).size(), p.getInt("units"));
        return Activations.torch("self." + m.name() + "(" + m.inputs().get(0) + ")", p.getString("activation"),
                Activations.LEAKY_ALPHA);
    }
}
