package kiln.app.training;

import atlantafx.base.theme.Styles;
import atlantafx.base.theme.Tweaks;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.geometry.Insets;
import javafx.scene.control.Label;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableRow;
import javafx.scene.control.TableView;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import kiln.engine.runs.LayerDynamics;
import kiln.engine.train.LayerHints;
import kiln.widgets.charts.LayerSparklines;
import kiln.widgets.charts.Sparkline;
import kiln.widgets.util.TableColumns;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * How each layer of one run learns: for the latest measured epoch its weight and gradient norms, the step's size
 * against the weights, the share of dead units and the activations' mean and spread, with a sparkline of the step
 * size over all epochs. A layer a hint is about is highlighted and says why.
 */
final class DynamicsTable extends VBox {

    /** One layer: its latest measurement, the step sizes over epochs (log10) and the hint's words, if any. */
    record Row(LayerDynamics latest, double[] logSteps, String concern) { }

    private final Label title = new Label("Layers");
    private final TableView<Row> table = new TableView<>();
    private String shown = "";

    DynamicsTable() {
        super(4);
        title.getStyleClass().add(Styles.TEXT_BOLD);
        Label hint = new Label("Measured on one training batch at the end of each epoch. A step of about 0.001 of the "
                + "weights is healthy.");
        hint.getStyleClass().add(Styles.TEXT_MUTED);
        hint.setWrapText(true);
        hint.setMinHeight(javafx.scene.layout.Region.USE_PREF_SIZE);
        table.setId("dynamicsTable");
        table.setFixedCellSize(26);
        table.setPlaceholder(new Label("Layer measurements appear here when an epoch ends."));
        TableColumn<Row, String> layer = text("Layer", r -> r.latest().layer(), 100);
        table.getColumns().add(layer);
        table.getColumns().add(number("Weight norm", r -> r.latest().parameters() == 0 ? "" : fmt("%.3g", r.latest().weightNorm()), 100));
        table.getColumns().add(number("Gradient norm", r -> r.latest().parameters() == 0 ? "" : fmt("%.3g", r.latest().gradientNorm()), 110));
        table.getColumns().add(number("Step ÷ weights", r -> r.latest().parameters() == 0 ? "" : fmt("%.1e", r.latest().updateRatio()), 115));
        table.getColumns().add(number("Dead units", r -> Double.isFinite(r.latest().deadShare()) ? fmt("%.0f %%", 100 * r.latest().deadShare()) : "", 90));
        table.getColumns().add(number("Mean", r -> fmt("%.3f", r.latest().activationMean()), 75));
        table.getColumns().add(number("Std", r -> fmt("%.3f", r.latest().activationStd()), 75));
        table.getColumns().add(sparklineColumn());
        TableColumn<Row, String> concern = text("Hint", r -> r.concern() == null ? "" : r.concern(), 150);
        table.getColumns().add(concern);
        table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        table.setRowFactory(t -> new TableRow<>() {
            @Override
            protected void updateItem(Row item, boolean empty) {
                super.updateItem(item, empty);
                boolean flagged = !empty && item != null && item.concern() != null;
                pseudoClassStateChanged(javafx.css.PseudoClass.getPseudoClass("concern"), flagged);
                setTooltip(flagged ? new Tooltip(item.latest().layer() + ": " + item.concern()
                        + ". The hints on the right say what to do.") : null);
            }
        });
        getStyleClass().add("dynamics-table");
        setPadding(new Insets(4, 6, 4, 6));
        getChildren().addAll(title, hint, table);
        VBox.setVgrow(table, Priority.ALWAYS);
    }

    /** Shows one run's measurements (a run's whole dynamics.csv or the live run's rows so far). */
    void show(String runLabel, List<LayerDynamics> dynamics) {
        String key = runLabel + "|" + dynamics.size() + "|" + (dynamics.isEmpty() ? "" : dynamics.get(dynamics.size() - 1));
        if (key.equals(shown)) return;
        shown = key;
        Map<String, String> concerns = LayerHints.concerns(dynamics);
        List<Row> rows = new ArrayList<>();
        int latestEpoch = dynamics.stream().mapToInt(LayerDynamics::epoch).max().orElse(0);
        LayerSparklines.byLayer(dynamics).forEach((name, epochs) -> {
            LayerDynamics latest = epochs.get(epochs.size() - 1);
            if (latest.epoch() != latestEpoch) return; // a layer no longer in the network
            rows.add(new Row(latest, LayerSparklines.logRatios(epochs), concerns.get(name)));
        });
        title.setText(runLabel == null || rows.isEmpty() ? "Layers"
                : "Layers of " + runLabel + ", epoch " + latestEpoch);
        table.getItems().setAll(rows);
        TableColumns.fitCells(table);
    }

    TableView<Row> table() {
        return table;
    }

    private TableColumn<Row, double[]> sparklineColumn() {
        TableColumn<Row, double[]> c = new TableColumn<>("Steps over epochs");
        c.setCellValueFactory(cell -> new ReadOnlyObjectWrapper<>(cell.getValue().logSteps()));
        c.setSortable(false);
        c.setCellFactory(col -> new TableCell<>() {
            private final Sparkline line = new Sparkline(LayerSparklines.WIDTH + 40, LayerSparklines.HEIGHT);

            @Override
            protected void updateItem(double[] values, boolean empty) {
                super.updateItem(values, empty);
                Row row = empty || getTableRow() == null ? null : getTableRow().getItem();
                if (empty || values == null || row == null || row.latest().parameters() == 0) {
                    setGraphic(null);
                    return;
                }
                line.setValues(values);
                line.setWarning(row.concern() != null);
                setGraphic(line);
            }
        });
        TableColumns.atLeast(c, LayerSparklines.WIDTH + 40 + 20);
        return c;
    }

    private static String fmt(String format, double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, format, v) : "";
    }

    private static TableColumn<Row, String> text(String title, Function<Row, String> value, double width) {
        TableColumn<Row, String> c = new TableColumn<>(title);
        c.setCellValueFactory(cell -> new ReadOnlyObjectWrapper<>(value.apply(cell.getValue())));
        TableColumns.atLeast(c, width);
        return c;
    }

    private static TableColumn<Row, String> number(String title, Function<Row, String> value, double width) {
        TableColumn<Row, String> c = text(title, value, width);
        c.getStyleClass().add(Tweaks.ALIGN_RIGHT);
        return c;
    }
}
