package kiln.engine.nn;

import org.bytedeco.dnnl.dnnl_eltwise_desc_t;
import org.bytedeco.dnnl.dnnl_memory_desc_t;
import org.bytedeco.dnnl.dnnl_primitive_desc;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Map;

import static kiln.engine.nn.Dnnl.check;
import static org.bytedeco.dnnl.global.dnnl.*;

/**
 * An element-wise activation on oneDNN's eltwise primitives, over the arrays seen as flat vectors. ND4J's
 * relu_bp took 4.4 ms for the Keras CNN's first activation (64 × 32 × 26 × 26 values), more than the convolution
 * before it; an element-wise pass over that much memory should take a tenth of it.
 */
final class DnnlActivation extends DnnlKernel {

    /** The oneDNN algorithm of an activation, or -1 when it has none here (softmax is not element-wise). */
    static int algorithm(Activation.Function f) {
        return switch (f) {
            case RELU, LEAKY_RELU -> dnnl_eltwise_relu;
            case SIGMOID -> dnnl_eltwise_logistic;
            case TANH -> dnnl_eltwise_tanh;
            case SOFTMAX -> -1;
        };
    }

    /** @param alpha the slope below zero for relu (0 for plain relu) */
    DnnlActivation(Binding b, int algorithm, float alpha) {
        super(b);
        long n = b.in(0).length();
        dnnl_memory_desc_t flat = Dnnl.plain(n);
        Dnnl.Memory x = dnnl.over(vector(b.in(0)));
        Dnnl.Memory y = dnnl.over(vector(b.out()));
        dnnl_eltwise_desc_t fd = new dnnl_eltwise_desc_t();
        check(dnnl_eltwise_forward_desc_init(fd, b.needsGradIn(0) ? dnnl_forward_training : dnnl_forward_inference,
                algorithm, flat, alpha, 0f), "describe an activation");
        dnnl_primitive_desc fwd = dnnl.primitiveDesc(fd, null);
        forward.add(dnnl.step(fwd, Map.of(DNNL_ARG_SRC, x, DNNL_ARG_DST, y)));
        if (b.needsGradIn(0)) {
            dnnl_eltwise_desc_t bd = new dnnl_eltwise_desc_t();
            check(dnnl_eltwise_backward_desc_init(bd, algorithm, flat, flat, alpha, 0f), "describe an activation's backward pass");
            dnnl_primitive_desc bwd = dnnl.primitiveDesc(bd, fwd);
            backward.add(dnnl.step(bwd, Map.of(DNNL_ARG_SRC, x, DNNL_ARG_DIFF_DST, dnnl.over(vector(b.gradOut())),
                    DNNL_ARG_DIFF_SRC, dnnl.over(vector(b.gradIn(0))))));
        }
    }

    private static INDArray vector(INDArray a) {
        return a.reshape('c', new long[] {a.length()});
    }
}
