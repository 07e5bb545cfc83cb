package kiln.engine.data.pipeline;

import kiln.engine.data.Dataset;
import kiln.engine.params.ParamSpec;
import kiln.engine.shape.TensorShape;

import java.util.List;
import java.util.Optional;

/**
 * (x − mean) / std with constants given up front, as in common tutorials (MNIST 0.1307 / 0.3081 on values
 * already scaled to 0–1). Presets carry per-channel constants for colour data sets.
 */
public final class FixedNormalizeStep extends AbstractStep {

    public static final String ID = "fixed_normalize";

    /** Published channel statistics of data scaled to 0–1. */
    enum Preset {
        MNIST("mnist", new float[] {0.1307f}, new float[] {0.3081f}),
        FASHION("fashion-mnist", new float[] {0.2860f}, new float[] {0.3530f}),
        CIFAR10("cifar10", new float[] {0.4914f, 0.4822f, 0.4465f}, new float[] {0.2470f, 0.2435f, 0.2616f}),
        IMAGENET("imagenet", new float[] {0.485f, 0.456f, 0.406f}, new float[] {0.229f, 0.224f, 0.225f});

        final String id;
        final float[] mean;
        final float[] std;

        Preset(String id, float[] mean, float[] std) {
            this.id = id;
            this.mean = mean;
            this.std = std;
        }
    }

    public FixedNormalizeStep() {
        super(ID, "Normalize with fixed mean/std", Kind.NORMALIZATION, List.of(
                ParamSpec.choice("preset", "Constants", "mnist",
                        List.of("mnist", "fashion-mnist", "cifar10", "imagenet", "custom"),
                        "Published statistics of a data set (per channel for colour), or custom to type your own."),
                ParamSpec.decimal("mean", "Mean (custom)", 0.5, -1e6, 1e6, "Subtracted from every value when Constants is custom."),
                ParamSpec.decimal("std", "Std (custom)", 0.5, 1e-9, 1e6, "Divides every value when Constants is custom.")),
                "Subtracts a known mean and divides by a known standard deviation, as in many tutorials "
                        + "(MNIST: 0.1307 and 0.3081). The constants assume values in 0–1, so put a Scale step first.");
    }

    @Override
    public Optional<String> checkInput(TensorShape in, StepParams params) {
        String preset = params.getString("preset");
        if (preset.equals("custom")) return Optional.empty();
        float[] mean = constants(preset)[0];
        int channels = in.kind() == TensorShape.Kind.IMAGE ? in.channels() : 1;
        if (mean.length != 1 && mean.length != channels) {
            return Optional.of("The " + preset + " constants are for " + mean.length + " channels but the images have "
                    + channels + "; choose another preset or custom.");
        }
        return Optional.empty();
    }

    private float[][] constants(String preset) {
        for (Preset p : Preset.values()) if (p.id.equals(preset)) return new float[][] {p.mean, p.std};
        throw new IllegalArgumentException(preset);
    }

    @Override
    public Transform fit(Dataset train, StepParams params) {
        String preset = params.getString("preset");
        float[][] c = preset.equals("custom")
                ? new float[][] {{(float) params.getDouble("mean")}, {(float) params.getDouble("std")}}
                : constants(preset);
        TensorShape shape = train.sampleShape();
        Groups groups = c[0].length > 1 ? Groups.of(shape, "per-channel") : Groups.of(shape, "global");
        float[] scale = new float[groups.count];
        float[] shift = new float[groups.count];
        for (int g = 0; g < groups.count; g++) {
            float m = c[0][Math.min(g, c[0].length - 1)];
            float s = c[1][Math.min(g, c[1].length - 1)];
            scale[g] = 1f / s;
            shift[g] = -m / s;
        }
        return groups.affine(scale, shift, "(x − " + Groups.list(c[0]) + ") / " + Groups.list(c[1]) + " (" + preset + " constants; expects values in 0–1)");
    }
}
