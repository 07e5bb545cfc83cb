package kiln.engine.train;

import kiln.engine.data.BundledData;
import kiln.engine.data.DataSplits;
import kiln.engine.project.Project;
import kiln.engine.project.ProjectIO;
import kiln.engine.util.Progress;

import java.nio.file.Path;

/** Small slices of the real sample projects for training tests. */
final class TrainingFixtures {

    private TrainingFixtures() { }

    static Project sample(String name) throws Exception {
        return ProjectIO.load(samplesFolder().resolve(name));
    }

    static Path samplesFolder() {
        return BundledData.sampleProjectsFolder().orElseThrow();
    }

    /** The project's data with the first {@code train} training, 500 validation and {@code test} test samples. */
    static TrainingSession.PreparedData slice(Project p, int train, int test) throws Exception {
        TrainingSession.PreparedData full = TrainingSession.prepareData(p, samplesFolder(), train, Progress.NONE);
        DataSplits s = full.splits();
        return new TrainingSession.PreparedData(new DataSplits(s.train(), s.validation().head(500), s.test().head(test)),
                full.pipeline(), full.encoding());
    }
}
