package kiln.engine.data.pipeline;

import kiln.engine.data.Dataset;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A kind of pipeline step. {@link #fit} looks at the training split only (statistics never leak from
 * validation or test data) and returns the transform applied to every split, in training and in previews alike.
 */
public interface StepType {

    String id();

    String displayName();

    /** Why these parameters are unusable, or empty. */
    Optional<String> check(Map<String, Object> params);

    /** Learns what the step needs from the training split and returns the transform. */
    Transform fit(Dataset train, Map<String, Object> params);

    /** A fitted step: changes sample values in place. */
    interface Transform {
        /** @param values one or more samples laid out as in {@link Dataset#features()} */
        void apply(float[] values, int sampleLength);

        /** What the step does, with its fitted constants, for the UI and for export metadata. */
        String describe();
    }

    static List<StepType> all() {
        return List.of(new ScaleStep(), new StandardizeStep());
    }

    static Optional<StepType> find(String id) {
        return all().stream().filter(t -> t.id().equals(id)).findFirst();
    }
}
