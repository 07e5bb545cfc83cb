package kiln.engine.data.pipeline;

import kiln.engine.data.Dataset;
import kiln.engine.params.ParamSpec;
import kiln.engine.shape.TensorShape;

import java.util.List;
import java.util.Optional;

/**
 * z-score: subtracts the mean and divides by the standard deviation, per channel, per feature or over all
 * values, with both statistics computed on the training split only.
 */
public final class StandardizeStep extends AbstractStep {

    public static final String ID = "standardize";

    public StandardizeStep() {
        super(ID, "Standardize (z-score)", Kind.NORMALIZATION, List.of(
                ParamSpec.choice("mode", "Statistics", "auto", Groups.MODES,
                        "auto: per channel for images, per column for tables; per-channel: one mean/std per colour "
                                + "channel; per-feature: one per pixel or column; global: one for all values.")),
                "Subtracts the mean and divides by the standard deviation so values centre on 0 with spread 1. "
                        + "The statistics come from the training split only, so nothing leaks from validation or test data.");
    }

    @Override
    public Optional<String> checkInput(TensorShape in, StepParams params) {
        if (params.getString("mode").equals("per-channel") && in.kind() != TensorShape.Kind.IMAGE) {
            return Optional.of("Standardize per channel needs images, but the samples are " + describe(in)
                    + "; use per-feature or auto.");
        }
        return Optional.empty();
    }

    @Override
    public Transform fit(Dataset train, StepParams params) {
        Groups groups = Groups.of(train.sampleShape(), params.getString("mode"));
        double[][] ms = groups.meanStd(train);
        float[] mean = new float[groups.count];
        float[] std = new float[groups.count];
        float[] scale = new float[groups.count];
        float[] shift = new float[groups.count];
        for (int g = 0; g < groups.count; g++) {
            mean[g] = (float) ms[0][g];
            std[g] = (float) ms[1][g];
            // A constant feature becomes 0 instead of dividing by zero.
            scale[g] = std[g] > 1e-6 ? 1f / std[g] : 1f;
            shift[g] = -mean[g] * scale[g];
        }
        return groups.affine(scale, shift, "(x − mean) / std " + groups.label + ", mean " + Groups.list(mean) + ", std " + Groups.list(std)
                + " (from the training split)");
    }
}
