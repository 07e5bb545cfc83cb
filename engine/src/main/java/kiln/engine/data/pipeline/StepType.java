package kiln.engine.data.pipeline;

import kiln.engine.data.Dataset;
import kiln.engine.params.ParamSpec;
import kiln.engine.shape.TensorShape;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A kind of pipeline step, described once: id, name, family, parameters (with defaults and ranges) and
 * explanation. {@link #fit} looks at the training split only (statistics never leak from validation or
 * test data) and returns what is applied, in training and in the data pane's previews alike.
 */
public interface StepType {

    /** The three families of steps, in the order a pipeline usually has them. */
    enum Kind {
        CLEANING("Cleaning"), AUGMENTATION("Augmentation"), NORMALIZATION("Normalization");

        private final String label;

        Kind(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    String id();

    String displayName();

    Kind kind();

    /** One or two sentences for students: what the step does and when to use it. */
    String explanation();

    /** The parameters, in display order; project files and editors are checked against them. */
    List<ParamSpec> params();

    /** Why these parameters are unusable, or empty. Unknown and out-of-range values are named. */
    default Optional<String> check(Map<String, Object> params) {
        try {
            StepParams.of(this, params);
            return Optional.empty();
        } catch (ParamSpec.InvalidParamException e) {
            return Optional.of(e.getMessage());
        }
    }

    /** Why the step cannot work on samples of this shape (e.g. a flip on table rows), or empty. */
    default Optional<String> checkInput(TensorShape in, StepParams params) {
        return Optional.empty();
    }

    /** The sample shape after the step; most steps keep it. */
    default TensorShape outputShape(TensorShape in, StepParams params) {
        return in;
    }

    /** Learns what the step needs from the training split (as earlier steps left it). */
    FittedStep fit(Dataset train, StepParams params);

    /** A fitted step: {@link Transform}, {@link Cleaner} or {@link Augmenter}. */
    interface FittedStep {
        /** What the step does, with its fitted constants, for the UI and for export metadata. */
        String describe();
    }

    /** Changes sample values in place, the same way for every split (normalization). */
    interface Transform extends FittedStep {
        /** @param values one or more samples laid out as in {@link Dataset#features()} */
        void apply(float[] values, int sampleLength);
    }

    /** Maps a split to a new one (fewer samples, changed samples or a new shape) and says what it changed. */
    interface Cleaner extends FittedStep {
        Cleaned clean(Dataset data);

        /** The cleaner that does {@code clean} and says it does {@code description}. */
        static Cleaner of(String description, java.util.function.Function<Dataset, Cleaned> clean) {
            return new Cleaner() {
                @Override
                public Cleaned clean(Dataset data) {
                    return clean.apply(data);
                }

                @Override
                public String describe() {
                    return description;
                }
            };
        }
    }

    /** The result of a cleaning step on one split. */
    record Cleaned(Dataset data, CleaningReport report) { }

    /** Random changes to one training sample, drawn fresh for every epoch; never used for validation, test or inference. */
    interface Augmenter extends FittedStep {
        /** Changes the sample at {@code values[offset .. offset + shape.elementCount())} in place. */
        void augment(float[] values, int offset, TensorShape shape, java.util.SplittableRandom random);
    }

    static List<StepType> all() {
        return StepTypes.ALL;
    }

    static Optional<StepType> find(String id) {
        return all().stream().filter(t -> t.id().equals(id)).findFirst();
    }
}
