package kiln.engine.nn;

import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Arrays;
import java.util.List;

/** Element-wise sum of inputs of one shape (a residual connection); each input's gradient is the output's. */
final class Sum extends Primitive {

    Sum(String layer, List<Tensor> xs) {
        super(layer, xs, List.of());
        for (Tensor t : xs) {
            if (!Arrays.equals(t.shape(), xs.get(0).shape())) {
                throw new IllegalArgumentException(layer + ": cannot add " + t + " to " + xs.get(0));
            }
        }
    }

    @Override
    Kernel bind(Binding b) {
        int n = inputs().size();
        NativeOp[] adds = new NativeOp[n - 1];
        adds[0] = b.op("add", Binding.of(b.in(0), b.in(1)), Binding.of(b.out()));
        for (int i = 2; i < n; i++) adds[i - 1] = b.op("add", Binding.of(b.out(), b.in(i)), Binding.of(b.out()));
        return new Kernel() {
            @Override
            public void forward(boolean training) {
                for (NativeOp op : adds) op.run();
            }

            @Override
            public void backward(boolean training) {
                INDArray dy = b.gradOut();
                for (int i = 0; i < n; i++) if (b.needsGradIn(i)) b.gradIn(i).assign(dy);
            }
        };
    }
}
