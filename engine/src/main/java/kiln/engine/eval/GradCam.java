package kiln.engine.eval;

import kiln.engine.model.GraphAnalysis;
import kiln.engine.model.NodeAnalysis;
import kiln.engine.shape.TensorShape;

import java.util.List;
import java.util.Optional;

/**
 * Grad-CAM (Selvaraju et al., 2017): which places of an image a class's score rests on, seen from a layer of
 * feature maps. Each channel k of the layer's output A is weighed by the mean of ∂logit/∂A over its positions, and
 * the map is ReLU(Σₖ αₖ·Aₖ), at the layer's resolution; {@link #upsample} brings it to the input's, as PyTorch's
 * bilinear interpolation with align_corners=False does.
 */
public final class GradCam {

    private GradCam() { }

    /** The map at the layer's resolution, with the layer it was taken from. */
    public record Map(String layer, int height, int width, float[] values) { }

    /**
     * The layer Grad-CAM looks at by default: the last one whose output is still a grid of feature maps (wider
     * than one pixel), where the network has most meaning and some place left. Empty when there is none (an MLP).
     */
    public static Optional<String> defaultLayer(GraphAnalysis analysis, String inputLayer) {
        List<String> order = analysis.order();
        for (int i = order.size() - 1; i >= 0; i--) {
            String name = order.get(i);
            if (name.equals(inputLayer)) continue;
            if (isFeatureGrid(analysis.get(name))) return Optional.of(name);
        }
        return Optional.empty();
    }

    static boolean isFeatureGrid(NodeAnalysis node) {
        TensorShape s = node == null ? null : node.shape();
        return s != null && s.kind() == TensorShape.Kind.IMAGE && s.height() * s.width() > 1;
    }

    /**
     * @param activations the layer's output for one sample, channels first (C, H, W)
     * @param gradients   ∂logit/∂activations, same layout
     */
    public static Map compute(String layer, TensorShape shape, float[] activations, float[] gradients) {
        int c = shape.channels();
        int cells = shape.height() * shape.width();
        if (activations.length != c * cells || gradients.length != c * cells) {
            throw new IllegalArgumentException(layer + " gives " + activations.length + " values, not " + shape);
        }
        float[] cam = new float[cells];
        for (int k = 0; k < c; k++) {
            double mean = 0;
            for (int i = 0; i < cells; i++) mean += gradients[k * cells + i];
            float alpha = (float) (mean / cells);
            for (int i = 0; i < cells; i++) cam[i] += alpha * activations[k * cells + i];
        }
        for (int i = 0; i < cells; i++) cam[i] = Math.max(0, cam[i]);
        return new Map(layer, shape.height(), shape.width(), cam);
    }

    /** Bilinear resize of an (h, w) map to (outH, outW), with PyTorch's align_corners=False rule. */
    public static float[] upsample(float[] map, int h, int w, int outH, int outW) {
        float[] out = new float[outH * outW];
        double sy = (double) h / outH;
        double sx = (double) w / outW;
        for (int y = 0; y < outH; y++) {
            double fy = Math.max(0, (y + 0.5) * sy - 0.5);
            int y0 = Math.min((int) fy, h - 1);
            int y1 = Math.min(y0 + 1, h - 1);
            double ly = fy - y0;
            for (int x = 0; x < outW; x++) {
                double fx = Math.max(0, (x + 0.5) * sx - 0.5);
                int x0 = Math.min((int) fx, w - 1);
                int x1 = Math.min(x0 + 1, w - 1);
                double lx = fx - x0;
                double top = map[y0 * w + x0] * (1 - lx) + map[y0 * w + x1] * lx;
                double bottom = map[y1 * w + x0] * (1 - lx) + map[y1 * w + x1] * lx;
                out[y * outW + x] = (float) (top * (1 - ly) + bottom * ly);
            }
        }
        return out;
    }

    /** Scaled to 0..1 by its largest value (all zeros stay zeros: nothing speaks for the class there). */
    public static float[] normalised(float[] map) {
        float max = 0;
        for (float v : map) max = Math.max(max, v);
        float[] out = map.clone();
        if (max > 0) for (int i = 0; i < out.length; i++) out[i] /= max;
        return out;
    }
}
