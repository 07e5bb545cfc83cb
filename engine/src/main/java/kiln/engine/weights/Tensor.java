package kiln.engine.weights;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Objects;

/**
 * One named array of a weights file: its number type, its shape and its values in row-major order.
 * Immutable: the factories and the accessors copy the arrays.
 */
public final class Tensor {

    /** The most elements a Java array can hold on common JVMs. */
    public static final int MAX_ELEMENTS = Integer.MAX_VALUE - 8;

    private final DType dtype;
    private final long[] shape;
    private final Object values; // float[], double[] or long[], as dtype says
    private final int size;

    private Tensor(DType dtype, long[] shape, Object values, int size) {
        for (long dimension : shape) {
            if (dimension < 0) throw new IllegalArgumentException("negative dimension in shape " + Arrays.toString(shape));
        }
        if (elementCount(shape) != size) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " does not hold " + size + " values");
        }
        this.dtype = dtype;
        this.shape = shape;
        this.values = values;
        this.size = size;
    }

    public static Tensor f32(long[] shape, float[] values) {
        return new Tensor(DType.F32, shape.clone(), values.clone(), values.length);
    }

    public static Tensor f64(long[] shape, double[] values) {
        return new Tensor(DType.F64, shape.clone(), values.clone(), values.length);
    }

    public static Tensor i64(long[] shape, long[] values) {
        return new Tensor(DType.I64, shape.clone(), values.clone(), values.length);
    }

    /** A zero tensor that the reader fills with readFrom before anyone else sees it. */
    static Tensor toFill(DType dtype, long[] shape) {
        int size = (int) elementCount(shape);
        Object values = switch (dtype) {
            case F32 -> new float[size];
            case F64 -> new double[size];
            case I64 -> new long[size];
        };
        return new Tensor(dtype, shape, values, size);
    }

    /** The product of the dimensions (1 for a scalar's empty shape), or Long.MAX_VALUE if it does not fit a long. */
    static long elementCount(long[] shape) {
        long count = 1;
        try {
            for (long dimension : shape) count = Math.multiplyExact(count, dimension);
        } catch (ArithmeticException overflow) {
            return Long.MAX_VALUE;
        }
        return count;
    }

    public DType dtype() {
        return dtype;
    }

    public long[] shape() {
        return shape.clone();
    }

    /** The number of elements. */
    public int size() {
        return size;
    }

    public float[] floats() {
        return ((float[]) valuesOf(DType.F32)).clone();
    }

    public double[] doubles() {
        return ((double[]) valuesOf(DType.F64)).clone();
    }

    public long[] longs() {
        return ((long[]) valuesOf(DType.I64)).clone();
    }

    private Object valuesOf(DType wanted) {
        if (dtype != wanted) throw new IllegalStateException("this tensor holds " + dtype + " values, not " + wanted);
        return values;
    }

    /** Puts the elements from index {@code from} on that fit whole into a little-endian buffer; returns the next index. */
    int writeTo(ByteBuffer littleEndian, int from) {
        int count = Math.min(size - from, littleEndian.remaining() / dtype.bytes());
        switch (dtype) {
            case F32 -> littleEndian.asFloatBuffer().put((float[]) values, from, count);
            case F64 -> littleEndian.asDoubleBuffer().put((double[]) values, from, count);
            case I64 -> littleEndian.asLongBuffer().put((long[]) values, from, count);
        }
        littleEndian.position(littleEndian.position() + count * dtype.bytes());
        return from + count;
    }

    /** Takes the whole elements in a little-endian buffer as the elements from index {@code from} on; returns the next index. */
    int readFrom(ByteBuffer littleEndian, int from) {
        int count = Math.min(size - from, littleEndian.remaining() / dtype.bytes());
        switch (dtype) {
            case F32 -> littleEndian.asFloatBuffer().get((float[]) values, from, count);
            case F64 -> littleEndian.asDoubleBuffer().get((double[]) values, from, count);
            case I64 -> littleEndian.asLongBuffer().get((long[]) values, from, count);
        }
        littleEndian.position(littleEndian.position() + count * dtype.bytes());
        return from + count;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Tensor that && dtype == that.dtype && Arrays.equals(shape, that.shape)
                && Objects.deepEquals(values, that.values);
    }

    @Override
    public int hashCode() {
        return Objects.hash(dtype, Arrays.hashCode(shape), Arrays.deepHashCode(new Object[] {values}));
    }

    /** The type and shape, e.g. F32[32, 1, 3, 3]; the values would not fit a message. */
    @Override
    public String toString() {
        return dtype + Arrays.toString(shape);
    }
}
