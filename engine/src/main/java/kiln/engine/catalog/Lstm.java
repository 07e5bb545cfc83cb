package kiln.engine.catalog;

import kiln.engine.nn.Init;
import kiln.engine.nn.LayerBuilder;
import kiln.engine.nn.Param;
import kiln.engine.nn.Tensor;
import kiln.engine.params.ParamSpec;
import kiln.engine.shape.TensorShape;

import java.util.List;

public final class Lstm extends SequenceLayer {

    public static final String ID = "lstm";

    public Lstm() {
        super(ID, "LSTM", List.of(
                ParamSpec.integer("units", "Units", 64, 1, 4096, "Size of the hidden state at each step."),
                ParamSpec.bool("returnSequences", "Return sequences", false,
                        "On: output the hidden state at every step (to stack another LSTM). "
                                + "Off: output only the last step's state (to feed Dense or Output).")),
                "its gate layout differs between engines",
                "replace it with GlobalAvgPool or Flatten followed by Dense layers to export this network",
                "Reads a sequence one step at a time and keeps a memory (the hidden and cell state) that gates "
                        + "decide to keep, update or forget. It suits text, time series and anything where order matters. "
                        + "Turn 'return sequences' off to get one vector summarising the whole sequence.");
    }

    @Override
    public String shapeFormula() {
        return "(T, F) → (T, units) with return sequences, else (units)";
    }

    @Override public String paramCountFormula() { return "4 × units × (F + units + 1)"; }

    @Override
    public ShapeResult outputShape(List<TensorShape> inputs, Params p) {
        TensorShape in = inputs.get(0);
        if (in.kind() != TensorShape.Kind.SEQUENCE) {
            return ShapeResult.problem("expects a sequence (steps × features) but received " + in
                    + "; connect it to a sequence Input or an Embedding");
        }
        int units = p.getInt("units");
        return ShapeResult.ok(p.getBoolean("returnSequences")
                ? TensorShape.sequence(in.length(), units) : TensorShape.vector(units));
    }

    @Override
    public long paramCount(List<TensorShape> inputs, Params p) {
        long u = p.getInt("units");
        return 4 * u * (inputs.get(0).features() + u + 1);
    }

    @Override
    public long multiplyAdds(List<TensorShape> inputs, Params p, TensorShape output) {
        TensorShape in = inputs.get(0);
        long u = p.getInt("units");
        return in.length() * 4 * u * (in.features() + u);
    }

    @Override
    public String subtitle(Params p) {
        return p.getInt("units") + " units" + (p.getBoolean("returnSequences") ? ", sequences" : "");
    }

    @Override
    public Tensor build(LayerBuilder b, List<Tensor> inputs, List<TensorShape> shapes, Params p) {
        int units = p.getInt("units");
        long features = shapes.get(0).features();
        Param ih = b.weight("weight_ih_l0", Init.glorot(features, 4L * units), 4L * units, features);
        Param hh = b.weight("weight_hh_l0", Init.glorot(units, 4L * units), 4L * units, units);
        Param bias = b.bias("bias_ih_l0", Init.forgetGateBias(units), 4L * units);
        return b.lstm(inputs.get(0), ih, hh, bias, p.getBoolean("returnSequences"));
    }
}
