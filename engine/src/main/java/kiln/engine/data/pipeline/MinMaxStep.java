package kiln.engine.data.pipeline;

import kiln.engine.data.Dataset;
import kiln.engine.params.ParamSpec;
import kiln.engine.shape.TensorShape;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** Maps the training split's minimum to {@code low} and its maximum to {@code high}, linearly. */
public final class MinMaxStep extends AbstractStep {

    public static final String ID = "minmax";

    public MinMaxStep() {
        super(ID, "Min-max to a range", Kind.NORMALIZATION, List.of(
                ParamSpec.decimal("low", "Low", 0, -1e6, 1e6, "What the smallest training value becomes."),
                ParamSpec.decimal("high", "High", 1, -1e6, 1e6, "What the largest training value becomes."),
                ParamSpec.choice("mode", "Statistics", "global", Groups.MODES,
                        "global: one minimum and maximum for all values (keeps pixels comparable); "
                                + "per-channel, per-feature (each pixel or column), or auto.")),
                "Stretches values linearly so the training split's smallest value becomes Low and its largest "
                        + "becomes High (0 and 1, or −1 and 1). Minimum and maximum come from the training split only.");
    }

    @Override
    Optional<String> checkValues(StepParams p) {
        return p.getDouble("low") < p.getDouble("high") ? Optional.empty()
                : Optional.of("Low (" + p.getDouble("low") + ") must be below High (" + p.getDouble("high") + "); e.g. 0 and 1.");
    }

    @Override
    public Optional<String> checkInput(TensorShape in, StepParams params) {
        if (params.getString("mode").equals("per-channel") && in.kind() != TensorShape.Kind.IMAGE) {
            return Optional.of("Min-max per channel needs images, but the samples are " + describe(in) + "; use global or per-feature.");
        }
        return Optional.empty();
    }

    @Override
    public Transform fit(Dataset train, StepParams params) {
        double low = params.getDouble("low");
        double high = params.getDouble("high");
        Groups groups = Groups.of(train.sampleShape(), params.getString("mode"));
        double[][] mm = groups.minMax(train);
        float[] scale = new float[groups.count];
        float[] shift = new float[groups.count];
        for (int g = 0; g < groups.count; g++) {
            double span = mm[1][g] - mm[0][g];
            // A constant group maps to the middle of the range.
            double s = span > 1e-12 ? (high - low) / span : 0;
            scale[g] = (float) s;
            shift[g] = (float) (span > 1e-12 ? low - mm[0][g] * s : (low + high) / 2);
        }
        float[] min = toFloat(mm[0]);
        float[] max = toFloat(mm[1]);
        return groups.affine(scale, shift, String.format(Locale.ROOT, "[min, max] → [%s, %s] %s, min %s, max %s (from the training split)",
                low, high, groups.label, Groups.list(min), Groups.list(max)));
    }

    static float[] toFloat(double[] d) {
        float[] f = new float[d.length];
        for (int i = 0; i < d.length; i++) f[i] = (float) d[i];
        return f;
    }
}
