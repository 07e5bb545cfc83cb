package kiln.engine.catalog;

import kiln.engine.params.ParamSpec;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** Validated parameter values of one layer, every parameter present, in the catalog's order. */
public final class Params {

    private final Map<String, Object> values;

    private Params(Map<String, Object> values) {
        this.values = Collections.unmodifiableMap(values);
    }

    /** All defaults of a layer type. */
    public static Params defaults(LayerType type) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (ParamSpec p : type.params()) m.put(p.name(), p.defaultValue());
        return new Params(m);
    }

    /**
     * Defaults overridden by the given raw values, each validated.
     * @throws ParamSpec.InvalidParamException naming the first bad value, or an unknown parameter
     */
    public static Params of(LayerType type, Map<String, ?> raw) throws ParamSpec.InvalidParamException {
        return new Params(ParamSpec.values(type.displayName(), type.params(), raw));
    }

    /** A copy with one parameter changed, validated. */
    public Params with(LayerType type, String name, Object raw) throws ParamSpec.InvalidParamException {
        Map<String, Object> m = new LinkedHashMap<>(values);
        m.put(name, raw);
        return of(type, m);
    }

    public int getInt(String name) { return (Integer) require(name); }
    public double getDouble(String name) { return (Double) require(name); }
    public String getString(String name) { return (String) require(name); }
    public boolean getBoolean(String name) { return (Boolean) require(name); }

    public Object get(String name) { return require(name); }

    public Map<String, Object> asMap() { return values; }

    private Object require(String name) {
        Object v = values.get(name);
        if (v == null) throw new IllegalArgumentException("no parameter " + name);
        return v;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Params p && p.values.equals(values);
    }

    @Override
    public int hashCode() {
        return values.hashCode();
    }

    @Override
    public String toString() {
        return values.toString();
    }
}
