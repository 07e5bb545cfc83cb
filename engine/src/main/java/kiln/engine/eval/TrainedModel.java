package kiln.engine.eval;

import kiln.engine.catalog.LayerWeights;
import kiln.engine.data.Dataset;
import kiln.engine.model.GraphAnalysis;
import kiln.engine.model.Node;
import kiln.engine.model.ShapeInference;
import kiln.engine.nativesupport.NativeSetup;
import kiln.engine.nn.Network;
import kiln.engine.nn.NetworkSpec;
import kiln.engine.nn.Param;
import kiln.engine.nn.Parameters;
import kiln.engine.project.Project;
import kiln.engine.runs.DecisionThreshold;
import kiln.engine.runs.RunFolder;
import kiln.engine.runs.RunRecord;
import kiln.engine.shape.TensorShape;
import kiln.engine.train.NetworkCompiler;
import kiln.engine.train.TrainingSession;
import kiln.engine.util.Progress;
import org.nd4j.linalg.api.buffer.DataType;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A trained run of a project, ready to evaluate, predict and export: the network with the chosen weights
 * and the data as training saw it, with the pipeline fitted again on the same training split (splits are
 * seeded and the run records how many training samples it used, so the statistics are the same).
 */
public final class TrainedModel {

    /** Which weights of a run: those of the epoch with the lowest validation loss, or those of the last epoch. */
    public enum Weights { BEST, LAST }

    /** The project has no usable run, or the run does not fit the project; the message says what to do. */
    public static final class UnavailableException extends Exception {
        public UnavailableException(String message) {
            super(message);
        }
    }

    private final Project project;
    private final Path folder;
    private final RunFolder run;
    private final Weights weights;
    /** The epoch the weights are from when chosen by epoch; 0 when they are the run's best or last (or untrained). */
    private final int epoch;
    private final Network net;
    private final TrainingSession.PreparedData data;
    private final GraphAnalysis analysis;
    private final int limitTrain;
    /** The decision threshold saved with a yes/no run, or null (the more probable class wins). */
    private final DecisionThreshold threshold;

    private TrainedModel(Project project, Path folder, RunFolder run, Weights weights, int epoch, Network net,
                         TrainingSession.PreparedData data, GraphAnalysis analysis, int limitTrain,
                         DecisionThreshold threshold) {
        this.threshold = threshold;
        this.epoch = epoch;
        this.limitTrain = limitTrain;
        this.project = project;
        this.folder = folder;
        this.run = run;
        this.weights = weights;
        this.net = net;
        this.data = data;
        this.analysis = analysis;
    }

    /**
     * @param runId  e.g. "run-3", or null for the newest run that finished an epoch
     */
    public static TrainedModel load(Project project, Path folder, String runId, Weights weights, Progress progress)
            throws UnavailableException {
        return load(project, folder, runId, weights, 0, progress);
    }

    /** The weights a run had after {@code epoch} (counting from 1), as it kept them in its epochs folder. */
    public static TrainedModel loadEpoch(Project project, Path folder, String runId, int epoch, Progress progress)
            throws UnavailableException {
        if (epoch < 1) throw new UnavailableException("There is no epoch " + epoch + "; epochs count from 1.");
        return load(project, folder, runId, Weights.LAST, epoch, progress);
    }

    private static TrainedModel load(Project project, Path folder, String runId, Weights weights, int epoch,
                                     Progress progress) throws UnavailableException {
        RunFolder run = chooseRun(folder, runId);
        RunRecord record;
        try {
            record = run.readRecord();
        } catch (IOException e) {
            throw new UnavailableException(run.id() + " cannot be read (" + e.getMessage() + "); choose another run.");
        }
        // The weights first: a file that does not fit is refused before any data is read.
        progress.update(-1, "Loading the weights of " + run.id());
        GraphAnalysis analysis = usableAnalysis(project);
        NetworkSpec spec = NetworkCompiler.compile(project.graph(), analysis);
        Parameters params = new Parameters(spec.params(), DataType.FLOAT);
        Weights used = readWeights(project, run, weights, epoch, params, spec);
        TrainingSession.PreparedData data;
        try {
            data = TrainingSession.prepareData(project, folder, record.limitTrain(), progress);
        } catch (TrainingSession.SetupException e) {
            throw new UnavailableException(e.getMessage());
        }
        checkSameData(run, project, data);
        progress.checkCancelled();
        Network net = new Network(spec, params);
        return new TrainedModel(project, folder, run, used, epoch, net, data, analysis, record.limitTrain(),
                readThreshold(run, data));
    }

