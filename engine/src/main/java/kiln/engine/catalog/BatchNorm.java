package kiln.engine.catalog;

import kiln.engine.nn.Init;
import kiln.engine.nn.LayerBuilder;
import kiln.engine.nn.Tensor;
import kiln.engine.params.ParamSpec;
import kiln.engine.shape.TensorShape;

import java.util.List;
import java.util.Map;

public final class BatchNorm extends LayerType {

    public static final String ID = "batch_norm";

    public BatchNorm() {
        super(ID, "BatchNorm", Category.NORMALIZATION, List.of(
                ParamSpec.decimal("momentum", "Momentum", 0.9, 0.0, 0.9999,
                        "How slowly the running mean and variance used at test time follow each batch."),
                ParamSpec.decimal("epsilon", "Epsilon", 1e-5, 1e-10, 0.1,
                        "Small number added to the variance so that no division is by zero.")),
                "Normalises each channel to zero mean and unit variance over the batch, then scales and shifts it "
                        + "with two learned numbers per channel. It keeps values in a good range as they pass through a "
                        + "deep network, which makes training faster and more stable. At test time it uses running averages.");
    }

    @Override public String shapeFormula() { return "output = input"; }

    @Override
    public String paramCountFormula() {
        return "4 × C (learned scale and shift, plus running mean and variance; C = channels or features)";
    }

    @Override
    public ShapeResult outputShape(List<TensorShape> inputs, Params p) {
        TensorShape in = inputs.get(0);
        if (in.kind() == TensorShape.Kind.SEQUENCE) {
            return ShapeResult.problem("received a " + in + "; BatchNorm works on images and vectors, not sequences");
        }
        return ShapeResult.ok(in);
    }

    @Override
    public long paramCount(List<TensorShape> inputs, Params p) {
        return 4L * inputs.get(0).lastAxis();
    }

    @Override
    public long nonTrainableParamCount(List<TensorShape> inputs, Params p) {
        return 2L * inputs.get(0).lastAxis();
    }

    @Override
    public long multiplyAdds(List<TensorShape> inputs, Params p, TensorShape output) {
        return output.elementCount();
    }

    @Override
    public Tensor build(LayerBuilder b, List<Tensor> inputs, List<TensorShape> shapes, Params p) {
        int c = shapes.get(0).lastAxis();
        return b.batchNorm(inputs.get(0), b.bias("weight", Init.constant(1), c), b.bias("bias", Init.zeros(), c),
                b.state("running_mean", Init.zeros(), c), b.state("running_var", Init.constant(1), c),
                p.getDouble("momentum"), p.getDouble("epsilon"));
    }

    @Override
    public String toOnnx(OnnxGraph g, List<TensorShape> inputs, Params p) {
        int c = inputs.get(0).lastAxis();
        LayerWeights w = g.weights();
        return g.node("BatchNormalization", List.of(g.inputs().get(0),
                g.floats("scale", w.values("weight"), c), g.floats("bias", w.values("bias"), c),
                g.floats("mean", w.values("running_mean"), c), g.floats("var", w.values("running_var"), c)),
                Map.of("epsilon", (float) p.getDouble("epsilon")));
    }

    @Override
    public String toPyTorch(TorchModule m, List<TensorShape> inputs, Params p) {
        int c = inputs.get(0).lastAxis();
        LayerWeights w = m.weights();
        String kind = inputs.get(0).kind() == TensorShape.Kind.IMAGE ? "nn.BatchNorm2d(" : "nn.BatchNorm1d(";
        m.module(kind + c + ", eps=" + Activations.py(p.getDouble("epsilon")) + ", momentum="
                + Activations.py(1 - p.getDouble("momentum")) + ")");
        for (String key : List.of("weight", "bias", "running_mean", "running_var")) m.tensor(key, w.values(key), c);
        m.tensor("num_batches_tracked", new float[] {0});
        return m.call(m.inputs().get(0));
    }

    @Override
    public boolean keepsRunningStatistics() { return true; }
}
