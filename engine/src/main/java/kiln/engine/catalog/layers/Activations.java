package kiln.engine.catalog.layers;

import kiln.engine.catalog.OnnxGraph;
import kiln.engine.catalog.ParamSpec;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationLReLU;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.activations.impl.ActivationSigmoid;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.activations.impl.ActivationTanH;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The activation functions layers offer, shared by Dense, Conv2D and Activation. */
final class Activations {

    static final List<String> NAMES = List.of("relu", "leaky_relu", "sigmoid", "tanh", "softmax", "linear");
    static final double LEAKY_ALPHA = 0.01;

    private Activations() { }

    static ParamSpec param(String def, List<String> names) {
        return ParamSpec.choice("activation", "Activation", def, names,
                "Function applied to each output: relu is the usual choice inside a network, "
                        + "linear applies none.");
    }

    static IActivation toDl4j(String name, double leakyAlpha) {
        return switch (name) {
            case "relu" -> new ActivationReLU();
            case "leaky_relu" -> new ActivationLReLU(leakyAlpha);
            case "sigmoid" -> new ActivationSigmoid();
            case "tanh" -> new ActivationTanH();
            case "softmax" -> new ActivationSoftmax();
            case "linear" -> new ActivationIdentity();
            default -> throw new IllegalArgumentException("unknown activation " + name);
        };
    }

    /** He initialisation for ReLU-like units, Glorot (Xavier) otherwise: keeps activations' variance steady. */
    static WeightInit weightInit(String name) {
        return name.endsWith("relu") ? WeightInit.RELU : WeightInit.XAVIER;
    }

    /** The activation as an ONNX operator after {@code x}; linear adds nothing. */
    static String onnx(OnnxGraph g, String x, String name, double alpha) {
        return switch (name) {
            case "relu" -> g.node("Relu", x);
            case "leaky_relu" -> g.node("LeakyRelu", List.of(x), Map.of("alpha", (float) alpha));
            case "sigmoid" -> g.node("Sigmoid", x);
            case "tanh" -> g.node("Tanh", x);
            case "softmax" -> g.node("Softmax", List.of(x), Map.of("axis", 1));
            case "linear" -> x;
            default -> throw new IllegalArgumentException("unknown activation " + name);
        };
    }

    /** The activation applied to the Python expression {@code x}. */
    static String torch(String x, String name, double alpha) {
        return switch (name) {
            case "relu" -> "F.relu(" + x + ")";
            case "leaky_relu" -> "F.leaky_relu(" + x + ", " + py(alpha) + ")";
            case "sigmoid" -> "torch.sigmoid(" + x + ")";
            case "tanh" -> "torch.tanh(" + x + ")";
            case "softmax" -> "torch.softmax(" + x + ", dim=1)";
            case "linear" -> x;
            default -> throw new IllegalArgumentException("unknown activation " + name);
        };
    }

    /** The activation as a PyTorch module, for the Activation layer. */
    static String torchModule(String name, double alpha) {
        return switch (name) {
            case "relu" -> "nn.ReLU()";
            case "leaky_relu" -> "nn.LeakyReLU(" + py(alpha) + ")";
            case "sigmoid" -> "nn.Sigmoid()";
            case "tanh" -> "nn.Tanh()";
            case "softmax" -> "nn.Softmax(dim=1)";
            default -> "nn.Identity()";
        };
    }

    /** A Python float literal. */
    static String py(double v) {
        String s = String.format(Locale.ROOT, "%.10g", v).replaceAll("0+(e|$)", "$1");
        return s.endsWith(".") ? s + "0" : s;
    }

    static String suffix(String name) {
        return "linear".equals(name) ? "" : ", " + name;
    }
}
