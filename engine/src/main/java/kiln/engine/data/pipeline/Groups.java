package kiln.engine.data.pipeline;

import kiln.engine.data.Dataset;
import kiln.engine.model.TensorShape;

import java.util.List;

/**
 * Which values share one statistic: all of them ("global"), one channel of an image ("per-channel"),
 * or one position (a pixel, a CSV column: "per-feature"). "auto" is per channel for images, per feature
 * otherwise. Samples are channels-first, so a channel is a contiguous run.
 */
final class Groups {

    static final List<String> MODES = List.of("auto", "per-channel", "per-feature", "global");

    final int count;
    final int[] groupOf; // index in sample -> group
    final String label;

    private Groups(int count, int[] groupOf, String label) {
        this.count = count;
        this.groupOf = groupOf;
        this.label = label;
    }

    static Groups of(TensorShape shape, String mode) {
        int per = Math.toIntExact(shape.elementCount());
        int[] g = new int[per];
        boolean image = shape.kind() == TensorShape.Kind.IMAGE;
        String m = mode.equals("auto") ? (image ? "per-channel" : "per-feature") : mode;
        switch (m) {
            case "global" -> {
                return new Groups(1, g, "all values");
            }
            case "per-channel" -> {
                int channels = image ? shape.channels() : 1;
                int plane = per / channels;
                for (int i = 0; i < per; i++) g[i] = i / plane;
                return new Groups(channels, g, "per channel");
            }
            default -> {
                for (int i = 0; i < per; i++) g[i] = i;
                return new Groups(per, g, image ? "per pixel" : "per column");
            }
        }
    }

    /** Mean and standard deviation per group over the split (NaN values skipped). */
    double[][] meanStd(Dataset d) {
        double[] sum = new double[count];
        double[] sumSq = new double[count];
        long[] n = new long[count];
        float[] f = d.features();
        int per = groupOf.length;
        for (int s = 0, base = 0; s < d.size(); s++, base += per) {
            for (int i = 0; i < per; i++) {
                float v = f[base + i];
                if (v != v) continue;
                int g = groupOf[i];
                sum[g] += v;
                sumSq[g] += (double) v * v;
                n[g]++;
            }
        }
        double[] mean = new double[count];
        double[] std = new double[count];
        for (int g = 0; g < count; g++) {
            if (n[g] == 0) continue;
            mean[g] = sum[g] / n[g];
            std[g] = Math.sqrt(Math.max(sumSq[g] / n[g] - mean[g] * mean[g], 0));
        }
        return new double[][] {mean, std};
    }

    /** Minimum and maximum per group (NaN skipped; 0 when a group has no values). */
    double[][] minMax(Dataset d) {
        double[] lo = new double[count];
        double[] hi = new double[count];
        java.util.Arrays.fill(lo, Double.POSITIVE_INFINITY);
        java.util.Arrays.fill(hi, Double.NEGATIVE_INFINITY);
        float[] f = d.features();
        int per = groupOf.length;
        for (int s = 0, base = 0; s < d.size(); s++, base += per) {
            for (int i = 0; i < per; i++) {
                float v = f[base + i];
                if (v != v) continue;
                int g = groupOf[i];
                if (v < lo[g]) lo[g] = v;
                if (v > hi[g]) hi[g] = v;
            }
        }
        for (int g = 0; g < count; g++) {
            if (lo[g] > hi[g]) {
                lo[g] = 0;
                hi[g] = 0;
            }
        }
        return new double[][] {lo, hi};
    }

    /** values[i] = values[i] * scale[g] + shift[g], for every sample in the array. */
    void affine(float[] values, int sampleLength, float[] scale, float[] shift) {
        for (int base = 0; base < values.length; base += sampleLength) {
            for (int i = 0; i < sampleLength; i++) {
                int g = groupOf[i];
                values[base + i] = values[base + i] * scale[g] + shift[g];
            }
        }
    }

    static String list(float[] v) {
        StringBuilder b = new StringBuilder();
        int shown = Math.min(v.length, 4);
        for (int i = 0; i < shown; i++) {
            if (i > 0) b.append(", ");
            b.append(String.format(java.util.Locale.ROOT, "%.4g", v[i]));
        }
        if (v.length > shown) b.append(", … (").append(v.length).append(" values)");
        return v.length == 1 ? b.toString() : "[" + b + "]";
    }
}
