package kiln.engine.nn;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.Arrays;
import java.util.List;

/** Joins inputs along one axis of the sample; each input's gradient is its slice of the output's. */
final class Concat extends Primitive {

    private final int axis;

    Concat(String layer, List<Tensor> xs, int axis) {
        super(layer, xs, List.of());
        this.axis = axis;
        for (Tensor t : xs) {
            long[] a = t.shape();
            long[] c = xs.get(0).shape();
            a[axis] = 0;
            c[axis] = 0;
            if (!Arrays.equals(a, c)) throw new IllegalArgumentException(layer + ": cannot join " + t + " to " + xs.get(0));
        }
    }

    @Override
    long[] outputShape() {
        long[] s = inputs().get(0).shape();
        s[axis] = inputs().stream().mapToLong(t -> t.dim(axis)).sum();
        return s;
    }

    @Override
    Kernel bind(Binding b) {
        int n = inputs().size();
        INDArray[] ins = new INDArray[n];
        for (int i = 0; i < n; i++) ins[i] = b.in(i);
        NativeOp join = b.op("concat", ins, Binding.of(b.out()), axis + 1);
        INDArray[] slices = new INDArray[n];
        long offset = 0;
        for (int i = 0; i < n; i++) {
            long width = inputs().get(i).dim(axis);
            INDArrayIndex[] index = new INDArrayIndex[b.gradOut() == null ? 0 : b.gradOut().rank()];
            Arrays.fill(index, NDArrayIndex.all());
            if (b.gradOut() != null) {
                index[axis + 1] = NDArrayIndex.interval(offset, offset + width);
                slices[i] = b.gradOut().get(index);
            }
            offset += width;
        }
        return new Kernel() {
            @Override
            public void forward(boolean training) {
                join.run();
            }

            @Override
            public void backward(boolean training) {
                for (int i = 0; i < n; i++) if (b.needsGradIn(i)) b.gradIn(i).assign(slices[i]);
            }
        };
    }
}
