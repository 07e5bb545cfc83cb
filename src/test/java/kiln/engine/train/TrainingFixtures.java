package kiln.engine.train;

import kiln.engine.data.BundledData;
import kiln.engine.data.DataSplits;
import kiln.engine.project.Project;
import kiln.engine.runs.RunFolder;
import kiln.engine.project.ProjectIO;
import kiln.engine.util.Progress;

import java.nio.file.Path;

/** Small slices of the real sample projects for training tests. */
final class TrainingFixtures {

    private TrainingFixtures() { }

    static Project sample(String name) throws Exception {
        return ProjectIO.load(samplesFolder().resolve(name));
    }

    /** The sample set to train for {@code epochs} epochs. */
    static Project sample(String name, int epochs) throws Exception {
        Project p = sample(name);
        p.setTraining(p.training().withEpochs(epochs));
        return p;
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

    /** A network of the project's graph with the weights of one of a run's files. */
    static kiln.engine.nn.Network load(Project p, RunFolder run, java.nio.file.Path weights) throws java.io.IOException {
        kiln.engine.nn.NetworkSpec spec = NetworkCompiler.compile(p.graph(), kiln.engine.model.ShapeInference.analyze(p.graph()));
        kiln.engine.nn.Parameters params = new kiln.engine.nn.Parameters(spec.params(), org.nd4j.linalg.api.buffer.DataType.FLOAT);
        run.loadWeights(weights, spec, params);
        return new kiln.engine.nn.Network(spec, params);
    }
}
