package kiln.engine.data;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;
import javax.imageio.ImageIO;

/**
 * What data source a file or folder the student picked or dropped is, from a look at the file system (so not
 * for the JavaFX thread): a CSV file, a CIFAR-10 folder, or a folder of class folders.
 */
public final class DataSourceSniffer {

    private DataSourceSniffer() { }

    /** The source a dropped file or folder is, or empty when it is neither a folder nor a .csv file. */
    public static Optional<DataSourceSpec> sniff(Path p) throws DataFormatException {
        if (Files.isDirectory(p)) {
            return Optional.of(Files.exists(p.resolve("data_batch_1.bin"))
                    ? new DataSourceSpec.Cifar10(p.toAbsolutePath().toString()) : imageFolder(p));
        }
        if (p.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".csv")) return Optional.of(csv(p));
        return Optional.empty();
    }

    /** Image size (at most 256) and colour from the first image found, so the folder loads at its own size. */
    public static DataSourceSpec.ImageFolder imageFolder(Path dir) {
        int h = 32, w = 32, c = 3;
        try (Stream<Path> walk = Files.walk(dir, 2)) {
            Optional<Path> first = walk.filter(f -> f.getFileName().toString().toLowerCase(Locale.ROOT)
                    .matches(".*\\.(png|jpe?g)")).findFirst();
            if (first.isPresent()) {
                BufferedImage img = ImageIO.read(first.get().toFile());
                if (img != null) {
                    h = Math.min(img.getHeight(), 256);
                    w = Math.min(img.getWidth(), 256);
                    c = img.getColorModel().getNumColorComponents() == 1 ? 1 : 3;
                }
            }
        } catch (IOException e) {
            // the reader will name the unreadable file when it loads
        }
        return new DataSourceSpec.ImageFolder(dir.toAbsolutePath().toString(), h, w, c);
    }

    /** The last column is taken as the label, the usual layout of a table data set. */
    public static DataSourceSpec.Csv csv(Path file) throws DataFormatException {
        List<String> header = CsvReader.header(file);
        return new DataSourceSpec.Csv(file.toAbsolutePath().toString(), header.get(header.size() - 1));
    }
}
