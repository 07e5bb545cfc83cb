package kiln.widgets.eval;

import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.css.CssMetaData;
import javafx.css.Styleable;
import javafx.css.StyleableObjectProperty;
import javafx.geometry.BoundingBox;
import javafx.geometry.Bounds;
import javafx.geometry.VPos;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.paint.Color;
import javafx.scene.text.Font;
import javafx.scene.text.FontWeight;
import javafx.scene.text.Text;
import javafx.scene.text.TextAlignment;
import kiln.widgets.util.CanvasWidget;
import kiln.widgets.util.StyledColors;

import java.util.List;
import java.util.Locale;

/**
 * A confusion matrix: rows are true classes, columns predicted ones, each cell coloured by its share of the
 * row (so rare classes are as readable as common ones) and labelled with its count or its percentage.
 * Class names label both axes; a colour scale sits at the right. Clicking a cell selects it and tells the
 * {@link #onCellClickedProperty() handler}. Colours come from the theme (widgets.css): the scale runs from the
 * background to the accent, so the empty cells recede in the light and the dark theme alike.
 */
public final class ConfusionMatrixView extends CanvasWidget {

    /** Called with (true class, predicted class) when a cell is clicked. */
    @FunctionalInterface
    public interface CellHandler {
        void clicked(int trueClass, int predictedClass);
    }

    private static final double LEGEND = 56;
    private static final StyledColors<ConfusionMatrixView> CSS = new StyledColors<>();

    private final StyleableObjectProperty<Color> low = CSS.color(this, "-kiln-low-color", m -> m.low, Color.WHITE);
    private final StyleableObjectProperty<Color> high = CSS.color(this, "-kiln-high-color", m -> m.high, Color.web("#0969da"));
    private final StyleableObjectProperty<Color> gridColor = CSS.color(this, "-kiln-grid-color", m -> m.gridColor, Color.web("#d0d7de"));
    private final StyleableObjectProperty<Color> textColor = CSS.color(this, "-kiln-text-color", m -> m.textColor, Color.web("#1f2328"));
    private final StyleableObjectProperty<Color> mutedColor = CSS.color(this, "-kiln-muted-color", m -> m.mutedColor, Color.web("#57606a"));
    private final StyleableObjectProperty<Color> selectionColor = CSS.color(this, "-kiln-selection-color", m -> m.selectionColor, Color.web("#f3622d"));

    private final BooleanProperty normalised = new SimpleBooleanProperty(this, "normalised", false);
    private final ObjectProperty<CellHandler> onCellClicked = new SimpleObjectProperty<>(this, "onCellClicked");
    private int[][] counts = new int[0][0];
    private List<String> names = List.of();
    private int selectedRow = -1;
    private int selectedColumn = -1;
    private Font font = Font.font(12);

    public ConfusionMatrixView() {
        super("confusion-matrix");
        normalised.addListener((o, a, b) -> draw());
        repaintWhenChanged(List.of(low, high, gridColor, textColor, mutedColor, selectionColor));
        canvas.setOnMouseClicked(e -> {
            int[] cell = cellAt(e.getX(), e.getY());
            if (cell == null) return;
            select(cell[0], cell[1]);
            if (onCellClicked.get() != null) onCellClicked.get().clicked(cell[0], cell[1]);
        });
        setMinSize(240, 240);
        setPrefSize(560, 520);
    }

    @Override
    public List<CssMetaData<? extends Styleable, ?>> getCssMetaData() {
        return CSS.cssMetaData();
    }

    /** The colour the class names are written in (follows the theme). */
    public Color textColor() {
        return textColor.get();
    }

    /** counts[true][predicted] and the class names for both axes. */
    public void setData(int[][] counts, List<String> classNames) {
        this.counts = counts;
        this.names = List.copyOf(classNames);
        selectedRow = -1;
        selectedColumn = -1;
        draw();
    }

    /** The counts shown now, counts[true][predicted]. */
    public int[][] counts() {
        int[][] copy = new int[counts.length][];
        for (int r = 0; r < counts.length; r++) copy[r] = counts[r].clone();
        return copy;
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

    @Override
    protected void draw() {
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
                Color fill = low.get().interpolate(high.get(), Math.sqrt(share)); // sqrt: small confusions stay visible
                double x = l.left + c * l.cell;
                double y = l.top + r * l.cell;
                g.setFill(fill);
                g.fillRect(x, y, l.cell, l.cell);
                g.setStroke(gridColor.get());
                g.setLineWidth(0.5);
                g.strokeRect(x, y, l.cell, l.cell);
                if (l.cell >= 18) {
                    String text = normalised.get() ? String.format(Locale.ROOT, share >= 0.995 || share == 0 ? "%.0f%%" : "%.1f%%", share * 100)
                            : Integer.toString(counts[r][c]);
                    g.setFont(r == c ? bold : font);
                    g.setFill(legibleOn(fill));
                    g.setTextAlign(TextAlignment.CENTER);
                    g.fillText(text, x + l.cell / 2, y + l.cell / 2, l.cell - 2);
                }
            }
        }
        if (selectedRow >= 0 && selectedRow < n && selectedColumn >= 0 && selectedColumn < n) {
            g.setStroke(selectionColor.get());
            g.setLineWidth(3);
            g.strokeRect(l.left + selectedColumn * l.cell + 1.5, l.top + selectedRow * l.cell + 1.5, l.cell - 3, l.cell - 3);
        }
        drawAxes(g, l, n);
        drawLegend(g, l, n);
    }

    private void drawAxes(GraphicsContext g, Layout l, int n) {
        g.setFill(textColor.get());
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
            g.setFill(low.get().interpolate(high.get(), 1 - i / h)); // colour follows sqrt(share): the middle is 25 %
            g.fillRect(x, l.top + i, 12, 1);
        }
        g.setStroke(gridColor.get());
        g.setLineWidth(0.5);
        g.strokeRect(x, l.top, 12, h);
        g.setFill(mutedColor.get());
        g.setFont(Font.font(10));
        g.setTextAlign(TextAlignment.LEFT);
        g.fillText("100%", x + 15, l.top + 4);
        g.fillText("25%", x + 15, l.top + h * 0.5);
        g.fillText("0%", x + 15, l.top + h - 4);
        g.fillText("of row", x - 2, l.top + h + 12);
    }

    /** White or near-black, whichever stands out more on the cell's colour (by its relative luminance). */
    static Color legibleOn(Color fill) {
        double luminance = 0.2126 * linear(fill.getRed()) + 0.7152 * linear(fill.getGreen()) + 0.0722 * linear(fill.getBlue());
        // contrast with white (1.05 / (L + 0.05)) against contrast with black ((L + 0.05) / 0.05): equal at L ≈ 0.18
        return luminance < 0.18 ? Color.WHITE : Color.web("#1f2328");
    }

    private static double linear(double channel) {
        return channel <= 0.04045 ? channel / 12.92 : Math.pow((channel + 0.055) / 1.055, 2.4);
    }
}
