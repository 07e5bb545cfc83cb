package kiln.engine.shape;

import java.util.Arrays;

/**
 * The shape of one sample as it flows between layers (the batch dimension is implicit).
 * Images are height × width × channels in the UI, stored channels-first in memory (as the engine, PyTorch and ONNX
 * take them); sequences are stored step by step, (steps, features).
 */
public record TensorShape(Kind kind, int[] dims) {

    public enum Kind { IMAGE, VECTOR, SEQUENCE }

    public TensorShape {
        dims = dims.clone();
        int expected = switch (kind) { case IMAGE -> 3; case VECTOR -> 1; case SEQUENCE -> 2; };
        if (dims.length != expected) {
            throw new IllegalArgumentException(kind + " shape needs " + expected + " dimensions, got " + dims.length);
        }
    }

    public static TensorShape image(int height, int width, int channels) {
        return new TensorShape(Kind.IMAGE, new int[] {height, width, channels});
    }

    public static TensorShape vector(int size) {
        return new TensorShape(Kind.VECTOR, new int[] {size});
    }

    public static TensorShape sequence(int length, int features) {
        return new TensorShape(Kind.SEQUENCE, new int[] {length, features});
    }

    public int height() { requireKind(Kind.IMAGE); return dims[0]; }
    public int width() { requireKind(Kind.IMAGE); return dims[1]; }
    public int channels() { requireKind(Kind.IMAGE); return dims[2]; }
    public int size() { requireKind(Kind.VECTOR); return dims[0]; }
    public int length() { requireKind(Kind.SEQUENCE); return dims[0]; }
    public int features() { requireKind(Kind.SEQUENCE); return dims[1]; }

    /** Number of values in one sample. */
    public long elementCount() {
        long n = 1;
        for (int d : dims) n *= d;
        return n;
    }

    /** The size of the last axis: channels of an image, features of a sequence, length of a vector. */
    public int lastAxis() {
        return dims[dims.length - 1];
    }

    public TensorShape withLastAxis(int size) {
        int[] d = dims.clone();
        d[d.length - 1] = size;
        return new TensorShape(kind, d);
    }

    private void requireKind(Kind wanted) {
        if (kind != wanted) throw new IllegalStateException("shape " + this + " is not " + wanted);
    }

    @Override
    public int[] dims() {
        return dims.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TensorShape s && s.kind == kind && Arrays.equals(s.dims, dims);
    }

    @Override
    public int hashCode() {
        return kind.hashCode() * 31 + Arrays.hashCode(dims);
    }

    /** Keras-like text: "28×28×1", "128", "sequence 20×64". */
    @Override
    public String toString() {
        return switch (kind) {
            case IMAGE -> dims[0] + "×" + dims[1] + "×" + dims[2];
            case VECTOR -> Integer.toString(dims[0]);
            case SEQUENCE -> "sequence " + dims[0] + "×" + dims[1];
        };
    }
}
