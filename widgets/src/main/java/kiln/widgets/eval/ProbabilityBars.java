package kiln.widgets.eval;

import javafx.geometry.HPos;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressBar;
import javafx.scene.layout.ColumnConstraints;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import kiln.widgets.util.StyledColors;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** One horizontal bar per class with its probability; the most likely class is highlighted (widgets.css). */
public final class ProbabilityBars extends GridPane {

    private final List<ProgressBar> bars = new ArrayList<>();
    private final List<Label> values = new ArrayList<>();
    private final List<Label> names = new ArrayList<>();

    public ProbabilityBars() {
        getStyleClass().add("probability-bars");
        getStylesheets().add(StyledColors.stylesheet());
        setHgap(8);
        setVgap(3);
        ColumnConstraints name = new ColumnConstraints();
        name.setHalignment(HPos.RIGHT);
        ColumnConstraints bar = new ColumnConstraints(80, 220, Double.MAX_VALUE);
        bar.setHgrow(Priority.ALWAYS);
        // as wide as its widest text ("100.0%"), never cut short
        ColumnConstraints value = new ColumnConstraints(Region.USE_PREF_SIZE, Region.USE_COMPUTED_SIZE, Region.USE_PREF_SIZE);
        value.setHalignment(HPos.RIGHT);
        getColumnConstraints().addAll(name, bar, value);
    }

    /** Shows the classes with these probabilities (clamped to 0..1 for the bars). */
    public void setValues(List<String> classNames, float[] probabilities) {
        if (names.size() != classNames.size()) rebuild(classNames);
        int best = 0;
        for (int c = 1; c < probabilities.length; c++) if (probabilities[c] > probabilities[best]) best = c;
        for (int c = 0; c < classNames.size(); c++) {
            names.get(c).setText(classNames.get(c));
            double p = c < probabilities.length ? probabilities[c] : 0;
            bars.get(c).setProgress(Math.max(0, Math.min(1, p)));
            values.get(c).setText(String.format(Locale.ROOT, "%.1f%%", p * 100));
            mark(bars.get(c), "best", c == best);
            mark(names.get(c), "text-bold", c == best);
        }
    }

    private static void mark(javafx.scene.Node n, String styleClass, boolean on) {
        if (on && !n.getStyleClass().contains(styleClass)) n.getStyleClass().add(styleClass);
        if (!on) n.getStyleClass().remove(styleClass);
    }

    public void clear() {
        for (ProgressBar b : bars) b.setProgress(0);
        for (Label v : values) v.setText("");
    }

    /** The bar values shown, for tests and accessibility. */
    public double[] shown() {
        return bars.stream().mapToDouble(ProgressBar::getProgress).toArray();
    }

    private void rebuild(List<String> classNames) {
        getChildren().clear();
        bars.clear();
        values.clear();
        names.clear();
        for (int c = 0; c < classNames.size(); c++) {
            Label n = new Label(classNames.get(c));
            ProgressBar b = new ProgressBar(0);
            b.setMaxWidth(Double.MAX_VALUE);
            Label v = new Label();
            v.setMinWidth(Region.USE_PREF_SIZE);
            names.add(n);
            bars.add(b);
            values.add(v);
            addRow(c, n, b, v);
        }
    }
}
