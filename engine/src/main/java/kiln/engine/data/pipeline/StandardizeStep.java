package kiln.engine.data.pipeline;

import kiln.engine.data.Dataset;
import kiln.engine.model.TensorShape;

import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * z-score: subtracts the mean and divides by the standard deviation, per channel for images and per
 * feature for vectors, with both statistics computed on the training split only.
 */
public final class StandardizeStep implements StepType {

    public static final String ID = "standardize";

    @Override public String id() { return ID; }
    @Override public String displayName() { return "Standardize (z-score)"; }

    @Override
    public Optional<String> check(Map<String, Object> params) {
        return params.isEmpty() ? Optional.empty()
                : Optional.of("Standardize takes no parameters, but got " + params.keySet() + ".");
    }

    @Override
    public Transform fit(Dataset train, Map<String, Object> params) {
        TensorShape shape = train.sampleShape();
        int groups = shape.kind() == TensorShape.Kind.IMAGE ? shape.channels() : train.sampleLength();
        int groupLength = train.sampleLength() / groups; // channels-first: each channel is one contiguous run
        double[] sum = new double[groups];
        double[] sumSq = new double[groups];
        float[] f = train.features();
        int per = train.sampleLength();
        for (int s = 0; s < train.size(); s++) {
            for (int i = 0; i < per; i++) {
                double v = f[s * per + i];
                int g = groupOf(shape, i, groupLength);
                sum[g] += v;
                sumSq[g] += v * v;
            }
        }
        long n = (long) train.size() * groupLength;
        float[] mean = new float[groups];
        float[] invStd = new float[groups];
        for (int g = 0; g < groups; g++) {
            double m = sum[g] / n;
            double var = Math.max(sumSq[g] / n - m * m, 0);
            mean[g] = (float) m;
            // A constant feature stays at 0 instead of dividing by zero.
            invStd[g] = var > 1e-12 ? (float) (1 / Math.sqrt(var)) : 1f;
        }
        return new Transform() {
            @Override
            public void apply(float[] values, int sampleLength) {
                for (int i = 0; i < values.length; i++) {
                    int g = groupOf(shape, i % sampleLength, groupLength);
                    values[i] = (values[i] - mean[g]) * invStd[g];
                }
            }

            @Override
            public String describe() {
                return String.format(Locale.ROOT, "(x − mean) / std with mean %s, 1/std %s (training split)",
                        Arrays.toString(mean), Arrays.toString(invStd));
            }
        };
    }

    private static int groupOf(TensorShape shape, int indexInSample, int groupLength) {
        return shape.kind() == TensorShape.Kind.IMAGE ? indexInSample / groupLength : indexInSample;
    }
}
