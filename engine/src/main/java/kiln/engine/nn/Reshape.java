package kiln.engine.nn;

import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.List;

/** A new shape over the same values in memory order; the output shares the input's memory. */
final class Reshape extends Primitive {

    private final long[] shape;

    Reshape(String layer, Tensor x, long[] shape) {
        super(layer, List.of(x), List.of());
        long n = 1;
        for (long d : shape) n *= d;
        if (n != x.size()) throw new IllegalArgumentException(layer + ": cannot reshape " + x + " to " + List.of(shape));
        this.shape = shape.clone();
    }

    @Override
    long[] outputShape() {
        return shape.clone();
    }

    @Override
    INDArray outputView(INDArray input, int batch) {
        return input.reshape('c', output().batched(batch));
    }

    @Override
    Kernel bind(Binding b) {
        INDArray gradAsInput = b.gradOut() == null ? null : b.gradOut().reshape('c', b.in(0).shape());
        // The planner may have made the input's gradient a view of the output's (it reads nothing else).
        boolean sharesMemory = b.needsGradIn(0) && b.gradIn(0).data().platformAddress() == b.gradOut().data().platformAddress();
        return new Kernel() {
            @Override
            public void forward(boolean training) {
                // the output is a view of the input
            }

            @Override
            public void backward(boolean training) {
                if (b.needsGradIn(0) && !sharesMemory) b.gradIn(0).assign(gradAsInput);
            }
        };
    }
}
