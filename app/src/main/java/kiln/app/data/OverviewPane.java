package kiln.app.data;

import atlantafx.base.theme.Styles;
import javafx.beans.property.ReadOnlyDoubleProperty;
import javafx.beans.property.ReadOnlyDoubleWrapper;
import javafx.scene.control.Label;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.layout.VBox;
import kiln.app.ui.ViewParts;
import kiln.engine.data.CategoricalEncoding;
import kiln.engine.data.CsvReader;
import kiln.engine.data.DataSplits;
import kiln.engine.data.Dataset;
import kiln.engine.shape.TensorShape;
import kiln.widgets.charts.ClassBars;
import kiln.widgets.util.TableColumns;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** The Data tab's overview of the loaded data: split sizes, sample shape, classes, and a CSV's columns. */
final class OverviewPane extends VBox {

    /**
     * A CSV column as the overview lists it.
     * @param type    number, category, target or ignored
     * @param missing missing cells, "—" for a column that is not read
     * @param range   a number column's range, a category column's categories (the training split's), the target's
     *                classes or why a column is ignored
     */
    record ColumnInfo(String name, String type, String missing, String range) { }

    private final Label overview = new Label("Loading…");
    private final Label leftOutNote = new Label();
    private final ClassBars classBars = new ClassBars();
    private final TableView<ColumnInfo> columns = new TableView<>();
    private final ReadOnlyDoubleWrapper columnsWidth = new ReadOnlyDoubleWrapper(0);

    OverviewPane() {
        super(8);
        overview.setWrapText(true);
        TableColumn<ColumnInfo, String> name = DataView.column("Column", ColumnInfo::name, 90);
        TableColumn<ColumnInfo, String> type = DataView.column("Type", ColumnInfo::type, 60);
        TableColumn<ColumnInfo, String> missing = DataView.column("Missing", ColumnInfo::missing, 62);
        TableColumn<ColumnInfo, String> range = DataView.column("Values", ColumnInfo::range, 80);
        columns.getColumns().addAll(List.of(name, type, missing, range));
        columns.setPrefHeight(200);
        // columns as wide as their cells (fitCells), scrolling sideways in a narrow pane rather than cut short
        columns.setColumnResizePolicy(TableView.UNCONSTRAINED_RESIZE_POLICY);
        columns.setVisible(false);
        columns.setManaged(false);
        leftOutNote.setWrapText(true);
        leftOutNote.setId("left-out");
        leftOutNote.managedProperty().bind(leftOutNote.textProperty().isNotEmpty());
        leftOutNote.visibleProperty().bind(leftOutNote.textProperty().isNotEmpty());
        leftOutNote.getStyleClass().add(Styles.WARNING);
        getChildren().addAll(ViewParts.sectionTitle("Overview"), overview, leftOutNote, classBars, columns);
    }

