package kiln.app.training;

import javafx.beans.property.SimpleObjectProperty;
import javafx.collections.ListChangeListener;
import javafx.collections.ObservableList;
import javafx.scene.control.Label;
import javafx.scene.control.SelectionMode;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import kiln.engine.project.TrainingSettings;
import kiln.engine.runs.RunRecord;
import kiln.widgets.util.TableColumns;

import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;

/** The project's runs, one row each with its status, results and settings; several can be selected to compare. */
final class RunsTable extends TableView<RunRow> {

    private boolean refreshing;
    /** The runs predict a number: their "accuracy" is R² (docs/file-format.md), shown as such. */
    private boolean numbers;
    private final TableColumn<RunRow, String> validationScore;
    private final TableColumn<RunRow, String> testScore;

    RunsTable() {
        setId("runsTable");
        setFixedCellSize(26); // rows need not be measured one by one
        getSelectionModel().setSelectionMode(SelectionMode.MULTIPLE);
        setPlaceholder(new Label("No runs yet. Each run you train is kept here with its settings and curves."));
        getColumns().add(column("Run", RunRow::label, 150));
        getColumns().add(column("Status", r -> r.problem() != null ? "damaged: " + r.problem()
                : r.record().status().replace('_', ' '), 95));
        getColumns().add(column("Epochs", r -> r.record() == null ? "" : Integer.toString(r.record().epochsCompleted()), 60));
        getColumns().add(column("Best val. loss", r -> r.record() == null ? "" : number(r.record().bestValidationLoss(), "%.4f"), 105));
        validationScore = column("Val. accuracy", r -> r.metrics().isEmpty() ? ""
                : score(r.metrics().get(r.metrics().size() - 1).validationAccuracy()), 105);
        testScore = column("Test accuracy", r -> r.record() == null ? "" : score(r.record().testAccuracy()), 105);
        getColumns().add(validationScore);
        getColumns().add(testScore);
        getColumns().add(column("Duration", r -> r.record() == null ? "" : duration(r.record().seconds()), 80));
        getColumns().add(column("Trainable params", r -> r.record() == null || r.record().trainableParams() == null ? ""
                : String.format(Locale.ROOT, "%,d", r.record().trainableParams()), 120));
        getColumns().add(column("Group", r -> r.record() == null || r.record().group() == null ? "" : r.record().group(), 80));
        getColumns().add(column("Weights from", RunRow::weightsFrom, 150));
        getColumns().add(column("Settings", r -> r.record() == null ? "" : describe(r.record()), 330));
        getColumns().add(column("Started", r -> r.record() == null ? "" : r.record().started().replace('T', ' ').replace("Z", ""), 140));
    }

    /** Whether the scores are R² of a number to predict rather than accuracies. */
    void showScoresOfNumbers(boolean predictsNumbers) {
        if (predictsNumbers == numbers) return;
        numbers = predictsNumbers;
        validationScore.setText(numbers ? "Val. R²" : "Val. accuracy");
        testScore.setText(numbers ? "Test R²" : "Test accuracy");
        refresh();
    }

    private String score(double value) {
        return numbers ? number(value, "%.4f") : number(100 * value, "%.2f %%");
    }

    /** Called when the student changes the selection (not when a refresh puts it back). */
    void setOnSelectionChanged(Runnable action) {
        getSelectionModel().getSelectedItems().addListener((ListChangeListener<RunRow>) c -> {
            if (!refreshing) action.run(); // the refresh redraws once when it has put the selection back
        });
    }

    /**
     * Lists these runs, keeping the selection; {@code select} (or null) is a run to select instead, e.g. one
     * just imported.
     */
    void setRuns(List<RunRow> rows, String select) {
        ObservableList<RunRow> items = getItems();
        boolean sameRuns = items.size() == rows.size();
        for (int i = 0; sameRuns && i < rows.size(); i++) sameRuns = items.get(i).id().equals(rows.get(i).id());
        refreshing = true;
        try {
            if (sameRuns && select == null) {
                // Replace only the rows that changed: the selection stays and the UI thread does little.
                for (int i = 0; i < rows.size(); i++) {
                    if (!items.get(i).equals(rows.get(i))) items.set(i, rows.get(i));
                }
            } else {
                Set<String> selected = new HashSet<>();
                if (select != null) {
                    selected.add(select);
                } else {
                    getSelectionModel().getSelectedItems().forEach(r -> {
                        if (r != null) selected.add(r.id());
                    });
                }
                items.setAll(rows);
                for (int i = 0; i < rows.size(); i++) {
                    if (selected.contains(rows.get(i).id())) getSelectionModel().select(i);
                }
            }
        } finally {
            refreshing = false;
        }
        TableColumns.fitCells(this);
    }

    private static TableColumn<RunRow, String> column(String title, Function<RunRow, String> value, double width) {
        TableColumn<RunRow, String> c = new TableColumn<>(title);
        c.setCellValueFactory(cell -> new SimpleObjectProperty<>(value.apply(cell.getValue())));
        TableColumns.atLeast(c, width);
        return c;
    }

    private static String describe(RunRecord r) {
        TrainingSettings s = r.settings();
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%s lr %s (%s), batch %d, %d epochs",
                s.optimizer(), SettingsEditor.plain(s.learningRate()), s.schedule(), s.batchSize(), s.epochs()));
        if (s.l2() > 0) sb.append(", L2 ").append(SettingsEditor.plain(s.l2()));
        if (s.patience() > 0) sb.append(", patience ").append(s.patience());
        sb.append(", seed ").append(s.seed());
        if (r.limitTrain() > 0) sb.append(String.format(Locale.ROOT, ", first %,d samples", r.limitTrain()));
        return sb.toString();
    }

    private static String number(double v, String format) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, format, v) : "–";
    }

    /** A duration in plain words: "42 s", "3 min 5 s", "1 h 2 min". */
    static String duration(double seconds) {
        if (!Double.isFinite(seconds)) return "–";
        long s = Math.round(seconds);
        return s < 60 ? s + " s" : s < 3600 ? s / 60 + " min " + s % 60 + " s" : s / 3600 + " h " + (s % 3600) / 60 + " min";
    }
}
