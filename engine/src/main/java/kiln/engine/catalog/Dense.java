package kiln.engine.catalog;

import kiln.engine.nn.Init;
import kiln.engine.nn.LayerBuilder;
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

    @Override public String shapeFormula() { return FullyConnected.SHAPE_FORMULA; }
    @Override public String paramCountFormula() { return FullyConnected.PARAM_COUNT_FORMULA; }

    @Override
    public ShapeResult outputShape(List<TensorShape> inputs, Params p) {
        return FullyConnected.outputShape(inputs, p);
    }

    @Override
    public long paramCount(List<TensorShape> inputs, Params p) {
        return FullyConnected.paramCount(inputs, p);
    }

    @Override
    public long multiplyAdds(List<TensorShape> inputs, Params p, TensorShape output) {
        return FullyConnected.multiplyAdds(inputs, p);
    }

    @Override
    public String subtitle(Params p) {
        return p.getInt("units") + " units" + Activations.suffix(p.getString("activation"));
    }

    @Override
    public Tensor build(LayerBuilder b, List<Tensor> inputs, List<TensorShape> shapes, Params p) {
        String activation = p.getString("activation");
        Init init = Activations.init(activation, shapes.get(0).size(), p.getInt("units"));
        return b.activation(FullyConnected.linear(b, inputs, shapes, p, init), activation, Activations.LEAKY_ALPHA);
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
