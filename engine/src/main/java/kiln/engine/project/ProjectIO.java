package kiln.engine.project;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import kiln.engine.catalog.LayerCatalog;
import kiln.engine.catalog.LayerType;
import kiln.engine.catalog.Params;
import kiln.engine.data.DataFormatException;
import kiln.engine.data.DataLoader;
import kiln.engine.data.DataSourceSpec;
import kiln.engine.data.SplitSettings;
import kiln.engine.data.pipeline.Pipeline;
import kiln.engine.data.pipeline.PipelineStep;
import kiln.engine.data.pipeline.StepParams;
import kiln.engine.data.pipeline.StepType;
import kiln.engine.model.Edge;
import kiln.engine.model.ModelGraph;
import kiln.engine.model.Node;
import kiln.engine.nn.LayerTraining;
import kiln.engine.params.ParamSpec;
import kiln.engine.project.TrainingSettings;
import kiln.engine.util.AtomicFiles;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads and writes project.json. Keys are written in a fixed order with every parameter spelled out, so
 * files diff well and say everything; reading checks everything and names the place of any problem.
 */
public final class ProjectIO {

    public static final String FILE = "project.json";
    public static final String FORMAT = "kiln-project";
    public static final int FORMAT_VERSION = Migrations.CURRENT;

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private ProjectIO() { }

    // ---------------------------------------------------------------- writing

    public static void save(Project p, Path folder) throws IOException {
        AtomicFiles.write(folder.resolve(FILE), toJson(p).getBytes(StandardCharsets.UTF_8));
    }

    public static String toJson(Project p) throws JsonProcessingException {
        ObjectNode root = F.objectNode();
        root.put("format", FORMAT);
        root.put("formatVersion", FORMAT_VERSION);
        root.put("name", p.name());
        root.set("graph", graph(p.graph()));
        root.set("data", data(p.data()));
        ArrayNode steps = root.putObject("pipeline").putArray("steps");
        for (PipelineStep s : p.pipeline().steps()) {
            ObjectNode o = steps.addObject();
            o.put("type", s.type());
            o.put("enabled", s.enabled());
            ObjectNode params = o.putObject("params");
            stepParamsToWrite(s).forEach((k, v) -> Json.putPlain(params, k, v));
        }
        SplitSettings sp = p.split();
        ObjectNode split = root.putObject("split");
        split.put("validationFraction", sp.validationFraction());
        split.put("testFraction", sp.testFraction());
        split.put("seed", sp.seed());
        split.put("stratified", sp.stratified());
        if (sp.trainingSamples() > 0) split.put("trainingSamples", sp.trainingSamples());
        TrainingSettings t = p.training();
        ObjectNode tr = root.putObject("training");
        tr.put("optimizer", t.optimizer());
        tr.put("learningRate", t.learningRate());
        tr.put("momentum", t.momentum());
        tr.put("schedule", t.schedule());
        tr.put("stepEpochs", t.stepEpochs());
        tr.put("stepFactor", t.stepFactor());
        tr.put("batchSize", t.batchSize());
        tr.put("epochs", t.epochs());
        tr.put("l2", t.l2());
        tr.put("patience", t.patience());
        tr.put("seed", t.seed());
        tr.put("threads", t.threads());
        // Only when set, so that files of projects without the recipe stay as they were.
        if (t.headEpochs() > 0 || t.fineTuneRateFactor() != TrainingSettings.DEFAULT_FINE_TUNE_RATE_FACTOR) {
            tr.put("headEpochs", t.headEpochs());
            tr.put("fineTuneRateFactor", t.fineTuneRateFactor());
        }
        DefaultPrettyPrinter printer = new DefaultPrettyPrinter()
                .withObjectIndenter(new DefaultIndenter("  ", "\n"))
                .withArrayIndenter(new DefaultIndenter("  ", "\n"));
        return MAPPER.writer(printer).writeValueAsString(root) + "\n";
    }

    /** Every parameter spelled out in the step type's order; unknown steps keep what they have, sorted. */
    private static Map<String, Object> stepParamsToWrite(PipelineStep s) {
        var type = StepType.find(s.type());
        if (type.isPresent()) {
            try {
                return StepParams.of(type.get(), s.params()).asMap();
            } catch (ParamSpec.InvalidParamException e) {
                // written as given, so nothing the user made is lost; loading names the problem
            }
        }
        return new java.util.TreeMap<>(s.params());
    }

