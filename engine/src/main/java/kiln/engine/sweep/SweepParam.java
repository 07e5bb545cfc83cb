package kiln.engine.sweep;

import kiln.engine.model.Node;
import kiln.engine.params.ParamSpec;
import kiln.engine.project.Project;
import kiln.engine.project.TrainingSettings;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.stream.Stream;

/**
 * One parameter a sweep varies: a training setting ({@code training.learningRate}) or a layer's parameter
 * ({@code dense1.units}), with its values: a list, a linear or log range of so many points, or (random search only)
 * a range to sample from.
 * @param target  the address as written: training.NAME or LAYER.NAME
 * @param layer   the layer's name, or null for a training setting
 * @param spec    the parameter's rules, from TrainingSettings or the layer catalog
 * @param values  the values to try, each checked by {@code spec}; empty when the values are sampled from a range
 * @param from    a sampled range's lower end (unused for a list)
 * @param to      a sampled range's upper end
 * @param log     whether the values are spaced or sampled on a log scale (a chart of them wants a log axis)
 */
public record SweepParam(String target, String layer, ParamSpec spec, List<Object> values, double from, double to,
                         boolean log) {

    public static final String TRAINING = "training";
    private static final MathContext SHOWN = new MathContext(4);

    public SweepParam {
        values = List.copyOf(values);
    }

    public String name() {
        return spec.name();
    }

    /** Whether the values are a fixed set (a grid can use them) rather than a range to sample from. */
    public boolean discrete() {
        return !values.isEmpty();
    }

    /**
     * Reads {@code TARGET=VALUES} against the project. VALUES is a comma list ({@code 0.001,0.01}, {@code adam,sgd}),
     * a range of COUNT points {@code FROM:TO:COUNT}, {@code FROM:TO:lin:COUNT} or {@code FROM:TO:log:COUNT}, or a range
     * to sample from with --random: {@code FROM:TO}, {@code FROM:TO:lin}, {@code FROM:TO:log}.
     */
    public static SweepParam parse(String text, Project project) throws SweepSpecException {
        int eq = text.indexOf('=');
        int dot = eq < 0 ? -1 : text.lastIndexOf('.', eq);
        if (eq < 0 || dot <= 0 || dot == eq - 1) {
            throw new SweepSpecException(text + ": write TARGET=VALUES, e.g. training.learningRate=0.0003,0.001 or "
                    + "dense1.units=32,64.");
        }
        String owner = text.substring(0, dot).strip();
        String name = text.substring(dot + 1, eq).strip();
        String target = owner + "." + name;
        ParamSpec spec = owner.equals(TRAINING) ? trainingSpec(text, name) : layerSpec(text, owner, name, project);
        String valuesText = text.substring(eq + 1).strip();
        String layer = owner.equals(TRAINING) ? null : owner;
        if (valuesText.isEmpty()) {
            throw new SweepSpecException(text + ": the list of values is empty; give values such as "
                    + example(spec) + ".");
        }
        if (valuesText.contains(":")) return range(text, target, layer, spec, valuesText);
        List<Object> values = new ArrayList<>();
        for (String item : valuesText.split(",", -1)) {
            if (item.isBlank()) {
                throw new SweepSpecException(text + ": the list has an empty value; separate values by single commas, "
                        + "e.g. " + example(spec) + ".");
            }
            values.add(checked(text, spec, raw(text, spec, item.strip())));
        }
        return new SweepParam(target, layer, spec, new ArrayList<>(new LinkedHashSet<>(values)), Double.NaN, Double.NaN, false);
    }

    private static ParamSpec trainingSpec(String text, String name) throws SweepSpecException {
        return Stream.concat(TrainingSettings.PARAMS.stream(), TrainingSettings.HEAD_FIRST_PARAMS.stream())
                .filter(s -> s.name().equals(name)).findFirst()
                .orElseThrow(() -> new SweepSpecException(text + ": there is no training setting '" + name
                        + "'; the settings are " + String.join(", ", Stream.concat(TrainingSettings.PARAMS.stream(),
                        TrainingSettings.HEAD_FIRST_PARAMS.stream()).map(ParamSpec::name).toList()) + "."));
    }

    private static ParamSpec layerSpec(String text, String layer, String name, Project project) throws SweepSpecException {
        Node node = project.graph().find(layer).orElseThrow(() -> new SweepSpecException(text + ": the network has no layer '"
                + layer + "'; its layers are " + String.join(", ", project.graph().nodes().stream().map(Node::name).toList())
                + " (or use training.SETTING for a training setting)."));
        List<ParamSpec> params = node.type().params();
        return params.stream().filter(s -> s.name().equals(name)).findFirst()
                .orElseThrow(() -> new SweepSpecException(text + ": " + layer + " (" + node.type().displayName()
                        + ") has no parameter '" + name + "'; " + (params.isEmpty() ? "it has none."
                        : "its parameters are " + String.join(", ", params.stream().map(ParamSpec::name).toList()) + ".")));
    }

    private static SweepParam range(String text, String target, String layer, ParamSpec spec, String valuesText)
            throws SweepSpecException {
        if (spec.kind() != ParamSpec.ParamKind.INT && spec.kind() != ParamSpec.ParamKind.DOUBLE) {
            throw new SweepSpecException(text + ": " + spec.label() + " is not a number, so it takes a list, not a range; "
                    + "e.g. " + example(spec) + ".");
        }
        String[] parts = valuesText.split(":", -1);
        String usage = "write FROM:TO:COUNT, FROM:TO:log:COUNT (e.g. 1e-4:1e-2:log:5) or, with --random, FROM:TO:log";
        if (parts.length < 2 || parts.length > 4) throw new SweepSpecException(text + ": " + usage + ".");
        double from = number(text, parts[0]);
        double to = number(text, parts[1]);
        String scale = parts.length == 4 || (parts.length == 3 && !isCount(parts[2])) ? parts[2].strip().toLowerCase(Locale.ROOT) : "lin";
        if (!scale.equals("lin") && !scale.equals("log")) {
            throw new SweepSpecException(text + ": the scale is '" + parts[2].strip() + "'; use lin or log.");
        }
        boolean log = scale.equals("log");
        checked(text, spec, from);
        checked(text, spec, to);
        if (from > to) throw new SweepSpecException(text + ": the range runs from " + parts[0].strip() + " down to "
                + parts[1].strip() + "; give the smaller end first.");
        if (log && from <= 0) {
            throw new SweepSpecException(text + ": a log range must stay above 0; start it at a small positive value such as 1e-4.");
        }
        boolean counted = parts.length == 4 || (parts.length == 3 && isCount(parts[2]));
        if (!counted) return new SweepParam(target, layer, spec, List.of(), from, to, log);
        String countText = parts[parts.length - 1].strip();
        int count;
        try {
            count = Integer.parseInt(countText);
        } catch (NumberFormatException e) {
            throw new SweepSpecException(text + ": the count '" + countText + "' is not a whole number; " + usage + ".");
        }
        if (count < 1 || count > 1000) {
            throw new SweepSpecException(text + ": the count is " + count + "; use 1 to 1000 points.");
        }
        LinkedHashSet<Object> values = new LinkedHashSet<>();
        for (int i = 0; i < count; i++) {
            double t = count == 1 ? 0 : (double) i / (count - 1);
            double v = log ? Math.exp(Math.log(from) + t * (Math.log(to) - Math.log(from))) : from + t * (to - from);
            values.add(checked(text, spec, rounded(spec, v)));
        }
        return new SweepParam(target, layer, spec, new ArrayList<>(values), from, to, log);
    }

    private static boolean isCount(String s) {
        return s.strip().matches("-?\\d+");
    }

    private static double number(String text, String s) throws SweepSpecException {
        try {
            double v = Double.parseDouble(s.strip());
            if (Double.isFinite(v)) return v;
        } catch (NumberFormatException e) {
            // said below
        }
        throw new SweepSpecException(text + ": '" + s.strip() + "' is not a number.");
    }

    private static Object raw(String text, ParamSpec spec, String item) throws SweepSpecException {
        return switch (spec.kind()) {
            case INT, DOUBLE -> number(text, item);
            case BOOLEAN -> switch (item.toLowerCase(Locale.ROOT)) {
                case "true" -> true;
                case "false" -> false;
                default -> throw new SweepSpecException(text + ": '" + item + "' is not true or false.");
            };
            case CHOICE -> item;
        };
    }

    /** The value as its parameter takes it, or the parameter's rule naming the value. */
    private static Object checked(String text, ParamSpec spec, Object raw) throws SweepSpecException {
        try {
            return spec.coerce(raw instanceof Double d && spec.kind() == ParamSpec.ParamKind.INT
                    && d == Math.rint(d) ? (Object) d.longValue() : raw);
        } catch (ParamSpec.InvalidParamException e) {
            throw new SweepSpecException(text + ": " + e.getMessage() + ".");
        }
    }

    /** Whole numbers for whole-number parameters, four significant digits otherwise (what is shown is what trains). */
    private static Object rounded(ParamSpec spec, double v) {
        if (spec.kind() == ParamSpec.ParamKind.INT) return (double) Math.round(v);
        return new BigDecimal(v).round(SHOWN).doubleValue();
    }

    /** One value drawn at random: from the list, or from the range (log-uniform on a log scale). */
    Object sample(Random random) {
        if (discrete()) return values.get(random.nextInt(values.size()));
        double u = random.nextDouble();
        double v = log ? Math.exp(Math.log(from) + u * (Math.log(to) - Math.log(from))) : from + u * (to - from);
        try {
            return spec.coerce(spec.kind() == ParamSpec.ParamKind.INT ? (Object) Math.round(v) : rounded(spec, v));
        } catch (ParamSpec.InvalidParamException e) {
            throw new IllegalStateException("a value inside the checked range was refused: " + e.getMessage(), e);
        }
    }

    /** The value as the command line and tables show it: 0.001, 0.0003162, 1e-7, 64, adam. */
    public static String format(Object v) {
        if (v instanceof Double d) {
            if (d == 0) return "0";
            BigDecimal b = new BigDecimal(d).round(MathContext.DECIMAL64).stripTrailingZeros();
            double abs = Math.abs(d);
            if (abs >= 1e-6 && abs < 1e7) return b.toPlainString();
            return b.toString().replace("E", "e").replace("e+", "e");
        }
        return String.valueOf(v);
    }

    private static String example(ParamSpec spec) {
        return switch (spec.kind()) {
            case CHOICE -> String.join(",", spec.choices());
            case BOOLEAN -> "true,false";
            case INT -> "32,64";
            case DOUBLE -> "0.0003,0.001,0.003";
        };
    }
}
