package kiln.engine.catalog;

import kiln.engine.params.ParamSpec;
import kiln.engine.shape.TensorShape;

import java.util.List;
import java.util.Map;
import java.util.function.IntUnaryOperator;

/** The square window that Conv2D and the pooling layers slide over an image: its size, stride and padding. */
record Window(int size, int stride, String padding) {

    static ParamSpec paddingParam() {
        return ParamSpec.choice("padding", "Padding", "valid", List.of("valid", "same"),
                "'valid' uses only windows that fit inside the input; 'same' pads the border with zeros "
                        + "so the output is the input size divided by the stride.");
    }

    /** The window of a layer whose size is the parameter {@code sizeParam} ("kernel", "pool"). */
    static Window of(Params p, String sizeParam) {
        return new Window(p.getInt(sizeParam), p.getInt("stride"), p.getString("padding"));
    }

    boolean same() {
        return "same".equals(padding);
    }

    /**
     * What the window leaves of an image, with {@code channelsOut} of the input's channels; a problem naming the
     * window ("kernel 5") and {@code fix} when the input is no image or the window does not fit.
     */
    ShapeResult outputShape(TensorShape in, IntUnaryOperator channelsOut, String window, String fix) {
        ShapeResult bad = Inputs.requireImage(in);
        if (bad != null) return bad;
        int h = outputSize(in.height());
        int w = outputSize(in.width());
        if (h <= 0 || w <= 0) {
            return ShapeResult.problem("output would be " + Math.max(h, 0) + "×" + Math.max(w, 0) + " for input "
                    + in + " with " + window + "; " + fix);
        }
        return ShapeResult.ok(TensorShape.image(h, w, channelsOut.applyAsInt(in.channels())));
    }

    /** Output size along one axis, or 0 or less when the window does not fit. */
    private int outputSize(int input) {
        if (same()) return (input + stride - 1) / stride;
        return input < size ? 0 : (input - size) / stride + 1;
    }

    /** ONNX pads [top, left, bottom, right] on this input. */
    int[] onnxPads(TensorShape in) {
        return Export.onnxPads(in, size, stride, padding);
    }

    /** The kernel_shape, strides and pads attributes of ONNX's Conv, MaxPool and AveragePool. */
    Map<String, Object> onnxAttributes(TensorShape in) {
        return Map.of("kernel_shape", new int[] {size, size}, "strides", new int[] {stride, stride}, "pads", onnxPads(in));
    }
}
