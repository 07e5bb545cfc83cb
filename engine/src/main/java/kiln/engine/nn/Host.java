package kiln.engine.nn;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.nio.ByteOrder;

/** Copies between a whole, contiguous native array and the Java heap. */
final class Host {

    private Host() { }

    static double[] read(INDArray a) {
        return contiguous(a).data().asDouble();
    }

    static void write(INDArray a, double[] values) {
        contiguous(a);
        if (a.dataType() == DataType.DOUBLE) {
            a.data().setData(values);
        } else {
            float[] f = new float[values.length];
            for (int i = 0; i < f.length; i++) f[i] = (float) values[i];
            a.data().setData(f);
        }
    }

    static void write(INDArray a, float[] values, int offset) {
        contiguous(a);
        if (values.length - offset < a.length()) throw new IllegalArgumentException("too few values for " + a.shapeInfoToString());
        if (a.dataType() == DataType.FLOAT) {
            a.data().asNio().order(ByteOrder.nativeOrder()).asFloatBuffer().put(values, offset, (int) a.length());
        } else {
            double[] d = new double[(int) a.length()];
            for (int i = 0; i < d.length; i++) d[i] = values[offset + i];
            a.data().setData(d);
        }
    }

    static float[] readFloats(INDArray a) {
        if (a.dataType() == DataType.FLOAT && a.offset() == 0 && a.data().length() == a.length() && a.ordering() == 'c') {
            float[] out = new float[(int) a.length()];
            a.data().asNio().order(ByteOrder.nativeOrder()).asFloatBuffer().get(out);
            return out;
        }
        return a.dup('c').castTo(DataType.FLOAT).data().asFloat();
    }

    private static INDArray contiguous(INDArray a) {
        if (a.offset() != 0 || a.data().length() != a.length() || a.ordering() != 'c') {
            throw new IllegalArgumentException("expected a whole row-major array, got a view " + a.shapeInfoToString());
        }
        return a;
    }
}
