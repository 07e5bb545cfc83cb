package kiln.engine.nn;

import java.util.List;

import static org.bytedeco.dnnl.global.dnnl.dnnl_nchw;

/** Max or average pooling of NCHW images over square windows; padding cells never count. */
final class Pool2d extends Primitive {

    enum Kind { MAX, AVERAGE }

    private final Kind kind;
    private final int pool;
    private final int stride;
    private final boolean same;

    Pool2d(String layer, Tensor x, Kind kind, int pool, int stride, boolean same) {
        super(layer, List.of(x), List.of());
        if (x.rank() != 3) throw new IllegalArgumentException(layer + ": pooling takes images, not " + x);
        this.kind = kind;
        this.pool = pool;
        this.stride = stride;
        this.same = same;
    }

    @Override
    long[] outputShape() {
        Tensor x = inputs().get(0);
        return new long[] {x.dim(0), Conv2d.windowOutput(x.dim(1), pool, stride, same),
                Conv2d.windowOutput(x.dim(2), pool, stride, same)};
    }

    /** kH, kW, sH, sW, pH, pW, dH, dW, same mode, extra (average: 0 leaves padding out of the divisor), NCHW. */
    private long[] args() {
        return new long[] {pool, pool, stride, stride, 0, 0, 1, 1, same ? 1 : 0, 0, 0};
    }

    /** A oneDNN kernel that pools in the given layout (a dnnl_format_tag_t). */
    Kernel bindDnnl(Binding b, int layout) {
        long[] shape = b.in(0).shape();
        return new DnnlPool2d(b, kind, pool, new long[] {stride, stride}, Conv2d.padding(shape, pool, stride, same, false),
                Conv2d.padding(shape, pool, stride, same, true), layout);
    }

    @Override
    Kernel bind(Binding b) {
        if (Dnnl.enabled(b.dtype)) return bindDnnl(b, dnnl_nchw);
        String name = kind == Kind.MAX ? "maxpool2d" : "avgpool2d";
        NativeOp forward = b.op(name, Binding.of(b.in(0)), Binding.of(b.out()), args());
        NativeOp backward = b.needsGradIn(0)
                ? b.op(name + "_bp", Binding.of(b.in(0), b.gradOut()), Binding.of(b.gradIn(0)), args()) : null;
        return Kernel.of(forward, backward);
    }
}
