package kiln.engine.catalog;

import kiln.engine.shape.TensorShape;

/** Shared input checks that explain what a layer received and how to fix it. */
final class Inputs {

    private Inputs() { }

    /** Dense and Output take a flat vector; an image or sequence gets a fix that inserts Flatten. */
    static ShapeResult requireVector(TensorShape in) {
        return switch (in.kind()) {
            case VECTOR -> null;
            case IMAGE -> ShapeResult.problem("expects a flat vector but received the image " + in
                    + "; insert a Flatten (or GlobalAvgPool) layer before it",
                    new SuggestedFix(Flatten.ID, "Insert Flatten"));
            case SEQUENCE -> ShapeResult.problem("expects a flat vector but received a " + in
                    + "; insert a Flatten or GlobalAvgPool layer before it, or turn off 'return sequences' on the LSTM",
                    new SuggestedFix(GlobalAvgPool.ID, "Insert GlobalAvgPool"));
        };
    }

    /** Convolution and pooling take an image. */
    static ShapeResult requireImage(TensorShape in) {
        if (in.kind() == TensorShape.Kind.IMAGE) return null;
        return ShapeResult.problem("expects an image (height×width×channels) but received "
                + (in.kind() == TensorShape.Kind.VECTOR ? "a vector of " + in.size() : "a " + in)
                + "; connect it to an image Input or to another convolution or pooling layer");
    }
}
