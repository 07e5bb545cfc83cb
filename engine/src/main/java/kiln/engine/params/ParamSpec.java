package kiln.engine.params;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One parameter of a layer type, pipeline step or the training settings: its name, type, default, allowed
 * values and help text. The editors are built from these, and project files are validated against them.
 * @param allowed how the allowed values are said to the user, or null to say the range ("a whole number from 1 to 11")
 */
public record ParamSpec(String name, String label, ParamKind kind, Object defaultValue,
                        double min, double max, List<String> choices, String help, String allowed) {

    /** The smallest double above 0: a minimum of ABOVE_ZERO allows exactly the values {@code > 0}. */
    public static final double ABOVE_ZERO = Double.MIN_VALUE;
    /** The largest double below 1: a maximum of BELOW_ONE allows exactly the values {@code < 1}. */
    public static final double BELOW_ONE = Math.nextDown(1.0);

    public enum ParamKind { INT, DOUBLE, CHOICE, BOOLEAN }

    public static ParamSpec integer(String name, String label, int def, int min, int max, String help) {
        return new ParamSpec(name, label, ParamKind.INT, def, min, max, List.of(), help, null);
    }

    public static ParamSpec decimal(String name, String label, double def, double min, double max, String help) {
        return new ParamSpec(name, label, ParamKind.DOUBLE, def, min, max, List.of(), help, null);
    }

    public static ParamSpec choice(String name, String label, String def, List<String> choices, String help) {
        return new ParamSpec(name, label, ParamKind.CHOICE, def, Double.NaN, Double.NaN, List.copyOf(choices), help, null);
    }

    public static ParamSpec bool(String name, String label, boolean def, String help) {
        return new ParamSpec(name, label, ParamKind.BOOLEAN, def, Double.NaN, Double.NaN, List.of(), help, null);
    }

    /** A whole number that may exceed an int (a seed); coerced to Integer within int's range, else Long. */
    public static ParamSpec wholeNumber(String name, String label, long def, long min, long max, String help) {
        return new ParamSpec(name, label, ParamKind.INT, def, min, max, List.of(), help, null);
    }

    /** The same parameter with the allowed values said in these words (e.g. "0 (off) to 10000"). */
    public ParamSpec allowedAs(String words) {
        return new ParamSpec(name, label, kind, defaultValue, min, max, choices, help, words);
    }

    /** Whether a number lies in this parameter's range (NaN does not). */
    public boolean inRange(double v) {
        return v >= min && v <= max;
    }

    /** "Epochs is 0; use 1 to 10000": why a number is refused. */
    public String outOfRange(Object v) {
        return label + " is " + v + "; use " + describeAllowed();
    }

    /**
     * Converts a raw value (from JSON or an editor) to this parameter's Java type, or explains why it can't.
     * Integers arrive as Integer/Long, decimals as any Number, choices as String, booleans as Boolean.
     */
    public Object coerce(Object raw) throws InvalidParamException {
        if (raw == null) throw new InvalidParamException(label + " has no value; give " + describeAllowed());
        switch (kind) {
            case INT -> {
                if (!(raw instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue())) {
                    throw new InvalidParamException(label + " must be a whole number, not " + raw);
                }
                long v = n.longValue();
                if (!inRange(v)) throw new InvalidParamException(outOfRange(v));
                return v == (int) v ? (Object) (int) v : (Object) v;
            }
            case DOUBLE -> {
                if (!(raw instanceof Number n) || !Double.isFinite(n.doubleValue())) {
                    throw new InvalidParamException(label + " must be a number, not " + raw);
                }
                double v = n.doubleValue();
                if (!inRange(v)) throw new InvalidParamException(outOfRange(v));
                return v;
            }
            case CHOICE -> {
                if (!(raw instanceof String s) || !choices.contains(s)) {
                    throw new InvalidParamException(label + " is '" + raw + "'; use " + describeAllowed());
                }
                return s;
            }
            case BOOLEAN -> {
                if (!(raw instanceof Boolean b)) {
                    throw new InvalidParamException(label + " must be true or false, not " + raw);
                }
                return b;
            }
            default -> throw new IllegalStateException(kind.toString());
        }
    }

    /** "a whole number from 1 to 11", "one of relu, tanh", ... */
    public String describeAllowed() {
        if (allowed != null) return allowed;
        return switch (kind) {
            case INT -> "a whole number from " + (long) min + " to " + (long) max;
            case DOUBLE -> "a number from " + format(min) + " to " + format(max);
            case CHOICE -> "one of " + String.join(", ", choices);
            case BOOLEAN -> "true or false";
        };
    }

    private static String format(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : String.format(Locale.ROOT, "%s", v);
    }

    /**
     * The values of {@code specs}: each default overridden by its raw value, validated, in the specs' order.
     * @param owner who has the parameters, for the message about an unknown one ("Dense", "Scale")
     * @throws InvalidParamException naming the first bad value or an unknown parameter
     */
    public static Map<String, Object> values(String owner, List<ParamSpec> specs, Map<String, ?> raw)
            throws InvalidParamException {
        Map<String, Object> m = new LinkedHashMap<>();
        for (ParamSpec p : specs) {
            m.put(p.name(), raw.containsKey(p.name()) ? p.coerce(raw.get(p.name())) : p.defaultValue());
        }
        for (String key : raw.keySet()) {
            if (!m.containsKey(key)) {
                throw new InvalidParamException(owner + " has no parameter '" + key + "'"
                        + (m.isEmpty() ? "; it takes none" : "; its parameters are " + String.join(", ", m.keySet())));
            }
        }
        return m;
    }

    /** Thrown when a value is outside what a parameter allows; the message is for the user. */
    public static final class InvalidParamException extends Exception {
        public InvalidParamException(String message) {
            super(message);
        }
    }
}
