package kiln.engine.catalog;

import kiln.engine.nn.LayerBuilder;
import kiln.engine.nn.Tensor;
import kiln.engine.params.ParamSpec;
import kiln.engine.shape.TensorShape;

import java.util.List;
import java.util.Map;

/** Shared rule of MaxPool2D and AvgPool2D, which differ only in how a window is summarised. */
abstract class Pooling extends LayerType {

    private final boolean max;

    Pooling(String id, String displayName, boolean max) {
        super(id, displayName, Category.POOLING, List.of(
                ParamSpec.integer("pool", "Pool size", 2, 1, 8, "Width and height of the square window."),
                ParamSpec.integer("stride", "Stride", 2, 1, 8,
                        "Step between windows; equal to the pool size, windows do not overlap."),
                paddingParam()));
        this.max = max;
    }

    static ParamSpec paddingParam() {
        return ParamSpec.choice("padding", "Padding", "valid", List.of("valid", "same"),
                "'valid' uses only windows that fit inside the input; 'same' pads the border with zeros "
                        + "so the output is the input size divided by the stride.");
    }

    @Override
    public String shapeFormula() {
        return "(H, W, C) → (H', W', C); valid: H' = ⌊(H − pool) / s⌋ + 1, same: H' = ⌈H / s⌉ (W likewise)";
    }

    @Override public String paramCountFormula() { return "0"; }

    @Override
    public ShapeResult outputShape(List<TensorShape> inputs, Params p) {
        int k = p.getInt("pool");
        return Inputs.windowed(inputs.get(0), k, p.getInt("stride"), p.getString("padding"), c -> c,
                "pool size " + k, "use padding 'same', a smaller pool, or remove this layer");
    }

    @Override
    public String subtitle(Params p) {
        int k = p.getInt("pool");
        return k + "×" + k + (p.getInt("stride") == k ? "" : ", stride " + p.getInt("stride"))
                + ("same".equals(p.getString("padding")) ? ", same" : "");
    }

    @Override
    public Tensor build(LayerBuilder b, List<Tensor> inputs, List<TensorShape> shapes, Params p) {
        int k = p.getInt("pool");
        int s = p.getInt("stride");
        boolean same = "same".equals(p.getString("padding"));
        return max ? b.maxPool(inputs.get(0), k, s, same) : b.avgPool(inputs.get(0), k, s, same);
    }

    @Override
    public String toOnnx(OnnxGraph g, List<TensorShape> inputs, Params p) {
        int k = p.getInt("pool");
        int s = p.getInt("stride");
        // MaxPool ignores padded cells and AveragePool leaves them out of the divisor, as the engine does.
        return g.node(max ? "MaxPool" : "AveragePool", List.of(g.inputs().get(0)), Map.of(
                "kernel_shape", new int[] {k, k}, "strides", new int[] {s, s},
                "pads", Export.onnxPads(inputs.get(0), k, s, p.getString("padding"))));
    }

    @Override
    public String toPyTorch(TorchModule m, List<TensorShape> inputs, Params p) {
        int k = p.getInt("pool");
        int s = p.getInt("stride");
        int[] pads = Export.onnxPads(inputs.get(0), k, s, p.getString("padding"));
        m.module((max ? "nn.MaxPool2d(" : "nn.AvgPool2d(") + k + ", stride=" + s + ")");
        String x = m.inputs().get(0);
        String self = "self." + m.name();
        if (pads[0] + pads[1] + pads[2] + pads[3] == 0) return self + "(" + x + ")";
        String padArgs = Export.torchPadArgs(pads);
        if (max) return self + "(F.pad(" + x + ", " + padArgs + ", value=float('-inf')))";
        // Average over the real cells only: the sum of the zero-padded window over the count of real cells in it.
        return self + "(F.pad(" + x + ", " + padArgs + ")) / " + self + "(F.pad(torch.ones_like(" + x
                + "[:, :1]), " + padArgs + "))";
    }
}
