package kiln.engine.data.pipeline;

import kiln.engine.data.Dataset;
import kiln.engine.params.ParamSpec;
import kiln.engine.shape.TensorShape;

import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * Base of the augmentation steps: random changes to training images, drawn fresh for every epoch. Fitting
 * only notes the training split's per-channel range: padding uses its minimum and results stay inside it.
 */
abstract class AugmentStep extends AbstractStep {

    AugmentStep(String id, String displayName, String explanation, List<ParamSpec> params) {
        super(id, displayName, Kind.AUGMENTATION, params, explanation + " Training split only; validation, test and "
                + "predictions see the images unchanged.");
    }

    @Override
    public Optional<String> checkInput(TensorShape in, StepParams params) {
        return needsImages(in);
    }

    @Override
    public final Augmenter fit(Dataset train, StepParams params) {
        ChannelRange range = ChannelRange.of(train);
        return new Augmenter() {
            @Override
            public void augment(float[] values, int offset, TensorShape shape, SplittableRandom random) {
                AugmentStep.this.augment(values, offset, shape, random, range, params);
            }

            @Override
            public String describe() {
                return AugmentStep.this.describe(params) + " (training only)";
            }
        };
    }

    abstract void augment(float[] v, int off, TensorShape s, SplittableRandom rnd, ChannelRange range, StepParams p);

    abstract String describe(StepParams p);

    /** Uniform in [−a, a]. */
    static double symmetric(SplittableRandom rnd, double a) {
        return a == 0 ? 0 : rnd.nextDouble(-a, a);
    }
}
