package kiln.engine.importer;

import ai.onnx.proto.OnnxMl;
import kiln.engine.catalog.LayerCatalog;
import kiln.engine.catalog.LayerType;
import kiln.engine.catalog.Params;
import kiln.engine.catalog.ShapeResult;
import kiln.engine.model.Edge;
import kiln.engine.model.ModelGraph;
import kiln.engine.params.ParamSpec;
import kiln.engine.shape.TensorShape;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The state of one import: the ONNX graph's constants and uses, each ONNX tensor's Kiln layer and shape, and the
 * Kiln graph and weights built so far. Nothing outside it changes until the whole model has converted.
 */
final class ImportContext {

    /**
     * An ONNX tensor as Kiln holds it: the layer whose output it is, its shape for Kiln and its ONNX dimensions
     * with a batch of 1 (these differ only after global pooling, where ONNX keeps (1, C, 1, 1) and Kiln a vector).
     */
    record Value(String layer, TensorShape shape, long[] dims) {
        static long[] dimsOf(TensorShape s) {
            return switch (s.kind()) {
                case IMAGE -> new long[] {1, s.channels(), s.height(), s.width()};
                case VECTOR -> new long[] {1, s.size()};
                case SEQUENCE -> new long[] {1, s.features(), s.length()};
            };
        }

        boolean isImage() { return shape.kind() == TensorShape.Kind.IMAGE && dims.length == 4; }
        boolean isVector() { return shape.kind() == TensorShape.Kind.VECTOR && dims.length == 2; }
    }

    final String file;
    final int opset;
    final ModelGraph graph = new ModelGraph();
    final Map<String, Map<String, float[]>> weights = new LinkedHashMap<>();
    final List<String> notes = new ArrayList<>();
    private final Map<String, OnnxMl.TensorProto> constants = new HashMap<>();
    private final Map<String, Value> values = new HashMap<>();
    private final Map<String, Integer> uses = new HashMap<>();
    /** The ONNX tensor that is each layer's own output, where an activation may be fused into the layer. */
    private final Map<String, String> ownOutput = new HashMap<>();
    final String graphOutput;
    /** The tensors from the model's input through element-wise constants in front of the first layer. */
    private final Set<String> inputChain = new java.util.HashSet<>();
    /** Those constants as one map, input × preScale + preShift, which becomes the project's data pipeline. */
    double preScale = 1;
    double preShift = 0;
    /** Dense layers made from a MatMul whose bias may still follow as an Add: layer → the MatMul node. */
    final Map<String, String> pendingBias = new HashMap<>();

    ImportContext(String file, int opset, OnnxMl.GraphProto g) {
        this.file = file;
        this.opset = opset;
        for (OnnxMl.TensorProto t : g.getInitializerList()) constants.put(t.getName(), t);
        for (OnnxMl.NodeProto n : g.getNodeList()) {
            for (String in : n.getInputList()) if (!in.isEmpty()) uses.merge(in, 1, Integer::sum);
        }
        graphOutput = g.getOutput(0).getName();
        uses.merge(graphOutput, 1, Integer::sum);
    }

    static String where(OnnxMl.NodeProto n) {
        return "node '" + (n.getName().isEmpty() ? "(unnamed)" : n.getName()) + "' (" + n.getOpType() + ")";
    }

    boolean isConstant(String tensor) { return constants.containsKey(tensor); }

    void addConstant(String tensor, OnnxMl.TensorProto t) { constants.put(tensor, t); }

    OnnxMl.TensorProto constant(OnnxMl.NodeProto n, int input) throws ImportException {
        String name = n.getInput(input);
        OnnxMl.TensorProto t = constants.get(name);
        if (t == null) {
            throw new ImportException(where(n) + ": input " + (input + 1) + " ('" + name + "') is computed in the model, "
                    + "but Kiln needs stored weights or a constant there.");
        }
        return t;
    }

    float[] floats(OnnxMl.NodeProto n, int input) throws ImportException {
        return OnnxModelReader.floats(constant(n, input), where(n) + ", input '" + n.getInput(input) + "'");
    }

    long[] longs(OnnxMl.NodeProto n, int input) throws ImportException {
        return OnnxModelReader.longs(constant(n, input), where(n) + ", input '" + n.getInput(input) + "'");
    }

    List<Long> dimsOf(OnnxMl.NodeProto n, int input) throws ImportException {
        return constant(n, input).getDimsList();
    }

    /** A computed input (the output of an earlier node or the model's input). */
    Value value(OnnxMl.NodeProto n, int input) throws ImportException {
        String name = n.getInput(input);
        Value v = values.get(name);
        if (v == null) {
            throw new ImportException(where(n) + ": its input '" + name + "' is "
                    + (constants.containsKey(name) ? "a stored constant, where Kiln needs the output of a layer"
                    : "not produced by any earlier node; the graph is damaged or not in order"));
        }
        return v;
    }

