package kiln.engine.nn;

import org.bytedeco.dnnl.dnnl_memory_desc_t;
import org.bytedeco.dnnl.dnnl_pooling_desc_t;
import org.bytedeco.dnnl.dnnl_primitive_desc;

import java.util.HashMap;
import java.util.Map;

import static kiln.engine.nn.Dnnl.any;
import static kiln.engine.nn.Dnnl.check;
import static kiln.engine.nn.Dnnl.layout;
import static org.bytedeco.dnnl.global.dnnl.*;

/**
 * Max or average pooling (padding left out of the divisor) on oneDNN primitives built once per plan. Max pooling
 * keeps the position of each window's maximum in a workspace in the forward pass, so that the backward pass
 * does not search the window again (ND4J's maxpool2d_bp recomputes the forward pass).
 */
final class DnnlPool2d extends DnnlKernel {

    /** @param layout the format tag pooling runs in (dnnl_nchw, or a blocked one the input is reordered into) */
    DnnlPool2d(Binding b, Pool2d.Kind kind, int pool, long[] strides, long[] padBefore, long[] padAfter, int layout) {
        super(b);
        int algorithm = kind == Pool2d.Kind.MAX ? dnnl_pooling_max : dnnl_pooling_avg_exclude_padding;
        long[] xDims = b.in(0).shape();
        long[] yDims = b.out().shape();
        long[] window = {pool, pool};
        dnnl_memory_desc_t srcDesc = Dnnl.describe(xDims, layout);

        Dnnl.Memory y = dnnl.over(b.out());
        dnnl_pooling_desc_t fd = new dnnl_pooling_desc_t();
        check(dnnl_pooling_forward_desc_init(fd, b.needsGradIn(0) ? dnnl_forward_training : dnnl_forward_inference, algorithm,
                srcDesc, any(yDims), strides, window, padBefore, padAfter), "describe a pooling");
        dnnl_primitive_desc fwd = dnnl.primitiveDesc(fd, null);
        Map<Integer, Dnnl.Memory> args = new HashMap<>();
        args.put(DNNL_ARG_SRC, dnnl.new Array(b.in(0)).in(srcDesc, forward));
        Dnnl.Memory dst = dnnl.target(y, layout(fwd, dnnl_query_dst_md));
        args.put(DNNL_ARG_DST, dst);
        dnnl_memory_desc_t workspaceDesc = layout(fwd, dnnl_query_workspace_md);
        Dnnl.Memory workspace = workspaceDesc.ndims() > 0 ? dnnl.allocate(workspaceDesc) : null;
        if (workspace != null) args.put(DNNL_ARG_WORKSPACE, workspace);
        forward.add(dnnl.step(fwd, args));
        dnnl.copy(dst, y, forward);

        if (b.needsGradIn(0)) {
            dnnl_pooling_desc_t bd = new dnnl_pooling_desc_t();
            check(dnnl_pooling_backward_desc_init(bd, algorithm, srcDesc, layout(fwd, dnnl_query_dst_md), strides, window,
                    padBefore, padAfter), "describe a pooling's backward pass");
            dnnl_primitive_desc bwd = dnnl.primitiveDesc(bd, fwd);
            Dnnl.Memory gradX = dnnl.over(b.gradIn(0));
            Dnnl.Memory diffSrc = dnnl.target(gradX, layout(bwd, dnnl_query_diff_src_md));
            Map<Integer, Dnnl.Memory> bargs = new HashMap<>();
            bargs.put(DNNL_ARG_DIFF_DST, dnnl.new Array(b.gradOut()).in(layout(bwd, dnnl_query_diff_dst_md), backward));
            bargs.put(DNNL_ARG_DIFF_SRC, diffSrc);
            if (workspace != null) bargs.put(DNNL_ARG_WORKSPACE, workspace);
            backward.add(dnnl.step(bwd, bargs));
            dnnl.copy(diffSrc, gradX, backward);
        }
    }
}
