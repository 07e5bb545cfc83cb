package kiln.engine.data.pipeline;

import kiln.engine.params.ParamSpec;

import java.util.Collections;
import java.util.Map;

/** A step's parameter values, validated against its type, every parameter present. */
public final class StepParams {

    private final Map<String, Object> values;

    private StepParams(Map<String, Object> values) {
        this.values = Collections.unmodifiableMap(values);
    }

    /**
     * Defaults overridden by the given raw values, each validated.
     * @throws ParamSpec.InvalidParamException naming the first bad value or an unknown parameter
     */
    public static StepParams of(StepType type, Map<String, ?> raw) throws ParamSpec.InvalidParamException {
        return new StepParams(ParamSpec.values(type.displayName(), type.params(), raw));
    }

    /** For parameters already checked (a pipeline that passed {@link Pipeline#problems()}). */
    static StepParams checked(StepType type, Map<String, ?> raw) {
        try {
            return of(type, raw);
        } catch (ParamSpec.InvalidParamException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    /** Every parameter at its default. */
    public static StepParams defaults(StepType type) {
        return checked(type, Map.of());
    }

    public int getInt(String name) { return (Integer) require(name); }
    public double getDouble(String name) { return (Double) require(name); }
    public String getString(String name) { return (String) require(name); }
    public boolean getBoolean(String name) { return (Boolean) require(name); }

    public Map<String, Object> asMap() {
        return values;
    }

    private Object require(String name) {
        Object v = values.get(name);
        if (v == null) throw new IllegalArgumentException("no parameter " + name);
        return v;
    }

    @Override
    public String toString() {
        return values.toString();
    }
}