    /**
     * The same data with other weights of a run (its best, its last, or one epoch's when {@code epoch} > 0): scrubbing
     * through a run's epochs reads only a weights file, not the data again.
     */
    public TrainedModel withWeights(String runId, Weights which, int epoch) throws UnavailableException {
        RunFolder other = chooseRun(folder, runId);
        Parameters params = new Parameters(spec().params(), DataType.FLOAT);
        Weights used = readWeights(project, other, which, epoch, params, spec());
        checkSameData(other, project, data);
        int limit;
        try {
            limit = other.readRecord().limitTrain();
        } catch (IOException e) {
            throw new UnavailableException(other.id() + " cannot be read (" + e.getMessage() + "); choose another run.");
        }
        if (limit != limitTrain) {
            throw new UnavailableException(other.id() + " trained on " + (limit == 0 ? "all" : "the first " + limit)
                    + " training samples, so its data differs from this view's; open it on its own.");
        }
        return new TrainedModel(project, folder, other, used, epoch, new Network(spec(), params), data, analysis, limitTrain,
                readThreshold(other, data));
    }

    /** The same data with the weights a new run would start from (seeded as the project's training). */
    public TrainedModel withInitialWeights() {
        Parameters params = new Parameters(spec().params(), DataType.FLOAT);
        params.initialise(project.training().seed());
        return new TrainedModel(project, folder, null, Weights.LAST, 0, new Network(spec(), params), data, analysis, limitTrain, null);
    }

    /** The same network and data judged at another decision threshold (null: the more probable class). */
    public TrainedModel withThreshold(DecisionThreshold newThreshold) {
        if (newThreshold != null) checkThreshold(newThreshold, classNames());
        return new TrainedModel(project, folder, run, weights, epoch, net, data, analysis, limitTrain, newThreshold);
    }

    private static DecisionThreshold readThreshold(RunFolder run, TrainingSession.PreparedData data)
            throws UnavailableException {
        try {
            var saved = run.readThreshold();
            if (saved.isEmpty()) return null;
            checkThreshold(saved.get(), data.splits().train().classNames());
            return saved.get();
        } catch (IOException | IllegalArgumentException e) {
            throw new UnavailableException("The decision threshold of " + run.id() + " cannot be used: " + e.getMessage());
        }
    }

    private static void checkThreshold(DecisionThreshold t, List<String> classes) {
        if (classes.size() != 2) {
            throw new IllegalArgumentException("a decision threshold is for yes/no tasks, and this one has "
                    + classes.size() + " classes; delete " + RunFolder.RUNS + "/…/threshold.json");
        }
        if (!classes.get(1).equals(t.positiveClass())) {
            throw new IllegalArgumentException("it was saved for class \"" + t.positiveClass() + "\" but the classes are "
                    + classes + "; save the threshold again from the Evaluation tab");
        }
    }

    /** Reads the chosen weights file of a run into {@code params}; a file that does not fit is explained. */
    private static Weights readWeights(Project project, RunFolder run, Weights weights, int epoch, Parameters params,
                                       NetworkSpec spec) throws UnavailableException {
        Weights used = weights == Weights.BEST && Files.exists(run.best()) ? Weights.BEST : Weights.LAST;
        Path file = epoch > 0 ? run.epochWeights(epoch) : used == Weights.BEST ? run.best() : run.checkpoint();
        if (epoch > 0 && !Files.exists(file)) {
            List<Integer> kept;
            try {
                kept = run.savedEpochs();
            } catch (IOException e) {
                kept = List.of();
            }
            throw new UnavailableException(run.id() + " kept no weights of epoch " + epoch + (kept.isEmpty()
                    ? " (runs trained before Kiln kept each epoch have only their best and last); use best or last."
                    : kept.size() == 1 ? "; it kept epoch " + kept.get(0) + "."
                    : "; it kept epochs " + kept.get(0) + " to " + kept.get(kept.size() - 1) + "."));
        }
        try {
            run.loadWeights(file, spec, params);
        } catch (RunFolder.DifferentNetworkException e) {
            Node layer = project.graph().node(e.layer());
            throw new UnavailableException(run.id() + " was trained on a different network: " + layer.name() + " ("
                    + layer.type().displayName() + ") has " + (e.inRun() == null ? "no " + e.tensor() + " in the run"
                    : "weights " + java.util.Arrays.toString(e.inRun()) + " in the run") + " but "
                    + java.util.Arrays.toString(e.inProject()) + " in the project now. Train again, or undo the network changes.");
        } catch (IOException e) {
            throw new UnavailableException("The weights of " + run.id() + " cannot be used: " + e.getMessage());
        }
        return used;
    }

