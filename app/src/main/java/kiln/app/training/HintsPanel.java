package kiln.app.training;

import atlantafx.base.theme.Styles;
import javafx.geometry.Insets;
import javafx.scene.control.Label;
import javafx.scene.layout.VBox;
import kiln.app.ui.ViewParts;
import kiln.engine.runs.LayerDynamics;
import kiln.engine.runs.TrainingEvent;
import kiln.engine.train.CurveHints;
import kiln.engine.train.LayerHints;

import java.util.ArrayList;
import java.util.List;

/** The hints about one run's curves and layers: overfitting, a flat or exploding loss, layers that stop learning. */
final class HintsPanel extends VBox {

    private final Label title = ViewParts.sectionTitle("Hints");
    private final Label none = wrapped("", Styles.TEXT_MUTED);
    private final List<VBox> boxes = new ArrayList<>();
    private String shown;

    HintsPanel() {
        super(8);
        setId("hints");
        getChildren().addAll(title, none);
        for (int i = 0; i < CurveHints.Kind.values().length; i++) {
            Label head = wrapped("", Styles.TEXT_BOLD);
            head.getStyleClass().add("hint-title");
            VBox box = new VBox(3, head, wrapped(""));
            box.getStyleClass().add("hint-box");
            box.setVisible(false);
            box.setManaged(false);
            boxes.add(box);
            getChildren().add(box);
        }
        setPadding(new Insets(10));
        setPrefWidth(250);
    }

    /** Shows the hints for a run ({@code label} null: no run yet); does nothing when they have not changed. */
    void show(String label, List<TrainingEvent.EpochFinished> metrics, List<LayerDynamics> dynamics, int classCount) {
        List<CurveHints.Hint> found = new ArrayList<>(CurveHints.of(metrics, classCount));
        found.addAll(LayerHints.of(dynamics));
        String key = label + "|" + metrics.size() + "|" + found;
        if (key.equals(shown)) return; // nothing new: keep the UI thread free
        shown = key;
        // Texts change in place on nodes made once, so an epoch's end adds no new nodes to style and lay out.
        title.setText(label == null ? "Hints" : "Hints for " + label);
        none.setText(!found.isEmpty() ? "" : metrics.size() < 3
                ? "Hints appear here once a few epochs have finished: overfitting, a flat or exploding loss, "
                + "accuracy stuck at chance, and layers that stop learning."
                : "Nothing unusual in these curves.");
        none.setVisible(found.isEmpty());
        none.setManaged(found.isEmpty());
        for (int i = 0; i < boxes.size(); i++) {
            VBox box = boxes.get(i);
            boolean visible = i < found.size();
            box.setVisible(visible);
            box.setManaged(visible);
            if (!visible) continue;
            CurveHints.Hint h = found.get(i);
            ((Label) box.getChildren().get(0)).setText(h.title());
            ((Label) box.getChildren().get(1)).setText(h.text());
            Styles.addStyleClass(box, h.kind() == CurveHints.Kind.STILL_IMPROVING ? "good" : "warning", "good", "warning");
        }
    }

    private static Label wrapped(String text, String... styleClasses) {
        Label l = new Label(text);
        l.setWrapText(true);
        l.setMaxWidth(230);
        l.getStyleClass().addAll(styleClasses);
        return l;
    }
}
