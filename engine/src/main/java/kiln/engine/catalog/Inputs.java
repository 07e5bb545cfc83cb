package kiln.engine.catalog;

import kiln.engine.shape.TensorShape;

import java.util.function.IntUnaryOperator;

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

    /**
     * What a square window (convolution or pooling) of size {@code k} and stride {@code s} leaves of an image,
     * with {@code channelsOut} of the input's channels; a problem naming the window ("kernel 5") and {@code fix}
     * when the input is no image or the window does not fit.
     */
    static ShapeResult windowed(TensorShape in, int k, int s, String padding, IntUnaryOperator channelsOut,
                                String window, String fix) {
        ShapeResult bad = requireImage(in);
        if (bad != null) return bad;
        int h = windowOutput(in.height(), k, s, padding);
        int w = windowOutput(in.width(), k, s, padding);
        if (h <= 0 || w <= 0) {
            return ShapeResult.problem("output would be " + Math.max(h, 0) + "×" + Math.max(w, 0) + " for input "
                    + in + " with " + window + "; " + fix);
        }
        return ShapeResult.ok(TensorShape.image(h, w, channelsOut.applyAsInt(in.channels())));
    }

    /** Output size of a sliding window along one axis, or 0 or less when it does not fit. */
    private static int windowOutput(int input, int kernel, int stride, String padding) {
        if ("same".equals(padding)) return (input + stride - 1) / stride;
        return input < kernel ? 0 : (input - kernel) / stride + 1;
    }
}
