package kiln.widgets.util;

import javafx.scene.control.TableColumn;
import javafx.scene.text.Font;
import javafx.scene.text.FontWeight;
import javafx.scene.text.Text;

/** Table column sizing shared by the views. */
public final class TableColumns {

    /** Header text is bold at the theme's 14 px; cell padding and the sort arrow need the rest. */
    private static final Font HEADER_FONT = Font.font(Font.getDefault().getFamily(), FontWeight.BOLD, 14);
    private static final double HEADER_PADDING = 26;

    private TableColumns() { }

    /** Gives the column at least {@code width}, and never less than its whole header title. */
    public static void atLeast(TableColumn<?, ?> column, double width) {
        Text probe = new Text(column.getText());
        probe.setFont(HEADER_FONT);
        double header = Math.ceil(probe.getLayoutBounds().getWidth()) + HEADER_PADDING;
        column.setPrefWidth(Math.max(width, header));
        column.setMinWidth(header);
    }
}
