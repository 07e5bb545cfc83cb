package kiln.engine.nn;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.random.impl.BernoulliDistribution;
import org.nd4j.linalg.factory.Nd4j;

import java.util.List;

/** Inverted dropout: in training mode keeps each value with probability 1 − rate, scaled by 1 / (1 − rate). */
final class Dropout extends Primitive {

    private final double rate;

    Dropout(String layer, Tensor x, double rate) {
        super(layer, List.of(x), List.of());
        if (!(rate > 0 && rate < 1)) throw new IllegalArgumentException(layer + ": dropout rate must be in (0, 1), not " + rate);
        this.rate = rate;
    }

    @Override
    Kernel bind(Binding b) {
        INDArray x = b.in(0);
        INDArray y = b.out();
        INDArray mask = b.scratch(x.shape());
        double keep = 1 - rate;
        BernoulliDistribution draw = new BernoulliDistribution(mask, keep);
        NativeOp apply = b.op("multiply", Binding.of(x, mask), Binding.of(y));
        NativeOp applyBack = b.needsGradIn(0) ? b.op("multiply", Binding.of(b.gradOut(), mask), Binding.of(b.gradIn(0))) : null;
        return new Kernel() {
            @Override
            public void forward(boolean training) {
                if (training) {
                    Nd4j.getExecutioner().exec(draw, b.random());
                    mask.muli(1 / keep);
                } else {
                    mask.assign(1);
                }
                apply.run();
            }

            @Override
            public void backward(boolean training) {
                if (applyBack != null) applyBack.run();
            }
        };
    }
}
