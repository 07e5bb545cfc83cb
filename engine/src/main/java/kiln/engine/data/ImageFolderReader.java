package kiln.engine.data;

import kiln.engine.shape.TensorShape;
import kiln.engine.util.Progress;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import javax.imageio.ImageIO;

/**
 * Reads a folder with one sub-folder of images per class (class names are the sub-folder names, sorted).
 * Rule for mixed images: each is resized (bilinear) to height × width; with 1 channel colour becomes grey
 * (0.299 R + 0.587 G + 0.114 B), with 3 channels grey is repeated into R, G and B; transparent
 * pixels are drawn over black.
 */
public final class ImageFolderReader {

    private static final List<String> EXTENSIONS = List.of(".png", ".jpg", ".jpeg");

    private ImageFolderReader() { }

    /** Every image must be readable; the first that is not stops the reading with its name. */
    public static Dataset read(Path folder, int height, int width, int channels, Progress progress)
            throws DataFormatException {
        return read(folder, height, width, channels, progress, null);
    }

    /**
     * Like {@link #read(Path, int, int, int, Progress)}, but unreadable images are left out and described in
     * {@code leftOut}, so the rest still loads (files without an image extension are never read).
     */
    public static Dataset read(Path folder, int height, int width, int channels, Progress progress, List<String> leftOut)
            throws DataFormatException {
        if (!Files.isDirectory(folder)) throw new DataFormatException(folder, "is not a folder");
        List<Path> classDirs = list(folder).stream().filter(Files::isDirectory)
                .sorted((a, b) -> a.getFileName().toString().compareTo(b.getFileName().toString())).toList();
        if (classDirs.isEmpty()) {
            throw new DataFormatException(folder, "has no sub-folders; put each class's images in a sub-folder named "
                    + "after the class (e.g. cats/ and dogs/)");
        }
        if (leftOut != null) {
            for (Path f : list(folder).stream().filter(ImageFolderReader::isVisibleFile).sorted().toList()) {
                leftOut.add(f.getFileName() + " is not inside a class folder; it was skipped (move it into the folder of its class)");
            }
        }
        List<Path> files = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        for (int c = 0; c < classDirs.size(); c++) {
            List<Path> all = list(classDirs.get(c));
            if (leftOut != null) {
                for (Path f : all.stream().filter(f -> isVisibleFile(f) && !isImage(f)).sorted().toList()) {
                    leftOut.add(folder.relativize(f) + " is not a PNG or JPEG file; it was skipped");
                }
            }
            List<Path> images = all.stream().filter(ImageFolderReader::isImage).sorted().toList();
            if (images.isEmpty()) {
                throw new DataFormatException(classDirs.get(c), "holds no PNG or JPEG images; add some or remove the folder");
            }
            for (Path p : images) {
                files.add(p);
                labels.add(c);
            }
        }
        int per = height * width * channels;
        float[] features = new float[Math.multiplyExact(files.size(), per)];
        for (int i = 0; i < files.size(); i++) {
            if (i % 200 == 0) {
                progress.checkCancelled();
                progress.update((double) i / files.size(), "Reading images");
            }
            try {
                readInto(files.get(i), height, width, channels, features, i * per);
            } catch (DataFormatException e) {
                if (leftOut == null) throw e;
                leftOut.add(folder.relativize(files.get(i)) + " cannot be read as an image (" + why(files.get(i))
                        + "); it was left out (remove or replace it)");
                labels.set(i, -1);
            }
        }
        if (labels.contains(-1)) {
            int kept = (int) labels.stream().filter(l -> l >= 0).count();
            if (kept == 0) throw new DataFormatException(folder, "holds no readable images: " + String.join("; ", leftOut));
            float[] compact = new float[kept * per];
            List<Integer> keptLabels = new ArrayList<>();
            for (int i = 0; i < files.size(); i++) {
                if (labels.get(i) < 0) continue;
                System.arraycopy(features, i * per, compact, keptLabels.size() * per, per);
                keptLabels.add(labels.get(i));
            }
            features = compact;
            labels = keptLabels;
        }
        return new Dataset(TensorShape.image(height, width, channels), features,
                labels.stream().mapToInt(Integer::intValue).toArray(),
                classDirs.stream().map(p -> p.getFileName().toString()).toList(), folder.getFileName().toString());
    }

    /** One image, resized and converted by the rule above, channels-first into {@code out} at {@code offset}. */
    public static void readInto(Path file, int height, int width, int channels, float[] out, int offset)
            throws DataFormatException {
        BufferedImage src;
        try {
            src = ImageIO.read(file.toFile());
        } catch (IOException e) {
            throw new DataFormatException(file, "cannot be read as an image (" + e.getMessage() + "); remove or replace it");
        }
        if (src == null) throw new DataFormatException(file, "is not a readable PNG or JPEG image; remove or replace it");
        BufferedImage scaled = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = scaled.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.drawImage(withRawGrey(src), 0, 0, width, height, null);
        g.dispose();
        int plane = height * width;
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int rgb = scaled.getRGB(x, y);
                int r = (rgb >> 16) & 0xff;
                int gr = (rgb >> 8) & 0xff;
                int b = rgb & 0xff;
                int idx = y * width + x;
                if (channels == 1) {
                    out[offset + idx] = (float) (0.299 * r + 0.587 * gr + 0.114 * b);
                } else {
                    out[offset + idx] = r;
                    out[offset + plane + idx] = gr;
                    out[offset + 2 * plane + idx] = b;
                }
            }
        }
    }

    /**
     * Java treats grey PNGs as linear light and brightens them when drawing onto RGB (128 becomes about 186).
     * Data sets mean the stored value, so grey samples are copied into R, G and B unchanged.
     */
    private static BufferedImage withRawGrey(BufferedImage src) {
        if (src.getColorModel().getNumColorComponents() != 1) return src;
        var raster = src.getRaster();
        int shift = Math.max(0, src.getColorModel().getComponentSize(0) - 8);
        BufferedImage rgb = new BufferedImage(src.getWidth(), src.getHeight(), BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < src.getHeight(); y++) {
            for (int x = 0; x < src.getWidth(); x++) {
                int v = raster.getSample(x, y, 0) >> shift;
                rgb.setRGB(x, y, (v << 16) | (v << 8) | v);
            }
        }
        return rgb;
    }

    /** A plain file that is not hidden (.DS_Store and the like are no one's data). */
    private static boolean isVisibleFile(Path p) {
        return Files.isRegularFile(p) && !p.getFileName().toString().startsWith(".");
    }

    private static String why(Path file) {
        try {
            if (Files.size(file) == 0) return "the file is empty";
        } catch (IOException e) {
            return e.getMessage();
        }
        return "not a complete PNG or JPEG";
    }

    private static boolean isImage(Path p) {
        String name = p.getFileName().toString().toLowerCase(Locale.ROOT);
        return Files.isRegularFile(p) && EXTENSIONS.stream().anyMatch(name::endsWith);
    }

    private static List<Path> list(Path dir) throws DataFormatException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.toList();
        } catch (IOException e) {
            throw new DataFormatException(dir, "cannot be listed: " + e.getMessage(), e);
        }
    }
}
