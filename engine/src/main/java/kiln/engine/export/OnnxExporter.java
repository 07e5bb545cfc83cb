package kiln.engine.export;

import ai.onnx.proto.OnnxMl;
import kiln.engine.catalog.LayerWeights;
import kiln.engine.catalog.OnnxGraph;
import kiln.engine.catalog.UnsupportedExportException;
import kiln.engine.eval.TrainedModel;
import kiln.engine.model.Edge;
import kiln.engine.model.ModelGraph;
import kiln.engine.model.Node;
import kiln.engine.shape.TensorShape;
import kiln.engine.train.Batches;
import kiln.engine.util.Progress;
import org.tribuo.util.onnx.ONNXContext;
import org.tribuo.util.onnx.ONNXOperator;
import org.tribuo.util.onnx.ONNXPlaceholder;
import org.tribuo.util.onnx.ONNXRef;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Writes a trained network as an ONNX model (IR version 8, opset 13) built with Tribuo's ONNX builder.
 * Each layer adds its own operators through {@link kiln.engine.catalog.LayerType#toOnnx}. The fitted
 * preprocessing is folded in as a first Mul and Add, so the model takes raw values as Kiln reads them
 * (pixels 0–255, NCHW); metadata_props say so, with the class names (see docs/export.md).
 */
public final class OnnxExporter {

    public static final int IR_VERSION = 8;
    public static final int OPSET = KilnOnnxOperators.OPSET;
    public static final String INPUT = "input";
    public static final String OUTPUT = "probabilities";
    private static final Map<String, ONNXOperator> OPS = KilnOnnxOperators.byName();

    private OnnxExporter() { }

    public static void export(TrainedModel model, Path file, Progress progress) throws ExportException {
        OnnxMl.ModelProto proto = build(model, progress);
        progress.update(-1, "Writing " + file.getFileName());
        Outputs.writeFile(file, tmp -> Files.write(tmp, proto.toByteArray()));
    }

    public static OnnxMl.ModelProto build(TrainedModel model, Progress progress) throws ExportException {
        ModelGraph graph = model.project().graph();
        TensorShape inShape = model.inputShape();
        ONNXContext ctx = new ONNXContext();
        ctx.setName(model.project().name());
        ONNXPlaceholder input = ctx.floatInput(INPUT, Math.toIntExact(inShape.elementCount()));
        Map<String, ONNXRef<?>> tensors = new HashMap<>();
        tensors.put(input.getReference(), input);

        String networkInput = input.getReference();
        Optional<Preprocessing> pre = Preprocessing.of(model.data().pipeline(), inShape, model.classNames());
        if (pre.isPresent() && !pre.get().isIdentity()) {
            long[] dims = Batches.shape(inShape, 1);
            ONNXRef<?> scale = ctx.floatTensor("preprocess.scale", toList(dims), b -> b.put(pre.get().scale()));
            ONNXRef<?> shift = ctx.floatTensor("preprocess.shift", toList(dims), b -> b.put(pre.get().shift()));
            ONNXRef<?> scaled = ctx.operation(OPS.get("Mul"), List.of(input, scale), "preprocess.scaled", Map.of());
            ONNXRef<?> shifted = ctx.operation(OPS.get("Add"), List.of(scaled, shift), "preprocess.out", Map.of());
            tensors.put(scaled.getReference(), scaled);
            tensors.put(shifted.getReference(), shifted);
            networkInput = shifted.getReference();
        }

        Map<String, String> outputOf = new HashMap<>();
        List<String> order = model.analysis().order();
        for (int i = 0; i < order.size(); i++) {
            progress.checkCancelled();
            String name = order.get(i);
            progress.update((double) i / order.size(), "Exporting " + name);
            Node node = graph.node(name);
            List<String> ins = new ArrayList<>();
            for (Edge e : graph.inputsOf(name)) ins.add(outputOf.get(e.from()));
            if (ins.isEmpty()) ins.add(networkInput);
            Layer layer = new Layer(ctx, tensors, name, ins, model.exportWeightsOf(name));
            try {
                outputOf.put(name, node.type().toOnnx(layer, model.analysis().get(name).inputShapes(), node.params()));
            } catch (UnsupportedExportException e) {
                throw new ExportException(name + " (" + node.type().displayName() + "): " + e.getMessage() + ".");
            }
        }
        String last = outputOf.get(model.outputNode().name());
        int units = model.analysis().get(model.outputNode().name()).shape().size();
        ctx.assignTo(tensors.get(last), ctx.floatOutput(OUTPUT, units));

        OnnxMl.GraphProto.Builder g = ctx.buildGraph().toBuilder();
        g.setInput(0, g.getInput(0).toBuilder().setType(tensorType(Batches.shape(inShape, 1))));
        g.setDocString("Exported from Kiln: " + model.project().name() + ", " + model.describe());

        OnnxMl.ModelProto.Builder m = OnnxMl.ModelProto.newBuilder()
                .setIrVersion(IR_VERSION)
                .setProducerName("Kiln")
                .setProducerVersion("0.1.0")
                .setDomain("dev.kiln")
                .setModelVersion(1)
                .setDocString(model.project().name() + " (" + model.describe() + ")")
                .addOpsetImport(OnnxMl.OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET))
                .setGraph(g);
        metadata(model, pre).forEach((k, v) -> m.addMetadataProps(
                OnnxMl.StringStringEntryProto.newBuilder().setKey(k).setValue(v)));
        progress.update(1, "Exported " + order.size() + " layers");
        return m.build();
    }

    private static Map<String, String> metadata(TrainedModel model, Optional<Preprocessing> pre) {
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("kiln.project", model.project().name());
        meta.put("kiln.run", model.describe());
        meta.put("kiln.classes", String.join("\n", model.classNames()));
        meta.put("kiln.input", "float32 " + INPUT + " " + layout(model.inputShape()) + ", raw values as Kiln reads them");
        meta.put("kiln.output", OUTPUT + ": the Output layer's activations (class probabilities for softmax)");
        model.threshold().ifPresent(t -> meta.put("kiln.threshold", Double.toString(t.value())));
        model.threshold().ifPresent(t -> meta.put("kiln.decision", "predict \"" + t.positiveClass()
                + "\" when its probability is at least kiln.threshold (" + t.value() + "), else \"" + model.classNames().get(0)
                + "\"; " + OUTPUT + " holds " + (units(model) == 1 ? "that probability" : "both probabilities, \""
                + t.positiveClass() + "\" second")));
        meta.put("kiln.preprocessing", pre.map(p -> "folded into the model as its first Mul and Add: " + p.describe())
                .orElse("NOT folded (a step is not affine); apply it before the model: "
                        + String.join("; then ", model.data().pipeline().describe())));
        return meta;
    }

    private static int units(TrainedModel model) {
        return model.analysis().get(model.outputNode().name()).shape().size();
    }

    private static String layout(TensorShape s) {
        return switch (s.kind()) {
            case IMAGE -> "(N, " + s.channels() + ", " + s.height() + ", " + s.width() + ") NCHW";
            case VECTOR -> "(N, " + s.size() + ")";
            case SEQUENCE -> "(N, " + s.features() + ", " + s.length() + ") features × steps";
        };
    }

    private static OnnxMl.TypeProto tensorType(long[] dims) {
        OnnxMl.TensorShapeProto.Builder shape = OnnxMl.TensorShapeProto.newBuilder();
        shape.addDim(OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimParam("N"));
        for (int i = 1; i < dims.length; i++) shape.addDim(OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimValue(dims[i]));
        return OnnxMl.TypeProto.newBuilder().setTensorType(OnnxMl.TypeProto.Tensor.newBuilder()
                .setElemType(OnnxMl.TensorProto.DataType.FLOAT.getNumber()).setShape(shape)).build();
    }

    private static List<Integer> toList(long[] dims) {
        List<Integer> l = new ArrayList<>();
        for (long d : dims) l.add(Math.toIntExact(d));
        return l;
    }

    /** One layer's view of the graph under construction: tensors named after the layer. */
    private static final class Layer implements OnnxGraph {
        private final ONNXContext ctx;
        private final Map<String, ONNXRef<?>> tensors;
        private final String name;
        private final List<String> inputs;
        private final LayerWeights weights;
        private final Map<String, Integer> used = new HashMap<>();

        Layer(ONNXContext ctx, Map<String, ONNXRef<?>> tensors, String name, List<String> inputs, LayerWeights weights) {
            this.ctx = ctx;
            this.tensors = tensors;
            this.name = name;
            this.inputs = List.copyOf(inputs);
            this.weights = weights;
        }

        @Override public List<String> inputs() { return inputs; }
        @Override public LayerWeights weights() { return weights; }

        @Override
        public String floats(String suffix, float[] values, long... dims) {
            long count = 1;
            for (long d : dims) count *= d;
            if (count != values.length) {
                throw new IllegalStateException(name + "." + suffix + ": " + values.length + " values for shape "
                        + java.util.Arrays.toString(dims));
            }
            return keep(ctx.floatTensor(unique(suffix), toList(dims), b -> b.put(values)));
        }

        @Override
        public String node(String opType, List<String> in, Map<String, Object> attributes) {
            ONNXOperator op = OPS.get(opType);
            if (op == null) throw new IllegalStateException("no ONNX operator " + opType + " is defined");
            List<ONNXRef<?>> refs = new ArrayList<>();
            for (String t : in) refs.add(java.util.Objects.requireNonNull(tensors.get(t), t));
            return keep(ctx.operation(op, refs, unique(opType.toLowerCase(java.util.Locale.ROOT)), attributes));
        }

        private String unique(String suffix) {
            int n = used.merge(suffix, 1, Integer::sum);
            return name + "/" + suffix + (n == 1 ? "" : "_" + n);
        }

        private String keep(ONNXRef<?> ref) {
            tensors.put(ref.getReference(), ref);
            return ref.getReference();
        }
    }
}
