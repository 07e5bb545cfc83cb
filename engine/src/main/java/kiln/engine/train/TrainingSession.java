package kiln.engine.train;

import kiln.engine.data.DataFormatException;
import kiln.engine.data.DataLoader;
import kiln.engine.data.DataSplits;
import kiln.engine.data.Dataset;
import kiln.engine.data.pipeline.Pipeline;
import kiln.engine.model.GraphAnalysis;
import kiln.engine.model.Node;
import kiln.engine.model.ShapeInference;
import kiln.engine.nativesupport.NativeSetup;
import kiln.engine.nn.NetworkSpec;
import kiln.engine.nn.Param;
import kiln.engine.nn.Optimizer;
import kiln.engine.nn.Parameters;
import kiln.engine.project.Project;
import kiln.engine.project.TrainingSettings;
import kiln.engine.runs.RunFolder;
import kiln.engine.runs.RunRecord;
import kiln.engine.shape.TensorShape;
import kiln.engine.util.Progress;
import org.nd4j.linalg.api.buffer.DataType;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything between "Train" and the first batch, shared by the command line and the app: check the
 * project, load and split the data, fit the pipeline on the training split, build the network, create the run.
 */
public final class TrainingSession {

    /** Below this many training FLOPs per sample one native thread beats two (the `bench` table in docs/performance.md). */
    static final double ONE_THREAD_BELOW_MFLOP = 5.0;

    /** A project that cannot train yet; the message lists every reason in plain words. */
    public static final class SetupException extends Exception {
        public SetupException(String message) {
            super(message);
        }

        /** The cause tells callers what they can offer, e.g. a {@code Cifar10MissingException} offers the download. */
        public SetupException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /**
     * Data ready for the network: pipeline applied to every split (without augmentation).
     * @param augmentationSource the training split as it enters the first augmentation step, from which the
     *                           trainer makes freshly augmented batches; null when the pipeline does not augment
     */
    public record PreparedData(DataSplits splits, Pipeline.Fitted pipeline, LabelEncoding encoding,
                               Dataset augmentationSource) {

        public PreparedData(DataSplits splits, Pipeline.Fitted pipeline, LabelEncoding encoding) {
            this(splits, pipeline, encoding, null);
        }
    }

    private TrainingSession() { }

    /** Checks graph, settings and pipeline without loading data; empty when the project can try to train. */
    public static List<String> problems(Project project) {
        return problems(project, ShapeInference.analyze(project.graph()));
    }

    private static List<String> problems(Project project, GraphAnalysis a) {
        List<String> p = new ArrayList<>();
        p.addAll(a.problems());
        p.addAll(project.training().problems());
        p.addAll(project.pipeline().problems());
        return p;
    }

    public static PreparedData prepareData(Project project, Path folder, int limitTrain, Progress progress)
            throws SetupException {
        List<String> leftOut = new java.util.ArrayList<>();
        PreparedData data = prepareData(project, folder, limitTrain, progress, leftOut);
        for (String note : leftOut) progress.update(-1, note);
        return data;
    }

    /** As {@link #prepareData(Project, Path, int, Progress)}, adding to {@code leftOut} what the reader left out and why. */
    public static PreparedData prepareData(Project project, Path folder, int limitTrain, Progress progress,
                                           List<String> leftOut) throws SetupException {
        DataSplits raw = loadSplits(project, folder, progress, leftOut);
        if (limitTrain > 0) raw = new DataSplits(raw.train().head(limitTrain), raw.validation(), raw.test());
        return prepareSplits(project, raw, progress);
    }

    /** The project's data as read and split, before the pipeline; refused when the project cannot train. */
    public static DataSplits loadSplits(Project project, Path folder, Progress progress) throws SetupException {
        List<String> leftOut = new java.util.ArrayList<>();
        DataSplits s = loadSplits(project, folder, progress, leftOut);
        for (String note : leftOut) progress.update(-1, note);
        return s;
    }

    /** As {@link #loadSplits(Project, Path, Progress)}, adding to {@code leftOut} what the reader left out and why. */
    public static DataSplits loadSplits(Project project, Path folder, Progress progress, List<String> leftOut)
            throws SetupException {
        List<String> problems = problems(project);
        if (!problems.isEmpty()) throw new SetupException(String.join("\n", problems));
        try {
            return DataLoader.load(project.data(), folder, project.split(), progress, leftOut);
        } catch (DataFormatException e) {
            throw new SetupException("The data cannot be read: " + e.getMessage(), e);
        }
    }

