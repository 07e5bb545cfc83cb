package kiln.widgets.charts;

import javafx.scene.control.Tooltip;
import javafx.util.Duration;
import kiln.engine.runs.LayerDynamics;
import kiln.engine.train.LayerHints;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Sparklines of how each learning layer of a run moved its weights, epoch by epoch: log10 of the update-to-weight
 * ratio (about −3, a step of 0.1 %, is healthy), with a tooltip of the numbers. A layer a hint is about is drawn as
 * a warning. For the canvas, one per layer with parameters that moved.
 */
public final class LayerSparklines {

    public static final double WIDTH = 64;
    public static final double HEIGHT = 16;
    /** Epochs listed in a tooltip, the newest last. */
    private static final int EPOCHS_LISTED = 8;

    private LayerSparklines() { }

    /** By layer name, for layers that learned in some epoch of {@code rows}. */
    public static Map<String, Sparkline> of(List<LayerDynamics> rows) {
        Map<String, List<LayerDynamics>> byLayer = byLayer(rows);
        Map<String, String> concerns = LayerHints.concerns(rows);
        Map<String, Sparkline> out = new LinkedHashMap<>();
        byLayer.forEach((layer, epochs) -> {
            if (epochs.stream().noneMatch(d -> d.parameters() > 0 && d.updateRatio() > 0)) return;
            Sparkline s = new Sparkline(WIDTH, HEIGHT);
            s.getStyleClass().add("layer-sparkline");
            s.setValues(logRatios(epochs));
            s.setWarning(concerns.containsKey(layer));
            Tooltip tip = new Tooltip(describe(layer, epochs, concerns.get(layer)));
            tip.setShowDelay(Duration.millis(200));
            Tooltip.install(s, tip);
            out.put(layer, s);
        });
        return out;
    }

    /** Each layer's rows in epoch order, layers in the order they were measured (the graph's). */
    public static Map<String, List<LayerDynamics>> byLayer(List<LayerDynamics> rows) {
        Map<String, List<LayerDynamics>> byLayer = new LinkedHashMap<>();
        rows.stream().sorted(java.util.Comparator.comparingInt(LayerDynamics::epoch))
                .forEach(d -> byLayer.computeIfAbsent(d.layer(), k -> new ArrayList<>()).add(d));
        return byLayer;
    }

    /** log10 of the update-to-weight ratio per epoch; NaN where the layer did not move. */
    public static double[] logRatios(List<LayerDynamics> epochs) {
        return epochs.stream().mapToDouble(d -> d.updateRatio() > 0 ? Math.log10(d.updateRatio()) : Double.NaN).toArray();
    }

    /** The tooltip: what the line shows, the trouble if any, and the numbers of the latest epochs. */
    static String describe(String layer, List<LayerDynamics> epochs, String concern) {
        StringBuilder sb = new StringBuilder(layer + ": how far each step moved its weights\n"
                + "(step ÷ weights, per epoch; about 0.001 is healthy)");
        if (concern != null) sb.append("\n⚠ ").append(concern);
        for (LayerDynamics d : epochs.subList(Math.max(0, epochs.size() - EPOCHS_LISTED), epochs.size())) {
            sb.append(String.format(Locale.ROOT, "\nepoch %d:  step %.1e   gradient %.3g   dead %.0f %%", d.epoch(),
                    d.updateRatio(), d.gradientNorm(), Double.isFinite(d.deadShare()) ? 100 * d.deadShare() : 0));
        }
        return sb.toString();
    }
}
