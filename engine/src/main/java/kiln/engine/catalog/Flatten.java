package kiln.engine.catalog;

import kiln.engine.nn.LayerBuilder;
import kiln.engine.nn.Tensor;
import kiln.engine.shape.TensorShape;

import java.util.List;
import java.util.Map;

public final class Flatten extends ToVector {

    public static final String ID = "flatten";

    public Flatten() {
        super(ID, "Flatten", Category.CORE, "is already flat; remove this layer",
                "Lays all values of an image (or sequence) out in one long vector so that Dense layers can use "
                        + "them. It changes only the arrangement, not the values, and has no weights. Values are taken "
                        + "channel by channel, row by row (channels-first order, as in PyTorch and ONNX).");
    }

    @Override public String shapeFormula() { return "(H, W, C) → (H × W × C); sequence (T, F) → (T × F)"; }

    @Override
    int vectorLength(TensorShape in) {
        return Math.toIntExact(in.elementCount());
    }

    @Override
    public Tensor build(LayerBuilder b, List<Tensor> inputs, List<TensorShape> shapes, Params p) {
        return b.flatten(inputs.get(0));
    }

    /** Channels-first order (C, H, W), as the engine flattens, is ONNX's Flatten on NCHW. */
    @Override
    public String toOnnx(OnnxGraph g, List<TensorShape> inputs, Params p) {
        return g.node("Flatten", List.of(g.inputs().get(0)), Map.of("axis", 1));
    }

    @Override
    public String toPyTorch(TorchModule m, List<TensorShape> inputs, Params p) {
        m.module("nn.Flatten()");
        return m.call(m.inputs().get(0));
    }
}
