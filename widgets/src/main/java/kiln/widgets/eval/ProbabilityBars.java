package kiln.widgets.eval;

import javafx.geometry.HPos;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressBar;
import javafx.scene.layout.ColumnConstraints;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.Priority;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** One horizontal bar per class with its probability; the most likely class is highlighted. */
public final class ProbabilityBars extends GridPane {

    private final List<ProgressBar> bars = new ArrayList<>();
    private final List<Label> values = new ArrayList<>();
    private final List<Label> names = new ArrayList<>();

    public ProbabilityBars() {
        getStyleClass().add("probability-bars");
        setHgap(8);
        setVgap(3);
        ColumnConstraints name = new ColumnConstraints();
        name.setHalignment(HPos.RIGHT);
        ColumnConstraints bar = new ColumnConstraints(80, 220, Double.MAX_VALUE);
        bar.setHgrow(Priority.ALWAYS);
        ColumnConstraints value = new ColumnConstraints(52);
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
            bars.get(c).setStyle(c == best ? "-fx-accent: #e8590c;" : "-fx-accent: #4c6ef5;");
            names.get(c).setStyle(c == best ? "-fx-font-weight: bold;" : "");
        }
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
            names.add(n);
            bars.add(b);
            values.add(v);
            addRow(c, n, b, v);
        }
    }
}
