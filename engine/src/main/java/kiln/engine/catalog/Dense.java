package kiln.engine.catalog;

import kiln.engine.nn.Init;
import kiln.engine.nn.LayerBuilder;
import kiln.engine.nn.Tensor;
import kiln.engine.params.ParamSpec;
import kiln.engine.shape.TensorShape;

import java.util.List;

public final class Dense extends LayerType {

    public static final String ID = "dense";

    public Dense() {
        super(ID, "Dense", Category.CORE, List.of(
                ParamSpec.integer("units", "Units", 64, 1, 100_000, "Number of neurons, and so the output size."),
                Activations.param("relu", Activations.NAMES),
                ParamSpec.integer(LowRankAdapters.RANK, "LoRA rank", 0, 0, 4096, "Fine-tune through low-rank "
                        + "adapters: 0 trains the weights themselves; r > 0 freezes them and trains r × (inputs + units) "
                        + "adapter values instead (LoRA). Typical ranks are 4 to 16."),
                ParamSpec.decimal(LowRankAdapters.ALPHA, "LoRA alpha", 8, 0.001, 10_000, "Scales the adapters' "
                        + "change to the weights by alpha / rank; with alpha = 2 × rank the change counts double.")),
                "A fully connected layer: every output is a weighted sum of all inputs plus a bias, passed "
                        + "through the activation. It learns combinations of features and is the building block of "
                        + "classic multilayer perceptrons. It needs a flat vector, so images go through Flatten first.");
    }

    @Override
    public boolean isRelevant(String paramName, Params values) {
        return !LowRankAdapters.ALPHA.equals(paramName) || values.getInt(LowRankAdapters.RANK) > 0;
    }

    @Override public String shapeFormula() { return FullyConnected.SHAPE_FORMULA; }
    @Override public String paramCountFormula() {
        return FullyConnected.PARAM_COUNT_FORMULA + ", plus rank × (n + units) with LoRA adapters";
    }

    @Override
    public ShapeResult outputShape(List<TensorShape> inputs, Params p) {
        ShapeResult r = FullyConnected.outputShape(inputs, p);
        if (r instanceof ShapeResult.Problem) return r;
        return LowRankAdapters.check(inputs.get(0).size(), p).map(ShapeResult::problem).orElse(r);
    }

    @Override
    public long paramCount(List<TensorShape> inputs, Params p) {
        return FullyConnected.paramCount(inputs, p) + LowRankAdapters.paramCount(inputs.get(0).size(), p);
    }

    /** Under LoRA adapters the weights and bias stay as they are. */
    @Override
    public long nonTrainableParamCount(List<TensorShape> inputs, Params p) {
        return LowRankAdapters.rank(p) > 0 ? FullyConnected.paramCount(inputs, p) : 0;
    }

    @Override
    public long multiplyAdds(List<TensorShape> inputs, Params p, TensorShape output) {
        return FullyConnected.multiplyAdds(inputs, p);
    }

    @Override
    public String subtitle(Params p) {
        int rank = LowRankAdapters.rank(p);
        return p.getInt("units") + " units" + Activations.suffix(p.getString("activation"))
                + (rank > 0 ? ", LoRA r" + rank : "");
    }

    @Override
    public Tensor build(LayerBuilder b, List<Tensor> inputs, List<TensorShape> shapes, Params p) {
        String activation = p.getString("activation");
        Init init = Activations.init(activation, shapes.get(0).size(), p.getInt("units"));
        Tensor y = LowRankAdapters.rank(p) > 0 ? LowRankAdapters.build(b, inputs.get(0), shapes.get(0).size(), p, init)
                : FullyConnected.linear(b, inputs, shapes, p, init);
        return b.activation(y, activation, Activations.LEAKY_ALPHA);
    }

    @Override
    public String toOnnx(OnnxGraph g, List<TensorShape> inputs, Params p) {
        String y = Export.onnxDense(g, inputs.get(0).size(), p.getInt("units"),
                LowRankAdapters.mergedWeight(g.weights(), inputs.get(0).size(), p));
        return Activations.onnx(g, y, p.getString("activation"), Activations.LEAKY_ALPHA);
    }

    @Override
    public String toPyTorch(TorchModule m, List<TensorShape> inputs, Params p) {
        Export.torchDense(m, inputs.get(0).size(), p.getInt("units"),
                LowRankAdapters.mergedWeight(m.weights(), inputs.get(0).size(), p));
        return Activations.torch(m.call(m.inputs().get(0)), p.getString("activation"),
                Activations.LEAKY_ALPHA);
    }
}
