package kiln.engine.train;

import kiln.engine.catalog.EngineShapes;
import kiln.engine.data.Dataset;
import kiln.engine.shape.TensorShape;

/** Copies samples of a data set, in a chosen order, into one batch laid out as the engine takes it. */
public final class Batches {

    private Batches() { }

    /** Samples order[from..to) one after another into {@code out}; returns it. */
    public static float[] features(Dataset d, int[] order, int from, int to, float[] out) {
        int per = d.sampleLength();
        float[] src = d.features();
        for (int i = 0; i < to - from; i++) System.arraycopy(src, order[from + i] * per, out, i * per, per);
        return out;
    }

    /** The shape of n samples in the engine's layout: (n, C, H, W) images, (n, size) vectors, (n, T, F) sequences. */
    public static long[] shape(TensorShape s, int n) {
        long[] sample = EngineShapes.of(s);
        long[] out = new long[sample.length + 1];
        out[0] = n;
        System.arraycopy(sample, 0, out, 1, sample.length);
        return out;
    }

    public static int[] identity(int n) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) order[i] = i;
        return order;
    }
}
