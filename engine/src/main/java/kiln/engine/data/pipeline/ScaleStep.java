package kiln.engine.data.pipeline;

import kiln.engine.data.Dataset;
import kiln.engine.params.ParamSpec;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** Multiplies every value by a constant; with 1/255 it maps 8-bit pixels to [0, 1]. */
public final class ScaleStep extends AbstractStep {

    public static final String ID = "scale";
    public static final double PIXELS_TO_UNIT = 1.0 / 255.0;

    public ScaleStep() {
        super(ID, "Scale", Kind.NORMALIZATION, List.of(
                ParamSpec.decimal("factor", "Factor", PIXELS_TO_UNIT, -1e6, 1e6,
                        "Every value is multiplied by this; 0.00392 (1/255) maps pixels to 0–1.")),
                "Multiplies every value by a factor. 1/255 = 0.00392 turns 8-bit pixels (0–255) into 0–1, "
                        + "the range most networks train well on.");
    }

    /** A factor of 0 is in range but would erase the data. */
    @Override
    Optional<String> checkValues(StepParams p) {
        return p.getDouble("factor") == 0
                ? Optional.of("Scale factor is 0, which would erase the data; use a non-zero number (1/255 = 0.00392 turns pixels into 0–1).")
                : Optional.empty();
    }

    @Override
    public Transform fit(Dataset train, StepParams params) {
        float factor = (float) params.getDouble("factor");
        return new Transform() {
            @Override
            public void apply(float[] values, int sampleLength) {
                for (int i = 0; i < values.length; i++) values[i] *= factor;
            }

            @Override
            public String describe() {
                return String.format(Locale.ROOT, "x × %.6g", factor);
            }
        };
    }
}
