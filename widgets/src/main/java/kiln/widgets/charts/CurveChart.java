package kiln.widgets.charts;

import javafx.application.Platform;
import javafx.css.CssMetaData;
import javafx.css.Styleable;
import javafx.css.StyleableObjectProperty;
import javafx.embed.swing.SwingFXUtils;
import javafx.geometry.Point2D;
import javafx.scene.control.Alert;
import javafx.scene.control.ContextMenu;
import javafx.scene.control.MenuItem;
import javafx.scene.control.Tooltip;
import javafx.scene.image.Image;
import javafx.scene.image.ImageView;
import javafx.scene.input.MouseEvent;
import javafx.scene.layout.Region;
import javafx.scene.paint.Color;
import javafx.stage.FileChooser;
import javafx.stage.Window;
import kiln.engine.util.AtomicFiles;
import kiln.widgets.tasks.TaskExecutor;
import kiln.widgets.util.StyledColors;
import org.jfree.chart.ChartRenderingInfo;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.AxisState;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.axis.Tick;
import org.jfree.chart.axis.TickUnits;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.entity.ChartEntity;
import org.jfree.chart.entity.EntityCollection;
import org.jfree.chart.entity.XYItemEntity;
import org.jfree.chart.labels.StandardXYToolTipGenerator;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.LegendTitle;
import org.jfree.chart.title.TextTitle;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

import javax.imageio.ImageIO;
import java.awt.BasicStroke;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.Stroke;
import java.awt.geom.Ellipse2D;
import java.awt.image.BufferedImage;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A live line chart of named curves, drawn by JFreeChart. The chart is drawn on a background thread into an
 * image, so the JavaFX thread only shows finished pictures: JFreeChart-FX's ChartViewer draws on the JavaFX
 * thread, which took 50–180 ms per redraw on a 2-core machine, too long for a window that must stay
 * responsive while training. Background, grid, axis and text colours come from the theme (widgets.css); a
 * theme change redraws. Hovering a point shows its exact value; the context menu saves the chart as PNG
 * and the numbers as CSV, written off the JavaFX thread.
 */
public final class CurveChart extends Region {

    /** How a curve is drawn; POINT marks its points without joining them (where a threshold sits on a curve). */
    public enum Style { SOLID, DASHED, FAINT, POINT }

    /** One curve's points (JavaFX thread only); change them inside {@link #update(Runnable)}. */
    public static final class Curve {
        private final String label;
        private final Color color;
        private final Style style;
        private double[] xs = new double[16];
        private double[] ys = new double[16];
        private int size;

        private Curve(String label, Color color, Style style) {
            this.label = label;
            this.color = color;
            this.style = style;
        }

        public void add(double x, double y) {
            if (size == xs.length) {
                xs = Arrays.copyOf(xs, size * 2);
                ys = Arrays.copyOf(ys, size * 2);
            }
            xs[size] = x;
            ys[size] = y;
            size++;
        }

        public void clear() {
            size = 0;
        }

        public int size() {
            return size;
        }

        public double x(int i) {
            return xs[i];
        }

        public double y(int i) {
            return ys[i];
        }

        public String label() {
            return label;
        }
    }

    /** What one drawing needs, copied on the JavaFX thread so the drawing thread shares nothing mutable. */
    private record Snapshot(List<CurveCopy> curves, int width, int height, Look look) { }

    /** The theme's colours for one drawing. */
    private record Look(java.awt.Color background, java.awt.Color text, java.awt.Color axis, java.awt.Color grid) { }

    private record CurveCopy(String label, Color color, Style style, double[] xs, double[] ys) { }

    /** Drawn picture and where its points are, for tooltips. */
    private record Picture(Image image, EntityCollection entities) { }

    private static final StyledColors<CurveChart> CSS = new StyledColors<>();

