package kiln.engine.nn;

import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.List;

/** y = x·Wᵀ + b for x of shape (n, in) and W of shape (out, in). */
final class Linear extends Primitive {

    private final Param weight;
    private final Param bias;

    Linear(String layer, Tensor x, Param weight, Param bias) {
        super(layer, List.of(x), List.of(weight, bias));
        if (x.rank() != 1 || weight.shape()[1] != x.dim(0)) {
            throw new IllegalArgumentException(layer + ": a linear map of " + weight + " cannot take " + x);
        }
        this.weight = weight;
        this.bias = bias;
    }

    @Override
    long[] outputShape() {
        return new long[] {weight.shape()[0]};
    }

    @Override
    Kernel bind(Binding b) {
        INDArray x = b.in(0);
        INDArray y = b.out();
        INDArray w = b.value(weight);
        NativeOp times = b.op("matmul", Binding.of(x, w), Binding.of(y), 0, 1, 0);
        NativeOp plusBias = b.op("biasadd", Binding.of(y, b.value(bias)), Binding.of(y));
        INDArray dy = b.gradOut();
        NativeOp weightGrad = b.grad(weight) == null ? null : b.op("matmul", Binding.of(dy, x), Binding.of(b.grad(weight)), 1, 0, 0);
        NativeOp biasGrad = b.grad(bias) == null ? null : b.op("reduce_sum", Binding.of(dy), Binding.of(b.grad(bias)), 0);
        NativeOp inputGrad = b.needsGradIn(0) ? b.op("matmul", Binding.of(dy, w), Binding.of(b.gradIn(0)), 0, 0, 0) : null;
        return new Kernel() {
            @Override
            public void forward(boolean training) {
                times.run();
                plusBias.run();
            }

            @Override
            public void backward(boolean training) {
                if (weightGrad != null) weightGrad.run();
                if (biasGrad != null) biasGrad.run();
                if (inputGrad != null) inputGrad.run();
            }
        };
    }
}
