package kiln.engine.catalog.layers;

import kiln.engine.catalog.Category;
import kiln.engine.catalog.Dl4jNode;
import kiln.engine.catalog.OnnxGraph;
import kiln.engine.catalog.TorchModule;
import kiln.engine.catalog.UnsupportedExportException;
import kiln.engine.catalog.LayerType;
import kiln.engine.catalog.ParamSpec;
import kiln.engine.catalog.Params;
import kiln.engine.catalog.ShapeResult;
import kiln.engine.model.TensorShape;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;

import java.util.List;
import java.util.Map;

public final class BatchNorm extends LayerType {

    public static final String ID = "batch_norm";

    public BatchNorm() {
        super(ID, "BatchNorm", Category.NORMALIZATION, List.of(
                ParamSpec.decimal("momentum", "Momentum", 0.9, 0.0, 0.9999,
                        "How slowly the running mean and variance used at test time follow each batch."),
                ParamSpec.decimal("epsilon", "Epsilon", 1e-5, 1e-10, 0.1,
                        "Small number added to the variance so that no division is by zero.")));
    }

    @Override
    public String explanation() {
        return "Normalises each channel to zero mean and unit variance over the batch, then scales and shifts it "
                + "with two learned numbers per channel. It keeps values in a good range as they pass through a "
                + "deep network, which makes training faster and more stable. At test time it uses running averages.";
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

    @Override public String subtitle(Params p) { return ""; }

    @Override
    public Dl4jNode toDl4j(List<TensorShape> inputs, Params p) {
        int channels = inputs.get(0).lastAxis();
        return new Dl4jNode.LayerNode(new BatchNormalization.Builder()
                .nIn(channels).nOut(channels)
                .decay(p.getDouble("momentum"))
                .eps(p.getDouble("epsilon"))
                .build());
    }

    @Override
    public String toOnnx(OnnxGraph g, List<TensorShape> inputs, Params p) {
        int c = inputs.get(0).lastAxis();
        float eps = (float) p.getDouble("epsilon");
        float[][] stats = inference(g.weights(), c, eps);
        return g.node("BatchNormalization", List.of(g.inputs().get(0),
                g.floats("scale", g.weights().values("gamma"), c), g.floats("bias", g.weights().values("beta"), c),
                g.floats("mean", stats[0], c), g.floats("var", stats[1], c)), Map.of("epsilon", eps));
    }

    @Override
    public String toPyTorch(TorchModule m, List<TensorShape> inputs, Params p) {
        int c = inputs.get(0).lastAxis();
        float eps = (float) p.getDouble("epsilon");
        float[][] stats = inference(m.weights(), c, eps);
        String kind = inputs.get(0).kind() == TensorShape.Kind.IMAGE ? "nn.BatchNorm2d(" : "nn.BatchNorm1d(";
        m.module(kind + c + ", eps=" + Activations.py(eps) + ", momentum=" + Activations.py(1 - p.getDouble("momentum")) + ")");
        m.tensor("weight", m.weights().values("gamma"), c);
        m.tensor("bias", m.weights().values("beta"), c);
        m.tensor("running_mean", stats[0], c);
        m.tensor("running_var", stats[1], c);
        m.tensor("num_batches_tracked", new float[] {0});
        return "self." + m.name() + "(" + m.inputs().get(0) + ")";
    }

    /**
     * Running mean and a variance for the usual (x − mean) / sqrt(var + eps) form. The engine may keep the
     * running standard deviation as log10(sqrt(var + eps)) instead of the variance.
     */
    private static float[][] inference(kiln.engine.catalog.LayerWeights w, int c, float eps) {
        float[] mean = w.values("mean");
        if (w.has("var")) return new float[][] {mean, w.values("var")};
        float[] logStd = w.values("log10stdev");
        float[] var = new float[c];
        for (int i = 0; i < c; i++) {
            double std = Math.pow(10, logStd[i]);
            var[i] = (float) Math.max(std * std - eps, 0);
        }
        return new float[][] {mean, var};
    }
}
