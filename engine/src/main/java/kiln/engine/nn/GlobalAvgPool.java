package kiln.engine.nn;

import java.util.List;

/** Mean over the positions of each channel: (C, H, W) → (C) for images, (T, F) → (F) for sequences. */
final class GlobalAvgPool extends Primitive {

    GlobalAvgPool(String layer, Tensor x) {
        super(layer, List.of(x), List.of());
        if (x.rank() < 2) throw new IllegalArgumentException(layer + ": nothing to pool over in " + x);
    }

    @Override
    long[] outputShape() {
        Tensor x = inputs().get(0);
        return new long[] {x.rank() == 3 ? x.dim(0) : x.dim(1)};
    }

    @Override
    Kernel bind(Binding b) {
        long[] axes = inputs().get(0).rank() == 3 ? new long[] {2, 3} : new long[] {1};
        NativeOp forward = b.op("reduce_mean", Binding.of(b.in(0)), Binding.of(b.out()), axes);
        NativeOp backward = b.needsGradIn(0)
                ? b.op("reduce_mean_bp", Binding.of(b.in(0), b.gradOut()), Binding.of(b.gradIn(0)), axes) : null;
        return Kernel.of(forward, backward);
    }
}
