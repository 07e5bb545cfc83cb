package kiln.engine.cli;

import kiln.engine.model.ModelGraph;
import kiln.engine.model.Node;
import kiln.engine.nn.LayerTraining;
import kiln.engine.params.ParamSpec;

import java.util.List;
import java.util.Locale;

/**
 * One {@code --set LAYER.KEY=VALUE} of kiln train: a layer's parameter, or how it trains or starts, for one run.
 * A value is checked by the same rules as in the editor; a bad one stops the command with the rule.
 */
final class LayerSetting {

    static final List<String> TRAINING_KEYS = List.of("trainable", "learningRateMultiplier", "weightsFrom");

    private LayerSetting() { }

    static void apply(ModelGraph graph, String setting) {
        int eq = setting.indexOf('=');
        int dot = eq < 0 ? -1 : setting.lastIndexOf('.', eq);
        if (eq < 0 || dot <= 0 || dot == eq - 1) {
            throw new KilnCommand.UserError("--set " + setting + ": write LAYER.KEY=VALUE, e.g. --set dense1.loraRank=8 "
                    + "or --set conv1.trainable=false.");
        }
        String layer = setting.substring(0, dot);
        String key = setting.substring(dot + 1, eq);
        String value = setting.substring(eq + 1).strip();
        List<Node> targets = layer.equals("*")
                ? graph.nodes().stream().filter(n -> has(n, key)).toList()
                : graph.find(layer).map(List::of).orElseThrow(() -> new KilnCommand.UserError("--set " + setting
                        + ": the network has no layer '" + layer + "'; its layers are "
                        + String.join(", ", graph.nodes().stream().map(Node::name).toList()) + "."));
        if (targets.isEmpty() || !has(targets.get(0), key)) {
            throw new KilnCommand.UserError("--set " + setting + ": " + (layer.equals("*") ? "no layer" : layer
                    + " (" + targets.get(0).type().displayName() + ")") + " has no setting '" + key + "'; use "
                    + String.join(", ", TRAINING_KEYS) + (layer.equals("*") ? "" : " or one of its parameters: "
                    + String.join(", ", targets.get(0).type().params().stream().map(ParamSpec::name).toList())) + ".");
        }
        for (Node n : targets) graph.replace(changed(n, key, value, setting));
    }

    private static boolean has(Node n, String key) {
        return TRAINING_KEYS.contains(key) || n.type().params().stream().anyMatch(p -> p.name().equals(key));
    }

    private static Node changed(Node n, String key, String value, String setting) {
        LayerTraining t = n.training();
        try {
            return switch (key) {
                case "trainable" -> n.withTraining(new LayerTraining(bool(value, setting), t.rateMultiplier(),
                        t.updateStatistics()));
                case "learningRateMultiplier" -> n.withTraining(new LayerTraining(t.trainable(),
                        number(value, setting), t.updateStatistics()));
                case "weightsFrom" -> n.withWeightsFrom(value.isEmpty() ? null : value);
                default -> n.withParams(n.params().with(n.type(), key, parsed(n.type().param(key), value, setting)));
            };
        } catch (ParamSpec.InvalidParamException | IllegalArgumentException e) {
            throw new KilnCommand.UserError("--set " + setting + ": " + n.name() + ": " + e.getMessage());
        }
    }

    private static Object parsed(ParamSpec spec, String value, String setting) {
        return switch (spec.kind()) {
            case INT, DOUBLE -> number(value, setting);
            case BOOLEAN -> bool(value, setting);
            case CHOICE -> value;
        };
    }

    private static double number(String value, String setting) {
        try {
            return Double.parseDouble(value);
        } catch (NumberFormatException e) {
            throw new KilnCommand.UserError("--set " + setting + ": '" + value + "' is not a number.");
        }
    }

    private static boolean bool(String value, String setting) {
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new KilnCommand.UserError("--set " + setting + ": '" + value + "' is not true or false.");
        };
    }
}
