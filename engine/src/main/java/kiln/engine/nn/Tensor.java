package kiln.engine.nn;

import java.util.Arrays;

/**
 * A value in a network under construction: its shape for one sample (the batch axis is implicit) and the
 * primitive that produces it. Images are (channels, height, width), vectors (size), sequences (steps, features).
 */
public final class Tensor {

    private final int id;
    private final long[] shape;
    private final Primitive producer;

    Tensor(int id, long[] shape, Primitive producer) {
        this.id = id;
        this.shape = shape.clone();
        this.producer = producer;
    }

    int id() { return id; }

    /** Shape of one sample. */
    public long[] shape() { return shape.clone(); }

    public int rank() { return shape.length; }

    public long dim(int i) { return shape[i]; }

    public long size() {
        long n = 1;
        for (long d : shape) n *= d;
        return n;
    }

    /** The primitive computing this value, or null for a value fed from outside (the input, the targets). */
    Primitive producer() { return producer; }

    /** Shape with the batch axis in front. */
    long[] batched(int batch) {
        long[] s = new long[shape.length + 1];
        s[0] = batch;
        System.arraycopy(shape, 0, s, 1, shape.length);
        return s;
    }

    @Override
    public String toString() {
        return "t" + id + Arrays.toString(shape);
    }
}