    void define(String tensor, Value v) throws ImportException {
        if (values.putIfAbsent(tensor, v) != null || constants.containsKey(tensor)) {
            throw new ImportException("the tensor '" + tensor + "' is produced twice in " + file + "; the graph is damaged.");
        }
    }

    boolean isInputChain(String tensor) { return inputChain.contains(tensor); }

    void extendInputChain(String tensor) { inputChain.add(tensor); }

    int uses(String tensor) { return uses.getOrDefault(tensor, 0); }

    /** Whether an activation on {@code tensor} can become the activation of the layer that made it. */
    boolean canFuseInto(String tensor, Value v) {
        return tensor.equals(ownOutput.get(v.layer())) && uses(tensor) == 1 && !tensor.equals(graphOutput);
    }

    void markOwnOutput(String layer, String tensor) { ownOutput.put(layer, tensor); }

    /**
     * Adds a Kiln layer fed by {@code inputs} (ports in order) and returns its output as a Value, its shape from the
     * layer catalog's own rule; a parameter out of Kiln's range or a shape the layer refuses is an import error.
     */
    Value addLayer(OnnxMl.NodeProto n, String typeId, Map<String, ?> params, List<Value> inputs) throws ImportException {
        LayerType type = LayerCatalog.get(typeId);
        Params p;
        try {
            p = Params.of(type, params);
        } catch (ParamSpec.InvalidParamException e) {
            throw new ImportException(where(n) + " becomes a Kiln " + type.displayName() + " layer, but " + e.getMessage() + ".");
        }
        List<TensorShape> shapes = inputs.stream().map(Value::shape).toList();
        ShapeResult r = type.outputShape(shapes, p);
        if (r instanceof ShapeResult.Problem problem) {
            throw new ImportException(where(n) + " becomes a Kiln " + type.displayName() + " layer, which "
                    + problem.problem() + ".");
        }
        String name = layerName(n, type, p);
        graph.add(name, type, p, 0, 0);
        for (int i = 0; i < inputs.size(); i++) graph.connect(new Edge(inputs.get(i).layer(), name, i));
        TensorShape out = ((ShapeResult.Ok) r).shape();
        if (n.getOutputCount() > 0) markOwnOutput(name, n.getOutput(0));
        return new Value(name, out, Value.dimsOf(out));
    }

    void setParam(String layer, String param, Object value) {
        var node = graph.node(layer);
        try {
            graph.replace(node.withParams(node.params().with(node.type(), param, value)));
        } catch (ParamSpec.InvalidParamException e) {
            throw new IllegalStateException(e);
        }
    }

    void putWeight(String layer, String key, float[] v) {
        weights.computeIfAbsent(layer, k -> new LinkedHashMap<>()).put(key, v);
    }

    /**
     * "/block/conv1/Conv" becomes "block_conv1"; a node named only after its operator ("/Relu_1", "/GlobalAveragePool")
     * is named after its Kiln layer ("relu_1", "global_avg_pool"). Names stay unique and valid for Kiln.
     */
    private String layerName(OnnxMl.NodeProto n, LayerType type, Params p) {
        String raw = n.getName().replaceAll("^/+", "");
        if (raw.endsWith("/" + n.getOpType())) raw = raw.substring(0, raw.length() - n.getOpType().length() - 1);
        java.util.regex.Matcher opOnly = java.util.regex.Pattern.compile("(?i)" + java.util.regex.Pattern.quote(n.getOpType())
                + "(_\\d+)?").matcher(raw);
        String kind = type.params().stream().anyMatch(s -> s.name().equals("function")) ? p.getString("function") : type.id();
        if (raw.isEmpty() || opOnly.matches()) {
            raw = kind + (opOnly.matches() && opOnly.group(1) != null ? opOnly.group(1) : "");
        }
        String base = raw.replaceAll("[^A-Za-z0-9_]+", "_").replaceAll("^_+|_+$", "").toLowerCase(Locale.ROOT);
        if (base.isEmpty() || Character.isDigit(base.charAt(0))) base = kind + (base.isEmpty() ? "" : "_" + base);
        if (base.length() > 56) base = base.substring(0, 56);
        String name = base;
        for (int i = 2; graph.checkName(name).isPresent(); i++) name = base + "_" + i;
        return name;
    }

    /** The attributes of a node by name; any attribute outside {@code known} is refused, naming the node. */
    static Map<String, OnnxMl.AttributeProto> attributes(OnnxMl.NodeProto n, Set<String> known) throws ImportException {
        Map<String, OnnxMl.AttributeProto> m = new HashMap<>();
        for (OnnxMl.AttributeProto a : n.getAttributeList()) {
            if (!known.contains(a.getName())) {
                throw new ImportException(where(n) + " has the attribute '" + a.getName() + "', which no Kiln layer "
                        + "expresses; export the model without it.");
            }
            m.put(a.getName(), a);
        }
        return m;
    }
}