    private static final ExecutorService DRAWING = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "kiln-chart-drawing");
        t.setDaemon(true);
        return t;
    });

    private final StyleableObjectProperty<Color> backgroundColor = CSS.color(this, "-kiln-background-color", c -> c.backgroundColor, Color.WHITE);
    private final StyleableObjectProperty<Color> textColor = CSS.color(this, "-kiln-text-color", c -> c.textColor, Color.web("#1f2328"));
    private final StyleableObjectProperty<Color> axisColor = CSS.color(this, "-kiln-axis-color", c -> c.axisColor, Color.web("#57606a"));
    private final StyleableObjectProperty<Color> gridColor = CSS.color(this, "-kiln-grid-color", c -> c.gridColor, Color.web("#d0d7de"));
    private final String title;
    private final String xLabel;
    private final String yLabel;
    private final String fileStem;
    private final TaskExecutor executor;
    private final Map<String, Curve> curves = new LinkedHashMap<>();
    private final ImageView view = new ImageView();
    private final Tooltip tooltip = new Tooltip();
    private final AtomicReference<Snapshot> pendingDrawing = new AtomicReference<>();
    private volatile boolean percentAxis;
    private volatile boolean showPoints;
    private volatile boolean wholeNumberX;
    private volatile boolean logX;
    /** The value axis's fixed range, or null to fit the data. */
    private volatile double[] valueRange;
    /** The x axis's fixed range, or null to fit the data. */
    private volatile double[] domainRange;
    private Picture picture;
    private long drawings;

    public CurveChart(String title, String xLabel, String yLabel, TaskExecutor executor) {
        this.title = title;
        this.xLabel = xLabel;
        this.yLabel = yLabel;
        this.executor = executor;
        this.fileStem = title.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-|-$", "");
        getStyleClass().add("curve-chart");
        getStylesheets().add(StyledColors.stylesheet());
        for (var p : List.of(backgroundColor, textColor, axisColor, gridColor)) p.addListener((o, a, b) -> redraw());
        view.setManaged(false);
        getChildren().add(view);
        setMinSize(200, 150);
        setPrefSize(420, 260);
        widthProperty().addListener((o, a, b) -> redraw());
        heightProperty().addListener((o, a, b) -> redraw());
        addEventHandler(MouseEvent.MOUSE_MOVED, this::hover);
        addEventHandler(MouseEvent.MOUSE_EXITED, e -> tooltip.hide());

        MenuItem png = new MenuItem("Save chart as PNG…");
        png.setOnAction(e -> savePng());
        MenuItem csv = new MenuItem("Save numbers as CSV…");
        csv.setOnAction(e -> saveCsv());
        ContextMenu menu = new ContextMenu(png, csv);
        setOnContextMenuRequested(e -> menu.show(this, e.getScreenX(), e.getScreenY()));
    }

    @Override
    public List<CssMetaData<? extends Styleable, ?>> getCssMetaData() {
        return CSS.cssMetaData();
    }

    /** Formats the value axis as a percentage (for accuracy in 0..1). */
    public void setPercentAxis() {
        percentAxis = true;
        redraw();
    }

    /** Ticks on whole numbers only along x (epochs). */
    public void setWholeNumberX() {
        wholeNumberX = true;
        redraw();
    }

    /** A logarithmic x axis (learning rates), ticked at round values ({@link RoundLogAxis}). */
    public void setLogX() {
        logX = true;
        redraw();
    }

    /** Fixes the value axis to [low, high]; what lies beyond is cut off at the edge (a loss that blew up). */
    public void setValueRange(double low, double high) {
        valueRange = new double[] {low, high};
        redraw();
    }

    /** Fixes the x axis to [low, high] (rates and fractions that always span 0..1). */
    public void setDomainRange(double low, double high) {
        domainRange = new double[] {low, high};
        redraw();
    }

    /** Shows point markers (for per-epoch curves, so each epoch is visible and easy to hover). */
    public void setShowPoints(boolean show) {
        showPoints = show;
        redraw();
    }

    /** The curve with this key, created on first use with the given label and look. */
    public Curve curve(String key, String label, Color color, Style style) {
        return curves.computeIfAbsent(key, k -> new Curve(label, color, style));
    }

    public String title() {
        return title;
    }

    /** The curves by key, for tests and the CSV. */
    public Map<String, Curve> curves() {
        return Collections.unmodifiableMap(curves);
    }

    /** Removes every curve; call inside {@link #update(Runnable)}. */
    public void clear() {
        curves.clear();
    }

    /** Runs changes, then draws the chart once, in the background. */
    public void update(Runnable changes) {
        changes.run();
        redraw();
    }

    /** How many pictures have been shown: for tests that wait for a drawing. */
    public long drawings() {
        return drawings;
    }

    /** The picture shown now (null before the first drawing): for tests that look at it. */
    public Image picture() {
        return picture == null ? null : picture.image();
    }

    /** The value axis's tick labels, bottom to top, as a drawing at the current size shows them. */
    /** The legend's entries as drawn now (for tests). */
    public List<String> legendLabels() {
        JFreeChart chart = build(snapshot((int) Math.max(200, getWidth()), (int) Math.max(150, getHeight())));
        List<String> out = new ArrayList<>();
        org.jfree.chart.LegendItemCollection items = chart.getXYPlot().getLegendItems();
        for (int i = 0; i < items.getItemCount(); i++) out.add(items.get(i).getLabel());
        return out;
    }

    public List<String> valueTickLabels() {
        Snapshot s = snapshot((int) Math.max(200, getWidth()), (int) Math.max(150, getHeight()));
        JFreeChart chart = build(s);
        ChartRenderingInfo info = new ChartRenderingInfo();
        BufferedImage image = chart.createBufferedImage(s.width(), s.height(), info);
        Graphics2D g = image.createGraphics();
        try {
            List<? extends Tick> ticks = ((NumberAxis) chart.getXYPlot().getRangeAxis()).refreshTicks(g, new AxisState(),
                    info.getPlotInfo().getDataArea(), RectangleEdge.LEFT);
            return ticks.stream().map(Tick::getText).toList();
        } finally {
            g.dispose();
        }
    }

    @Override
    protected void layoutChildren() {
        view.relocate(0, 0);
    }

    private void redraw() {
        int w = (int) Math.round(getWidth());
        int h = (int) Math.round(getHeight());
        if (w < 20 || h < 20) return;
        // Only the newest request is drawn; older ones waiting are dropped.
        if (pendingDrawing.getAndSet(snapshot(w, h)) == null) {
            DRAWING.execute(() -> {
                Snapshot s = pendingDrawing.getAndSet(null);
                if (s == null) return;
                ChartRenderingInfo info = new ChartRenderingInfo();
                BufferedImage image = build(s).createBufferedImage(s.width(), s.height(), info);
                Picture p = new Picture(SwingFXUtils.toFXImage(image, null), info.getEntityCollection());
                Platform.runLater(() -> show(p));
            });
        }
    }

    private void show(Picture p) {
        picture = p;
        view.setImage(p.image());
        drawings++;
    }

    private Snapshot snapshot(int w, int h) {
        List<CurveCopy> copy = new ArrayList<>();
        for (Curve c : curves.values()) {
            copy.add(new CurveCopy(c.label, c.color, c.style, Arrays.copyOf(c.xs, c.size), Arrays.copyOf(c.ys, c.size)));
        }
        return new Snapshot(copy, w, h, new Look(awt(backgroundColor.get()), awt(textColor.get()), awt(axisColor.get()),
                awt(gridColor.get())));
    }

    private static java.awt.Color awt(Color c) {
        return new java.awt.Color((float) c.getRed(), (float) c.getGreen(), (float) c.getBlue(), (float) c.getOpacity());
    }

    /** A JFreeChart of the snapshot; runs on the drawing thread or a save task, never shared. */
    private JFreeChart build(Snapshot s) {
        XYSeriesCollection data = new XYSeriesCollection();
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, showPoints);
        DecimalFormat valueFormat = percentAxis ? new DecimalFormat("0.00%") : new DecimalFormat("0.0000");
        renderer.setDefaultToolTipGenerator(new StandardXYToolTipGenerator("{0}: " + xLabel.toLowerCase(Locale.ROOT)
                + " {1}, " + yLabel.toLowerCase(Locale.ROOT) + " {2}", new DecimalFormat(logX ? "0.##E0" : "0.###"), valueFormat));
        int i = 0;
        for (CurveCopy c : s.curves()) {
            XYSeries series = new XYSeries(c.label() + (data.getSeriesIndex(c.label()) >= 0 ? " " + i : ""), false, true);
            for (int k = 0; k < c.xs().length; k++) series.add(c.xs()[k], c.ys()[k], false);
            data.addSeries(series);
            renderer.setSeriesPaint(i, new java.awt.Color((float) c.color().getRed(), (float) c.color().getGreen(),
                    (float) c.color().getBlue(), c.style() == Style.FAINT ? 0.3f : 1f));
            renderer.setSeriesStroke(i, stroke(c.style()));
            renderer.setSeriesShape(i, new Ellipse2D.Double(-3, -3, 6, 6));
            if (c.style() == Style.FAINT) renderer.setSeriesShapesVisible(i, false);
            if (c.style() == Style.POINT) {
                renderer.setSeriesLinesVisible(i, false);
                renderer.setSeriesShapesVisible(i, true);
                renderer.setSeriesShape(i, new Ellipse2D.Double(-5, -5, 10, 10));
            }
            i++;
        }
        Look look = s.look();
        ValueAxis x;
        if (logX) {
            LogAxis log = new RoundLogAxis(xLabel);
            log.setSmallestValue(1e-12);
            x = log;
        } else {
            NumberAxis linear = new NumberAxis(xLabel);
            linear.setAutoRangeIncludesZero(false);
            if (wholeNumberX) linear.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
            x = linear;
        }
        NumberAxis y = new NumberAxis(yLabel);
        y.setAutoRangeIncludesZero(false);
        if (percentAxis) {
            y.setStandardTickUnits(PERCENT_TICKS);
            percentRange(s.curves()).ifPresent(r -> y.setRange(r[0], r[1]));
        }
        double[] range = valueRange;
        if (range != null) y.setRange(range[0], range[1]);
        double[] xRange = domainRange;
        if (xRange != null) x.setRange(xRange[0], xRange[1]);
        for (ValueAxis a : List.of(x, y)) {
            a.setLabelPaint(look.text());
            a.setTickLabelPaint(look.text());
            a.setAxisLinePaint(look.axis());
            a.setTickMarkPaint(look.axis());
        }
        XYPlot plot = new XYPlot(data, x, y, renderer);
        if (s.curves().size() > FULL_LEGEND_ITEMS) plot.setFixedLegendItems(compactLegend(s.curves(), look));
        plot.setBackgroundPaint(look.background());
        plot.setOutlinePaint(look.grid());
        plot.setDomainGridlinePaint(look.grid());
        plot.setRangeGridlinePaint(look.grid());
        plot.setNoDataMessage("No data yet");
        plot.setNoDataMessagePaint(look.text());
        JFreeChart chart = new JFreeChart(title, new Font(Font.SANS_SERIF, Font.BOLD, 13), plot, true);
        chart.setBackgroundPaint(look.background());
        chart.setRenderingHints(new RenderingHints(Map.of(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON,
                RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON)));
        TextTitle t = chart.getTitle();
        t.setPaint(look.text());
        LegendTitle legend = chart.getLegend();
        legend.setPosition(RectangleEdge.BOTTOM);
        legend.setItemFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        legend.setItemPaint(look.text());
        legend.setBackgroundPaint(look.background());
        legend.setFrame(org.jfree.chart.block.BlockBorder.NONE);
        return chart;
    }

    /**
     * Tick sizes for a fraction shown as a percentage, each with as many decimals as its size needs, so
     * neighbouring labels always differ (0.2 % steps read "98.2%, 98.4%", not "98%, 98%").
     */
    private static final TickUnits PERCENT_TICKS = percentTicks();

    private static TickUnits percentTicks() {
        TickUnits units = new TickUnits();
        DecimalFormatSymbols symbols = DecimalFormatSymbols.getInstance(Locale.ROOT);
        for (int exponent = -6; exponent <= 0; exponent++) {
            for (int m : new int[] {1, 2, 5}) {
                double size = m * Math.pow(10, exponent);
                if (size > 1) continue;
                int decimals = (int) Math.max(0, Math.ceil(-Math.log10(size * 100) - 1e-9));
                units.add(new NumberTickUnit(size, new DecimalFormat(decimals == 0 ? "0%" : "0." + "0".repeat(decimals) + "%", symbols)));
            }
        }
        return units;
    }

    /**
     * The data's range with a small margin, but never beyond 0..100 %: an accuracy axis shows no value that
     * cannot occur (no 100 % tick above a 99.8 % best). Empty without data.
     */
    private static java.util.Optional<double[]> percentRange(List<CurveCopy> curves) {
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (CurveCopy c : curves) {
            for (double v : c.ys()) {
                if (!Double.isFinite(v)) continue;
                lo = Math.min(lo, v);
                hi = Math.max(hi, v);
            }
        }
        if (lo > hi) return java.util.Optional.empty();
        double margin = Math.max((hi - lo) * 0.05, 0.0005);
        return java.util.Optional.of(new double[] {Math.max(0, lo - margin), Math.min(1, hi + margin)});
    }

    /** Above this many curves the legend names each colour once and each line style once. */
    static final int FULL_LEGEND_ITEMS = 4;

    /**
     * One entry per colour, named by what its curves' labels share ("run-2" for "run-2 training" and "run-2
     * validation"), then one grey entry per line style, named by what is left ("training", "validation"), so
     * comparing many runs does not fill the chart with legend rows.
     */
    static org.jfree.chart.LegendItemCollection compactLegend(List<CurveCopy> curves, Look look) {
        Map<Color, List<CurveCopy>> byColour = new LinkedHashMap<>();
        for (CurveCopy c : curves) byColour.computeIfAbsent(c.color(), k -> new ArrayList<>()).add(c);
        Map<Style, java.util.Set<String>> rests = new LinkedHashMap<>();
        org.jfree.chart.LegendItemCollection items = new org.jfree.chart.LegendItemCollection();
        java.awt.Shape line = new java.awt.geom.Line2D.Double(-7, 0, 7, 0);
        for (var e : byColour.entrySet()) {
            String prefix = commonPrefix(e.getValue().stream().map(CurveCopy::label).toList());
            items.add(new org.jfree.chart.LegendItem(prefix.isBlank() ? e.getValue().get(0).label() : prefix.strip(),
                    null, null, null, line, stroke(Style.SOLID), awt(e.getKey())));
            for (CurveCopy c : e.getValue()) {
                rests.computeIfAbsent(c.style(), k -> new java.util.LinkedHashSet<>()).add(c.label().substring(prefix.length()).strip());
            }
        }
        rests.forEach((style, names) -> {
            if (names.size() == 1 && !names.iterator().next().isEmpty()) {
                items.add(new org.jfree.chart.LegendItem(names.iterator().next(), null, null, null, line, stroke(style), look.axis()));
            }
        });
        return items;
    }

    /** The longest start all labels share, cut back to a whole word. */
    static String commonPrefix(List<String> labels) {
        String p = labels.get(0);
        for (String l : labels) {
            int n = 0;
            while (n < Math.min(p.length(), l.length()) && p.charAt(n) == l.charAt(n)) n++;
            p = p.substring(0, n);
        }
        if (labels.size() == 1) return p;
        int space = p.lastIndexOf(' ');
        return space < 0 ? "" : p.substring(0, space + 1);
    }

    private static Stroke stroke(Style style) {
        return switch (style) {
            case SOLID -> new BasicStroke(2f);
            case DASHED -> new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 1f, new float[] {6f, 4f}, 0f);
            case FAINT -> new BasicStroke(1f);
            case POINT -> new BasicStroke(2f);
        };
    }

    private void hover(MouseEvent e) {
        Picture p = picture;
        if (p == null || p.entities() == null) return;
        ChartEntity entity = p.entities().getEntity(e.getX(), e.getY());
        if (entity instanceof XYItemEntity item && item.getToolTipText() != null) {
            tooltip.setText(item.getToolTipText());
            Point2D screen = localToScreen(e.getX() + 12, e.getY() + 12);
            if (screen != null) tooltip.show(this, screen.getX(), screen.getY());
        } else {
            tooltip.hide();
        }
    }

    /** The numbers as CSV: one row per point (curve, x, y). */
    public String toCsv() {
        StringBuilder sb = new StringBuilder("curve," + xLabel.toLowerCase(Locale.ROOT).replace(' ', '_') + ","
                + yLabel.toLowerCase(Locale.ROOT).replace(' ', '_') + "\n");
        for (Curve c : curves.values()) {
            String name = '"' + c.label.replace("\"", "\"\"") + '"';
            for (int i = 0; i < c.size; i++) {
                sb.append(name).append(',').append(c.xs[i]).append(',').append(c.ys[i]).append('\n');
            }
        }
        return sb.toString();
    }

    /** Draws the current curves at twice this size into a PNG file, off the JavaFX thread and atomically. */
    public void writePng(Path target, Runnable done) {
        int w = (int) Math.max(400, getWidth());
        int h = (int) Math.max(300, getHeight());
        Snapshot s = snapshot(w, h);
        write(target, tmp -> {
            BufferedImage image = build(s).createBufferedImage(w * 2, h * 2, w, h, null);
            if (!ImageIO.write(image, "png", tmp.toFile())) throw new IOException("no PNG writer is available");
        }, done);
    }

    /** Writes {@link #toCsv()} off the JavaFX thread and atomically. */
    public void writeCsv(Path target, Runnable done) {
        byte[] bytes = toCsv().getBytes(StandardCharsets.UTF_8);
        executor.save("Saving " + target.getFileName(), target, bytes, saved -> done.run(), error -> saveFailed(target, error));
    }

    private void savePng() {
        File file = choose("PNG image", "*.png", fileStem + ".png");
        if (file != null) writePng(file.toPath(), () -> { });
    }

    private void saveCsv() {
        File file = choose("CSV file", "*.csv", fileStem + ".csv");
        if (file != null) writeCsv(file.toPath(), () -> { });
    }

    private File choose(String description, String pattern, String initialName) {
        FileChooser chooser = new FileChooser();
        chooser.getExtensionFilters().add(new FileChooser.ExtensionFilter(description, pattern));
        chooser.setInitialFileName(initialName);
        Window owner = getScene() == null ? null : getScene().getWindow();
        return chooser.showSaveDialog(owner);
    }

    private void write(Path target, AtomicFiles.Writer writer, Runnable done) {
        executor.save("Saving " + target.getFileName(), target, writer, saved -> done.run(), error -> saveFailed(target, error));
    }

    private void saveFailed(Path target, Throwable error) {
        Alert alert = new Alert(Alert.AlertType.ERROR, "Could not save " + target + ": " + error.getMessage()
                + ". Choose a folder you can write to.");
        alert.setHeaderText("Saving failed");
        if (getScene() != null) alert.initOwner(getScene().getWindow());
        alert.show();
    }
}
