package kiln.engine.data;

import java.util.List;

/**
 * Where a project's samples come from, as written in project.json. Paths are relative to the project
 * folder (and may not leave it), absolute (a copy the user pointed at), or start with {@code ~/} (under the
 * user's home folder, for data every project shares, such as a downloaded CIFAR-10).
 */
public sealed interface DataSourceSpec {

    String kind();

    /** True when the target is a number to predict (a CSV's "target": "number"), not a class. */
    default boolean numericTarget() {
        return false;
    }

    /** A data set shipped with Kiln under sample-projects/datasets: "mnist", "fashion-mnist" or "breast-cancer". */
    record Bundled(String name) implements DataSourceSpec {
        public static final List<String> NAMES = List.of("mnist", "fashion-mnist", "breast-cancer");
        public String kind() { return "bundled"; }
    }

    /** Four IDX files (raw or gzipped): train images and labels, test images and labels. */
    record Idx(String trainImages, String trainLabels, String testImages, String testLabels,
               List<String> classNames) implements DataSourceSpec {
        public String kind() { return "idx"; }
    }

    /**
     * A folder with the CIFAR-10 binary version (data_batch_1.bin … data_batch_5.bin, test_batch.bin). The
     * samples use {@code ~/Kiln/datasets/cifar-10-batches-bin}, where Kiln's download puts it.
     */
    record Cifar10(String folder) implements DataSourceSpec {
        public String kind() { return "cifar10"; }
    }

    /**
     * A folder with one sub-folder of PNG/JPEG images per class. Images are resized to height × width;
     * channels 1 makes every image grey, 3 makes every image colour (grey images are repeated to RGB).
     */
    record ImageFolder(String folder, int height, int width, int channels) implements DataSourceSpec {
        public String kind() { return "image_folder"; }
    }

    /**
     * A CSV file with a header row, numeric feature columns and one label column. The label column holds class
     * names, or, when {@code numericTarget} is set (project.json: "target": "number"), the number to predict.
     */
    record Csv(String file, String labelColumn, boolean numericTarget) implements DataSourceSpec {
        /** A label column of class names. */
        public Csv(String file, String labelColumn) {
            this(file, labelColumn, false);
        }

        public String kind() { return "csv"; }
    }
}
