package kiln.engine.catalog;

import kiln.engine.shape.TensorShape;

import java.util.List;

/** Flatten and GlobalAvgPool: each makes a vector of an image or a sequence, as Dense and Output need. */
abstract class ToVector extends LayerType {

    private final String uselessOnVector;

    /** @param uselessOnVector why a vector input makes no sense, and the fix: "is already flat; remove this layer" */
    ToVector(String id, String displayName, Category category, String uselessOnVector, String explanation) {
        super(id, displayName, category, List.of(), explanation);
        this.uselessOnVector = uselessOnVector;
    }

    @Override
    public final ShapeResult outputShape(List<TensorShape> inputs, Params p) {
        TensorShape in = inputs.get(0);
        if (in.kind() == TensorShape.Kind.VECTOR) {
            return ShapeResult.problem("received the vector " + in + ", which " + uselessOnVector);
        }
        return ShapeResult.ok(TensorShape.vector(vectorLength(in)));
    }

    /** The length of the vector made of an image or sequence {@code in}. */
    abstract int vectorLength(TensorShape in);
}
