package kiln.engine.catalog.layers;

import kiln.engine.catalog.Category;
import kiln.engine.catalog.Dl4jNode;
import kiln.engine.catalog.OnnxGraph;
import kiln.engine.catalog.TorchModule;
import kiln.engine.catalog.UnsupportedExportException;
import kiln.engine.catalog.LayerType;
import kiln.engine.catalog.ParamSpec;
import kiln.engine.catalog.Params;
import kiln.engine.catalog.ShapeResult;
import kiln.engine.model.TensorShape;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationSigmoid;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.lossfunctions.LossFunctions;

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
                                + "predict numbers.")));
    }

    @Override
    public String explanation() {
        return "The last layer: a Dense layer whose activation and loss define the task. Softmax turns its outputs "
                + "into class probabilities and cross-entropy punishes confident mistakes; sigmoid answers yes/no "
                + "questions; linear outputs with mean squared error predict numbers.";
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
        String loss = p.getString("loss");
        String kind = SOFTMAX_CE.equals(loss) ? "softmax" : SIGMOID_BCE.equals(loss) ? "sigmoid" : "linear, MSE";
        return p.getInt("units") + " units, " + kind;
    }

    @Override
    public Dl4jNode toDl4j(List<TensorShape> inputs, Params p) {
        String loss = p.getString("loss");
        OutputLayer.Builder b = switch (loss) {
            case SOFTMAX_CE -> new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).activation(new ActivationSoftmax());
            case SIGMOID_BCE -> new OutputLayer.Builder(LossFunctions.LossFunction.XENT).activation(new ActivationSigmoid());
            default -> new OutputLayer.Builder(LossFunctions.LossFunction.MSE).activation(new ActivationIdentity());
        };
        return new Dl4jNode.LayerNode(b.nIn(inputs.get(0).size()).nOut(p.getInt("units")).build());
    }

    @Override
    public String toOnnx(OnnxGraph g, List<TensorShape> inputs, Params p) {
        String y = Export.onnxDense(g, inputs.get(0).size(), p.getInt("units"));
        return Activations.onnx(g, y, activationOf(p), 0);
    }

    @Override
    public String toPyTorch(TorchModule m, List<TensorShape> inputs, Params p) {
        Export.torchDense(m, inputs.get(0).size(), p.getInt("units"));
        return Activations.torch("self." + m.name() + "(" + m.inputs().get(0) + ")", activationOf(p), 0);
    }

    private static String activationOf(Params p) {
        return switch (p.getString("loss")) {
            case SOFTMAX_CE -> "softmax";
            case SIGMOID_BCE -> "sigmoid";
            default -> "linear";
        };
    }
}
