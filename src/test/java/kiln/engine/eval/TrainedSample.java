package kiln.engine.eval;

import kiln.engine.project.Project;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * A sample project trained once for a test class ({@code @RegisterExtension static}), in a temporary folder of
 * its own that is deleted after the class's tests; training as {@link TrainedProjects#train(Project, Path, int, int)}.
 */
public final class TrainedSample implements BeforeAllCallback, AfterAllCallback {

    private final String sample;
    private final int trainSamples;
    private final int epochs;
    private Path folder;
    private Project project;

    public TrainedSample(String sample, int trainSamples, int epochs) {
        this.sample = sample;
        this.trainSamples = trainSamples;
        this.epochs = epochs;
    }

    /** One epoch on the first {@code trainSamples} training samples. */
    public TrainedSample(String sample, int trainSamples) {
        this(sample, trainSamples, 1);
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        folder = Files.createTempDirectory("kiln-" + sample + "-");
        project = TrainedProjects.trainedSample(sample, folder, trainSamples, epochs);
    }

    @Override
    public void afterAll(ExtensionContext context) throws IOException {
        try (Stream<Path> files = Files.walk(folder)) {
            for (Path f : files.sorted(Comparator.reverseOrder()).toList()) Files.delete(f);
        }
    }

    /** The project's folder, with its trained run. */
    public Path folder() {
        return folder;
    }

    /** The project as trained (its epochs set to those trained). */
    public Project project() {
        return project;
    }
}
