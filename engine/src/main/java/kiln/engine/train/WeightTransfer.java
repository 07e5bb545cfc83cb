package kiln.engine.train;

import kiln.engine.catalog.LayerWeights;
import kiln.engine.catalog.LowRankAdapters;
import kiln.engine.model.ModelGraph;
import kiln.engine.model.Node;
import kiln.engine.nn.NetworkSpec;
import kiln.engine.nn.Param;
import kiln.engine.nn.Parameters;
import kiln.engine.project.Project;
import kiln.engine.project.ProjectFormatException;
import kiln.engine.project.ProjectIO;
import kiln.engine.runs.RunFolder;
import kiln.engine.weights.SafeTensors;
import kiln.engine.weights.Tensor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Starting a network from a trained model: a run of another project, or of a Kiln export (which is a project
 * folder too). A layer gets the source's weights when the source has a layer of the same name whose tensors
 * have the same names and shapes ("conv1.weight" [32, 1, 3, 3]); every other layer keeps its fresh weights,
 * and the report says why. Adapters the source lacks start fresh; adapters only the source has are merged into
 * the weights, so what the source learned through them is kept.
 */
public final class WeightTransfer {

    private static final Pattern RUN_SUFFIX = Pattern.compile("(.+):(run-\\d+)");
    private static final Pattern LOADED_LINE = Pattern.compile("(.+?) \\(.+?\\): loaded( .*)?");

    /** What happened to one layer's weights. */
    public enum Outcome { LOADED, NEW, SKIPPED }

    /** @param reason why a layer was skipped or is new; for a loaded layer, what else is worth knowing (or null) */
    public record LayerResult(String layer, String type, Outcome outcome, String reason) {

        /** One line for the command line and the app: "conv1 (Conv2D): loaded". */
        public String line() {
            String what = switch (outcome) {
                case LOADED -> "loaded";
                case NEW -> "new";
                case SKIPPED -> "skipped";
            };
            return layer + " (" + type + "): " + what + (reason == null ? "" : " (" + reason + ")");
        }
    }

    /**
     * A trained model to start from.
     * @param label   as the student wrote it ("../mnist-cnn:run-2"), kept in project files and run records
     * @param project the source's project, for its layers' settings
     * @param weights the run's weights file (the best epoch's when it has one)
     */
    public record Source(String label, Path folder, Project project, RunFolder run, Path weights) {

        public String describe() {
            return folder.getFileName() + ", " + run.id();
        }
    }

    private WeightTransfer() { }

    /** The folder part of a source label: "../mnist-cnn" of "../mnist-cnn:run-2". */
    public static String folderOf(String label) {
        Matcher m = RUN_SUFFIX.matcher(label.strip());
        return m.matches() ? m.group(1) : label.strip();
    }

    /** The layers that {@link LayerResult#line()}s (as a run records them) say were loaded. */
    public static List<String> loadedLayers(List<String> lines) {
        List<String> out = new ArrayList<>();
        for (String line : lines) {
            Matcher m = LOADED_LINE.matcher(line);
            if (m.matches()) out.add(m.group(1));
        }
        return out;
    }

    /**
     * Finds the source named "folder" or "folder:run-N", relative to the project folder unless absolute.
     * @throws TrainingSession.SetupException in one line when it is not a Kiln project or has no run with weights
     */
    public static Source resolve(Path projectFolder, String label) throws TrainingSession.SetupException {
        Matcher m = RUN_SUFFIX.matcher(label.strip());
        String folderText = m.matches() ? m.group(1) : label.strip();
        String runId = m.matches() ? m.group(2) : null;
        Path folder = projectFolder.resolve(folderText).normalize();
        if (!Files.isDirectory(folder)) {
            throw new TrainingSession.SetupException("Cannot start from " + label + ": " + folder + " is not a folder; "
                    + "name a Kiln project or export folder, optionally with :run-N.");
        }
        if (!Files.isRegularFile(folder.resolve(ProjectIO.FILE))) {
            throw new TrainingSession.SetupException("Cannot start from " + label + ": " + folder + " is not a Kiln project "
                    + "(it has no " + ProjectIO.FILE + "); name a project or a Kiln export folder.");
        }
        Project source;
        try {
            source = ProjectIO.load(folder);
        } catch (ProjectFormatException e) {
            throw new TrainingSession.SetupException("Cannot start from " + label + ": " + e.getMessage(), e);
        }
        List<RunFolder> runs;
        try {
            // A shipped model may keep only its best weights, without the optimizer state a checkpoint adds.
            runs = RunFolder.list(folder).stream().filter(r -> r.hasWeights() || Files.isRegularFile(r.best())).toList();
        } catch (IOException e) {
            throw new TrainingSession.SetupException("Cannot start from " + label + ": its runs cannot be listed ("
                    + e.getMessage() + ").", e);
        }
        if (runs.isEmpty()) {
            throw new TrainingSession.SetupException("Cannot start from " + label + ": " + folder.getFileName()
                    + " has no run with saved weights; train it first (kiln train " + folderText + ").");
        }
        RunFolder run = runs.get(runs.size() - 1);
        if (runId != null) {
            run = runs.stream().filter(r -> r.id().equals(runId)).findFirst().orElseThrow(() ->
                    new TrainingSession.SetupException("Cannot start from " + label + ": " + folder.getFileName()
                            + " has no run " + runId + " with saved weights; it has " + String.join(", ",
                            runs.stream().map(RunFolder::id).toList()) + "."));
        }
        Path weights = Files.exists(run.best()) ? run.best() : run.checkpoint();
        return new Source(label.strip(), folder, source, run, weights);
    }

