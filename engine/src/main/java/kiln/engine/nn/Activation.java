package kiln.engine.nn;

import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.List;

/** An element-wise activation (or softmax over the last axis) and its derivative. */
final class Activation extends Primitive {

    enum Function {
        RELU("relu"), LEAKY_RELU("lrelu"), SIGMOID("sigmoid"), TANH("tanh"), SOFTMAX("softmax");

        final String op;

        Function(String op) {
            this.op = op;
        }

        static Function of(String name) {
            return switch (name) {
                case "relu" -> RELU;
                case "leaky_relu" -> LEAKY_RELU;
                case "sigmoid" -> SIGMOID;
                case "tanh" -> TANH;
                case "softmax" -> SOFTMAX;
                default -> throw new IllegalArgumentException("unknown activation " + name);
            };
        }
    }

    private final Function function;
    private final double alpha;

    Activation(String layer, Tensor x, Function function, double alpha) {
        super(layer, List.of(x), List.of());
        this.function = function;
        this.alpha = alpha;
    }

    @Override
    Kernel bind(Binding b) {
        int algorithm = DnnlActivation.algorithm(function);
        if (Dnnl.enabled(b.dtype) && algorithm >= 0) {
            return new DnnlActivation(b, algorithm, function == Function.LEAKY_RELU ? (float) alpha : 0f);
        }
        INDArray x = b.in(0);
        long[] ints = function == Function.SOFTMAX ? new long[] {x.rank() - 1} : new long[0];
        double[] floats = switch (function) {
            case RELU -> new double[] {0};
            case LEAKY_RELU -> new double[] {alpha};
            default -> new double[0];
        };
        NativeOp forward = b.op(function.op, Binding.of(x), Binding.of(b.out()), ints, floats);
        NativeOp backward = b.needsGradIn(0)
                ? b.op(function.op + "_bp", Binding.of(x, b.gradOut()), Binding.of(b.gradIn(0)), ints, floats) : null;
        return Kernel.of(forward, backward);
    }
}
