package kiln.engine.nn;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.rng.Random;
import org.nd4j.linalg.factory.Nd4j;

import java.util.List;

/**
 * The buffers one primitive works on in one plan. Gradient buffers are null where nobody needs them, so a
 * kernel can skip that work (the first layer's input gradient, the weights of an inference plan).
 */
final class Binding {

    final int batch;
    final DataType dtype;
    private final INDArray[] inputs;
    private final INDArray output;
    private final INDArray[] inputGradients;
    private final INDArray outputGradient;
    private final List<Param> params;
    private final INDArray[] values;
    private final INDArray[] gradients;
    private final Plan plan;

    Binding(Plan plan, int batch, DataType dtype, INDArray[] inputs, INDArray output, INDArray[] inputGradients,
            INDArray outputGradient, List<Param> params, INDArray[] values, INDArray[] gradients) {
        this.plan = plan;
        this.batch = batch;
        this.dtype = dtype;
        this.inputs = inputs;
        this.output = output;
        this.inputGradients = inputGradients;
        this.outputGradient = outputGradient;
        this.params = params;
        this.values = values;
        this.gradients = gradients;
    }

    INDArray in(int i) { return inputs[i]; }

    INDArray out() { return output; }

    /** The gradient of input i to write, or null when it is not needed. */
    INDArray gradIn(int i) { return inputGradients[i]; }

    boolean needsGradIn(int i) { return inputGradients[i] != null; }

    INDArray gradOut() { return outputGradient; }

    INDArray value(Param p) { return values[index(p)]; }

    /** The gradient of a parameter to write, or null when it is frozen or this plan computes no weight gradients. */
    INDArray grad(Param p) { return gradients[index(p)]; }

    /** The gradient buffer, or a scratch buffer for ops that always compute it. */
    INDArray gradOrScratch(Param p) {
        INDArray g = grad(p);
        return g != null ? g : scratch(p.shape());
    }

    /** A buffer of this plan's own, allocated once. */
    INDArray scratch(long... shape) {
        return Nd4j.create(dtype, shape);
    }

    NativeOp op(String name, INDArray[] in, INDArray[] out, long... intArgs) {
        return register(new NativeOp(name, in, out, intArgs, new double[0], new boolean[0]));
    }

    NativeOp op(String name, INDArray[] in, INDArray[] out, long[] intArgs, double... floatArgs) {
        return register(new NativeOp(name, in, out, intArgs, floatArgs, new boolean[0]));
    }

    NativeOp op(String name, INDArray[] in, INDArray[] out, long[] intArgs, double[] floatArgs, boolean... boolArgs) {
        return register(new NativeOp(name, in, out, intArgs, floatArgs, boolArgs));
    }

    /** Hands a kernel's native objects to the plan, which frees them when it closes. */
    <T extends NativeResource> T register(T resource) {
        return plan.register(resource);
    }

    /** The plan's random generator (dropout masks), seeded. */
    Random random() { return plan.random(); }

    private int index(Param p) {
        int i = params.indexOf(p);
        if (i < 0) throw new IllegalArgumentException(p.name() + " is not a parameter of this primitive");
        return i;
    }

    static INDArray[] of(INDArray... arrays) {
        return arrays;
    }
}
