package kiln.engine.nn;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.List;

/** Looks up one row of a (vocabulary, dimensions) table per token id: (T, 1) ids → (T, dimensions). */
final class Embedding extends Primitive {

    private final Param table;

    Embedding(String layer, Tensor ids, Param table) {
        super(layer, List.of(ids), List.of(table));
        if (ids.rank() != 2 || ids.dim(1) != 1) throw new IllegalArgumentException(layer + ": token ids must be (T, 1), not " + ids);
        this.table = table;
    }

    @Override
    long[] outputShape() {
        return new long[] {inputs().get(0).dim(0), table.shape()[1]};
    }

    @Override
    Kernel bind(Binding b) {
        long tokens = b.in(0).length();
        long vocabulary = table.shape()[0];
        INDArray ids = b.in(0).reshape('c', new long[] {tokens});
        INDArray index = Nd4j.create(DataType.INT64, tokens);
        INDArray rows = b.out().reshape('c', new long[] {tokens, table.shape()[1]});
        NativeOp gather = b.op("gather", Binding.of(b.value(table), index), Binding.of(rows), 0);
        INDArray grad = b.grad(table);
        NativeOp scatter = grad == null ? null
                : b.op("scatter_add", Binding.of(grad, index, b.gradOut().reshape('c', new long[] {tokens, table.shape()[1]})), Binding.of(grad));
        return new Kernel() {
            @Override
            public void forward(boolean training) {
                double low = ids.minNumber().doubleValue();
                double high = ids.maxNumber().doubleValue();
                if (low < 0 || high >= vocabulary) {
                    throw new IllegalArgumentException(layer() + " (Embedding) got token id " + (long) (low < 0 ? low : high)
                            + " but its vocabulary has ids 0 to " + (vocabulary - 1) + "; raise its vocabulary size to at least "
                            + ((long) high + 1) + " or check the tokenizer");
                }
                index.assign(ids);
                gather.run();
            }

            @Override
            public void backward(boolean training) {
                if (scatter != null) {
                    grad.assign(0);
                    scatter.run();
                }
                // Token ids are not differentiable.
                if (b.needsGradIn(0)) b.gradIn(0).assign(0);
            }
        };
    }
}
