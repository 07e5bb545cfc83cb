package kiln.engine.data;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Finds the data sets shipped in sample-projects/datasets: the system property {@code kiln.datasets},
 * then the environment variable {@code KILN_DATASETS}, then upwards from the working directory and from
 * where Kiln's classes are (target/kiln.jar sits inside the Kiln folder).
 */
public final class BundledData {

    public static final List<String> MNIST_CLASSES = List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9");
    public static final List<String> FASHION_CLASSES = List.of("T-shirt/top", "Trouser", "Pullover", "Dress",
            "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");

    /** The breast-cancer CSV and its label column. */
    public static final String BREAST_CANCER_FILE = "breast-cancer.csv";
    public static final String BREAST_CANCER_LABEL = "diagnosis";

    private BundledData() { }

    public static final List<String> BREAST_CANCER_CLASSES = List.of("benign", "malignant");

    public static List<String> classNames(String name) {
        return switch (name) {
            case "fashion-mnist" -> FASHION_CLASSES;
            case "breast-cancer" -> BREAST_CANCER_CLASSES;
            default -> MNIST_CLASSES;
        };
    }

    /** The files of a bundled data set, as the source kind that reads them (absolute paths). */
    public static DataSourceSpec files(String name) throws DataFormatException {
        Path dir = folder(name).toAbsolutePath();
        if ("breast-cancer".equals(name)) {
            return new DataSourceSpec.Csv(dir.resolve(BREAST_CANCER_FILE).toString(), BREAST_CANCER_LABEL);
        }
        return new DataSourceSpec.Idx(dir.resolve("train-images-idx3-ubyte.gz").toString(),
                dir.resolve("train-labels-idx1-ubyte.gz").toString(), dir.resolve("t10k-images-idx3-ubyte.gz").toString(),
                dir.resolve("t10k-labels-idx1-ubyte.gz").toString(), classNames(name));
    }

    /** The folder holding all bundled data sets, if it can be found. */
    public static Optional<Path> datasetsFolder() {
        for (Path candidate : candidates()) {
            if (Files.isDirectory(candidate.resolve("mnist"))) return Optional.of(candidate);
        }
        return Optional.empty();
    }

    /** The sample-projects folder (the parent of the data sets), if it can be found. */
    public static Optional<Path> sampleProjectsFolder() {
        return datasetsFolder().map(Path::getParent);
    }

    /** The folder of one bundled data set, or a message saying where Kiln looked and how to fix it. */
    public static Path folder(String name) throws DataFormatException {
        Optional<Path> base = datasetsFolder();
        if (base.isEmpty()) {
            throw new DataFormatException(Path.of("sample-projects", "datasets"), "not found (looked in "
                    + candidates() + "); run Kiln from its folder or set KILN_DATASETS to the datasets folder");
        }
        Path dir = base.get().resolve(name);
        if (!Files.isDirectory(dir)) {
            throw new DataFormatException(dir, "is missing; bundled data sets are " + DataSourceSpec.Bundled.NAMES);
        }
        return dir;
    }

    private static List<Path> candidates() {
        List<Path> out = new ArrayList<>();
        String prop = System.getProperty("kiln.datasets");
        if (prop != null) out.add(Path.of(prop));
        String env = System.getenv("KILN_DATASETS");
        if (env != null) out.add(Path.of(env));
        addUpwards(out, Path.of("").toAbsolutePath());
        try {
            addUpwards(out, Path.of(BundledData.class.getProtectionDomain().getCodeSource().getLocation().toURI()));
        } catch (URISyntaxException | SecurityException | NullPointerException e) {
            // running from an unusual class loader: the other candidates remain
        }
        return out;
    }

    private static void addUpwards(List<Path> out, Path start) {
        for (Path p = start; p != null; p = p.getParent()) {
            Path c = p.resolve("sample-projects").resolve("datasets");
            if (!out.contains(c)) out.add(c);
        }
    }
}
