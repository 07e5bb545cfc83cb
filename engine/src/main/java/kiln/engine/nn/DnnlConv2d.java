package kiln.engine.nn;

import org.bytedeco.dnnl.dnnl_convolution_desc_t;
import org.bytedeco.dnnl.dnnl_primitive_desc;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.HashMap;
import java.util.Map;

import static kiln.engine.nn.Dnnl.any;
import static kiln.engine.nn.Dnnl.check;
import static kiln.engine.nn.Dnnl.layout;
import static kiln.engine.nn.Dnnl.plain;
import static org.bytedeco.dnnl.global.dnnl.*;

/**
 * A convolution on oneDNN primitives built once per plan: forward with bias; backward-data only when the input's
 * gradient is wanted; backward-weights (with the bias) only when a parameter's is, on one thread. Each primitive
 * picks its own layouts: forcing the forward's layouts on a backward primitive silently selects oneDNN's reference
 * kernels, hundreds of times slower. The plan's NCHW and OIHW buffers are reordered into those layouts and back.
 * Primitives run on the OpenMP threads in force on the thread that binds the plan.
 */
final class DnnlConv2d extends DnnlKernel {

    DnnlConv2d(Binding b, Param weight, Param bias, long[] strides, long[] padBefore, long[] padAfter) {
        super(b);
        INDArray w = b.value(weight);
        long[] xDims = b.in(0).shape();
        long[] wDims = w.shape();
        long[] biasDims = b.value(bias).shape();
        long[] yDims = b.out().shape();
        INDArray gradW = b.grad(weight);
        INDArray gradBias = b.grad(bias);
        boolean paramGrad = gradW != null || gradBias != null;
        boolean dataGrad = b.needsGradIn(0);

        Dnnl.Array x = dnnl.new Array(b.in(0));
        Dnnl.Array weights = dnnl.new Array(w);
        Dnnl.Memory y = dnnl.over(b.out());
        dnnl_convolution_desc_t fd = new dnnl_convolution_desc_t();
        check(dnnl_convolution_forward_desc_init(fd, paramGrad || dataGrad ? dnnl_forward_training : dnnl_forward_inference,
                dnnl_convolution_direct, any(xDims), any(wDims), plain(biasDims), any(yDims), strides, padBefore, padAfter),
                "describe a convolution");
        dnnl_primitive_desc fwd = dnnl.primitiveDesc(fd, null);
        Dnnl.Memory src = x.in(layout(fwd, dnnl_query_src_md), forward);
        Dnnl.Memory wts = weights.in(layout(fwd, dnnl_query_weights_md), forward);
        Dnnl.Memory dst = dnnl.target(y, layout(fwd, dnnl_query_dst_md));
        forward.add(dnnl.step(fwd, Map.of(DNNL_ARG_SRC, src, DNNL_ARG_WEIGHTS, wts, DNNL_ARG_BIAS, dnnl.over(b.value(bias)),
                DNNL_ARG_DST, dst)));
        dnnl.copy(dst, y, forward);

        Dnnl.Array gradY = dataGrad || paramGrad ? dnnl.new Array(b.gradOut()) : null;
        if (dataGrad) {
            dnnl_convolution_desc_t dd = new dnnl_convolution_desc_t();
            check(dnnl_convolution_backward_data_desc_init(dd, dnnl_convolution_direct, any(xDims), any(wDims), any(yDims),
                    strides, padBefore, padAfter), "describe a convolution's backward-data");
            dnnl_primitive_desc bwd = dnnl.primitiveDesc(dd, fwd);
            Dnnl.Memory diffDst = gradY.in(layout(bwd, dnnl_query_diff_dst_md), backward);
            Dnnl.Memory bwdWts = weights.in(layout(bwd, dnnl_query_weights_md), backward);
            Dnnl.Memory gradX = dnnl.over(b.gradIn(0));
            Dnnl.Memory diffSrc = dnnl.target(gradX, layout(bwd, dnnl_query_diff_src_md));
            backward.add(dnnl.step(bwd, Map.of(DNNL_ARG_DIFF_DST, diffDst, DNNL_ARG_WEIGHTS, bwdWts, DNNL_ARG_DIFF_SRC, diffSrc)));
            dnnl.copy(diffSrc, gradX, backward);
        }
        if (paramGrad) {
            dnnl_convolution_desc_t wd = new dnnl_convolution_desc_t();
            check(dnnl_convolution_backward_weights_desc_init(wd, dnnl_convolution_direct, any(xDims), any(wDims),
                    gradBias != null ? plain(biasDims) : null, any(yDims), strides, padBefore, padAfter),
                    "describe a convolution's backward-weights");
            // One thread: two were up to 13x slower while the other core was busy, at most 1.9x faster when idle (0010).
            dnnl_primitive_desc bwd = Dnnl.singleThreaded(() -> dnnl.primitiveDesc(wd, fwd));
            Map<Integer, Dnnl.Memory> args = new HashMap<>();
            args.put(DNNL_ARG_SRC, x.in(layout(bwd, dnnl_query_src_md), backward));
            args.put(DNNL_ARG_DIFF_DST, gradY.in(layout(bwd, dnnl_query_diff_dst_md), backward));
            // Frozen weights with a learned bias: the weights' gradient goes to a buffer nobody reads.
            Dnnl.Memory gw = gradW != null ? dnnl.over(gradW) : null;
            Dnnl.Memory diffW = gw != null ? dnnl.target(gw, layout(bwd, dnnl_query_diff_weights_md))
                    : dnnl.allocate(layout(bwd, dnnl_query_diff_weights_md));
            args.put(DNNL_ARG_DIFF_WEIGHTS, diffW);
            if (gradBias != null) args.put(DNNL_ARG_DIFF_BIAS, dnnl.over(gradBias));
            backward.add(Dnnl.singleThreaded(() -> dnnl.step(bwd, args)));
            if (gw != null) dnnl.copy(diffW, gw, backward);
        }
    }
}
