package kiln.engine.catalog;

import kiln.engine.nn.LayerBuilder;
import kiln.engine.nn.Tensor;
import kiln.engine.params.ParamSpec;
import kiln.engine.shape.TensorShape;

import java.util.List;

/** Shared rule of MaxPool2D and AvgPool2D, which differ only in how a window is summarised. */
abstract class Pooling extends LayerType {

    private final boolean max;

    Pooling(String id, String displayName, boolean max, String explanation) {
        super(id, displayName, Category.POOLING, List.of(
                ParamSpec.integer("pool", "Pool size", 2, 1, 8, "Width and height of the square window."),
                ParamSpec.integer("stride", "Stride", 2, 1, 8,
                        "Step between windows; equal to the pool size, windows do not overlap."),
                Window.paddingParam()), explanation);
        this.max = max;
    }

    @Override
    public String shapeFormula() {
        return "(H, W, C) → (H', W', C); valid: H' = ⌊(H − pool) / s⌋ + 1, same: H' = ⌈H / s⌉ (W likewise)";
    }

    @Override
    public ShapeResult outputShape(List<TensorShape> inputs, Params p) {
        return Window.of(p, "pool").outputShape(inputs.get(0), c -> c, "pool size " + p.getInt("pool"),
                "use padding 'same', a smaller pool, or remove this layer");
    }

    @Override
    public String subtitle(Params p) {
        int k = p.getInt("pool");
        return k + "×" + k + (p.getInt("stride") == k ? "" : ", stride " + p.getInt("stride"))
                + ("same".equals(p.getString("padding")) ? ", same" : "");
    }

    @Override
    public Tensor build(LayerBuilder b, List<Tensor> inputs, List<TensorShape> shapes, Params p) {
        Window w = Window.of(p, "pool");
        return max ? b.maxPool(inputs.get(0), w.size(), w.stride(), w.same())
                : b.avgPool(inputs.get(0), w.size(), w.stride(), w.same());
    }

    @Override
    public String toOnnx(OnnxGraph g, List<TensorShape> inputs, Params p) {
        // MaxPool ignores padded cells and AveragePool leaves them out of the divisor, as the engine does.
        return g.node(max ? "MaxPool" : "AveragePool", List.of(g.inputs().get(0)),
                Window.of(p, "pool").onnxAttributes(inputs.get(0)));
    }

    @Override
    public String toPyTorch(TorchModule m, List<TensorShape> inputs, Params p) {
        Window w = Window.of(p, "pool");
        int[] pads = w.onnxPads(inputs.get(0));
        m.module((max ? "nn.MaxPool2d(" : "nn.AvgPool2d(") + w.size() + ", stride=" + w.stride() + ")");
        String x = m.inputs().get(0);
        if (pads[0] + pads[1] + pads[2] + pads[3] == 0) return m.call(x);
        String padArgs = Export.torchPadArgs(pads);
        if (max) return m.call("F.pad(" + x + ", " + padArgs + ", value=float('-inf'))");
        // Average over the real cells only: the sum of the zero-padded window over the count of real cells in it.
        return m.call("F.pad(" + x + ", " + padArgs + ")") + " / " + m.call("F.pad(torch.ones_like(" + x
                + "[:, :1]), " + padArgs + ")");
    }
}
