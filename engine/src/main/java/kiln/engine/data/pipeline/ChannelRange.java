package kiln.engine.data.pipeline;

import kiln.engine.data.Dataset;
import kiln.engine.shape.TensorShape;

import java.util.Map;
import java.util.WeakHashMap;

/**
 * Per-channel minimum and maximum of a split. Augmentations pad with the minimum (black for pixels,
 * whatever black became after normalization) and keep values inside the range. Remembered per feature
 * array, since several augmentation steps and every preview ask for the same split's range.
 */
final class ChannelRange {

    private static final Map<float[], ChannelRange> CACHE = new WeakHashMap<>();

    final float[] min;
    final float[] max;

    private ChannelRange(float[] min, float[] max) {
        this.min = min;
        this.max = max;
    }

    static ChannelRange of(Dataset d) {
        synchronized (CACHE) {
            ChannelRange r = CACHE.get(d.features());
            if (r != null && r.min.length == channels(d.sampleShape())) return r;
        }
        Groups g = Groups.of(d.sampleShape(), d.sampleShape().kind() == TensorShape.Kind.IMAGE ? "per-channel" : "global");
        double[][] mm = g.minMax(d);
        ChannelRange r = new ChannelRange(MinMaxStep.toFloat(mm[0]), MinMaxStep.toFloat(mm[1]));
        synchronized (CACHE) {
            CACHE.put(d.features(), r);
        }
        return r;
    }

    static int channels(TensorShape s) {
        return s.kind() == TensorShape.Kind.IMAGE ? s.channels() : 1;
    }

    /** The widest channel's span, the unit for brightness and noise. */
    float span() {
        float s = 0;
        for (int c = 0; c < min.length; c++) s = Math.max(s, max[c] - min[c]);
        return s > 0 ? s : 1;
    }
}
