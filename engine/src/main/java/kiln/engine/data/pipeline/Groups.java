package kiln.engine.data.pipeline;

import kiln.engine.data.Dataset;
import kiln.engine.shape.TensorShape;

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
    /** Group g covers sample positions [g·run, (g+1)·run): true for global and per-channel, not per-feature. */
    private final int run;

    private Groups(int count, int[] groupOf, String label) {
        this.count = count;
        this.groupOf = groupOf;
        this.label = label;
        this.run = count == groupOf.length && count > 1 ? 0 : groupOf.length / count;
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
        double[][] fast = meanStdFast(d);
        for (double m : fast[0]) if (Double.isNaN(m)) return meanStdSkippingNaN(d);
        return fast;
    }

    /**
     * The same sums without NaN checks, in loops the JIT can vectorise: contiguous runs for global and
     * per-channel groups, element-wise accumulation for per-feature groups. A NaN in the data shows as a NaN mean.
     */
    private double[][] meanStdFast(Dataset d) {
        float[] f = d.features();
        int per = groupOf.length;
        double[] sum = new double[count];
        double[] sumSq = new double[count];
        if (run == 0) {
            // float sums over blocks of 256 samples (vectorised), added into doubles after each block
            float[] bs = new float[per];
            float[] bq = new float[per];
            int samples = f.length / per;
            for (int start = 0; start < samples; start += 256) {
                int stop = Math.min(samples, start + 256);
                java.util.Arrays.fill(bs, 0);
                java.util.Arrays.fill(bq, 0);
                for (int s = start; s < stop; s++) {
                    int base = s * per;
                    for (int i = 0; i < per; i++) {
                        float v = f[base + i];
                        bs[i] += v;
                        bq[i] += v * v;
                    }
                }
                for (int i = 0; i < per; i++) {
                    sum[i] += bs[i];
                    sumSq[i] += bq[i];
                }
            }
        } else {
            for (int base = 0; base < f.length; base += per) {
                for (int g = 0; g < count; g++) {
                    // per sample and group: float partial sums in four lanes (at most a few thousand values each)
                    float s0 = 0, s1 = 0, s2 = 0, s3 = 0, q0 = 0, q1 = 0, q2 = 0, q3 = 0;
                    int i = base + g * run;
                    int end = i + run;
                    for (; i + 3 < end; i += 4) {
                        float a = f[i], b = f[i + 1], c = f[i + 2], e = f[i + 3];
                        s0 += a; s1 += b; s2 += c; s3 += e;
                        q0 += a * a; q1 += b * b; q2 += c * c; q3 += e * e;
                    }
                    for (; i < end; i++) {
                        s0 += f[i];
                        q0 += f[i] * f[i];
                    }
                    sum[g] += (double) s0 + s1 + s2 + s3;
                    sumSq[g] += (double) q0 + q1 + q2 + q3;
                }
            }
        }
        long n = (long) d.size() * (run == 0 ? 1 : run);
        double[] mean = new double[count];
        double[] std = new double[count];
        for (int g = 0; g < count; g++) {
            if (n == 0) continue;
            mean[g] = sum[g] / n;
            std[g] = Math.sqrt(Math.max(sumSq[g] / n - mean[g] * mean[g], 0));
        }
        return new double[][] {mean, std};
    }

    private double[][] meanStdSkippingNaN(Dataset d) {
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

    /** The fitted transform x · scale[g] + shift[g], described for the student as {@code description}. */
    StepType.Transform affine(float[] scale, float[] shift, String description) {
        return new StepType.Transform() {
            @Override
            public void apply(float[] values, int sampleLength) {
                affine(values, sampleLength, scale, shift);
            }

            @Override
            public String describe() {
                return description;
            }
        };
    }

    /** values[i] = values[i] * scale[g] + shift[g], for every sample in the array. */
    void affine(float[] values, int sampleLength, float[] scale, float[] shift) {
        if (run == 0) {
            for (int base = 0; base < values.length; base += sampleLength) {
                for (int i = 0; i < sampleLength; i++) values[base + i] = values[base + i] * scale[i] + shift[i];
            }
            return;
        }
        for (int base = 0; base < values.length; base += sampleLength) {
            for (int g = 0; g < count; g++) {
                float a = scale[g];
                float b = shift[g];
                for (int i = base + g * run, end = i + run; i < end; i++) values[i] = values[i] * a + b;
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
