package kiln.engine.catalog.layers;

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

    static String suffix(String name) {
        return "linear".equals(name) ? "" : ", " + name;
    }
}
