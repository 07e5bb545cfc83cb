package kiln.engine.catalog;

import kiln.engine.nn.Init;
import kiln.engine.nn.LayerBuilder;
import kiln.engine.nn.Param;
import kiln.engine.nn.Tensor;
import kiln.engine.params.ParamSpec;
import kiln.engine.shape.TensorShape;

import java.util.List;

public final class Conv2D extends LayerType {

    public static final String ID = "conv2d";

    public Conv2D() {
        super(ID, "Conv2D", Category.CONVOLUTION, List.of(
                ParamSpec.integer("filters", "Filters", 32, 1, 4096,
                        "Number of learned filters, and so the number of output channels."),
                ParamSpec.integer("kernel", "Kernel size", 3, 1, 15, "Width and height of each square filter."),
                ParamSpec.integer("stride", "Stride", 1, 1, 8, "Step between filter positions; 2 halves the size."),
                Window.paddingParam(),
                Activations.param("relu", Activations.NAMES)),
                "Slides small learned filters over the image; each filter responds to one local pattern "
                        + "(an edge, a stroke, a texture) wherever it appears. Stacking convolutions lets later layers "
                        + "see larger, more abstract patterns. Padding 'same' keeps the size; 'valid' shrinks it by kernel − 1.");
    }

    @Override
    public String shapeFormula() {
        return "(H, W, C) → (H', W', filters); valid: H' = ⌊(H − k) / s⌋ + 1, same: H' = ⌈H / s⌉ (W likewise)";
    }

    @Override public String paramCountFormula() { return "k × k × C × filters + filters"; }

    @Override
    public ShapeResult outputShape(List<TensorShape> inputs, Params p) {
        int filters = p.getInt("filters");
        return Window.of(p, "kernel").outputShape(inputs.get(0), c -> filters, "kernel " + p.getInt("kernel"),
                "use padding 'same' or a smaller kernel");
    }

    @Override
    public long paramCount(List<TensorShape> inputs, Params p) {
        long k = p.getInt("kernel");
        long f = p.getInt("filters");
        return k * k * inputs.get(0).channels() * f + f;
    }

    @Override
    public long multiplyAdds(List<TensorShape> inputs, Params p, TensorShape out) {
        long k = p.getInt("kernel");
        return (long) out.height() * out.width() * out.channels() * k * k * inputs.get(0).channels();
    }

    @Override
    public String subtitle(Params p) {
        int k = p.getInt("kernel");
        String stride = p.getInt("stride") == 1 ? "" : ", stride " + p.getInt("stride");
        return p.getInt("filters") + " filters, " + k + "×" + k + stride
                + ("same".equals(p.getString("padding")) ? ", same" : "") + Activations.suffix(p.getString("activation"));
    }

    @Override
    public Tensor build(LayerBuilder b, List<Tensor> inputs, List<TensorShape> shapes, Params p) {
        Window window = Window.of(p, "kernel");
        int k = window.size();
        int filters = p.getInt("filters");
        long channels = shapes.get(0).channels();
        String activation = p.getString("activation");
        Param weight = b.weight("weight", Activations.init(activation, channels * k * k, (long) filters * k * k),
                filters, channels, k, k);
        Param bias = b.bias("bias", Init.zeros(), filters);
        Tensor y = b.conv2d(inputs.get(0), weight, bias, k, window.stride(), window.same());
        return b.activation(y, activation, Activations.LEAKY_ALPHA);
    }

    @Override
    public String toOnnx(OnnxGraph g, List<TensorShape> inputs, Params p) {
        TensorShape in = inputs.get(0);
        int k = p.getInt("kernel");
        int f = p.getInt("filters");
        // The engine's kernel layout (filters, channels, k, k) is ONNX's.
        String w = g.floats("weight", g.weights().values("weight"), f, in.channels(), k, k);
        String b = g.floats("bias", g.weights().values("bias"), f);
        String y = g.node("Conv", List.of(g.inputs().get(0), w, b), Window.of(p, "kernel").onnxAttributes(in));
        return Activations.onnx(g, y, p.getString("activation"), Activations.LEAKY_ALPHA);
    }

    @Override
    public String toPyTorch(TorchModule m, List<TensorShape> inputs, Params p) {
        TensorShape in = inputs.get(0);
        Window window = Window.of(p, "kernel");
        int k = window.size();
        int f = p.getInt("filters");
        int[] pads = window.onnxPads(in);
        boolean sym = Export.symmetric(pads);
        m.module("nn.Conv2d(" + in.channels() + ", " + f + ", kernel_size=" + k + ", stride=" + window.stride()
                + (sym && pads[0] + pads[1] > 0 ? ", padding=(" + pads[0] + ", " + pads[1] + ")" : "") + ")");
        m.tensor("weight", m.weights().values("weight"), f, in.channels(), k, k);
        m.tensor("bias", m.weights().values("bias"), f);
        String x = sym ? m.inputs().get(0) : "F.pad(" + m.inputs().get(0) + ", " + Export.torchPadArgs(pads) + ")";
        return Activations.torch(m.call(x), p.getString("activation"), Activations.LEAKY_ALPHA);
    }
}
