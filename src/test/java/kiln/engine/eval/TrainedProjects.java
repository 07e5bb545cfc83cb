package kiln.engine.eval;

import kiln.engine.catalog.LayerCatalog;
import kiln.engine.catalog.Params;
import kiln.engine.data.BundledData;
import kiln.engine.data.DataLoader;
import kiln.engine.data.DataSourceSpec;
import kiln.engine.data.DataSplits;
import kiln.engine.data.Dataset;
import kiln.engine.data.SplitSettings;
import kiln.engine.data.pipeline.Pipeline;
import kiln.engine.data.pipeline.PipelineStep;
import kiln.engine.data.pipeline.ScaleStep;
import kiln.engine.data.pipeline.StandardizeStep;
import kiln.engine.model.Graphs;
import kiln.engine.model.ModelGraph;
import kiln.engine.project.Project;
import kiln.engine.project.ProjectIO;
import kiln.engine.project.TrainingSettings;
import kiln.engine.runs.TrainingEvent;
import kiln.engine.train.Trainer;
import kiln.engine.train.TrainingSession;
import kiln.engine.util.Progress;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;

/** Projects trained briefly on a slice of real data, in a temporary folder, for evaluation and export tests. */
public final class TrainedProjects {

    private TrainedProjects() { }

    /** A copy of a sample project (mnist-cnn, mnist-mlp, fashion-mnist-cnn) in {@code folder}. */
    public static Project copySample(String sample, Path folder) throws Exception {
        Project p = ProjectIO.load(BundledData.sampleProjectsFolder().orElseThrow().resolve(sample));
        ProjectIO.save(p, folder);
        return p;
    }

    /**
     * Residual MNIST network with every exportable layer kind: same padding with odd totals (asymmetric pads),
     * stride 2, BatchNorm on images and vectors, Add, Concat of images and of vectors, both poolings,
     * GlobalAvgPool, Flatten, Dropout, leaky ReLU and tanh; standardized input.
     */
    public static Project residual(Path folder) throws Exception {
        ModelGraph g = Graphs.start()
                .then("input", "input", Map.of())
                .then("c1", "conv2d", Map.of("filters", 8, "padding", "same"))
                .then("c2", "conv2d", Map.of("filters", 8, "padding", "same", "activation", "linear"))
                .then("bn1", "batch_norm", Map.of())
                .then("act1", "activation", Map.of("function", "relu"))
                .then("add1", "add", Map.of()).connect("c1", "add1", 1)
                .then("pool_a", "maxpool2d", Map.of())
                .from("add1").then("c3", "conv2d", Map.of("filters", 8, "stride", 2, "padding", "same"))
                .then("cat1", "concat", Map.of()).connect("pool_a", "cat1", 1)
                .then("act2", "activation", Map.of("function", "tanh"))
                .then("avg", "avgpool2d", Map.of("pool", 3, "stride", 2, "padding", "same"))
                .then("flat", "flatten", Map.of())
                .then("drop", "dropout", Map.of("rate", 0.25))
                .then("dense1", "dense", Map.of("units", 32, "activation", "leaky_relu"))
                .then("bn2", "batch_norm", Map.of())
                .from("avg").then("gap", "global_avg_pool", Map.of())
                .then("cat2", "concat", Map.of()).connect("bn2", "cat2", 1)
                .then("output", "output", Map.of("units", 10))
                .build();
        Pipeline pipeline = new Pipeline(List.of(
                new PipelineStep(ScaleStep.ID, true, Map.of("factor", ScaleStep.PIXELS_TO_UNIT)),
                new PipelineStep(StandardizeStep.ID, true, Map.of())));
        Project p = new Project("Residual MNIST", g, new DataSourceSpec.Bundled("mnist"), pipeline,
                SplitSettings.defaults(), TrainingSettings.defaults().withEpochs(1));
        ProjectIO.save(p, folder);
        return p;
    }

    /**
     * The MNIST MLP fine-tuned as a student would: dense1 frozen at 0.5× (so it keeps its first weights), dense2
     * through LoRA adapters of rank 4, the head trained at 2× the rate. Exports must merge the adapters.
     */
    public static Project fineTuned(Path folder) throws Exception {
        Project p = copySample("mnist-mlp", folder);
        var g = p.graph();
        var dense = LayerCatalog.get("dense");
        g.replace(g.node("dense1").withTraining(new kiln.engine.nn.LayerTraining(false, 1, false)));
        g.replace(g.node("dense2").withParams(g.node("dense2").params().with(dense, "loraRank", 4).with(dense, "loraAlpha", 8.0)));
        g.replace(g.node("output").withTraining(new kiln.engine.nn.LayerTraining(true, 2, false)));
        ProjectIO.save(p, folder);
        return p;
    }

    /** A copy of a sample project in {@code folder}, trained as {@link #train(Project, Path, int, int)}. */
    public static Project trainedSample(String sample, Path folder, int trainSamples, int epochs) throws Exception {
        Project p = copySample(sample, folder);
        train(p, folder, trainSamples, epochs);
        return p;
    }

    /** A copy of a sample project in {@code folder}, trained one epoch as {@link #train(Project, Path, int)}. */
    public static Project trainedSample(String sample, Path folder, int trainSamples) throws Exception {
        return trainedSample(sample, folder, trainSamples, 1);
    }

    /**
     * The MNIST MLP with {@code units} units in its second dense layer, saved in {@code folder}: a network that
     * can take only some of a trained MLP's weights.
     */
    public static Project mlpWithDense2(Path folder, int units) throws Exception {
        Project p = copySample("mnist-mlp", folder);
        var dense = LayerCatalog.get("dense");
        p.graph().replace(p.graph().node("dense2").withParams(Params.of(dense, Map.of("units", units))));
        ProjectIO.save(p, folder);
        return p;
    }

    /** Trains one epoch on the first {@code trainSamples} training samples (500 validation samples) and returns the end event. */
    public static TrainingEvent.Finished train(Project p, Path folder, int trainSamples) throws Exception {
        return train(p, folder, trainSamples, 1);
    }

    /** As {@link #train(Project, Path, int)}, for {@code epochs} epochs. */
    public static TrainingEvent.Finished train(Project p, Path folder, int trainSamples, int epochs) throws Exception {
        p.setTraining(p.training().withEpochs(epochs));
        TrainingSession.PreparedData full = TrainingSession.prepareData(p, folder, trainSamples, Progress.NONE);
        DataSplits s = full.splits();
        TrainingSession.PreparedData data = new TrainingSession.PreparedData(
                new DataSplits(s.train(), s.validation().head(500), s.test().head(500)), full.pipeline(), full.encoding());
        Trainer trainer = TrainingSession.newRun(p, folder, data, trainSamples, e -> { });
        TrainingEvent end = trainer.run();
        return assertInstanceOf(TrainingEvent.Finished.class, end, end.toString());
    }

    /** Test sample i before preprocessing. */
    public static float[] rawSample(Project p, Path folder, int i) throws Exception {
        Dataset raw = rawTest(p, folder);
        return java.util.Arrays.copyOfRange(raw.features(), i * raw.sampleLength(), (i + 1) * raw.sampleLength());
    }

    /** The raw (not preprocessed) test split, in the same order as {@link TrainedModel#test()}. */
    public static Dataset rawTest(Project p, Path folder) throws Exception {
        return DataLoader.load(p.data(), folder, p.split(), Progress.NONE).test();
    }
}
