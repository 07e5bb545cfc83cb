package kiln.widgets.eval;

import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.geometry.BoundingBox;
import javafx.geometry.Bounds;
import javafx.geometry.VPos;
import javafx.scene.canvas.Canvas;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.layout.Region;
import javafx.scene.paint.Color;
import javafx.scene.text.Font;
import javafx.scene.text.FontWeight;
import javafx.scene.text.Text;
import javafx.scene.text.TextAlignment;

import java.util.List;
import java.util.Locale;

/**
 * A confusion matrix: rows are true classes, columns predicted ones, each cell coloured by its share of the
 * row (so rare classes are as readable as common ones) and labelled with its count or its percentage.
 * Class names label both axes; a colour scale sits at the right. Clicking a cell selects it and tells the
 * {@link #onCellClickedProperty() handler}.
 */
public final class ConfusionMatrixView extends Region {

    /** Called with (true class, predicted class) when a cell is clicked. */
    @FunctionalInterface
    public interface CellHandler {
        void clicked(int trueClass, int predictedClass);
    }

    private static final Color LOW = Color.web("#f7fbff");
    private static final Color HIGH = Color.web("#08306b");
    private static final double LEGEND = 56;

    private final Canvas canvas = new Canvas();
    private final BooleanProperty normalised = new SimpleBooleanProperty(this, "normalised", false);
    private final ObjectProperty<CellHandler> onCellClicked = new SimpleObjectProperty<>(this, "onCellClicked");
    private int[][] counts = new int[0][0];
    private List<String> names = List.of();
    private int selectedRow = -1;
    private int selectedColumn = -1;
    private Font font = Font.font(12);

    public ConfusionMatrixView() {
        getChildren().add(canvas);
        getStyleClass().add("confusion-matrix");
        normalised.addListener((o, a, b) -> draw());
        canvas.setOnMouseClicked(e -> {
            int[] cell = cellAt(e.getX(), e.getY());
            if (cell == null) return;
            select(cell[0], cell[1]);
            if (onCellClicked.get() != null) onCellClicked.get().clicked(cell[0], cell[1]);
        });
        setMinSize(240, 240);
        setPrefSize(560, 520);
    }

    /** counts[true][predicted] and the class names for both axes. */
    public void setData(int[][] counts, List<String> classNames) {
        this.counts = counts;
        this.names = List.copyOf(classNames);
        selectedRow = -1;
        selectedColumn = -1;
        draw();
    }

    public void select(int trueClass, int predictedClass) {
        selectedRow = trueClass;
        selectedColumn = predictedClass;
        draw();
    }

    /** Show each row's shares (percent) instead of counts. */
    public BooleanProperty normalisedProperty() { return normalised; }

    public ObjectProperty<CellHandler> onCellClickedProperty() { return onCellClicked; }

    public int selectedRow() { return selectedRow; }

    public int selectedColumn() { return selectedColumn; }

    /** Where a cell is drawn, in this region's coordinates. */
    public Bounds cellBounds(int trueClass, int predictedClass) {
        Layout l = grid();
        return new BoundingBox(l.left + predictedClass * l.cell, l.top + trueClass * l.cell, l.cell, l.cell);
    }

    @Override
    protected void layoutChildren() {
        canvas.setWidth(getWidth());
        canvas.setHeight(getHeight());
        draw();
    }

    private record Layout(double left, double top, double cell) { }

    private Layout grid() {
        int n = Math.max(1, counts.length);
        double label = Math.min(110, Math.max(28, longestName() + 10));
        double top = 22 + label;
        double left = 22 + label;
        double cell = Math.max(8, Math.min((getWidth() - left - LEGEND - 8) / n, (getHeight() - top - 8) / n));
        return new Layout(left, top, cell);
    }

    private double longestName() {
        double max = 0;
        Text t = new Text();
        t.setFont(font);
        for (String s : names) {
            t.setText(s);
            max = Math.max(max, t.getLayoutBounds().getWidth());
        }
        return max;
    }

    private int[] cellAt(double x, double y) {
        if (counts.length == 0) return null;
        Layout l = grid();
        int c = (int) Math.floor((x - l.left) / l.cell);
        int r = (int) Math.floor((y - l.top) / l.cell);
        return r < 0 || c < 0 || r >= counts.length || c >= counts.length ? null : new int[] {r, c};
    }

