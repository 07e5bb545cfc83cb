package kiln.engine.catalog;

import kiln.engine.nn.LayerBuilder;
import kiln.engine.nn.Tensor;
import kiln.engine.params.ParamSpec;
import kiln.engine.shape.TensorShape;

import java.util.List;

public final class Activation extends LayerType {

    public static final String ID = "activation";
    private static final List<String> FUNCTIONS = List.of("relu", "leaky_relu", "sigmoid", "tanh", "softmax");

    public Activation() {
        super(ID, "Activation", Category.ACTIVATION, List.of(
                ParamSpec.choice("function", "Function", "relu", FUNCTIONS,
                        "relu: max(0, x); leaky_relu: x, or alpha·x below zero; sigmoid: squashes to (0, 1); "
                                + "tanh: squashes to (−1, 1); softmax: turns a vector into probabilities."),
                ParamSpec.decimal("alpha", "Alpha", 0.01, 0.0, 1.0,
                        "Slope of leaky ReLU for negative inputs.")),
                "Applies a fixed non-linear function to every value. Without non-linear functions between them, "
                        + "stacked layers would collapse into a single linear one. Use it after a layer whose own "
                        + "activation is linear, for example after BatchNorm.");
    }

    @Override
    public boolean isRelevant(String paramName, Params values) {
        return !"alpha".equals(paramName) || "leaky_relu".equals(values.getString("function"));
    }

    @Override public String shapeFormula() { return "output = input"; }

    @Override
    public ShapeResult outputShape(List<TensorShape> inputs, Params p) {
        TensorShape in = inputs.get(0);
        if ("softmax".equals(p.getString("function")) && in.kind() != TensorShape.Kind.VECTOR) {
            return ShapeResult.problem("softmax needs a vector but received " + in
                    + "; flatten first, or choose another function");
        }
        return ShapeResult.ok(in);
    }

    @Override
    public String subtitle(Params p) {
        String f = p.getString("function");
        return "leaky_relu".equals(f) ? f + " " + p.getDouble("alpha") : f;
    }

    @Override
    public Tensor build(LayerBuilder b, List<Tensor> inputs, List<TensorShape> shapes, Params p) {
        return b.activation(inputs.get(0), p.getString("function"), p.getDouble("alpha"));
    }

    @Override
    public String toOnnx(OnnxGraph g, List<TensorShape> inputs, Params p) {
        return Activations.onnx(g, g.inputs().get(0), p.getString("function"), p.getDouble("alpha"));
    }

    @Override
    public String toPyTorch(TorchModule m, List<TensorShape> inputs, Params p) {
        m.module(Activations.torchModule(p.getString("function"), p.getDouble("alpha")));
        return m.call(m.inputs().get(0));
    }
}
