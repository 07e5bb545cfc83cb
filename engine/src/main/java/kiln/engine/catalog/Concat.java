package kiln.engine.catalog;

import kiln.engine.nn.LayerBuilder;
import kiln.engine.nn.Tensor;
import kiln.engine.shape.TensorShape;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

public final class Concat extends Merge {

    public static final String ID = "concat";

    public Concat() {
        super(ID, "Concat",
                "Joins its inputs side by side along the last axis: channels for images, features for vectors and "
                        + "sequences. All other dimensions must match. Inception-style networks use it to combine branches "
                        + "that look at the input in different ways.");
    }

    @Override
    public String shapeFormula() {
        return "(H, W, C1), (H, W, C2), … → (H, W, C1 + C2 + …); vectors (n1), (n2) → (n1 + n2)";
    }

    @Override
    public ShapeResult outputShape(List<TensorShape> inputs, Params p) {
        TensorShape first = inputs.get(0);
        int[] leading = Arrays.copyOf(first.dims(), first.dims().length - 1);
        int total = 0;
        for (int i = 0; i < inputs.size(); i++) {
            TensorShape s = inputs.get(i);
            int[] dims = s.dims();
            if (s.kind() != first.kind() || !Arrays.equals(Arrays.copyOf(dims, dims.length - 1), leading)) {
                return mismatch("match in all but the last axis", inputs, i,
                        "resize one branch (pooling, stride or padding) so that they line up");
            }
            total += s.lastAxis();
        }
        return ShapeResult.ok(first.withLastAxis(total));
    }

    /** Channels are the first axis of an image in the engine's layout, features the last of the others. */
    @Override
    public Tensor build(LayerBuilder b, List<Tensor> inputs, List<TensorShape> shapes, Params p) {
        int axis = shapes.get(0).kind() == TensorShape.Kind.IMAGE ? 0 : inputs.get(0).rank() - 1;
        return b.concat(inputs, axis);
    }

    /** Joins along channels (axis 1 of NCHW) or features, as the engine's merge does. */
    @Override
    public String toOnnx(OnnxGraph g, List<TensorShape> inputs, Params p) {
        return g.node("Concat", g.inputs(), Map.of("axis", 1));
    }

    /** Joins along channels (axis 1 of NCHW) or features, the last axis of (N, n) vectors and (N, T, F) sequences. */
    @Override
    public String toPyTorch(TorchModule m, List<TensorShape> inputs, Params p) {
        int axis = inputs.get(0).kind() == TensorShape.Kind.IMAGE ? 1 : -1;
        return "torch.cat([" + String.join(", ", m.inputs()) + "], dim=" + axis + ")";
    }
}