    private void draw() {
        GraphicsContext g = canvas.getGraphicsContext2D();
        g.clearRect(0, 0, canvas.getWidth(), canvas.getHeight());
        int n = counts.length;
        if (n == 0 || getWidth() <= 0) return;
        Layout l = grid();
        font = Font.font(Math.max(9, Math.min(13, l.cell / 3.2)));
        Font bold = Font.font(font.getFamily(), FontWeight.BOLD, font.getSize());
        g.setTextBaseline(VPos.CENTER);
        for (int r = 0; r < n; r++) {
            long total = 0;
            for (int v : counts[r]) total += v;
            for (int c = 0; c < n; c++) {
                double share = total == 0 ? 0 : (double) counts[r][c] / total;
                Color fill = LOW.interpolate(HIGH, Math.sqrt(share)); // sqrt: small confusions stay visible
                double x = l.left + c * l.cell;
                double y = l.top + r * l.cell;
                g.setFill(fill);
                g.fillRect(x, y, l.cell, l.cell);
                g.setStroke(Color.web("#d0d7de"));
                g.setLineWidth(0.5);
                g.strokeRect(x, y, l.cell, l.cell);
                if (l.cell >= 18) {
                    String text = normalised.get() ? String.format(Locale.ROOT, share >= 0.995 || share == 0 ? "%.0f%%" : "%.1f%%", share * 100)
                            : Integer.toString(counts[r][c]);
                    g.setFont(r == c ? bold : font);
                    g.setFill(fill.getBrightness() < 0.6 ? Color.WHITE : Color.web("#1f2328"));
                    g.setTextAlign(TextAlignment.CENTER);
                    g.fillText(text, x + l.cell / 2, y + l.cell / 2, l.cell - 2);
                }
            }
        }
        if (selectedRow >= 0 && selectedRow < n && selectedColumn >= 0 && selectedColumn < n) {
            g.setStroke(Color.web("#e8590c"));
            g.setLineWidth(3);
            g.strokeRect(l.left + selectedColumn * l.cell + 1.5, l.top + selectedRow * l.cell + 1.5, l.cell - 3, l.cell - 3);
        }
        drawAxes(g, l, n);
        drawLegend(g, l, n);
    }

    private void drawAxes(GraphicsContext g, Layout l, int n) {
        g.setFill(Color.web("#1f2328"));
        g.setFont(font);
        for (int i = 0; i < n; i++) {
            String name = i < names.size() ? names.get(i) : Integer.toString(i);
            g.setTextAlign(TextAlignment.RIGHT);
            g.fillText(name, l.left - 6, l.top + (i + 0.5) * l.cell, l.left - 28);
            g.save();
            g.translate(l.left + (i + 0.5) * l.cell, l.top - 6);
            g.rotate(-90);
            g.setTextAlign(TextAlignment.LEFT);
            g.fillText(name, 0, 0, l.top - 28);
            g.restore();
        }
        Font title = Font.font(font.getFamily(), FontWeight.BOLD, 12);
        g.setFont(title);
        g.setTextAlign(TextAlignment.CENTER);
        g.fillText("Predicted class", l.left + n * l.cell / 2, 10);
        g.save();
        g.translate(10, l.top + n * l.cell / 2);
        g.rotate(-90);
        g.fillText("True class", 0, 0);
        g.restore();
    }

    private void drawLegend(GraphicsContext g, Layout l, int n) {
        double x = l.left + n * l.cell + 14;
        double h = n * l.cell;
        for (int i = 0; i < (int) h; i++) {
            g.setFill(LOW.interpolate(HIGH, 1 - i / h)); // colour follows sqrt(share): the middle is 25 %
            g.fillRect(x, l.top + i, 12, 1);
        }
        g.setStroke(Color.web("#d0d7de"));
        g.setLineWidth(0.5);
        g.strokeRect(x, l.top, 12, h);
        g.setFill(Color.web("#57606a"));
        g.setFont(Font.font(10));
        g.setTextAlign(TextAlignment.LEFT);
        g.fillText("100%", x + 15, l.top + 4);
        g.fillText("25%", x + 15, l.top + h * 0.5);
        g.fillText("0%", x + 15, l.top + h - 4);
        g.fillText("of row", x - 2, l.top + h + 12);
    }
}