    /** Shows freshly loaded data; {@code csv} is the CSV reader's report, or null for images. */
    void show(DataSplits loaded, CsvReader.Report csv, List<String> leftOut) {
        leftOutNote.setText(leftOutText(leftOut));
        Dataset train = loaded.train();
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "Training %,d · validation %,d · test %,d samples%n", train.size(),
                loaded.validation().size(), loaded.test().size()));
        TensorShape s = train.sampleShape();
        b.append(s.kind() == TensorShape.Kind.IMAGE
                ? "Images " + s.height() + "×" + s.width() + ", " + (s.channels() == 1 ? "1 channel (grey)" : s.channels() + " channels (colour)")
                : csv == null ? s.size() + " feature values" : columnsLine(csv, s.size()));
        if (train.numeric()) {
            float lo = Float.POSITIVE_INFINITY, hi = Float.NEGATIVE_INFINITY;
            for (float t : train.targets()) {
                lo = Math.min(lo, t);
                hi = Math.max(hi, t);
            }
            b.append(String.format(Locale.ROOT, "%nTarget %s: numbers, %.4g to %.4g", train.targetName(), lo, hi));
        } else {
            b.append("\n").append(train.classCount()).append(" classes (training split):");
        }
        int[] counts = train.classCounts();
        int min = Arrays.stream(counts).min().orElse(0);
        int max = Arrays.stream(counts).max().orElse(0);
        if (min > 0 && max > 2 * min) b.append("\nUnbalanced: the largest class has ").append(max / min).append("× the samples of the smallest.");
        overview.setText(b.toString());
        classBars.show(train.classNames(), counts);
        columns.setVisible(csv != null);
        columns.setManaged(csv != null);
        if (csv != null) {
            columns.getItems().setAll(columnInfos(loaded, csv));
            TableColumns.fitCells(columns);
        }
        columnsWidth.set(csv == null ? 0 : columns.getVisibleLeafColumns().stream().mapToDouble(TableColumn::getPrefWidth).sum()
                + TableColumns.SCROLL_BAR_AND_BORDER);
    }

    /** How wide the CSV columns table must be to show every column without scrolling sideways; 0 for images. */
    ReadOnlyDoubleProperty columnsWidthProperty() {
        return columnsWidth.getReadOnlyProperty();
    }

    /**
     * Every column of the CSV as the reader uses it, in file order: a number column's missing values and the range
     * of the rest over all splits, a category column's categories with its "other" slot, the target, and the
     * columns left out with why. {@code loaded} holds the encoded data the report describes.
     */
    static List<ColumnInfo> columnInfos(DataSplits loaded, CsvReader.Report csv) {
        List<ColumnInfo> rows = new ArrayList<>();
        int offset = 0;
        for (CsvReader.Column column : csv.columns()) {
            String name = column.name();
            switch (column.kind()) {
                case NUMERIC -> {
                    rows.add(new ColumnInfo(name, "number", Integer.toString(csv.missingPerColumn().get(name)),
                            range(loaded, offset)));
                    offset++;
                }
                case CATEGORICAL -> {
                    rows.add(new ColumnInfo(name, "category", Integer.toString(csv.missingPerColumn().get(name)),
                            column.values().size() + ": " + shortList(column.values()) + " + " + CategoricalEncoding.OTHER));
                    offset += column.values().size() + 1;
                }
                case TARGET -> rows.add(new ColumnInfo(name, "target", "—", loaded.train().numeric() ? "a number to predict"
                        : loaded.train().classCount() + " classes: " + shortList(loaded.train().classNames())));
                case IGNORED -> rows.add(new ColumnInfo(name, "ignored", "—", "left out: not numbers or categories"));
            }
        }
        return rows;
    }

    /** "2 number, 1 category and 1 ignored columns, target label: 6 values per sample". */
    static String columnsLine(CsvReader.Report csv, int values) {
        List<String> parts = new ArrayList<>();
        int numbers = csv.columns(CsvReader.Kind.NUMERIC).size();
        int categories = csv.columns(CsvReader.Kind.CATEGORICAL).size();
        int ignored = csv.columns(CsvReader.Kind.IGNORED).size();
        if (numbers > 0) parts.add(numbers + " number");
        if (categories > 0) parts.add(categories + " category");
        if (ignored > 0) parts.add(ignored + " ignored");
        String kinds = parts.size() == 1 ? parts.get(0) : String.join(", ", parts.subList(0, parts.size() - 1))
                + " and " + parts.get(parts.size() - 1);
        return kinds + " column" + (numbers + categories + ignored == 1 ? "" : "s") + ", target " + csv.target() + ": "
                + values + " value" + (values == 1 ? "" : "s") + " per sample";
    }

    private static String range(DataSplits loaded, int c) {
        float lo = Float.POSITIVE_INFINITY;
        float hi = Float.NEGATIVE_INFINITY;
        for (Dataset d : List.of(loaded.train(), loaded.validation(), loaded.test())) {
            for (int r = 0; r < d.size(); r++) {
                float v = d.features()[r * d.sampleLength() + c];
                if (v == v) {
                    lo = Math.min(lo, v);
                    hi = Math.max(hi, v);
                }
            }
        }
        return lo > hi ? "—" : DataView.number(lo) + " … " + DataView.number(hi);
    }

    /** The first few values, then how many more. */
    private static String shortList(List<String> values) {
        int shown = Math.min(4, values.size());
        return String.join(", ", values.subList(0, shown)) + (values.size() > shown ? ", … (" + (values.size() - shown) + " more)" : "");
    }

    private static String leftOutText(List<String> leftOut) {
        if (leftOut.isEmpty()) return "";
        StringBuilder b = new StringBuilder("Left out while reading (" + leftOut.size() + "):");
        for (int i = 0; i < Math.min(leftOut.size(), 6); i++) b.append("\n• ").append(leftOut.get(i));
        if (leftOut.size() > 6) b.append("\n• and ").append(leftOut.size() - 6).append(" more");
        return b.toString();
    }
}
