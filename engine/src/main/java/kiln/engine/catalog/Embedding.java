package kiln.engine.catalog;

import kiln.engine.nn.Init;
import kiln.engine.nn.LayerBuilder;
import kiln.engine.nn.Tensor;
import kiln.engine.params.ParamSpec;
import kiln.engine.shape.TensorShape;

import java.util.List;

public final class Embedding extends SequenceLayer {

    public static final String ID = "embedding";

    public Embedding() {
        super(ID, "Embedding", List.of(
                ParamSpec.integer("vocabulary", "Vocabulary size", 10_000, 2, 10_000_000,
                        "Number of distinct token ids; ids run from 0 to this minus one."),
                ParamSpec.integer("dimensions", "Dimensions", 64, 1, 4096, "Length of the vector for each token.")),
                "it feeds an LSTM, which does not export either", "remove the sequence layers to export this network",
                "Turns each token id (a word's number, say) into a learned vector. Tokens used in similar ways end "
                        + "up with similar vectors. It is a lookup table, so it costs no multiplications; feed its "
                        + "sequence of vectors to an LSTM.");
    }

    @Override public String shapeFormula() { return "sequence (T, 1) of token ids → (T, dimensions)"; }
    @Override public String paramCountFormula() { return "vocabulary × dimensions"; }

    @Override
    public ShapeResult outputShape(List<TensorShape> inputs, Params p) {
        TensorShape in = inputs.get(0);
        if (in.kind() != TensorShape.Kind.SEQUENCE || in.features() != 1) {
            return ShapeResult.problem("expects a sequence of token ids (steps × 1) but received " + in
                    + "; use a sequence Input with 1 feature");
        }
        return ShapeResult.ok(TensorShape.sequence(in.length(), p.getInt("dimensions")));
    }

    @Override
    public long paramCount(List<TensorShape> inputs, Params p) {
        return (long) p.getInt("vocabulary") * p.getInt("dimensions");
    }

    @Override
    public String subtitle(Params p) {
        return p.getInt("vocabulary") + " → " + p.getInt("dimensions");
    }

    @Override
    public Tensor build(LayerBuilder b, List<Tensor> inputs, List<TensorShape> shapes, Params p) {
        int vocabulary = p.getInt("vocabulary");
        int dimensions = p.getInt("dimensions");
        return b.embedding(inputs.get(0), b.weight("weight", Init.glorot(vocabulary, dimensions), vocabulary, dimensions));
    }
}
