package kiln.engine.export;

import kiln.engine.data.Dataset;
import kiln.engine.data.pipeline.Pipeline;
import kiln.engine.shape.TensorShape;

import java.util.List;
import java.util.Optional;

/**
 * A fitted pipeline written as one element-wise affine map, network input = raw × scale + shift, so that
 * an exported model can take raw values (pixels 0–255) like Kiln does. Found by running the fitted
 * pipeline itself on constant inputs, so it stays right for any step that is affine per value.
 */
public record Preprocessing(float[] scale, float[] shift, List<String> steps) {

    public static Optional<Preprocessing> of(Pipeline.Fitted fitted, TensorShape shape, List<String> classNames) {
        int n = Math.toIntExact(shape.elementCount());
        float[] at0 = run(fitted, shape, classNames, 0f);
        float[] at1 = run(fitted, shape, classNames, 1f);
        float[] at255 = run(fitted, shape, classNames, 255f);
        float[] scale = new float[n];
        for (int i = 0; i < n; i++) {
            scale[i] = at1[i] - at0[i];
            // A step that is not affine (clipping, say) cannot be folded into the model.
            float expected = at0[i] + 255f * scale[i];
            if (Math.abs(at255[i] - expected) > 1e-3f * Math.max(1f, Math.abs(expected))) return Optional.empty();
        }
        return Optional.of(new Preprocessing(scale, at0, fitted.describe()));
    }

    private static float[] run(Pipeline.Fitted fitted, TensorShape shape, List<String> classNames, float value) {
        float[] f = new float[Math.toIntExact(shape.elementCount())];
        java.util.Arrays.fill(f, value);
        return fitted.apply(new Dataset(shape, f, new int[] {0}, classNames, "probe")).features();
    }

    public boolean isIdentity() {
        for (int i = 0; i < scale.length; i++) if (scale[i] != 1f || shift[i] != 0f) return false;
        return true;
    }

    /** In words for metadata and messages. */
    public String describe() {
        return steps.isEmpty() ? "none" : String.join("; then ", steps);
    }
}