    private static ObjectNode graph(ModelGraph g) {
        ObjectNode o = F.objectNode();
        ArrayNode nodes = o.putArray("nodes");
        for (Node n : g.nodes()) {
            ObjectNode jn = nodes.addObject();
            jn.put("name", n.name());
            jn.put("type", n.typeId());
            jn.put("x", n.x());
            jn.put("y", n.y());
            ObjectNode params = jn.putObject("params");
            for (ParamSpec spec : n.type().params()) Json.putPlain(params, spec.name(), n.params().get(spec.name()));
            // Transfer settings are written only where they differ from a new layer's, so other files stay as they were.
            if (!n.trainable()) jn.put("trainable", false);
            if (n.training().rateMultiplier() != 1) jn.put("learningRateMultiplier", n.training().rateMultiplier());
            if (n.training().updateStatistics()) jn.put("updateStatistics", true);
            if (n.pretrained()) jn.put("weightsFrom", n.weightsFrom());
        }
        ArrayNode edges = o.putArray("edges");
        for (Edge e : g.edges()) {
            ObjectNode je = edges.addObject();
            je.put("from", e.from());
            je.put("to", e.to());
            je.put("port", e.toPort());
        }
        return o;
    }

    private static ObjectNode data(DataSourceSpec d) {
        ObjectNode o = F.objectNode();
        o.put("kind", d.kind());
        if (d instanceof DataSourceSpec.Bundled b) {
            o.put("name", b.name());
        } else if (d instanceof DataSourceSpec.Idx i) {
            o.put("trainImages", i.trainImages());
            o.put("trainLabels", i.trainLabels());
            o.put("testImages", i.testImages());
            o.put("testLabels", i.testLabels());
            ArrayNode names = o.putArray("classNames");
            i.classNames().forEach(names::add);
        } else if (d instanceof DataSourceSpec.Cifar10 c) {
            o.put("folder", c.folder());
        } else if (d instanceof DataSourceSpec.ImageFolder f) {
            o.put("folder", f.folder());
            o.put("height", f.height());
            o.put("width", f.width());
            o.put("channels", f.channels());
        } else if (d instanceof DataSourceSpec.Csv c) {
            o.put("file", c.file());
            o.put("labelColumn", c.labelColumn());
        }
        return o;
    }

    // ---------------------------------------------------------------- reading

    public static Project load(Path folder) throws ProjectFormatException {
        Path file = folder.resolve(FILE);
        String label = FILE;
        JsonNode tree;
        try {
            tree = MAPPER.readTree(Files.readString(file, StandardCharsets.UTF_8));
        } catch (NoSuchFileException e) {
            throw new ProjectFormatException(folder + " is not a Kiln project: it has no " + FILE);
        } catch (JsonProcessingException e) {
            var loc = e.getLocation();
            throw new ProjectFormatException(file + " is not valid JSON" + (loc == null ? "" : " (line " + loc.getLineNr()
                    + ", column " + loc.getColumnNr() + ")") + ": " + e.getOriginalMessage()
                    + ". The file may be truncated or edited by hand; restore it from a backup or fix that place.", e);
        } catch (IOException e) {
            throw new ProjectFormatException(file + " cannot be read: " + e.getMessage(), e);
        }
        if (tree == null || !tree.isObject()) {
            throw new ProjectFormatException(file + " is empty or not a JSON object; it is not a Kiln project file.");
        }
        Json root = new Json(tree, "$", label);
        if (!root.has("format") || !FORMAT.equals(tree.get("format").asText())) {
            throw root.error("this is not a Kiln project file (\"format\" should be \"" + FORMAT + "\")");
        }
        int version = root.integer("formatVersion");
        if (version > FORMAT_VERSION) {
            throw root.get("formatVersion").error("the project was made by a newer Kiln (format " + version
                    + "); this Kiln reads up to format " + FORMAT_VERSION + ". Update Kiln to open it.");
        }
        if (version < 0) throw root.get("formatVersion").error("format version " + version + " does not exist");
        root = new Json(Migrations.upgrade((ObjectNode) tree, version), "$", label);

        String name = root.text("name");
        ModelGraph graph = readGraph(root.object("graph"));
        DataSourceSpec data = readData(root.object("data"), folder);
        Pipeline pipeline = root.has("pipeline") ? readPipeline(root.object("pipeline")) : new Pipeline(List.of());
        SplitSettings split = root.has("split") ? readSplit(root.object("split")) : SplitSettings.defaults();
        TrainingSettings training = root.has("training") ? readTraining(root.object("training")) : TrainingSettings.defaults();
        return new Project(name, graph, data, pipeline, split, training);
    }

