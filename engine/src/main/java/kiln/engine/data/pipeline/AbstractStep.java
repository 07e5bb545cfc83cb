package kiln.engine.data.pipeline;

import kiln.engine.params.ParamSpec;
import kiln.engine.shape.TensorShape;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The fixed facts of a step type, given once in the constructor. */
abstract class AbstractStep implements StepType {

    private final String id;
    private final String displayName;
    private final Kind kind;
    private final String explanation;
    private final List<ParamSpec> params;

    AbstractStep(String id, String displayName, Kind kind, List<ParamSpec> params, String explanation) {
        this.id = id;
        this.displayName = displayName;
        this.kind = kind;
        this.explanation = explanation;
        this.params = List.copyOf(params);
    }

    @Override public String id() { return id; }
    @Override public String displayName() { return displayName; }
    @Override public Kind kind() { return kind; }
    @Override public String explanation() { return explanation; }
    @Override public List<ParamSpec> params() { return params; }

    /** Each value checked against its parameter, then by the step's own rule ({@link #checkValues}). */
    @Override
    public final Optional<String> check(Map<String, Object> params) {
        Optional<String> problem = StepType.super.check(params);
        return problem.isPresent() ? problem : checkValues(StepParams.checked(this, params));
    }

    /** Why values each in range still do not work (Low above High, a factor of 0), or empty; most steps have no rule. */
    Optional<String> checkValues(StepParams params) {
        return Optional.empty();
    }

    /** For steps that only make sense on images. */
    Optional<String> needsImages(TensorShape in) {
        return in.kind() == TensorShape.Kind.IMAGE ? Optional.empty()
                : Optional.of(displayName + " works on images, but the samples are " + describe(in)
                        + "; remove the step or choose an image data set.");
    }

    /** For steps that only make sense on table rows. */
    Optional<String> needsVectors(TensorShape in) {
        return in.kind() == TensorShape.Kind.VECTOR ? Optional.empty()
                : Optional.of(displayName + " works on table rows (CSV data), but the samples are " + describe(in)
                        + "; remove the step.");
    }

    static String describe(TensorShape s) {
        return switch (s.kind()) {
            case IMAGE -> s + " images";
            case VECTOR -> "rows of " + s.size() + " numbers";
            case SEQUENCE -> s.toString();
        };
    }
}
