package kiln.engine.catalog;

import kiln.engine.nn.LayerBuilder;
import kiln.engine.nn.Tensor;
import kiln.engine.shape.TensorShape;

import java.util.List;
import java.util.Map;

public final class GlobalAvgPool extends ToVector {

    public static final String ID = "global_avg_pool";

    public GlobalAvgPool() {
        super(ID, "GlobalAvgPool", Category.POOLING,
                "has nothing to pool over; remove this layer or connect it to an image or sequence",
                "Averages each channel over the whole image (or each feature over all time steps), giving one "
                        + "number per channel. Modern CNNs such as ResNet use it instead of Flatten before the classifier: "
                        + "it has no weights and works for any image size.");
    }

    @Override public String shapeFormula() { return "(H, W, C) → (C); sequence (T, F) → (F)"; }

    /** One number per channel or feature, the last axis. */
    @Override
    int vectorLength(TensorShape in) {
        return in.lastAxis();
    }

    @Override
    public Tensor build(LayerBuilder b, List<Tensor> inputs, List<TensorShape> shapes, Params p) {
        return b.globalAvgPool(inputs.get(0));
    }

    @Override
    public String toOnnx(OnnxGraph g, List<TensorShape> inputs, Params p) {
        // Images (N, C, H, W) average over H and W; sequences (N, F, T) over T.
        int[] axes = inputs.get(0).kind() == TensorShape.Kind.IMAGE ? new int[] {2, 3} : new int[] {2};
        return g.node("ReduceMean", List.of(g.inputs().get(0)), Map.of("axes", axes, "keepdims", 0));
    }

    @Override
    public String toPyTorch(TorchModule m, List<TensorShape> inputs, Params p) {
        boolean image = inputs.get(0).kind() == TensorShape.Kind.IMAGE;
        m.module(image ? "nn.AdaptiveAvgPool2d(1)" : "nn.AdaptiveAvgPool1d(1)");
        // Sequences are (N, T, F) in PyTorch as in the engine; AdaptiveAvgPool1d pools the last axis, so T goes there.
        String x = image ? m.inputs().get(0) : m.inputs().get(0) + ".transpose(1, 2)";
        return "torch.flatten(" + m.call(x) + ", 1)";
    }
}
