package kiln.app.training;

import atlantafx.base.theme.Styles;
import javafx.geometry.Insets;
import javafx.scene.control.Label;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import kiln.engine.eval.GroupTraining;
import kiln.engine.eval.SeedSummary;

import java.util.List;
import java.util.Locale;

/**
 * Beside the runs: the result of one repeat or cross-validation, one line per seed or fold with its metric, then the
 * mean ± sample standard deviation and the 95 % interval. Shows the group of the selected run, else the newest group;
 * hidden while the project has none.
 */
final class GroupSummaryPane extends VBox {

    private final Label title = new Label();
    private final GridPane rows = new GridPane();
    private final Label summary = new Label();
    private final Label interval = new Label();
    private final Label note = new Label();

    GroupSummaryPane() {
        super(4);
        setId("groupSummary");
        getStyleClass().add("group-summary");
        setPadding(new Insets(6, 10, 6, 10));
        title.setId("groupTitle");
        title.getStyleClass().add(Styles.TEXT_BOLD);
        summary.setId("groupMean");
        summary.getStyleClass().add(Styles.TEXT_BOLD);
        interval.setId("groupInterval");
        note.setId("groupNote");
        note.getStyleClass().addAll(Styles.TEXT_MUTED, Styles.TEXT_SMALL);
        rows.setHgap(10);
        rows.setVgap(2);
        for (Label l : List.of(title, summary, interval, note)) {
            l.setWrapText(true);
            l.setMinHeight(Region.USE_PREF_SIZE);
        }
        getChildren().addAll(title, rows, summary, interval, note);
        show(List.of(), null);
    }

    /** Shows the group of {@code selected}, else the newest of {@code groups}. */
    void show(List<RunGroups.Group> groups, RunRow selected) {
        boolean any = !groups.isEmpty();
        setVisible(any);
        setManaged(any);
        if (!any) return;
        RunGroups.Group g = RunGroups.of(groups, selected).orElse(groups.get(groups.size() - 1));
        boolean cv = g.kind() == GroupTraining.Kind.CROSS_VALIDATION;
        title.setText((cv ? "Cross-validation, " : "Repeat, ") + g.members().size() + " "
                + (g.members().size() == 1 ? g.kind().unit : g.kind().units) + " (" + g.name() + ")");
        rows.getChildren().clear();
        for (Line item : items(g)) {
            Label place = cell(item.place(), "groupPlace-" + item.number());
            Label run = cell(item.run(), "groupRun-" + item.number());
            Label value = cell(item.value(), "groupValue-" + item.number());
            rows.addRow(item.number() - 1, place, run, value);
        }
        SeedSummary s = g.summary();
        String metric = g.kind().metric;
        if (s == null) {
            summary.setText(metric + ": " + g.finishedCount() + " finished run" + (g.finishedCount() == 1 ? "" : "s")
                    + "; a spread needs at least 2");
            interval.setText("");
        } else {
            summary.setText(metric + ": " + s.meanAndStd());
            interval.setText(String.format(Locale.ROOT, "95 %% interval %.4f–%.4f", s.low(), s.high()));
        }
        interval.setManaged(!interval.getText().isEmpty());
        long unfinished = g.members().size() - g.finishedCount();
        String notCounted = unfinished == 0 ? "" : unfinished + " run" + (unfinished == 1 ? " that did" : "s that did")
                + " not train to the end " + (unfinished == 1 ? "is" : "are") + " not counted. ";
        String spread = s == null ? "" : String.format(Locale.ROOT, "Mean ± sample std over %d %s. ", s.count(), g.kind().units);
        note.setText(notCounted + spread + (cv ? "The test split is left out. The folds share training data, so the spread "
                + "understates the uncertainty." : "The runs differ only in their seed: the spread is this setting's "
                + "seed-to-seed noise."));
    }

    private record Line(int number, String place, String run, String value) { }

    private static List<Line> items(RunGroups.Group g) {
        return g.members().stream().map(m -> new Line(m.number(),
                g.kind() == GroupTraining.Kind.CROSS_VALIDATION ? "fold " + m.number()
                        : m.row().record().settings() == null ? "run " + m.number() : "seed " + m.row().record().settings().seed(),
                m.row().label(),
                m.finished() ? String.format(Locale.ROOT, "%.4f", m.metric())
                        : m.row().record().status().replace('_', ' '))).toList();
    }

    private static Label cell(String text, String id) {
        Label l = new Label(text);
        l.setId(id);
        l.setMinWidth(Region.USE_PREF_SIZE);
        return l;
    }
}
