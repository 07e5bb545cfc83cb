package kiln.engine.importer;

import ai.onnx.proto.OnnxMl;
import kiln.engine.catalog.Dense;
import kiln.engine.catalog.Input;
import kiln.engine.catalog.LayerCatalog;
import kiln.engine.catalog.Output;
import kiln.engine.catalog.Params;
import kiln.engine.data.DataFormatException;
import kiln.engine.data.DataSourceSniffer;
import kiln.engine.data.DataSourceSpec;
import kiln.engine.data.SplitSettings;
import kiln.engine.data.pipeline.FixedNormalizeStep;
import kiln.engine.data.pipeline.Pipeline;
import kiln.engine.data.pipeline.PipelineStep;
import kiln.engine.data.pipeline.ScaleStep;
import kiln.engine.edit.GraphEdits;
import kiln.engine.importer.ImportContext.Value;
import kiln.engine.layout.AutoLayout;
import kiln.engine.model.Edge;
import kiln.engine.model.GraphAnalysis;
import kiln.engine.model.ModelGraph;
import kiln.engine.model.ModelSummary;
import kiln.engine.model.Node;
import kiln.engine.model.ShapeInference;
import kiln.engine.nativesupport.NativeSetup;
import kiln.engine.nn.NetworkSpec;
import kiln.engine.nn.Param;
import kiln.engine.nn.Parameters;
import kiln.engine.params.ParamSpec;
import kiln.engine.project.Project;
import kiln.engine.project.ProjectFormatException;
import kiln.engine.project.ProjectIO;
import kiln.engine.project.SampleCatalog;
import kiln.engine.project.TrainingSettings;
import kiln.engine.runs.RunFolder;
import kiln.engine.runs.RunRecord;
import kiln.engine.shape.TensorShape;
import kiln.engine.train.NetworkCompiler;
import kiln.engine.train.TrainingSession;
import org.nd4j.linalg.api.buffer.DataType;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Turns an ONNX model into a Kiln project: the graph of catalog layers, laid out, with the model's weights saved as
 * run-1 in the engine's weights format, so that the project evaluates, looks inside and fine-tunes at once (every
 * layer with weights starts from run-1 when trained). {@link #convert} reads and converts without writing anything;
 * {@link #write} creates the project folder in one move.
 */
public final class OnnxImporter {

    public static final String RUN = "run-1";
    /** Each layer with weights starts a new run from the imported ones: the project's own run-1. */
    public static final String WEIGHTS_FROM = ".:" + RUN;
    private static final AutoLayout.Size BOX = new AutoLayout.Size(188, 92);

    /** Where an imported project's samples come from and how they are prepared. */
    public record DataChoice(String description, DataSourceSpec data, Pipeline pipeline, SplitSettings split,
                             TrainingSettings training) {

        /** A new project's data (MNIST, pixels scaled to 0–1) when none is named. */
        public static DataChoice defaults() {
            return new DataChoice("mnist (Kiln's data for a new project; choose yours in the Data tab or with --data)",
                    new DataSourceSpec.Bundled("mnist"), Pipeline.scalePixels(), SplitSettings.defaults(),
                    TrainingSettings.defaults());
        }

        /**
         * A sample project's data, pipeline, split and training settings ("mnist-cnn"); a bundled data set as its
         * first sample prepares it ("mnist"); or a CSV file or image folder on this computer.
         */
        public static DataChoice named(String nameOrPath) throws ImportException {
            List<SampleCatalog.Sample> samples;
            try {
                samples = SampleCatalog.list();
            } catch (ProjectFormatException e) {
                samples = List.of();
            }
            for (SampleCatalog.Sample s : samples) {
                boolean sample = s.id().equals(nameOrPath);
                Project p = null;
                if (sample || DataSourceSpec.Bundled.NAMES.contains(nameOrPath)) {
                    try {
                        p = ProjectIO.load(s.folder());
                    } catch (ProjectFormatException e) {
                        continue;
                    }
                }
                if (p != null && (sample || p.data().equals(new DataSourceSpec.Bundled(nameOrPath)))) {
                    return new DataChoice((sample ? "the data of the sample " : "") + nameOrPath + ", prepared as the sample "
                            + s.id() + " prepares it", p.data(), p.pipeline(), p.split(), p.training());
                }
            }
            Path path = Path.of(nameOrPath);
            if (Files.exists(path)) {
                try {
                    var spec = DataSourceSniffer.sniff(path.toAbsolutePath());
                    if (spec.isPresent()) {
                        boolean images = !(spec.get() instanceof DataSourceSpec.Csv);
                        return new DataChoice(path.toAbsolutePath().toString(), spec.get(),
                                images ? Pipeline.scalePixels() : new Pipeline(List.of()), SplitSettings.defaults(),
                                TrainingSettings.defaults());
                    }
                } catch (DataFormatException e) {
                    throw new ImportException("The data " + nameOrPath + " cannot be used: " + e.getMessage());
                }
            }
            throw new ImportException("--data " + nameOrPath + " is neither a sample (" + String.join(", ",
                    samples.stream().map(SampleCatalog.Sample::id).toList()) + "), a bundled data set ("
                    + String.join(", ", DataSourceSpec.Bundled.NAMES) + "), nor a CSV file or image folder.");
        }
    }

    /**
     * A converted model, not yet written.
     * @param notes what the student should know (a bias Kiln adds, an output turned into probabilities)
     */
    public record Imported(Project project, NetworkSpec spec, Parameters parameters, List<String> notes, String source,
                           long parameterCount) { }

    private OnnxImporter() { }

    /** Reads and converts {@code file}; nothing is written. */
    public static Imported convert(Path file, DataChoice data) throws ImportException {
        OnnxMl.ModelProto model = OnnxModelReader.read(file);
        String where = file.getFileName().toString();
        OnnxMl.GraphProto g = model.getGraph();
        ImportContext ctx = new ImportContext(where, OnnxModelReader.opset(model, where), g);
        Value input = input(g, ctx);
        ctx.define(graphInputName(g), input);
        ctx.extendInputChain(graphInputName(g));
        for (OnnxMl.NodeProto n : g.getNodeList()) OnnxOperators.convert(n, ctx);
        Value out = ctx.value(OnnxMl.NodeProto.newBuilder().setName("output").setOpType("graph output")
                .addInput(ctx.graphOutput).build(), 0);
        makeOutput(ctx, out);

        ModelGraph graph = ctx.graph;
        GraphAnalysis analysis = ShapeInference.analyze(graph);
        if (!analysis.isValid()) {
            throw new ImportException("The network made from " + where + " does not check out in Kiln: "
                    + analysis.firstProblem().orElseThrow());
        }
        for (Node n : graph.nodes()) {
            if (ctx.weights.containsKey(n.name())) graph.replace(n.withWeightsFrom(WEIGHTS_FROM));
        }
        layOut(graph);
        NativeSetup.prepare();
        NetworkSpec spec = NetworkCompiler.compile(graph, analysis);
        Parameters params = new Parameters(spec.params(), DataType.FLOAT);
        params.initialise(data.training().seed());
        Set<String> used = new HashSet<>();
        for (Param p : spec.params()) {
            int dot = p.name().indexOf('.');
            String layer = p.name().substring(0, dot);
            String key = p.name().substring(dot + 1);
            float[] v = ctx.weights.getOrDefault(layer, Map.of()).get(key);
            if (v == null || v.length != p.size()) {
                throw new IllegalStateException("the import of " + where + " gave " + (v == null ? "no" : v.length
                        + " values for") + " " + p.name() + " " + java.util.Arrays.toString(p.shape()));
            }
            double[] d = new double[v.length];
            for (int i = 0; i < v.length; i++) d[i] = v[i];
            params.set(p, d);
            used.add(p.name());
        }
        ctx.weights.forEach((layer, m) -> m.keySet().forEach(k -> {
            if (!used.contains(layer + "." + k)) throw new IllegalStateException(layer + "." + k + " was imported but not used");
        }));
        String name = where.replaceFirst("(?i)\\.onnx$", "");
        Pipeline pipeline = data.pipeline();
        if (ctx.preScale != 1 || ctx.preShift != 0) {
            pipeline = inputPipeline(ctx, where);
            ctx.notes.add("The model prepares its input itself (× " + (float) ctx.preScale + " + " + (float) ctx.preShift
                    + "); that became the project's data pipeline, " + (ctx.preShift == 0 ? "a Scale step"
                    : "a Fixed normalize step with custom constants") + ", in place of the data's usual steps.");
        }
        Project project = new Project(name.isBlank() ? "Imported model" : name, graph, data.data(), pipeline,
                data.split(), data.training());
        List<String> notes = new ArrayList<>(ctx.notes);
        notes.add("Data: " + data.description() + ".");
        return new Imported(project, spec, params, List.copyOf(notes), where, ModelSummary.of(graph).totalParams());
    }

    /** input × scale + shift as Kiln's steps: Scale, or Fixed normalize (x − mean) / std with its custom constants. */
    private static Pipeline inputPipeline(ImportContext ctx, String where) throws ImportException {
        if (ctx.preShift == 0) {
            return new Pipeline(List.of(new PipelineStep(ScaleStep.ID, true, Map.of("factor", ctx.preScale))));
        }
        if (!(ctx.preScale > 0)) {
            throw new ImportException(where + " prepares its input as × " + ctx.preScale + " + " + ctx.preShift
                    + "; Kiln's pipeline can subtract a mean and divide by a positive std only.");
        }
        double std = 1 / ctx.preScale;
        return new Pipeline(List.of(new PipelineStep(FixedNormalizeStep.ID, true,
                Map.of("preset", "custom", "mean", -ctx.preShift * std, "std", std))));
    }

    private static String graphInputName(OnnxMl.GraphProto g) {
        Set<String> weights = new HashSet<>();
        g.getInitializerList().forEach(t -> weights.add(t.getName()));
        return g.getInputList().stream().map(OnnxMl.ValueInfoProto::getName).filter(n -> !weights.contains(n))
                .findFirst().orElseThrow();
    }

    /** The one input that is not a weight: (N, C, H, W) becomes an image Input, (N, F) a vector; the batch is free. */
    private static Value input(OnnxMl.GraphProto g, ImportContext ctx) throws ImportException {
        Set<String> weights = new HashSet<>();
        g.getInitializerList().forEach(t -> weights.add(t.getName()));
        List<OnnxMl.ValueInfoProto> inputs = g.getInputList().stream().filter(v -> !weights.contains(v.getName())).toList();
        if (inputs.size() != 1) {
            throw new ImportException(ctx.file + " has " + inputs.size() + " inputs; Kiln imports a model with one input.");
        }
        OnnxMl.ValueInfoProto in = inputs.get(0);
        String where = ctx.file + ": the input '" + in.getName() + "'";
        if (!in.getType().hasTensorType() || in.getType().getTensorType().getElemType() != OnnxMl.TensorProto.DataType.FLOAT.getNumber()) {
            throw new ImportException(where + " is not a float32 tensor; Kiln imports models that take float32 images or vectors.");
        }
        if (!in.getType().getTensorType().hasShape()) {
            throw new ImportException(where + " has no declared shape; export the model with a fixed input size.");
        }
        List<OnnxMl.TensorShapeProto.Dimension> dims = in.getType().getTensorType().getShape().getDimList();
        if (dims.size() != 2 && dims.size() != 4) {
            throw new ImportException(where + " has " + dims.size() + " dimensions; Kiln imports images (N, C, H, W) "
                    + "and vectors (N, features).");
        }
        int[] fixed = new int[dims.size()];
        for (int i = 1; i < dims.size(); i++) {
            OnnxMl.TensorShapeProto.Dimension d = dims.get(i);
            if (!d.hasDimValue() || d.getDimValue() <= 0) {
                throw new ImportException(where + " has a dynamic size in dimension " + i + " ('"
                        + (d.hasDimParam() ? d.getDimParam() : "unknown") + "'); Kiln fixes only the batch dimension. "
                        + "Export the model with a fixed " + (dims.size() == 4 ? (i == 1 ? "channel count" : "image size")
                        : "feature count") + " (no dynamic_axes except the batch).");
            }
            if (d.getDimValue() > Integer.MAX_VALUE) throw new ImportException(where + " is too large (" + d.getDimValue() + ").");
            fixed[i] = (int) d.getDimValue();
        }
        Map<String, Object> p = dims.size() == 4
                ? Map.of("kind", "image", "channels", fixed[1], "height", fixed[2], "width", fixed[3])
                : Map.of("kind", "vector", "size", fixed[1]);
        Params params;
        try {
            params = Params.of(LayerCatalog.get(Input.ID), p);
        } catch (ParamSpec.InvalidParamException e) {
            throw new ImportException(where + " does not fit a Kiln Input: " + e.getMessage() + ".");
        }
        ctx.graph.add("input", LayerCatalog.get(Input.ID), params, 0, 0);
        TensorShape shape = Input.shapeOf(params);
        return new Value("input", shape, Value.dimsOf(shape));
    }

    /**
     * Kiln networks end in an Output layer, a Dense whose activation fixes the loss: the model's last fully connected
     * layer becomes it. Raw scores (no activation) become softmax probabilities, which keep every prediction's class.
     */
    private static void makeOutput(ImportContext ctx, Value out) throws ImportException {
        Node last = ctx.graph.node(out.layer());
        if (!Dense.ID.equals(last.typeId()) || !ctx.graph.outputsOf(last.name()).isEmpty() || !out.isVector()) {
            throw new ImportException(ctx.file + " ends in " + last.type().displayName() + " '" + last.name() + "'; Kiln "
                    + "imports models that end in a fully connected layer (Gemm, or MatMul and Add), optionally followed "
                    + "by Softmax or Sigmoid, whose result is the model's output and nothing else's.");
        }
        String activation = last.params().getString("activation");
        String loss = switch (activation) {
            case "softmax" -> Output.SOFTMAX_CE;
            case "sigmoid" -> Output.SIGMOID_BCE;
            case "linear" -> {
                ctx.notes.add("The model ends in raw scores (logits) from '" + last.name() + "'; Kiln's Output turns "
                        + "them into probabilities with softmax, so each prediction keeps its class.");
                yield Output.SOFTMAX_CE;
            }
            default -> throw new ImportException(ctx.file + " ends in a " + activation + " activation after '"
                    + last.name() + "'; a Kiln Output gives softmax, sigmoid or linear outputs only.");
        };
        List<Edge> ins = ctx.graph.inputsOf(last.name());
        ctx.graph.remove(last.name());
        Params p;
        try {
            p = Params.of(LayerCatalog.get(Output.ID), Map.of("units", last.params().getInt("units"), "loss", loss));
        } catch (ParamSpec.InvalidParamException e) {
            throw new ImportException(ctx.file + ": the output '" + last.name() + "' does not fit a Kiln Output: " + e.getMessage() + ".");
        }
        ctx.graph.add(last.name(), LayerCatalog.get(Output.ID), p, 0, 0);
        for (Edge e : ins) ctx.graph.connect(e);
    }

    private static void layOut(ModelGraph graph) {
        double aspect = graph.nodes().size() > 8 ? 1.6 : 0;
        Map<String, GraphEdits.Position> at = AutoLayout.compute(graph, AutoLayout.Orientation.LEFT_TO_RIGHT, Map.of(),
                BOX, 40, 40, aspect);
        for (Node n : graph.nodes()) {
            GraphEdits.Position p = at.get(n.name());
            if (p != null) graph.replace(n.withPosition(p.x(), p.y()));
        }
    }

    /**
     * Writes the project into {@code folder} (new, or an empty folder): project.json and run-1 with the weights. It is
     * built in a temporary folder beside it and moved into place, so a failure leaves nothing half-made.
     */
    public static void write(Imported imported, Path folder) throws ImportException {
        Path target = folder.toAbsolutePath().normalize();
        try {
            if (Files.exists(target)) {
                if (!Files.isDirectory(target)) throw new ImportException(target + " is a file; name a new folder for the project.");
                try (Stream<Path> s = Files.list(target)) {
                    if (s.findAny().isPresent()) {
                        throw new ImportException(target + " is not empty; name a new folder for the imported project.");
                    }
                }
            }
            Path parent = target.getParent();
            Files.createDirectories(parent);
            Path tmp = Files.createTempDirectory(parent, "." + target.getFileName() + "-importing-");
            try {
                ProjectIO.save(imported.project(), tmp);
                RunFolder run = RunFolder.createNext(tmp);
                TrainingSettings settings = imported.project().training();
                run.saveCheckpoint(imported.parameters(), TrainingSession.optimizerFor(settings, imported.spec(),
                        imported.parameters()), 0);
                run.saveBest(imported.parameters(), 0);
                String message = "Imported from " + imported.source();
                run.writeRecord(new RunRecord(run.id(), "imported", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString(),
                        0, 0, 0, Double.NaN, Double.NaN, Double.NaN, 0, message, settings, message,
                        List.of("every layer: imported from " + imported.source())));
                if (Files.exists(target)) Files.delete(target);
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException | RuntimeException e) {
                deleteTree(tmp);
                throw e;
            }
        } catch (IOException e) {
            throw new ImportException("The project cannot be written to " + target + ": " + e.getMessage());
        }
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // best effort: the temporary folder is hidden and named after the import
        }
    }
}
