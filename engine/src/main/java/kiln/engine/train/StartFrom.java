package kiln.engine.train;

import kiln.engine.catalog.LayerType;
import kiln.engine.model.GraphAnalysis;
import kiln.engine.model.ModelGraph;
import kiln.engine.model.Node;
import kiln.engine.model.ShapeInference;
import kiln.engine.nn.LayerTraining;
import kiln.engine.nn.NetworkSpec;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The editor's "Start from…": a network that starts from a trained model, worked out without changing anything.
 * Either the source's layers come in (its network replaces this one, keeping this project's input), or this
 * network stays and takes the source's weights where it matches. Either way the matching rule is
 * {@link WeightTransfer}'s, and every layer it loads gets the source as its weightsFrom; the others start new.
 * Reads the source's files: call it off the JavaFX thread.
 */
public final class StartFrom {

    public enum Mode {
        /** The source's layers and weights replace this network; this project's input layer stays. */
        TAKE_ITS_LAYERS,
        /** This network stays; layers whose name and shape match take the source's weights. */
        KEEP_THIS_NETWORK
    }

    /**
     * @param label  the source as project files keep it ("../mnist-cnn:run-2")
     * @param result the network after starting from the source
     * @param report one line per layer with weights: loaded, new or skipped with the reason
     */
    public record Plan(WeightTransfer.Source source, String label, ModelGraph result,
                       List<WeightTransfer.LayerResult> report) {

        /** For the Edit menu: "Start from mnist-cnn, run-2". */
        public String description() {
            return "Start from " + source.describe();
        }

        public long loadedCount() {
            return report.stream().filter(r -> r.outcome() == WeightTransfer.Outcome.LOADED).count();
        }
    }

    private StartFrom() { }

    /**
     * The label of a run for a project's files: the source folder relative to the project folder (absolute when
     * the project was never saved), with ":run-N".
     */
    public static String label(Path projectFolder, Path sourceFolder, String runId) {
        Path source = sourceFolder.toAbsolutePath().normalize();
        String folder = projectFolder == null ? source.toString()
                : projectFolder.toAbsolutePath().normalize().relativize(source).toString();
        if (folder.isEmpty()) folder = ".";
        return folder.replace('\\', '/') + ":" + runId;
    }

    /**
     * Works out the network that starts from {@code label}.
     * @param projectFolder the folder labels are relative to (null for a project never saved: labels are absolute)
     * @throws TrainingSession.SetupException in plain words when the source is not a Kiln project with a trained run,
     *                                        or the resulting network has a problem that keeps it from being built
     */
    public static Plan plan(ModelGraph current, Path projectFolder, String label, Mode mode)
            throws TrainingSession.SetupException {
        Path base = projectFolder == null ? Path.of("").toAbsolutePath() : projectFolder;
        WeightTransfer.Source source = WeightTransfer.resolve(base, label);
        ModelGraph result = mode == Mode.TAKE_ITS_LAYERS ? takeLayers(current, source.project().graph())
                : current.copy();
        GraphAnalysis analysis = ShapeInference.analyze(result);
        if (!analysis.isValid()) {
            String which = mode == Mode.TAKE_ITS_LAYERS ? "With this project's input, " + source.describe()
                    + "'s network has a problem: " : "This network has a problem: ";
            throw new TrainingSession.SetupException("Cannot start from " + label + ". " + which
                    + analysis.firstProblem().orElseThrow() + ". Fix it, then choose Start from… again.");
        }
        NetworkSpec spec = NetworkCompiler.compile(result, analysis);
        List<String> layers = result.nodes().stream().map(Node::name).toList();
        List<WeightTransfer.LayerResult> report = WeightTransfer.match(result, spec, layers, source);
        Set<String> loaded = report.stream().filter(r -> r.outcome() == WeightTransfer.Outcome.LOADED)
                .map(WeightTransfer.LayerResult::layer).collect(Collectors.toSet());
        for (Node n : List.copyOf(result.nodes())) {
            result.replace(n.withWeightsFrom(loaded.contains(n.name()) ? source.label() : null));
        }
        return new Plan(source, source.label(), result, report);
    }

    /**
     * The source's layers, each training normally (what was frozen there is the student's choice here), with this
     * project's input settings on its input layer, since the data is this project's.
     */
    private static ModelGraph takeLayers(ModelGraph current, ModelGraph sourceGraph) {
        ModelGraph result = sourceGraph.copy();
        List<Node> ownInputs = current.nodes().stream().filter(n -> n.type().role() == LayerType.Role.INPUT).toList();
        List<Node> theirInputs = result.nodes().stream().filter(n -> n.type().role() == LayerType.Role.INPUT).toList();
        for (Node theirs : theirInputs) {
            Node own = current.find(theirs.name()).filter(n -> n.typeId().equals(theirs.typeId()))
                    .orElse(ownInputs.size() == 1 && theirInputs.size() == 1
                            && ownInputs.get(0).typeId().equals(theirs.typeId()) ? ownInputs.get(0) : null);
            if (own != null) result.replace(theirs.withParams(own.params()));
        }
        for (Node n : List.copyOf(result.nodes())) result.replace(n.withTraining(LayerTraining.DEFAULT));
        return result;
    }
}
