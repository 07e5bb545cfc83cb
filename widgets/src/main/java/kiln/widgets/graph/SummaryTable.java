package kiln.widgets.graph;

import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.scene.control.Label;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import javafx.scene.text.Font;
import javafx.scene.text.FontWeight;
import javafx.scene.text.Text;
import kiln.engine.model.ModelGraph;
import kiln.engine.model.ModelSummary;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/** The engine's model summary as a table (Keras' model.summary()), with totals and the weights' memory. */
public final class SummaryTable extends VBox {

    /** One row: the summary's columns with the layer name and type apart; weights as {@link ModelSummary.Row#weights}. */
    public record Row(String layer, String type, String outputShape, long params, long multiplyAdds, String connectedTo,
                      String weights) { }

    private final TableView<Row> table = new TableView<>();
    private final Label totals = new Label();
    private final TableColumn<Row, String> weights = column("Weights", Row::weights, 160, false);

    public SummaryTable() {
        getStyleClass().add("summary-table");
        table.setId("summary-table");
        totals.setId("summary-totals");
        totals.getStyleClass().add("summary-totals");
        totals.setWrapText(true);
        totals.setMinHeight(javafx.scene.layout.Region.USE_PREF_SIZE);
        table.getColumns().add(column("Layer", Row::layer, 130, false));
        table.getColumns().add(column("Type", Row::type, 110, false));
        table.getColumns().add(column("Output shape", Row::outputShape, 120, false));
        table.getColumns().add(column("Params", r -> grouped(r.params()), 100, true));
        table.getColumns().add(column("Multiply-adds", r -> grouped(r.multiplyAdds()), 120, true));
        table.getColumns().add(column("Connected to", Row::connectedTo, 160, false));
        weights.setId("summary-weights");
        table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        table.setPlaceholder(new Label("No layers yet"));
        VBox.setVgrow(table, Priority.ALWAYS);
        getChildren().addAll(table, totals);
    }

    /** Recomputes the table from the graph. */
    public void show(ModelGraph graph) {
        ModelSummary s = ModelSummary.of(graph);
        List<Row> rows = new ArrayList<>();
        for (ModelSummary.Row r : s.rows()) {
            // the summary's layer column reads "name (Type)"
            int open = r.layer().lastIndexOf(" (");
            String name = open > 0 ? r.layer().substring(0, open) : r.layer();
            String type = graph.find(name).map(n -> n.type().displayName()).orElse("");
            rows.add(new Row(name, type, r.outputShape(), r.params(), r.multiplyAdds(), r.connectedTo(),
                    r.params() > 0 ? r.weights() : ""));
        }
        table.getItems().setAll(rows);
        // where weights start and which train matters only once something is pre-trained or frozen
        if (s.transfer() && !table.getColumns().contains(weights)) table.getColumns().add(3, weights);
        if (!s.transfer()) table.getColumns().remove(weights);
        for (TableColumn<Row, ?> c : table.getColumns()) c.setMinWidth(widestText(c, rows));
        long frozen = rows.stream().filter(r -> graph.find(r.layer()).filter(n -> !n.trainable()).isPresent())
                .mapToLong(Row::params).sum();
        totals.setText(String.format(Locale.ROOT,
                "Total params: %,d (%s)  ·  trainable %,d  ·  non-trainable %,d%s  ·  multiply-adds per sample %,d",
                s.totalParams(), memory(s.weightBytes()), s.trainableParams(), s.nonTrainableParams(),
                frozen > 0 ? String.format(Locale.ROOT, " (frozen %,d)", frozen) : "", s.multiplyAdds()));
    }

    public TableView<Row> table() {
        return table;
    }

    private static String memory(long bytes) {
        if (bytes < 1024) return bytes + " B";
        if (bytes < 1024 * 1024) return String.format(Locale.ROOT, "%.1f KB", bytes / 1024.0);
        return String.format(Locale.ROOT, "%.2f MB", bytes / (1024.0 * 1024));
    }

    private static String grouped(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    /** Room for a column's heading (bold) and its widest cell, with the cells' padding: the table scrolls sideways rather than cut them. */
    private static double widestText(TableColumn<Row, ?> column, List<Row> rows) {
        double widest = textWidth(column.getText(), FontWeight.BOLD);
        for (Row r : rows) widest = Math.max(widest, textWidth(String.valueOf(column.getCellData(r)), FontWeight.NORMAL));
        return Math.ceil(widest) + 24;
    }

    private static double textWidth(String text, FontWeight weight) {
        Text t = new Text(text);
        t.setFont(Font.font(Font.getDefault().getFamily(), weight, Font.getDefault().getSize()));
        return t.getLayoutBounds().getWidth();
    }

    private static TableColumn<Row, String> column(String title, Function<Row, String> value, double width, boolean right) {
        TableColumn<Row, String> c = new TableColumn<>(title);
        c.setCellValueFactory(cell -> new ReadOnlyObjectWrapper<>(value.apply(cell.getValue())));
        c.setPrefWidth(width);
        if (right) c.getStyleClass().add(atlantafx.base.theme.Tweaks.ALIGN_RIGHT);
        c.setSortable(false);
        return c;
    }
}