    private static LayerTraining readLayerTraining(Json n) throws ProjectFormatException {
        boolean trainable = n.optional("trainable", Json::bool, true);
        double rate = n.optional("learningRateMultiplier", Json::number, 1.0);
        if (!(rate > 0) || rate > MAX_RATE_MULTIPLIER) {
            throw n.get("learningRateMultiplier").error("the learning-rate multiplier must be above 0 and at most "
                    + MAX_RATE_MULTIPLIER + ", not " + rate + "; use 1 for the run's rate, 0.1 for a tenth of it");
        }
        return new LayerTraining(trainable, rate, n.optional("updateStatistics", Json::bool, false));
    }

    /** A layer learning 100× faster than the run is surely a typo. */
    public static final double MAX_RATE_MULTIPLIER = 100;

    private static ModelGraph readGraph(Json g) throws ProjectFormatException {
        ModelGraph graph = new ModelGraph();
        for (Json n : g.array("nodes")) {
            String name = n.text("name");
            String typeId = n.text("type");
            LayerType type = LayerCatalog.find(typeId).orElseThrow(() -> n.get0("type").error("unknown layer type \""
                    + typeId + "\"; known types: " + LayerCatalog.all().stream().map(LayerType::id).toList()));
            Params params;
            try {
                params = Params.of(type, n.optional("params", Json::plainMap, Map.of()));
            } catch (ParamSpec.InvalidParamException e) {
                throw n.get("params").error(e.getMessage());
            }
            var problem = graph.checkName(name);
            if (problem.isPresent()) throw n.get("name").error(problem.get());
            graph.add(name, type, params, n.number("x"), n.number("y"));
            graph.replace(graph.node(name).withTraining(readLayerTraining(n)).withWeightsFrom(
                    n.optional("weightsFrom", Json::text, null)));
        }
        List<Json> edges = g.optional("edges", Json::array, List.of());
        for (Json e : edges) {
            String from = e.text("from");
            String to = e.text("to");
            int port = e.integer("port");
            if (graph.find(from).isEmpty()) throw e.get("from").error("no layer is named \"" + from + "\"");
            if (graph.find(to).isEmpty()) throw e.get("to").error("no layer is named \"" + to + "\"");
            if (from.equals(to)) throw e.error("a layer cannot feed itself (" + from + ")");
            LayerType toType = graph.node(to).type();
            if (port < 0 || port >= Math.max(toType.maxInputs(), 0) && toType.maxInputs() != Integer.MAX_VALUE) {
                throw e.get("port").error("port " + port + " does not exist on " + to + " (" + toType.displayName()
                        + "), which takes " + (toType.maxInputs() == 0 ? "no inputs" : "ports 0 to " + (toType.maxInputs() - 1)));
            }
            if (graph.inputsOf(to).stream().anyMatch(x -> x.toPort() == port)) {
                throw e.error("port " + port + " of " + to + " is connected twice; keep one connection");
            }
            graph.connect(new Edge(from, to, port));
        }
        return graph;
    }

    private static DataSourceSpec readData(Json d, Path folder) throws ProjectFormatException {
        String kind = d.text("kind");
        DataSourceSpec spec = switch (kind) {
            case "bundled" -> {
                String n = d.text("name");
                if (!DataSourceSpec.Bundled.NAMES.contains(n)) {
                    throw d.get("name").error("unknown bundled data set \"" + n + "\"; use one of " + DataSourceSpec.Bundled.NAMES);
                }
                yield new DataSourceSpec.Bundled(n);
            }
            case "idx" -> {
                List<String> names = new ArrayList<>();
                for (Json c : d.array("classNames")) {
                    if (!c.node().isTextual()) throw c.error("class names should be text");
                    names.add(c.node().asText());
                }
                yield new DataSourceSpec.Idx(path(d, "trainImages", folder), path(d, "trainLabels", folder),
                        path(d, "testImages", folder), path(d, "testLabels", folder), names);
            }
            case "cifar10" -> new DataSourceSpec.Cifar10(path(d, "folder", folder));
            case "image_folder" -> new DataSourceSpec.ImageFolder(path(d, "folder", folder),
                    positive(d, "height"), positive(d, "width"), channels(d));
            case "csv" -> new DataSourceSpec.Csv(path(d, "file", folder), d.text("labelColumn"));
            default -> throw d.get("kind").error("unknown data kind \"" + kind
                    + "\"; use one of bundled, idx, cifar10, image_folder, csv");
        };
        return spec;
    }

