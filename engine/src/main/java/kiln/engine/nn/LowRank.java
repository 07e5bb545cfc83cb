package kiln.engine.nn;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.List;

/**
 * A LoRA adapter (Hu et al. 2021): y = (x·Aᵀ)·Bᵀ·scale for x of shape (n, in), A (rank, in) and B (out, rank).
 * Added to a frozen linear layer's output it changes W by scale·B·A while training only rank·(in + out) values.
 */
final class LowRank extends Primitive {

    private final Param a;
    private final Param b;
    private final double scale;

    LowRank(String layer, Tensor x, Param a, Param b, double scale) {
        super(layer, List.of(x), List.of(a, b));
        if (x.rank() != 1 || a.shape()[1] != x.dim(0) || b.shape()[1] != a.shape()[0]) {
            throw new IllegalArgumentException(layer + ": LoRA adapters " + a + " and " + b + " cannot take " + x);
        }
        this.a = a;
        this.b = b;
        this.scale = scale;
    }

    @Override
    long[] outputShape() {
        return new long[] {b.shape()[0]};
    }

    @Override
    Kernel bind(Binding bind) {
        INDArray x = bind.in(0);
        INDArray y = bind.out();
        INDArray aValue = bind.value(a);
        INDArray bValue = bind.value(b);
        long rank = a.shape()[0];
        INDArray down = bind.scratch(bind.batch, rank);
        INDArray downGrad = bind.scratch(bind.batch, rank);
        return new Kernel() {
            @Override
            public void forward(boolean training) {
                Nd4j.gemm(x, aValue, down, false, true, 1.0, 0.0);
                Nd4j.gemm(down, bValue, y, false, true, scale, 0.0);
            }

            @Override
            public void backward(boolean training) {
                INDArray dy = bind.gradOut();
                if (bind.grad(b) != null) Nd4j.gemm(dy, down, bind.grad(b), true, false, scale, 0.0);
                Nd4j.gemm(dy, bValue, downGrad, false, false, scale, 0.0);
                if (bind.grad(a) != null) Nd4j.gemm(downGrad, x, bind.grad(a), true, false, 1.0, 0.0);
                if (bind.needsGradIn(0)) Nd4j.gemm(downGrad, aValue, bind.gradIn(0), false, false, 1.0, 0.0);
            }
        };
    }
}
