package kiln.engine.nn;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

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

    private static INDArray contiguous(INDArray a) {
        if (a.offset() != 0 || a.data().length() != a.length() || a.ordering() != 'c') {
            throw new IllegalArgumentException("expected a whole row-major array, got a view " + a.shapeInfoToString());
        }
        return a;
    }
}