    /**
     * Splits chosen by the caller (e.g. one fold of a cross-validation) made ready for the network: the pipeline is
     * fitted on {@code raw.train()} alone and applied to every split.
     */
    public static PreparedData prepareSplits(Project project, DataSplits raw, Progress progress) throws SetupException {
        GraphAnalysis analysis = ShapeInference.analyze(project.graph());
        List<String> problems = problems(project, analysis);
        if (!problems.isEmpty()) throw new SetupException(String.join("\n", problems));
        Node input = project.graph().inputNode().orElseThrow();
        TensorShape expected = analysis.get(input.name()).shape();
        List<String> pipelineProblems = project.pipeline().problems(raw.train().sampleShape());
        if (!pipelineProblems.isEmpty()) throw new SetupException(String.join("\n", pipelineProblems));
        TensorShape actual = project.pipeline().outputShape(raw.train().sampleShape()).orElseThrow();
        if (!expected.equals(actual)) {
            throw new SetupException(input.name() + " (Input) expects samples of " + expected + " but the data gives "
                    + actual + "; set the Input to " + actual + " or change the data pipeline.");
        }
        Node output = project.graph().outputNode().orElseThrow();
        LabelEncoding encoding = LabelEncoding.of(project.graph(), analysis).orElseThrow().forData(raw.train());
        var mismatch = encoding.mismatch(raw.train(), output.name());
        if (mismatch.isPresent()) throw new SetupException(mismatch.get() + ".");
        if (raw.train().size() == 0) throw new SetupException("The training split is empty; lower the validation and test fractions.");
        progress.update(-1, "Preparing data");
        Pipeline.Fitted fitted = project.pipeline().fit(raw.train());
        DataSplits ready = fitted.apply(raw);
        for (Dataset d : List.of(ready.train(), ready.validation(), ready.test())) {
            String missing = describeMissing(d);
            if (missing != null) throw new SetupException(missing);
        }
        return new PreparedData(ready, fitted, encoding,
                fitted.augments() ? fitted.beforeAugmentation(raw.train()) : null);
    }

    /** The thread count for a run: the setting, or by the network's size when it is 0 (automatic). */
    public static int threadsFor(GraphAnalysis analysis, TrainingSettings settings) {
        if (settings.threads() > 0) return settings.threads();
        double trainMflop = 6.0 * analysis.totalMultiplyAdds() / 1e6; // forward + backward ≈ 3 × 2 FLOP per MAC
        return trainMflop < ONE_THREAD_BELOW_MFLOP ? 1 : Runtime.getRuntime().availableProcessors();
    }

    /** The project's network, analysed once, built from the catalog's primitives. */
    record Built(GraphAnalysis analysis, NetworkSpec spec) { }

    static Built build(Project project, TrainingSettings settings) throws SetupException {
        GraphAnalysis analysis = ShapeInference.analyze(project.graph());
        if (!analysis.isValid()) {
            throw new SetupException("The network cannot be trained yet: " + analysis.firstProblem().orElseThrow());
        }
        List<String> settingProblems = settings.problems();
        if (!settingProblems.isEmpty()) throw new SetupException(settingProblems.get(0));
        return new Built(analysis, NetworkCompiler.compile(project.graph(), analysis));
    }

    public static Optimizer optimizerFor(TrainingSettings s, NetworkSpec spec, Parameters params) {
        Optimizer.Kind kind = switch (s.optimizer()) {
            case "adam" -> Optimizer.Kind.ADAM;
            case "rmsprop" -> Optimizer.Kind.RMSPROP;
            default -> s.momentum() > 0 ? Optimizer.Kind.NESTEROV : Optimizer.Kind.SGD;
        };
        return new Optimizer(params, kind, s.momentum(), s.l2(), spec::rateMultiplier);
    }

    /** Creates runs/run-N, builds a freshly initialised network and returns a trainer ready to run. */
    public static Trainer newRun(Project project, Path folder, PreparedData data, int limitTrain,
                                 TrainingListener listener) throws SetupException, IOException {
        return newRun(project, folder, data, limitTrain, null, listener);
    }

    /** As {@link #newRun(Project, Path, PreparedData, int, TrainingListener)}, the run tagged with an experiment group. */
    public static Trainer newRun(Project project, Path folder, PreparedData data, int limitTrain, String group,
                                 TrainingListener listener) throws SetupException, IOException {
        NativeSetup.prepare();
        TrainingSettings settings = project.training();
        Built net = build(project, settings);
        Parameters params = new Parameters(net.spec().params(), DataType.FLOAT);
        params.initialise(settings.seed());
        List<WeightTransfer.LayerResult> transfer = startFromTrainedModels(project, folder, net.spec(), params);
        Optional<HeadFirst> headFirst = HeadFirst.of(project.graph(), net.spec(), settings, transfer.stream()
                .filter(r -> r.outcome() == WeightTransfer.Outcome.LOADED).map(WeightTransfer.LayerResult::layer).toList());
        NetworkSpec spec = headFirst.map(HeadFirst::headSpec).orElse(net.spec());
        if (headFirst.isPresent()) params = withValues(spec, params);
        RunFolder run = RunFolder.createNext(folder);
        // So that evaluation can tell when the data, split or pipeline changed after this run.
        run.writeDataRecord(data.pipeline().describe(), project.split(), project.data());
        run.writeRecord(new RunRecord(run.id(), "running", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString(),
                0, 0, 0, Double.NaN, Double.NaN, Double.NaN, limitTrain, null, settings, null,
                transfer.stream().map(WeightTransfer.LayerResult::line).toList())
                .withParamCounts(net.analysis().totalParams(),
                        net.analysis().totalParams() - net.analysis().totalNonTrainableParams()).withGroup(group));
        Trainer trainer = new Trainer(spec, params, optimizerFor(settings, spec, params), 0, settings, data.splits(),
                data.encoding(), threadsFor(net.analysis(), settings), run, listener).withAugmentation(data).withTransfer(transfer);
        return headFirst.map(trainer::withHeadFirst).orElse(trainer);
    }

