package kiln.engine.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Whether a project's data is on this computer, without reading it (for the sample gallery and for
 * offering a download before the student presses Train).
 *
 * @param present      the files are there (not yet checked value by value; reading may still find problems)
 * @param downloadable the data is CIFAR-10, which {@link Cifar10Download} can fetch or {@link Cifar10Download#locate} find
 * @param folder       where the data is expected (absolute), for "download to" and "point at a copy"
 * @param problem      what is missing, in words, or empty when present
 */
public record DataAvailability(boolean present, boolean downloadable, Path folder, String problem) {

    public static DataAvailability of(DataSourceSpec spec, Path projectFolder) {
        try {
            if (spec instanceof DataSourceSpec.Bundled b) spec = BundledData.files(b.name());
            if (spec instanceof DataSourceSpec.Cifar10 c) {
                Path dir = DataLoader.resolve(projectFolder, c.folder());
                List<String> problems = Cifar10Download.check(dir);
                return new DataAvailability(problems.isEmpty(), true, dir, problems.isEmpty() ? ""
                        : "CIFAR-10 is not in " + dir + " (" + String.join("; ", problems) + ")");
            }
            if (spec instanceof DataSourceSpec.Idx idx) {
                for (String f : List.of(idx.trainImages(), idx.trainLabels(), idx.testImages(), idx.testLabels())) {
                    Path p = DataLoader.resolve(projectFolder, f);
                    if (!Files.isRegularFile(p)) return missing(p, p + " is missing");
                }
                return new DataAvailability(true, false, DataLoader.resolve(projectFolder, idx.trainImages()).getParent(), "");
            }
            if (spec instanceof DataSourceSpec.ImageFolder f) {
                Path p = DataLoader.resolve(projectFolder, f.folder());
                return Files.isDirectory(p) ? new DataAvailability(true, false, p, "") : missing(p, p + " is not a folder");
            }
            Path p = DataLoader.resolve(projectFolder, ((DataSourceSpec.Csv) spec).file());
            return Files.isRegularFile(p) ? new DataAvailability(true, false, p.getParent(), "") : missing(p, p + " is missing");
        } catch (DataFormatException e) {
            return new DataAvailability(false, false, projectFolder, e.getMessage());
        }
    }

    private static DataAvailability missing(Path p, String problem) {
        return new DataAvailability(false, false, p.getParent(), problem);
    }
}
