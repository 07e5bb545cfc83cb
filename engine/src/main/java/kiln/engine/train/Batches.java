package kiln.engine.train;

import kiln.engine.data.Dataset;
import kiln.engine.model.TensorShape;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Copies samples of a data set into the array layout DL4J expects for the network's input. */
public final class Batches {

    private Batches() { }

    /** Samples order[from..to) as [n, C, H, W] for images, [n, size] for vectors, [n, F, T] for sequences. */
    public static INDArray features(Dataset d, int[] order, int from, int to) {
        int per = d.sampleLength();
        int n = to - from;
        float[] buf = new float[n * per];
        float[] src = d.features();
        for (int i = 0; i < n; i++) System.arraycopy(src, order[from + i] * per, buf, i * per, per);
        return Nd4j.create(buf, shape(d.sampleShape(), n), 'c');
    }

    public static long[] shape(TensorShape s, int n) {
        return switch (s.kind()) {
            case IMAGE -> new long[] {n, s.channels(), s.height(), s.width()};
            case VECTOR -> new long[] {n, s.size()};
            case SEQUENCE -> new long[] {n, s.features(), s.length()};
        };
    }

    public static int[] identity(int n) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) order[i] = i;
        return order;
    }
}
