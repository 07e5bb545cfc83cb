package kiln.engine.params;

import java.util.List;
import java.util.Locale;

/**
 * One parameter of a layer type: its name, type, default, allowed values and help text.
 * The inspector builds its editors from these, and project files are validated against them.
 */
public record ParamSpec(String name, String label, ParamKind kind, Object defaultValue,
                        double min, double max, List<String> choices, String help) {

    public enum ParamKind { INT, DOUBLE, CHOICE, BOOLEAN }

    public static ParamSpec integer(String name, String label, int def, int min, int max, String help) {
        return new ParamSpec(name, label, ParamKind.INT, def, min, max, List.of(), help);
    }

    public static ParamSpec decimal(String name, String label, double def, double min, double max, String help) {
        return new ParamSpec(name, label, ParamKind.DOUBLE, def, min, max, List.of(), help);
    }

    public static ParamSpec choice(String name, String label, String def, List<String> choices, String help) {
        return new ParamSpec(name, label, ParamKind.CHOICE, def, Double.NaN, Double.NaN, List.copyOf(choices), help);
    }

    public static ParamSpec bool(String name, String label, boolean def, String help) {
        return new ParamSpec(name, label, ParamKind.BOOLEAN, def, Double.NaN, Double.NaN, List.of(), help);
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
                if (v < min || v > max) {
                    throw new InvalidParamException(label + " is " + v + "; use " + describeAllowed());
                }
                return (int) v;
            }
            case DOUBLE -> {
                if (!(raw instanceof Number n) || !Double.isFinite(n.doubleValue())) {
                    throw new InvalidParamException(label + " must be a number, not " + raw);
                }
                double v = n.doubleValue();
                if (v < min || v > max) {
                    throw new InvalidParamException(label + " is " + v + "; use " + describeAllowed());
                }
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

    /** Thrown when a value is outside what a parameter allows; the message is for the user. */
    public static final class InvalidParamException extends Exception {
        public InvalidParamException(String message) {
            super(message);
        }
    }
}
