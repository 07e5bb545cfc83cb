package kiln.engine.data.pipeline;

import kiln.engine.data.Dataset;

import java.util.Map;
import java.util.Optional;

/** Multiplies every value by a constant; with 1/255 it maps 8-bit pixels to [0, 1]. */
public final class ScaleStep implements StepType {

    public static final String ID = "scale";
    public static final double PIXELS_TO_UNIT = 1.0 / 255.0;

    @Override public String id() { return ID; }
    @Override public String displayName() { return "Scale"; }

    @Override
    public Optional<String> check(Map<String, Object> params) {
        Object f = params.getOrDefault("factor", PIXELS_TO_UNIT);
        if (!(f instanceof Number n) || !Double.isFinite(n.doubleValue()) || n.doubleValue() == 0) {
            return Optional.of("Scale factor is " + f + "; use a non-zero number (1/255 = 0.00392 turns pixels into 0–1).");
        }
        return Optional.empty();
    }

    @Override
    public Transform fit(Dataset train, Map<String, Object> params) {
        float factor = ((Number) params.getOrDefault("factor", PIXELS_TO_UNIT)).floatValue();
        return new Transform() {
            @Override
            public void apply(float[] values, int sampleLength) {
                for (int i = 0; i < values.length; i++) values[i] *= factor;
            }

            @Override
            public String describe() {
                return "x × " + factor;
            }
        };
    }
}
