package kiln.engine.project;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import kiln.engine.data.BundledData;
import kiln.engine.data.DataAvailability;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.stream.Stream;

/**
 * The sample projects for the "Open Sample…" gallery: every folder of sample-projects/ that holds a
 * sample.json (what the gallery shows) next to its project.json and README.md.
 */
public final class SampleCatalog {

    public static final String FILE = "sample.json";
    public static final String FORMAT = "kiln-sample";

    /**
     * One sample as the gallery shows it.
     *
     * @param id                   folder name, e.g. "mnist-cnn"
     * @param expectedTestAccuracy accuracy on the test split measured with the command line (R² for a sample that
     *                             predicts a number), or empty when it could not be measured (see {@code accuracyNote})
     * @param accuracyNote         how the accuracy was measured (command, epochs), or why it was not
     * @param trainingTime         e.g. "about 6 minutes on a 2-core laptop-class CPU"
     * @param picture              an image for the gallery inside the sample folder, if the sample has one
     * @param data                 whether the data is on this computer (CIFAR-10 may need a download)
     * @param predictsNumber       the sample predicts a number (its CSV target is read as numbers): its score is R²
     */
    public record Sample(String id, Path folder, int order, String title, String description,
                         OptionalDouble expectedTestAccuracy, String accuracyNote, int epochs, String trainingTime,
                         boolean dataBundled, String dataName, String dataLicence, Optional<Path> picture,
                         Path readme, DataAvailability data, boolean predictsNumber) {

        /** A sample that picks classes. */
        public Sample(String id, Path folder, int order, String title, String description,
                      OptionalDouble expectedTestAccuracy, String accuracyNote, int epochs, String trainingTime,
                      boolean dataBundled, String dataName, String dataLicence, Optional<Path> picture,
                      Path readme, DataAvailability data) {
            this(id, folder, order, title, description, expectedTestAccuracy, accuracyNote, epochs, trainingTime,
                    dataBundled, dataName, dataLicence, picture, readme, data, false);
        }

        public Path projectFile() {
            return folder.resolve(ProjectIO.FILE);
        }
    }

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private SampleCatalog() { }

    /** The samples of the sample-projects folder Kiln finds (see {@link BundledData}), in gallery order. */
    public static List<Sample> list() throws ProjectFormatException {
        Optional<Path> root = BundledData.sampleProjectsFolder();
        if (root.isEmpty()) {
            throw new ProjectFormatException("the sample-projects folder was not found; run Kiln from its folder or set "
                    + "KILN_DATASETS to sample-projects/datasets");
        }
        return list(root.get());
    }

    /** The samples in {@code sampleProjects}, in gallery order. */
    public static List<Sample> list(Path sampleProjects) throws ProjectFormatException {
        List<Sample> out = new ArrayList<>();
        try (Stream<Path> dirs = Files.list(sampleProjects)) {
            for (Path d : dirs.filter(d -> Files.isRegularFile(d.resolve(FILE))).toList()) out.add(read(d));
        } catch (IOException e) {
            throw new ProjectFormatException(sampleProjects + " cannot be listed: " + e.getMessage(), e);
        }
        out.sort(Comparator.comparingInt(Sample::order).thenComparing(Sample::id));
        return out;
    }

    /** One sample folder: its sample.json, checked, and whether its project's data is present. */
    public static Sample read(Path folder) throws ProjectFormatException {
        Path file = folder.resolve(FILE);
        JsonNode tree;
        try {
            tree = MAPPER.readTree(Files.readString(file, StandardCharsets.UTF_8));
        } catch (JsonProcessingException e) {
            throw new ProjectFormatException(file + " is not valid JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new ProjectFormatException(file + " cannot be read: " + e.getMessage(), e);
        }
        if (tree == null || !tree.isObject()) throw new ProjectFormatException(file + " is not a JSON object");
        Json j = new Json(tree, "$", folder.getFileName() + "/" + FILE);
        if (!FORMAT.equals(j.text("format"))) throw j.get("format").error("should be \"" + FORMAT + "\"");
        OptionalDouble accuracy = j.has("expectedTestAccuracy")
                ? OptionalDouble.of(j.number("expectedTestAccuracy")) : OptionalDouble.empty();
        if (accuracy.isPresent() && (accuracy.getAsDouble() < 0 || accuracy.getAsDouble() > 1)) {
            throw j.get("expectedTestAccuracy").error("should be a fraction from 0 to 1");
        }
        Optional<Path> picture = Optional.empty();
        if (j.has("picture")) {
            Path p = folder.resolve(j.text("picture")).normalize();
            if (!p.startsWith(folder.normalize()) || !Files.isRegularFile(p)) {
                throw j.get("picture").error("names no image inside the sample folder");
            }
            picture = Optional.of(p);
        }
        Path readme = folder.resolve("README.md");
        if (!Files.isRegularFile(readme)) throw new ProjectFormatException(folder + " has no README.md");
        Project project = ProjectIO.load(folder);
        return new Sample(folder.getFileName().toString(), folder, j.integer("order"), j.text("title"), j.text("description"),
                accuracy, j.text("accuracyNote"), j.integer("epochs"), j.text("trainingTime"), j.bool("dataBundled"),
                j.text("dataName"), j.text("dataLicence"), picture, readme, DataAvailability.of(project.data(), folder),
                project.data().numericTarget());
    }
}
