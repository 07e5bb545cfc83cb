package kiln.engine.catalog;

import kiln.engine.nn.LayerBuilder;
import kiln.engine.nn.Tensor;
import kiln.engine.shape.TensorShape;

import java.util.List;
import java.util.Map;

public final class Add extends Merge {

    public static final String ID = "add";

    public Add() {
        super(ID, "Add",
                "Adds its inputs value by value; they must all have the same shape. This is the 'skip "
                        + "connection' of residual networks (ResNet): a block learns a correction that is added to its "
                        + "input, which lets very deep networks train.");
    }

    @Override public String shapeFormula() { return "(s), (s), … → (s); all inputs the same shape"; }

    @Override
    public ShapeResult outputShape(List<TensorShape> inputs, Params p) {
        TensorShape first = inputs.get(0);
        for (int i = 1; i < inputs.size(); i++) {
            if (!inputs.get(i).equals(first)) {
                return mismatch("have the same shape", inputs, i,
                        "change a layer on one branch (e.g. its filters or stride) so that they match");
            }
        }
        return ShapeResult.ok(first);
    }

    @Override
    public long multiplyAdds(List<TensorShape> inputs, Params p, TensorShape output) {
        return output.elementCount() * (inputs.size() - 1);
    }

    @Override
    public Tensor build(LayerBuilder b, List<Tensor> inputs, List<TensorShape> shapes, Params p) {
        return b.add(inputs);
    }

    @Override
    public String toOnnx(OnnxGraph g, List<TensorShape> inputs, Params p) {
        String sum = g.inputs().get(0);
        for (int i = 1; i < g.inputs().size(); i++) sum = g.node("Add", List.of(sum, g.inputs().get(i)), Map.of());
        return sum;
    }

    @Override
    public String toPyTorch(TorchModule m, List<TensorShape> inputs, Params p) {
        return "(" + String.join(" + ", m.inputs()) + ")";
    }
}