    /**
     * The project's network with the weights a new run would start from (seeded as the project's training), and
     * the data as a new run would see it: to look inside a network before it has learned anything.
     */
    public static TrainedModel untrained(Project project, Path folder, Progress progress) throws UnavailableException {
        return untrained(project, folder, 0, progress);
    }

    /** The analysis of the project's network, after readying the native code; refused while the graph has a problem. */
    private static GraphAnalysis usableAnalysis(Project project) throws UnavailableException {
        NativeSetup.prepare();
        GraphAnalysis analysis = ShapeInference.analyze(project.graph());
        if (!analysis.isValid()) {
            throw new UnavailableException("The network cannot be used yet: " + analysis.firstProblem().orElseThrow());
        }
        return analysis;
    }

    /** As {@link #untrained(Project, Path, Progress)}, training on the first {@code limitTrain} samples (0 = all). */
    public static TrainedModel untrained(Project project, Path folder, int limitTrain, Progress progress)
            throws UnavailableException {
        GraphAnalysis analysis = usableAnalysis(project);
        NetworkSpec spec = NetworkCompiler.compile(project.graph(), analysis);
        Parameters params = new Parameters(spec.params(), DataType.FLOAT);
        params.initialise(project.training().seed());
        TrainingSession.PreparedData data;
        try {
            data = TrainingSession.prepareData(project, folder, limitTrain, progress);
        } catch (TrainingSession.SetupException e) {
            throw new UnavailableException(e.getMessage());
        }
        return new TrainedModel(project, folder, null, Weights.LAST, 0, new Network(spec, params), data, analysis, limitTrain, null);
    }

    /** The named run, or the newest one with saved weights. */
    public static RunFolder chooseRun(Path folder, String runId) throws UnavailableException {
        List<RunFolder> runs;
        try {
            runs = RunFolder.list(folder);
        } catch (IOException e) {
            throw new UnavailableException("The runs of " + folder + " cannot be listed: " + e.getMessage());
        }
        List<RunFolder> trained = runs.stream().filter(RunFolder::hasWeights).toList();
        if (runId == null) {
            if (trained.isEmpty()) {
                throw new UnavailableException("The project in " + folder + " has no trained run yet; train it first "
                        + "(Train in the app, or: kiln train " + folder + ").");
            }
            return trained.get(trained.size() - 1);
        }
        RunFolder named = runs.stream().filter(r -> r.id().equals(runId)).findFirst().orElseThrow(() ->
                new UnavailableException("There is no run '" + runId + "' in " + folder.resolve(RunFolder.RUNS)
                        + (trained.isEmpty() ? "; train the project first." : "; trained runs: "
                        + String.join(", ", trained.stream().map(RunFolder::id).toList()) + ".")));
        if (!named.hasWeights()) {
            throw new UnavailableException(runId + " has no saved weights (it stopped before its first epoch ended); "
                    + "choose another run or train again.");
        }
        return named;
    }