    /** The source's tensors, by name; a file that is not a Kiln weights file is refused. */
    static Map<String, Tensor> read(Source source) throws TrainingSession.SetupException {
        try {
            Map<String, String> metadata = SafeTensors.readMetadata(source.weights());
            if (!RunFolder.WEIGHTS_FORMAT.equals(metadata.get("format"))) {
                throw new TrainingSession.SetupException("Cannot start from " + source.label() + ": " + source.weights()
                        + " is not a Kiln weights file; train the source project again.");
            }
            return SafeTensors.read(source.weights()).tensors();
        } catch (IOException e) {
            throw new TrainingSession.SetupException("Cannot start from " + source.label() + ": its weights cannot be read ("
                    + e.getMessage() + ").", e);
        }
    }

    /**
     * Which layers of {@code graph} (restricted to {@code layers}) get weights from the source, without changing
     * anything. Layers without weights are left out.
     */
    public static List<LayerResult> match(ModelGraph graph, NetworkSpec spec, List<String> layers, Source source)
            throws TrainingSession.SetupException {
        return match(graph, spec, layers, source, read(source), null);
    }

    /**
     * Matches as {@link #match} and copies the weights of each loaded layer into {@code params}.
     */
    public static List<LayerResult> load(ModelGraph graph, NetworkSpec spec, Parameters params, List<String> layers,
                                         Source source) throws TrainingSession.SetupException {
        return match(graph, spec, layers, source, read(source), params);
    }

    private static List<LayerResult> match(ModelGraph graph, NetworkSpec spec, List<String> layers, Source source,
                                           Map<String, Tensor> tensors, Parameters into) {
        List<LayerResult> out = new ArrayList<>();
        for (Node node : graph.nodes()) {
            if (!layers.contains(node.name())) continue;
            List<Param> own = spec.params().stream().filter(p -> p.name().startsWith(node.name() + ".")).toList();
            if (own.isEmpty()) continue;
            String type = node.type().displayName();
            Optional<Node> inSource = source.project().graph().find(node.name());
            if (inSource.isEmpty()) {
                out.add(new LayerResult(node.name(), type, Outcome.NEW, "no layer of that name in " + source.describe()));
                continue;
            }
            if (!inSource.get().typeId().equals(node.typeId())) {
                out.add(new LayerResult(node.name(), type, Outcome.SKIPPED, "it is a " + inSource.get().type().displayName()
                        + " in " + source.describe()));
                continue;
            }
            Map<String, float[]> values = new LinkedHashMap<>();
            List<String> fresh = new ArrayList<>();
            String problem = null;
            boolean adapted = own.stream().anyMatch(p -> isAdapter(p.name()));
            for (Param p : own) {
                float[] v = sourceValues(p.name(), node.name(), inSource.get(), tensors, adapted);
                Tensor t = tensors.get(p.name());
                long[] shape = t == null ? null : t.shape();
                if (v == null && isAdapter(p.name())) {
                    fresh.add(p.name().substring(node.name().length() + 1));
                } else if (v == null) {
                    problem = "the source has no " + p.name();
                    break;
                } else if (shape != null && !Arrays.equals(shape, p.shape())) {
                    problem = "shape differs: expected " + Arrays.toString(p.shape()) + " for " + p.name() + ", got "
                            + Arrays.toString(shape);
                    break;
                } else {
                    values.put(p.name(), v);
                }
            }
            if (problem != null) {
                out.add(new LayerResult(node.name(), type, Outcome.SKIPPED, problem));
                continue;
            }
            if (into != null) {
                for (Param p : own) {
                    float[] v = values.get(p.name());
                    if (v == null) continue;
                    double[] d = new double[v.length];
                    for (int i = 0; i < v.length; i++) d[i] = v[i];
                    into.set(p, d);
                }
            }
            out.add(new LayerResult(node.name(), type, Outcome.LOADED, fresh.isEmpty() ? null
                    : String.join(" and ", fresh) + " start fresh"));
        }
        return out;
    }

    private static boolean isAdapter(String name) {
        return name.endsWith(".lora_A") || name.endsWith(".lora_B");
    }

    /**
     * A tensor of the source; a layer's weight that the source trained through LoRA adapters is given merged, when
     * the network being started has no adapters of its own there.
     */
    private static float[] sourceValues(String name, String layer, Node sourceNode, Map<String, Tensor> tensors,
                                        boolean targetAdapted) {
        Tensor t = tensors.get(name);
        if (t == null) return null;
        boolean sourceAdapted = tensors.containsKey(layer + ".lora_A") && tensors.containsKey(layer + ".lora_B")
                && LowRankAdapters.rank(sourceNode.params()) > 0;
        if (!name.equals(layer + ".weight") || !sourceAdapted || targetAdapted) {
            return t.floats();
        }
        return LowRankAdapters.mergedWeight(new LayerWeights() {
            @Override public boolean has(String key) { return tensors.containsKey(layer + "." + key); }
            @Override public float[] values(String key) { return tensors.get(layer + "." + key).floats(); }
            @Override public long[] shape(String key) { return tensors.get(layer + "." + key).shape(); }
        }, t.shape()[1], sourceNode.params());
    }
}
