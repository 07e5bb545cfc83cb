package kiln.engine.nn;

import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.List;

/**
 * 2-D convolution of NCHW images with weights (filters, channels, k, k) and a bias per filter. "Same" padding
 * gives ⌈H / stride⌉ rows, the odd padding row at the bottom (and column at the right), as TensorFlow pads.
 */
final class Conv2d extends Primitive {

    private final Param weight;
    private final Param bias;
    private final int kernel;
    private final int stride;
    private final boolean same;

    Conv2d(String layer, Tensor x, Param weight, Param bias, int kernel, int stride, boolean same) {
        super(layer, List.of(x), List.of(weight, bias));
        if (x.rank() != 3 || weight.shape()[1] != x.dim(0)) {
            throw new IllegalArgumentException(layer + ": a convolution with " + weight + " cannot take " + x);
        }
        this.weight = weight;
        this.bias = bias;
        this.kernel = kernel;
        this.stride = stride;
        this.same = same;
    }

    static long windowOutput(long size, int window, int stride, boolean same) {
        return same ? (size + stride - 1) / stride : (size - window) / stride + 1;
    }

    /** Padding before and after an axis; "same" pads the odd cell after. */
    static long[] padding(long size, int window, int stride, boolean same) {
        if (!same) return new long[] {0, 0};
        long total = Math.max((windowOutput(size, window, stride, true) - 1) * stride + window - size, 0);
        return new long[] {total / 2, total - total / 2};
    }

    /** Padding of (rows, columns) of an NCHW array: before (top, left) or after (bottom, right). */
    static long[] padding(long[] nchw, int window, int stride, boolean same, boolean after) {
        int side = after ? 1 : 0;
        return new long[] {padding(nchw[2], window, stride, same)[side], padding(nchw[3], window, stride, same)[side]};
    }

    @Override
    long[] outputShape() {
        Tensor x = inputs().get(0);
        return new long[] {weight.shape()[0], windowOutput(x.dim(1), kernel, stride, same),
                windowOutput(x.dim(2), kernel, stride, same)};
    }

    /** kH, kW, sH, sW, pH, pW, dH, dW, same mode, NCHW, weights as (out, in, kH, kW). */
    private long[] args() {
        return new long[] {kernel, kernel, stride, stride, 0, 0, 1, 1, same ? 1 : 0, 0, 1};
    }

    @Override
    Kernel bind(Binding b) {
        if (Dnnl.enabled(b.dtype)) {
            long[] shape = b.in(0).shape();
            return new DnnlConv2d(b, weight, bias, new long[] {stride, stride}, padding(shape, kernel, stride, same, false),
                    padding(shape, kernel, stride, same, true));
        }
        INDArray x = b.in(0);
        INDArray w = b.value(weight);
        INDArray bi = b.value(bias);
        NativeOp forward = b.op("conv2d", Binding.of(x, w, bi), Binding.of(b.out()), args());
        // conv2d_bp always writes all three gradients: scratch buffers take the unwanted ones.
        boolean any = b.needsGradIn(0) || b.grad(weight) != null || b.grad(bias) != null;
        NativeOp backward = !any ? null : b.op("conv2d_bp", Binding.of(x, w, bi, b.gradOut()), Binding.of(
                b.needsGradIn(0) ? b.gradIn(0) : b.scratch(x.shape()), b.gradOrScratch(weight), b.gradOrScratch(bias)), args());
        return Kernel.of(forward, backward);
    }
}
