package kiln.engine.catalog;

import kiln.engine.nn.Init;
import kiln.engine.params.ParamSpec;

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

    /** He initialisation for ReLU-like units, Glorot otherwise: keeps the activations' variance steady. */
    static Init init(String activation, long fanIn, long fanOut) {
        return activation.endsWith("relu") ? Init.he(fanIn) : Init.glorot(fanIn, fanOut);
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
