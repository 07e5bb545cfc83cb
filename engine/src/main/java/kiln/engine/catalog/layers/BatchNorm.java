package kiln.engine.catalog.layers;

import kiln.engine.catalog.Category;
import kiln.engine.catalog.Dl4jNode;
import kiln.engine.catalog.LayerType;
import kiln.engine.catalog.ParamSpec;
import kiln.engine.catalog.Params;
import kiln.engine.catalog.ShapeResult;
import kiln.engine.model.TensorShape;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;

import java.util.List;

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
}