    /**
     * The statistics training fitted must be the ones refitted now; they differ when the pipeline, the split or
     * the data changed since the run, and then the test split may even hold samples the run trained on.
     */
    private static void checkSameData(RunFolder run, Project project, TrainingSession.PreparedData data)
            throws UnavailableException {
        try {
            var recorded = run.readDataRecord();
            var now = RunFolder.dataRecord(data.pipeline().describe(), project.split(), project.data());
            if (recorded.isPresent() && !recorded.get().equals(now)) {
                throw new UnavailableException("The data pipeline, split or data has changed since " + run.id()
                        + " was trained, so its test results would not be comparable; undo those changes or train again.");
            }
        } catch (IOException e) {
            throw new UnavailableException(run.id() + "'s record of its data cannot be read (" + e.getMessage()
                    + "); train again.");
        }
    }

    public Project project() { return project; }
    /** The project folder (data paths are relative to it). */
    public Path folder() { return folder; }
    /** The run the weights come from; null for {@link #untrained} weights. */
    public RunFolder run() { return run; }
    public Weights weights() { return weights; }
    /** The epoch the weights are from when they were chosen by epoch, else 0. */
    public int epoch() { return epoch; }
    public Network network() { return net; }
    public TrainingSession.PreparedData data() { return data; }
    public GraphAnalysis analysis() { return analysis; }
    /** Training samples the data was limited to (0 = all), as the run recorded it. */
    public int limitTrain() { return limitTrain; }
    /** The decision threshold saved with this yes/no run, if one was. */
    public java.util.Optional<DecisionThreshold> threshold() { return java.util.Optional.ofNullable(threshold); }
    /** The network's parameters and layout. */
    public NetworkSpec spec() { return net.spec(); }

    /** The test split after the pipeline. */
    public Dataset test() { return data.splits().test(); }

    public List<String> classNames() { return data.splits().train().classNames(); }

    /** One sample's shape at the Input layer. */
    public TensorShape inputShape() { return data.splits().train().sampleShape(); }

    public Node outputNode() {
        return project.graph().outputNode().orElseThrow();
    }

    /** "run-3, best epoch" for titles and messages. */
    public String describe() {
        if (run == null) return "untrained (initial weights, seed " + project.training().seed() + ")";
        if (epoch > 0) return run.id() + ", epoch " + epoch;
        return run.id() + (weights == Weights.BEST ? ", best epoch" : ", last epoch");
    }

    /** A layer's trained parameters by their short names ("weight", "bias", "running_mean", ...). */
    public LayerWeights weightsOf(String nodeName) {
        return weightsOf(net, nodeName);
    }

    /**
     * A layer's parameters as the exports write them: for a numeric target the Output's weights take the
     * standardisation's inverse in (weight · std, bias · std + mean), so an exported model answers in the target's
     * own unit with no extra step.
     */
    public LayerWeights exportWeightsOf(String nodeName) {
        LayerWeights trained = weightsOf(nodeName);
        var scale = data.encoding().targetScale();
        if (scale == null || !nodeName.equals(outputNode().name())) return trained;
        return new LayerWeights() {
            @Override
            public boolean has(String key) {
                return trained.has(key);
            }

            @Override
            public float[] values(String key) {
                float[] v = trained.values(key).clone();
                if (key.equals("weight") || key.equals("bias")) {
                    for (int i = 0; i < v.length; i++) v[i] = (float) (v[i] * scale.std() + (key.equals("bias") ? scale.mean() : 0));
                }
                return v;
            }

            @Override
            public long[] shape(String key) {
                return trained.shape(key);
            }
        };
    }

    /** The parameters of one layer of a network by their short names, as the exporters read them. */
    public static LayerWeights weightsOf(Network net, String nodeName) {
        String prefix = nodeName + ".";
        Map<String, Param> table = new LinkedHashMap<>();
        for (Param p : net.spec().params()) {
            if (p.name().startsWith(prefix)) table.put(p.name().substring(prefix.length()), p);
        }
        Parameters params = net.parameters();
        return new LayerWeights() {
            @Override
            public boolean has(String key) {
                return table.containsKey(key);
            }

            @Override
            public float[] values(String key) {
                Param p = table.get(key);
                if (p == null) throw new IllegalArgumentException(nodeName + " has no parameter " + key);
                double[] d = params.get(p);
                float[] f = new float[d.length];
                for (int i = 0; i < d.length; i++) f[i] = (float) d[i];
                return f;
            }

            @Override
            public long[] shape(String key) {
                return table.get(key).shape();
            }
        };
    }
}