    /** Parameters laid out for {@code spec} (which learns a different set) with the same values, by name. */
    private static Parameters withValues(NetworkSpec spec, Parameters values) {
        Parameters out = new Parameters(spec.params(), values.dtype());
        for (Param p : spec.params()) out.set(p, values.get(p));
        return out;
    }

    /**
     * Gives every layer whose weightsFrom names a trained model that model's weights, one source at a time; a
     * source that cannot be used stops the run before it is created.
     */
    private static List<WeightTransfer.LayerResult> startFromTrainedModels(Project project, Path folder, NetworkSpec spec,
                                                                          Parameters params) throws SetupException {
        Map<String, List<String>> bySource = new LinkedHashMap<>();
        for (Node n : project.graph().nodes()) {
            if (n.pretrained()) bySource.computeIfAbsent(n.weightsFrom(), k -> new ArrayList<>()).add(n.name());
        }
        List<WeightTransfer.LayerResult> out = new ArrayList<>();
        for (var e : bySource.entrySet()) {
            WeightTransfer.Source source = WeightTransfer.resolve(folder, e.getKey());
            for (WeightTransfer.LayerResult r : WeightTransfer.load(project.graph(), spec, params, e.getValue(), source)) {
                out.add(r.outcome() == WeightTransfer.Outcome.LOADED ? new WeightTransfer.LayerResult(r.layer(), r.type(),
                        r.outcome(), "from " + source.label() + (r.reason() == null ? "" : "; " + r.reason())) : r);
            }
        }
        return out;
    }

    /**
     * Continues a run from its last checkpoint for {@code moreEpochs} epochs with its own settings. The data must
     * be prepared with the run's recorded training-set limit.
     */
    public static Trainer continueRun(Project project, RunFolder run, PreparedData data, int moreEpochs,
                                      TrainingListener listener) throws SetupException, IOException {
        NativeSetup.prepare();
        if (!run.hasWeights()) {
            throw new SetupException(run.id() + " has no checkpoint yet (it stopped before its first epoch ended); "
                    + "start a new run instead.");
        }
        RunRecord record = run.readRecord();
        TrainingSettings settings = record.settings().withEpochs(moreEpochs);
        Built net = build(project, settings);
        Optional<HeadFirst> headFirst = HeadFirst.of(project.graph(), net.spec(), settings,
                WeightTransfer.loadedLayers(record.initFrom()));
        int saved = record.epochsCompleted();
        // The checkpoint of an epoch inside the head epochs is laid out for the head-only network.
        NetworkSpec spec = headFirst.filter(h -> settings.headOnly(saved + 1)).map(HeadFirst::headSpec).orElse(net.spec());
        Parameters params = new Parameters(spec.params(), DataType.FLOAT);
        Optimizer optimizer = optimizerFor(settings, spec, params);
        int epochs;
        try {
            epochs = run.loadCheckpoint(spec, params, optimizer);
        } catch (IOException e) {
            throw new SetupException(run.id() + " cannot be continued: " + e.getMessage(), e);
        }
        run.writeRecord(record.withSettings(record.settings().withEpochs(epochs + moreEpochs)));
        Trainer trainer = new Trainer(spec, params, optimizer, epochs, settings, data.splits(), data.encoding(),
                threadsFor(net.analysis(), settings), run, listener).withAugmentation(data);
        return headFirst.map(trainer::withHeadFirst).orElse(trainer);
    }

    /** Training on NaN gives NaN weights; say where the holes are instead. */
    private static String describeMissing(Dataset d) {
        float[] f = d.features();
        int count = 0;
        int first = -1;
        for (int i = 0; i < f.length; i++) {
            if (Float.isNaN(f[i])) {
                if (first < 0) first = i;
                count++;
            }
        }
        if (count == 0) return null;
        int per = d.sampleLength();
        return "The data has " + count + (count == 1 ? " missing value in " : " missing values in ") + d.source() + " (the first in sample " + (first / per + 1)
                + ", value " + (first % per + 1) + "); add the cleaning step Fill missing values or Drop rows with "
                + "missing values to the data pipeline (Data tab), or fix the data file.";
    }


}
