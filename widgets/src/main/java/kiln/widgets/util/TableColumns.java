package kiln.widgets.util;

import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.text.Font;
import javafx.scene.text.FontWeight;
import javafx.scene.text.Text;

/** Table column sizing shared by the views: a column is never narrower than its title or its widest cell. */
public final class TableColumns {

    /** Header text is bold at the theme's 14 px; cell padding and the sort arrow need the rest. */
    private static final Font HEADER_FONT = Font.font(Font.getDefault().getFamily(), FontWeight.BOLD, 14);
    private static final double HEADER_PADDING = 26;
    /** Cell text is the theme's 14 px with 0.5 em padding each side, and a pixel of border. */
    private static final Font CELL_FONT = Font.font(Font.getDefault().getFamily(), 14);
    private static final double CELL_PADDING = 18;

    private TableColumns() { }

    /** Gives the column at least {@code width}, and never less than its whole header title. */
    public static void atLeast(TableColumn<?, ?> column, double width) {
        double header = textWidth(column.getText(), HEADER_FONT) + HEADER_PADDING;
        column.setPrefWidth(Math.max(width, header));
        column.setMinWidth(header);
    }

    /**
     * Widens every column to its widest cell for the table's current rows, so no cell shows "0...." (call after
     * the rows change). Columns only grow: a column sized for longer rows before keeps its width.
     */
    public static <S> void fitCells(TableView<S> table) {
        for (TableColumn<S, ?> column : table.getVisibleLeafColumns()) {
            double widest = 0;
            for (int row = 0; row < table.getItems().size(); row++) {
                Object value = column.getCellData(row);
                if (value != null) widest = Math.max(widest, textWidth(value.toString(), CELL_FONT));
            }
            double needed = widest + CELL_PADDING;
            if (needed > column.getMinWidth()) column.setMinWidth(needed);
            if (needed > column.getPrefWidth()) column.setPrefWidth(needed);
        }
    }

    /** The narrowest the table can be with every column at its minimum, beside a vertical scroll bar. */
    public static double minimumWidth(TableView<?> table) {
        return table.getVisibleLeafColumns().stream().mapToDouble(TableColumn::getMinWidth).sum() + SCROLL_BAR_AND_BORDER;
    }

    /** A vertical scroll bar and the table's border. */
    public static final double SCROLL_BAR_AND_BORDER = 18;

    private static double textWidth(String text, Font font) {
        Text probe = new Text(text);
        probe.setFont(font);
        return Math.ceil(probe.getLayoutBounds().getWidth());
    }
}
