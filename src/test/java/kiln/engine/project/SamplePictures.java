package kiln.engine.project;

import kiln.engine.data.BundledData;
import kiln.engine.data.CsvReader;
import kiln.engine.data.DataSourceSpec;
import kiln.engine.data.Dataset;
import kiln.engine.data.IdxReader;
import kiln.engine.util.Progress;

import javax.imageio.ImageIO;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Ellipse2D;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;

/**
 * Draws the gallery pictures of the samples with bundled data (sample-projects/NAME/picture.png) from
 * that data, so they can be refreshed after a data change:
 *
 * <pre>mvn -B -ntp -o -q test-compile && java -cp "target/test-classes:target/classes:target/lib/*" kiln.engine.project.SamplePictures</pre>
 *
 * Run from the Kiln folder. The CIFAR-10 samples have no picture: their data is not in the repository.
 */
public final class SamplePictures {

    static final int WIDTH = 480;
    static final int HEIGHT = 240;

    private SamplePictures() { }

    public static void main(String[] args) throws Exception {
        Path samples = BundledData.sampleProjectsFolder().orElseThrow();
        Dataset mnist = idx("mnist");
        write(digitGrid(mnist, 0), samples.resolve("mnist-mlp/picture.png"));
        write(digitGrid(mnist, 400), samples.resolve("mnist-cnn/picture.png"));
        write(digitGrid(idx("fashion-mnist"), 0), samples.resolve("fashion-mnist-cnn/picture.png"));
        write(transfer(digitGrid(mnist, 800), digitGrid(idx("fashion-mnist"), 800)),
                samples.resolve("transfer-mnist-to-fashion/picture.png"));
        DataSourceSpec.Csv csv = (DataSourceSpec.Csv) BundledData.files("breast-cancer");
        write(scatter(CsvReader.read(Path.of(csv.file()), csv.labelColumn())), samples.resolve("tabular-binary/picture.png"));
        write(progression(CsvReader.read(samples.resolve("diabetes-regression/diabetes.csv"), "progression", true)),
                samples.resolve("diabetes-regression/picture.png"));
    }

    private static Dataset idx(String name) throws Exception {
        DataSourceSpec.Idx f = (DataSourceSpec.Idx) BundledData.files(name);
        return IdxReader.read(Path.of(f.trainImages()), Path.of(f.trainLabels()), f.classNames(), Progress.NONE);
    }

    private static void write(BufferedImage image, Path file) throws Exception {
        ImageIO.write(image, "png", file.toFile());
        System.out.println("wrote " + file);
    }

    /** 16 × 8 training images from {@code first} on, scaled to fill the picture, white on black. */
    static BufferedImage digitGrid(Dataset d, int first) {
        int cols = 16;
        int rows = 8;
        int cell = HEIGHT / rows;
        BufferedImage img = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_BYTE_GRAY);
        int side = d.sampleShape().height();
        for (int k = 0; k < cols * rows; k++) {
            int base = (first + k) * d.sampleLength();
            int ox = (k % cols) * (WIDTH / cols);
            int oy = (k / cols) * cell;
            for (int y = 0; y < cell; y++) {
                for (int x = 0; x < WIDTH / cols; x++) {
                    int v = (int) d.features()[base + (y * side / cell) * side + x * side / (WIDTH / cols)];
                    img.getRaster().setSample(ox + x, oy + y, 0, v);
                }
            }
        }
        return img;
    }

    /** Digits on the left, clothes on the right, a gap between: what the network learned first, and what next. */
    static BufferedImage transfer(BufferedImage from, BufferedImage to) {
        BufferedImage img = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_BYTE_GRAY);
        Graphics2D g = img.createGraphics();
        int half = WIDTH / 2 - 4;
        g.drawImage(from.getSubimage(0, 0, half, HEIGHT), 0, 0, null);
        g.drawImage(to.getSubimage(0, 0, half, HEIGHT), WIDTH - half, 0, null);
        g.dispose();
        return img;
    }

    /** Worst radius against worst concave points, one dot per patient, coloured by diagnosis. */
    static BufferedImage scatter(CsvReader.Result table) {
        List<String> cols = table.report().featureColumns();
        Dataset d = table.data();
        Color benign = new Color(0x1f, 0x77, 0xb4, 170);
        Color malignant = new Color(0xd6, 0x27, 0x28, 170);
        int malignantClass = d.classNames().indexOf("malignant");
        Color[] dots = new Color[d.size()];
        for (int i = 0; i < dots.length; i++) dots[i] = d.labels()[i] == malignantClass ? malignant : benign;
        BufferedImage img = dots(column(d, cols.indexOf("worst radius")), column(d, cols.indexOf("worst concave points")),
                dots, "worst radius →", 100, "worst concave points →");
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        int left = 44, top = 12;
        g.setColor(malignant);
        g.drawString("● malignant", left + 12, top + 14);
        g.setColor(benign);
        g.drawString("● benign", left + 12, top + 30);
        g.dispose();
        return img;
    }

    /** Body mass index against disease progression, one dot per patient: the number the sample learns to predict. */
    static BufferedImage progression(CsvReader.Result table) {
        Dataset d = table.data();
        Color[] dots = new Color[d.size()];
        java.util.Arrays.fill(dots, new Color(0x1f, 0x77, 0xb4, 170));
        return dots(column(d, table.report().featureColumns().indexOf("bmi")), d.targets(), dots,
                "body mass index →", 120, "progression after a year →");
    }

    private static float[] column(Dataset d, int index) {
        float[] values = new float[d.size()];
        for (int i = 0; i < values.length; i++) values[i] = d.features()[i * d.sampleLength() + index];
        return values;
    }

    /** One dot per (x, y) in its colour on white axes, the axes named ({@code xLabelWidth}: the x name's room at the right). */
    private static BufferedImage dots(float[] xs, float[] ys, Color[] colors, String xLabel, int xLabelWidth, String yLabel) {
        float minX = Float.MAX_VALUE, maxX = -Float.MAX_VALUE, minY = Float.MAX_VALUE, maxY = -Float.MAX_VALUE;
        for (int i = 0; i < xs.length; i++) {
            minX = Math.min(minX, xs[i]);
            maxX = Math.max(maxX, xs[i]);
            minY = Math.min(minY, ys[i]);
            maxY = Math.max(maxY, ys[i]);
        }
        BufferedImage img = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, WIDTH, HEIGHT);
        int left = 44, right = WIDTH - 12, top = 12, bottom = HEIGHT - 34;
        g.setColor(new Color(0x99, 0x99, 0x99));
        g.setStroke(new BasicStroke(1f));
        g.drawLine(left, bottom, right, bottom);
        g.drawLine(left, top, left, bottom);
        for (int i = 0; i < xs.length; i++) {
            double x = left + (xs[i] - minX) / (maxX - minX) * (right - left - 6) + 3;
            double y = bottom - (ys[i] - minY) / (maxY - minY) * (bottom - top - 6) - 3;
            g.setColor(colors[i]);
            g.fill(new Ellipse2D.Double(x - 3, y - 3, 6, 6));
        }
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        g.setColor(new Color(0x44, 0x44, 0x44));
        g.drawString(xLabel, right - xLabelWidth, HEIGHT - 12);
        g.rotate(-Math.PI / 2);
        g.drawString(yLabel, -bottom, 20);
        g.rotate(Math.PI / 2);
        g.dispose();
        return img;
    }
}
