package kiln.engine.catalog;

import kiln.engine.shape.TensorShape;

import java.util.List;

/** What Add and Concat share: they join two or more inputs into one and have no settings. */
abstract class Merge extends LayerType {

    Merge(String id, String displayName, String explanation) {
        super(id, displayName, Category.MERGE, List.of(), explanation);
    }

    @Override public final int minInputs() { return 2; }
    @Override public final int maxInputs() { return Integer.MAX_VALUE; }

    /** The problem of input {@code i} not matching the first by {@code rule}, with {@code fix}. */
    static ShapeResult mismatch(String rule, List<TensorShape> inputs, int i, String fix) {
        return ShapeResult.problem("inputs must " + rule + ", but input 1 is " + inputs.get(0)
                + " and input " + (i + 1) + " is " + inputs.get(i) + "; " + fix);
    }
}
