package kiln.engine.catalog;

import kiln.engine.nn.Init;
import kiln.engine.nn.LayerBuilder;
import kiln.engine.nn.LossKind;
import kiln.engine.nn.Tensor;
import kiln.engine.params.ParamSpec;
import kiln.engine.shape.TensorShape;

import java.util.List;

public final class Output extends LayerType {

    public static final String ID = "output";
    public static final String SOFTMAX_CE = "softmax_cross_entropy";
    public static final String SIGMOID_BCE = "sigmoid_binary_cross_entropy";
    public static final String LINEAR_MSE = "linear_mse";

    public Output() {
        super(ID, "Output", Category.OUTPUT, List.of(
                ParamSpec.integer("units", "Units", 10, 1, 100_000,
                        "Number of outputs: the number of classes for softmax, 1 for a yes/no sigmoid output."),
                ParamSpec.choice("loss", "Activation and loss", SOFTMAX_CE, List.of(SOFTMAX_CE, SIGMOID_BCE, LINEAR_MSE),
                        "softmax + cross-entropy: pick one of several classes. sigmoid + binary cross-entropy: "
                                + "yes/no (one unit) or several independent labels. linear + mean squared error: "
                                + "predict numbers.")),
                "The last layer: a Dense layer whose activation and loss define the task. Softmax turns its outputs "
                        + "into class probabilities and cross-entropy punishes confident mistakes; sigmoid answers yes/no "
                        + "questions; linear outputs with mean squared error predict numbers.");
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
        String loss = p.getString("loss");
        String kind = SOFTMAX_CE.equals(loss) ? "softmax" : SIGMOID_BCE.equals(loss) ? "sigmoid" : "linear, MSE";
        return p.getInt("units") + " units, " + kind;
    }

    @Override
    public Role role() { return Role.OUTPUT; }

    @Override
    public LossKind lossKind(Params p) {
        return switch (p.getString("loss")) {
            case SOFTMAX_CE -> LossKind.SOFTMAX_CROSS_ENTROPY;
            case SIGMOID_BCE -> LossKind.SIGMOID_BINARY_CROSS_ENTROPY;
            default -> LossKind.MEAN_SQUARED_ERROR;
        };
    }

    @Override
    public Tensor build(LayerBuilder b, List<Tensor> inputs, List<TensorShape> shapes, Params p) {
        Init init = Init.glorot(shapes.get(0).size(), p.getInt("units"));
        return b.output(FullyConnected.linear(b, inputs, shapes, p, init), lossKind(p));
    }

    @Override
    public String toOnnx(OnnxGraph g, List<TensorShape> inputs, Params p) {
        String y = Export.onnxDense(g, inputs.get(0).size(), p.getInt("units"), g.weights().values("weight"));
        return Activations.onnx(g, y, activationOf(p), 0);
    }

    @Override
    public String toPyTorch(TorchModule m, List<TensorShape> inputs, Params p) {
        Export.torchDense(m, inputs.get(0).size(), p.getInt("units"), m.weights().values("weight"));
        return Activations.torch(m.call(m.inputs().get(0)), activationOf(p), 0);
    }

    private static String activationOf(Params p) {
        return switch (p.getString("loss")) {
            case SOFTMAX_CE -> "softmax";
            case SIGMOID_BCE -> "sigmoid";
            default -> "linear";
        };
    }
}