    private static int positive(Json d, String key) throws ProjectFormatException {
        int v = d.integer(key);
        if (v < 1 || v > 4096) throw d.get(key).error(key + " is " + v + "; use a whole number from 1 to 4096");
        return v;
    }

    private static int channels(Json d) throws ProjectFormatException {
        int v = d.integer("channels");
        if (v != 1 && v != 3) throw d.get("channels").error("channels is " + v + "; use 1 (grey) or 3 (colour)");
        return v;
    }

    /** A data path, refused when a relative path leaves the project folder. */
    private static String path(Json d, String key, Path folder) throws ProjectFormatException {
        String p = d.text(key);
        try {
            DataLoader.resolve(folder, p);
        } catch (DataFormatException | java.nio.file.InvalidPathException e) {
            throw d.get(key).error("the path \"" + p + "\" leaves the project folder; put the data inside the "
                    + "project or choose it with an absolute path");
        }
        return p;
    }

    private static Pipeline readPipeline(Json p) throws ProjectFormatException {
        List<PipelineStep> steps = new ArrayList<>();
        for (Json s : p.array("steps")) {
            String type = s.text("type");
            StepType st = StepType.find(type).orElseThrow(() -> s.get0("type").error("unknown data step \"" + type
                    + "\"; known steps: " + StepType.all().stream().map(StepType::id).toList()));
            Map<String, Object> params = s.optional("params", Json::plainMap, Map.of());
            var problem = st.check(params);
            if (problem.isPresent()) throw stepParamError(s, st, params, problem.get());
            steps.add(new PipelineStep(type, s.optional("enabled", Json::bool, true), params));
        }
        return new Pipeline(steps);
    }

    /** Names the parameter's own path ($.pipeline.steps[2].params.degrees) when one value is at fault. */
    private static ProjectFormatException stepParamError(Json step, StepType type, Map<String, Object> params, String problem)
            throws ProjectFormatException {
        Json where = step.get("params");
        for (String key : params.keySet()) {
            Map<String, Object> alone = new java.util.HashMap<>();
            alone.put(key, params.get(key));
            if (type.check(alone).isPresent()) return where.get0(key).error(problem);
        }
        return where.error(problem);
    }

    private static SplitSettings readSplit(Json s) throws ProjectFormatException {
        SplitSettings d = SplitSettings.defaults();
        SplitSettings r = new SplitSettings(
                s.optional("validationFraction", Json::number, d.validationFraction()),
                s.optional("testFraction", Json::number, d.testFraction()),
                s.optional("seed", Json::longValue, d.seed()),
                s.optional("stratified", Json::bool, d.stratified()),
                s.optional("trainingSamples", Json::integer, d.trainingSamples()));
        String bad = r.problem();
        if (bad != null) throw s.error(bad);
        return r;
    }

    private static TrainingSettings readTraining(Json t) throws ProjectFormatException {
        TrainingSettings d = TrainingSettings.defaults();
        TrainingSettings r = new TrainingSettings(
                t.optional("optimizer", Json::text, d.optimizer()),
                t.optional("learningRate", Json::number, d.learningRate()),
                t.optional("momentum", Json::number, d.momentum()),
                t.optional("schedule", Json::text, d.schedule()),
                t.optional("stepEpochs", Json::integer, d.stepEpochs()),
                t.optional("stepFactor", Json::number, d.stepFactor()),
                t.optional("batchSize", Json::integer, d.batchSize()),
                t.optional("epochs", Json::integer, d.epochs()),
                t.optional("l2", Json::number, d.l2()),
                t.optional("patience", Json::integer, d.patience()),
                t.optional("seed", Json::longValue, d.seed()),
                t.optional("threads", Json::integer, d.threads()),
                t.optional("headEpochs", Json::integer, d.headEpochs()),
                t.optional("fineTuneRateFactor", Json::number, d.fineTuneRateFactor()));
        List<String> problems = r.problems();
        if (!problems.isEmpty()) throw t.error(problems.get(0));
        return r;
    }
}
