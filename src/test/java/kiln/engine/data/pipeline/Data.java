package kiln.engine.data.pipeline;

import kiln.engine.data.Dataset;
import kiln.engine.shape.TensorShape;

import java.util.List;
import java.util.Map;

/** Tiny hand-made data sets for step tests. */
final class Data {

    private Data() { }

    static Dataset rows(float[][] rows, int... labels) {
        int d = rows[0].length;
        float[] f = new float[rows.length * d];
        for (int r = 0; r < rows.length; r++) System.arraycopy(rows[r], 0, f, r * d, d);
        return new Dataset(TensorShape.vector(d), f, labels, List.of("a", "b"), "test rows");
    }

    static Dataset images(TensorShape shape, float[]... samples) {
        int per = (int) shape.elementCount();
        float[] f = new float[samples.length * per];
        for (int i = 0; i < samples.length; i++) System.arraycopy(samples[i], 0, f, i * per, per);
        return new Dataset(shape, f, new int[samples.length], List.of("only"), "test images");
    }

    static StepType.FittedStep fit(String type, Dataset train, Map<String, Object> params) {
        StepType t = StepType.find(type).orElseThrow();
        return t.fit(train, StepParams.checked(t, params));
    }

    static StepType.Cleaned clean(String type, Dataset train, Dataset data, Map<String, Object> params) {
        return ((StepType.Cleaner) fit(type, train, params)).clean(data);
    }

    static float[] transform(String type, Dataset train, float[] values, Map<String, Object> params) {
        float[] copy = values.clone();
        ((StepType.Transform) fit(type, train, params)).apply(copy, train.sampleLength());
        return copy;
    }

    static final float NaN = Float.NaN;
}
