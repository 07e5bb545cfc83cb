package kiln.engine.importer;

import ai.onnx.proto.OnnxMl;
import kiln.engine.catalog.Activation;
import kiln.engine.catalog.Add;
import kiln.engine.catalog.AvgPool2D;
import kiln.engine.catalog.BatchNorm;
import kiln.engine.catalog.Concat;
import kiln.engine.catalog.Conv2D;
import kiln.engine.catalog.Dense;
import kiln.engine.catalog.Dropout;
import kiln.engine.catalog.Export;
import kiln.engine.catalog.Flatten;
import kiln.engine.catalog.GlobalAvgPool;
import kiln.engine.catalog.MaxPool2D;
import kiln.engine.importer.ImportContext.Value;
import kiln.engine.shape.TensorShape;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Maps each ONNX operator and its attributes to a layer of Kiln's catalog. An operator, or an attribute value, that
 * no Kiln layer computes exactly is refused naming the node and its op type, so a model imports whole or not at all.
 * An activation right after a Conv or a fully connected layer becomes that layer's own activation.
 */
final class OnnxOperators {

    /** Every op type this class converts, for messages and docs/import.md. */
    static final List<String> SUPPORTED = List.of("Conv", "Gemm", "MatMul", "Add", "Sum", "Relu", "LeakyRelu",
            "Sigmoid", "Tanh", "Softmax", "MaxPool", "AveragePool", "GlobalAveragePool", "ReduceMean",
            "BatchNormalization", "Flatten", "Reshape", "Concat", "Dropout", "Identity", "Constant",
            "Mul, Div, Add, Sub by one number on the input");

    private static final double LEAKY_ALPHA_FUSED = 0.01;

    private OnnxOperators() { }

    static void convert(OnnxMl.NodeProto n, ImportContext ctx) throws ImportException {
        if (!n.getDomain().isEmpty() && !"ai.onnx".equals(n.getDomain())) {
            throw new ImportException(ImportContext.where(n) + " is an operator of the '" + n.getDomain() + "' domain, "
                    + "which Kiln does not import; Kiln imports these ONNX operators: " + String.join(", ", SUPPORTED) + ".");
        }
        switch (n.getOpType()) {
            case "Constant" -> constant(n, ctx);
            case "Identity" -> alias(n, ctx, ctx.value(n, 0));
            case "Dropout" -> dropout(n, ctx);
            case "Conv" -> conv(n, ctx);
            case "Gemm" -> gemm(n, ctx);
            case "MatMul" -> matMul(n, ctx);
            case "Add", "Sum" -> add(n, ctx);
            case "Mul", "Div", "Sub" -> {
                if (!inputAffine(n, ctx)) {
                    throw new ImportException(ImportContext.where(n) + ": Kiln has no layer for the ONNX operator "
                            + n.getOpType() + " here; it imports " + n.getOpType() + " only by one stored number right "
                            + "after the model's input (which becomes the data pipeline).");
                }
            }
            case "Relu" -> activation(n, ctx, "relu", Map.of());
            case "Sigmoid" -> activation(n, ctx, "sigmoid", Map.of());
            case "Tanh" -> activation(n, ctx, "tanh", Map.of());
            case "LeakyRelu" -> leakyRelu(n, ctx);
            case "Softmax" -> softmax(n, ctx);
            case "MaxPool", "AveragePool" -> pool(n, ctx);
            case "GlobalAveragePool" -> globalAverage(n, ctx, ctx.value(n, 0), true);
            case "ReduceMean" -> reduceMean(n, ctx);
            case "BatchNormalization" -> batchNorm(n, ctx);
            case "Flatten" -> flatten(n, ctx);
            case "Reshape" -> reshape(n, ctx);
            case "Concat" -> concat(n, ctx);
            default -> throw new ImportException(ImportContext.where(n) + ": Kiln has no layer for the ONNX operator "
                    + n.getOpType() + ", so the model cannot be imported. Kiln imports: " + String.join(", ", SUPPORTED) + ".");
        }
    }

    private static void constant(OnnxMl.NodeProto n, ImportContext ctx) throws ImportException {
        var a = ImportContext.attributes(n, Set.of("value"));
        if (!a.containsKey("value")) {
            throw new ImportException(ImportContext.where(n) + " holds no tensor 'value'; Kiln reads constants given as tensors only.");
        }
        OnnxMl.TensorProto t = a.get("value").getT();
        OnnxModelReader.checkTensor(t, ImportContext.where(n));
        ctx.addConstant(n.getOutput(0), t);
    }

    private static void alias(OnnxMl.NodeProto n, ImportContext ctx, Value v) throws ImportException {
        ctx.define(n.getOutput(0), v);
    }

    private static void onlyFirstOutputUsed(OnnxMl.NodeProto n, ImportContext ctx) throws ImportException {
        for (int i = 1; i < n.getOutputCount(); i++) {
            if (!n.getOutput(i).isEmpty() && ctx.uses(n.getOutput(i)) > 0) {
                throw new ImportException(ImportContext.where(n) + ": its output " + (i + 1) + " ('" + n.getOutput(i)
                        + "') is used, and only training computes it; export the model for inference (model.eval()).");
            }
        }
    }

    private static void dropout(OnnxMl.NodeProto n, ImportContext ctx) throws ImportException {
        var a = ImportContext.attributes(n, Set.of("ratio", "seed"));
        onlyFirstOutputUsed(n, ctx);
        double rate = a.containsKey("ratio") ? a.get("ratio").getF() : 0.5;
        if (n.getInputCount() > 1 && !n.getInput(1).isEmpty()) rate = single(ctx.floats(n, 1), n, "ratio");
        if (n.getInputCount() > 2 && !n.getInput(2).isEmpty()) {
            long[] training = boolOrLong(ctx, n, 2);
            if (training.length != 1 || training[0] != 0) {
                throw new ImportException(ImportContext.where(n) + " is in training mode; export the model for inference (model.eval()).");
            }
        }
        Value in = ctx.value(n, 0);
        Value out = ctx.addLayer(n, Dropout.ID, Map.of("rate", rate), List.of(in));
        ctx.define(n.getOutput(0), new Value(out.layer(), out.shape(), in.dims()));
    }

    private static long[] boolOrLong(ImportContext ctx, OnnxMl.NodeProto n, int input) throws ImportException {
        OnnxMl.TensorProto t = ctx.constant(n, input);
        if (t.getDataType() == OnnxMl.TensorProto.DataType.BOOL.getNumber()) {
            byte[] raw = t.getRawData().toByteArray();
            if (raw.length == 0) return t.getInt32DataList().stream().mapToLong(Integer::longValue).toArray();
            long[] out = new long[raw.length];
            for (int i = 0; i < raw.length; i++) out[i] = raw[i];
            return out;
        }
        return ctx.longs(n, input);
    }

    private static float single(float[] v, OnnxMl.NodeProto n, String what) throws ImportException {
        if (v.length != 1) throw new ImportException(ImportContext.where(n) + ": its " + what + " should be one number, not " + v.length);
        return v[0];
    }

    private static Value image(OnnxMl.NodeProto n, ImportContext ctx) throws ImportException {
        return firstInput(n, ctx, Value::isImage, "an image (N, C, H, W)",
                "Kiln's convolution and pooling layers work on images only");
    }

    private static Value vector(OnnxMl.NodeProto n, ImportContext ctx) throws ImportException {
        return firstInput(n, ctx, Value::isVector, "a flat vector (N, features)",
                "Kiln's fully connected layers take vectors (flatten first)");
    }

    /** The node's first input, refused unless it {@code fits}: it {@code needs} that, {@code because}. */
    private static Value firstInput(OnnxMl.NodeProto n, ImportContext ctx, java.util.function.Predicate<Value> fits,
                                    String needs, String because) throws ImportException {
        Value v = ctx.value(n, 0);
        if (!fits.test(v)) {
            throw new ImportException(ImportContext.where(n) + " needs " + needs + " but receives "
                    + Arrays.toString(v.dims()) + "; " + because + ".");
        }
        return v;
    }

    /** A square window with equal strides and pads Kiln's 'valid' or 'same' reproduces; the padding's name. */
    private static String window(OnnxMl.NodeProto n, Map<String, OnnxMl.AttributeProto> a, TensorShape in, int k, int stride)
            throws ImportException {
        if (a.containsKey("dilations") && a.get("dilations").getIntsList().stream().anyMatch(d -> d != 1)) {
            throw new ImportException(ImportContext.where(n) + " uses dilations " + a.get("dilations").getIntsList()
                    + "; Kiln's windows are not dilated (use dilation 1).");
        }
        String auto = a.containsKey("auto_pad") ? a.get("auto_pad").getS().toStringUtf8() : "NOTSET";
        int[] same = Export.onnxPads(in, k, stride, "same");
        int[] pads;
        switch (auto) {
            case "NOTSET" -> {
                List<Long> p = a.containsKey("pads") ? a.get("pads").getIntsList() : List.of(0L, 0L, 0L, 0L);
                if (p.size() != 4) throw new ImportException(ImportContext.where(n) + " has pads " + p + "; a 2-D window has four.");
                pads = p.stream().mapToInt(Long::intValue).toArray();
            }
            case "VALID" -> pads = new int[4];
            case "SAME_UPPER" -> pads = same;
            default -> throw new ImportException(ImportContext.where(n) + " pads with auto_pad " + auto
                    + "; Kiln pads 'same' with the odd pixel at the bottom and right (SAME_UPPER), or not at all.");
        }
        if (Arrays.equals(pads, new int[4])) return "valid";
        if (Arrays.equals(pads, same)) return "same";
        throw new ImportException(ImportContext.where(n) + " pads " + Arrays.toString(pads) + " (top, left, bottom, right) "
                + "on a " + in.height() + "×" + in.width() + " image; Kiln pads either nothing ('valid') or "
                + Arrays.toString(same) + " ('same' for kernel " + k + ", stride " + stride + "). Change the padding of "
                + "that layer in the source model.");
    }

    private static int square(OnnxMl.NodeProto n, List<Long> values, String what) throws ImportException {
        if (values.size() != 2 || !values.get(0).equals(values.get(1))) {
            throw new ImportException(ImportContext.where(n) + " has " + what + " " + values + "; Kiln's windows are square "
                    + "(the same size in height and width).");
        }
        return Math.toIntExact(Math.min(values.get(0), Integer.MAX_VALUE));
    }

    private static void conv(OnnxMl.NodeProto n, ImportContext ctx) throws ImportException {
        var a = ImportContext.attributes(n, Set.of("kernel_shape", "strides", "pads", "dilations", "group", "auto_pad"));
        Value in = image(n, ctx);
        List<Long> w = ctx.dimsOf(n, 1);
        if (w.size() != 4) throw new ImportException(ImportContext.where(n) + " has weights " + w + "; a 2-D convolution has (filters, channels, kh, kw).");
        if (a.containsKey("group") && a.get("group").getI() != 1) {
            throw new ImportException(ImportContext.where(n) + " is a grouped (or depthwise) convolution with group "
                    + a.get("group").getI() + "; Kiln's Conv2D connects every channel (group 1).");
        }
        if (w.get(1) != in.shape().channels()) {
            throw new ImportException(ImportContext.where(n) + " has weights for " + w.get(1) + " channels but receives "
                    + in.shape().channels() + "; the file is inconsistent.");
        }
        int k = square(n, a.containsKey("kernel_shape") ? a.get("kernel_shape").getIntsList() : w.subList(2, 4), "kernel");
        if (k != w.get(2) || k != w.get(3)) throw new ImportException(ImportContext.where(n) + ": kernel_shape does not match the weights " + w + ".");
        int s = square(n, a.containsKey("strides") ? a.get("strides").getIntsList() : List.of(1L, 1L), "strides");
        String padding = window(n, a, in.shape(), k, s);
        int filters = Math.toIntExact(w.get(0));
        Value out = ctx.addLayer(n, Conv2D.ID, Map.of("filters", filters, "kernel", k, "stride", s,
                "padding", padding, "activation", "linear"), List.of(in));
        ctx.putWeight(out.layer(), "weight", ctx.floats(n, 1));
        ctx.putWeight(out.layer(), "bias", bias(n, ctx, 2, filters));
        ctx.define(n.getOutput(0), out);
    }

    /** The bias input, or zeros (noted) when the source has none: Kiln's layers always have one. */
    private static float[] bias(OnnxMl.NodeProto n, ImportContext ctx, int input, int units) throws ImportException {
        if (n.getInputCount() <= input || n.getInput(input).isEmpty()) {
            ctx.notes.add(ImportContext.where(n) + " has no bias; Kiln's layer has one, starting at zero (" + units
                    + " more parameters than the source counts).");
            return new float[units];
        }
        float[] b = ctx.floats(n, input);
        if (b.length != units) {
            throw new ImportException(ImportContext.where(n) + " has a bias of " + b.length + " values for " + units
                    + " outputs; Kiln adds one bias value per output.");
        }
        return b;
    }

    private static void gemm(OnnxMl.NodeProto n, ImportContext ctx) throws ImportException {
        var a = ImportContext.attributes(n, Set.of("alpha", "beta", "transA", "transB"));
        for (String f : List.of("alpha", "beta")) {
            if (a.containsKey(f) && a.get(f).getF() != 1f) {
                throw new ImportException(ImportContext.where(n) + " scales by " + f + " = " + a.get(f).getF()
                        + "; Kiln's Dense computes x·Wᵀ + b (alpha and beta 1).");
            }
        }
        if (a.containsKey("transA") && a.get("transA").getI() != 0) {
            throw new ImportException(ImportContext.where(n) + " transposes its input (transA); Kiln's Dense does not.");
        }
        Value in = vector(n, ctx);
        List<Long> w = ctx.dimsOf(n, 1);
        boolean transB = a.containsKey("transB") && a.get("transB").getI() != 0;
        if (w.size() != 2) throw new ImportException(ImportContext.where(n) + " has weights " + w + "; a fully connected layer has a matrix.");
        long nIn = transB ? w.get(1) : w.get(0);
        int units = Math.toIntExact(transB ? w.get(0) : w.get(1));
        if (nIn != in.shape().size()) {
            throw new ImportException(ImportContext.where(n) + " has weights for " + nIn + " inputs but receives "
                    + in.shape().size() + "; the file is inconsistent.");
        }
        float[] weight = ctx.floats(n, 1);
        dense(n, ctx, in, units, transB ? weight : transpose(weight, (int) nIn, units), bias(n, ctx, 2, units));
    }

    private static void dense(OnnxMl.NodeProto n, ImportContext ctx, Value in, int units, float[] weightOutByIn, float[] bias)
            throws ImportException {
        Value out = ctx.addLayer(n, Dense.ID, Map.of("units", units, "activation", "linear"), List.of(in));
        ctx.putWeight(out.layer(), "weight", weightOutByIn);
        ctx.putWeight(out.layer(), "bias", bias);
        ctx.define(n.getOutput(0), out);
    }

    /** (rows, cols) row-major → (cols, rows): ONNX's (in, out) matrices become Kiln's (out, in). */
    private static float[] transpose(float[] m, int rows, int cols) {
        float[] t = new float[m.length];
        for (int r = 0; r < rows; r++) for (int c = 0; c < cols; c++) t[c * rows + r] = m[r * cols + c];
        return t;
    }

    /** MatMul by a stored matrix is a Dense layer; a following Add of a stored vector becomes its bias. */
    private static void matMul(OnnxMl.NodeProto n, ImportContext ctx) throws ImportException {
        ImportContext.attributes(n, Set.of());
        Value in = vector(n, ctx);
        List<Long> w = ctx.dimsOf(n, 1);
        if (w.size() != 2 || w.get(0) != in.shape().size()) {
            throw new ImportException(ImportContext.where(n) + " multiplies a vector of " + in.shape().size()
                    + " by " + w + "; Kiln's Dense multiplies by an (inputs, units) matrix.");
        }
        int units = Math.toIntExact(w.get(1));
        Value out = ctx.addLayer(n, Dense.ID, Map.of("units", units, "activation", "linear"), List.of(in));
        ctx.putWeight(out.layer(), "weight", transpose(ctx.floats(n, 1), (int) (long) w.get(0), units));
        ctx.putWeight(out.layer(), "bias", new float[units]);
        ctx.define(n.getOutput(0), out);
        ctx.pendingBias.put(out.layer(), ImportContext.where(n));
    }

    private static void add(OnnxMl.NodeProto n, ImportContext ctx) throws ImportException {
        ImportContext.attributes(n, Set.of());
        List<Integer> constants = new ArrayList<>();
        for (int i = 0; i < n.getInputCount(); i++) if (ctx.isConstant(n.getInput(i))) constants.add(i);
        if (!constants.isEmpty()) {
            if (inputAffine(n, ctx)) return;
            if (n.getInputCount() == 2 && constants.size() == 1 && "Add".equals(n.getOpType())) {
                int other = 1 - constants.get(0);
                Value v = ctx.value(n, other);
                String tensor = n.getInput(other);
                if (ctx.pendingBias.containsKey(v.layer()) && ctx.canFuseInto(tensor, v)) {
                    float[] b = ctx.floats(n, constants.get(0));
                    List<Long> dims = ctx.dimsOf(n, constants.get(0));
                    int units = v.shape().size();
                    boolean fits = b.length == units && (dims.size() == 1 || dims.size() == 2 && dims.get(0) == 1);
                    if (fits) {
                        ctx.pendingBias.remove(v.layer());
                        ctx.putWeight(v.layer(), "bias", b);
                        ctx.markOwnOutput(v.layer(), n.getOutput(0));
                        ctx.define(n.getOutput(0), v);
                        return;
                    }
                }
            }
            throw new ImportException(ImportContext.where(n) + " adds the stored constant '" + n.getInput(constants.get(0))
                    + "'; Kiln adds stored values only as the bias right after a MatMul (one value per unit).");
        }
        if (n.getInputCount() < 2) {
            Value only = ctx.value(n, 0);
            alias(n, ctx, only);
            return;
        }
        List<Value> ins = new ArrayList<>();
        for (int i = 0; i < n.getInputCount(); i++) ins.add(ctx.value(n, i));
        for (Value v : ins) {
            if (!Arrays.equals(v.dims(), ins.get(0).dims())) {
                throw new ImportException(ImportContext.where(n) + " adds tensors of different shapes "
                        + Arrays.toString(ins.get(0).dims()) + " and " + Arrays.toString(v.dims())
                        + "; Kiln's Add takes inputs of one shape (no broadcasting).");
            }
        }
        Value out = ctx.addLayer(n, Add.ID, Map.of(), ins);
        ctx.define(n.getOutput(0), new Value(out.layer(), out.shape(), ins.get(0).dims()));
    }

    /**
     * Mul, Div, Add or Sub of one stored number on the model's input, before any layer (as Kiln's own export folds its
     * pixel scaling in, or a forward() that normalises its input): collected into one scale and shift, which the
     * importer makes the project's data pipeline. Values that differ per pixel are refused.
     * @return false when the node is not such a step
     */
    private static boolean inputAffine(OnnxMl.NodeProto n, ImportContext ctx) throws ImportException {
        ImportContext.attributes(n, Set.of());
        if (n.getInputCount() != 2) return false;
        int c = ctx.isConstant(n.getInput(1)) ? 1 : ctx.isConstant(n.getInput(0)) ? 0 : -1;
        if (c < 0) return false;
        String x = n.getInput(1 - c);
        String op = n.getOpType();
        if (!ctx.isInputChain(x) || ctx.uses(x) != 1 || (c == 0 && ("Sub".equals(op) || "Div".equals(op)))) return false;
        float[] v = ctx.floats(n, c);
        for (float f : v) {
            if (f != v[0]) {
                throw new ImportException(ImportContext.where(n) + " applies a different " + op + " to each input value "
                        + "(per-pixel preprocessing such as Standardize); Kiln imports one number for the whole input. "
                        + "Export the model without that step and add it to the project's data pipeline.");
            }
        }
        if (v.length == 0 || !Float.isFinite(v[0]) || ("Div".equals(op) && v[0] == 0)) return false;
        double a = v[0];
        switch (op) {
            case "Mul" -> { ctx.preScale *= a; ctx.preShift *= a; }
            case "Div" -> { ctx.preScale /= a; ctx.preShift /= a; }
            case "Add" -> ctx.preShift += a;
            default -> ctx.preShift -= a;
        }
        ctx.extendInputChain(n.getOutput(0));
        ctx.define(n.getOutput(0), ctx.value(n, 1 - c));
        return true;
    }

    private static void activation(OnnxMl.NodeProto n, ImportContext ctx, String function, Map<String, Object> extra)
            throws ImportException {
        Value in = ctx.value(n, 0);
        String tensor = n.getInput(0);
        boolean fusable = !extra.containsKey("alpha")
                || Math.abs(((Number) extra.get("alpha")).doubleValue() - LEAKY_ALPHA_FUSED) < 1e-7;
        if (fusable && ctx.canFuseInto(tensor, in) && !ctx.pendingBias.containsKey(in.layer())) {
            var node = ctx.graph.node(in.layer());
            // The catalog says which layers carry an activation; a softmax only fuses over a vector's features.
            boolean takesActivation = node.type().params().stream()
                    .anyMatch(spec -> spec.name().equals("activation") && spec.choices().contains(function))
                    && "linear".equals(node.params().getString("activation"))
                    && !("softmax".equals(function) && !in.isVector());
            if (takesActivation) {
                ctx.setParam(in.layer(), "activation", function);
                ctx.markOwnOutput(in.layer(), n.getOutput(0));
                ctx.define(n.getOutput(0), in);
                return;
            }
        }
        Map<String, Object> params = new LinkedHashMap<>(extra);
        params.put("function", function);
        Value out = ctx.addLayer(n, Activation.ID, params, List.of(in));
        ctx.define(n.getOutput(0), new Value(out.layer(), out.shape(), in.dims()));
    }

    private static void leakyRelu(OnnxMl.NodeProto n, ImportContext ctx) throws ImportException {
        var a = ImportContext.attributes(n, Set.of("alpha"));
        double alpha = a.containsKey("alpha") ? a.get("alpha").getF() : 0.01;
        activation(n, ctx, "leaky_relu", Map.of("alpha", alpha));
    }

    private static void softmax(OnnxMl.NodeProto n, ImportContext ctx) throws ImportException {
        var a = ImportContext.attributes(n, Set.of("axis"));
        Value in = vector(n, ctx);
        long axis = a.containsKey("axis") ? a.get("axis").getI() : ctx.opset >= 13 ? -1 : 1;
        if (axis != 1 && axis != -1) {
            throw new ImportException(ImportContext.where(n) + " takes the softmax over axis " + axis
                    + "; Kiln's softmax runs over the features of a vector (axis 1).");
        }
        activation(n, ctx, "softmax", Map.of());
    }

    private static void pool(OnnxMl.NodeProto n, ImportContext ctx) throws ImportException {
        boolean max = "MaxPool".equals(n.getOpType());
        var a = ImportContext.attributes(n, max
                ? Set.of("kernel_shape", "strides", "pads", "dilations", "auto_pad", "ceil_mode", "storage_order")
                : Set.of("kernel_shape", "strides", "pads", "dilations", "auto_pad", "ceil_mode", "count_include_pad"));
        onlyFirstOutputUsed(n, ctx);
        Value in = image(n, ctx);
        if (!a.containsKey("kernel_shape")) throw new ImportException(ImportContext.where(n) + " has no kernel_shape; the file is damaged.");
        int k = square(n, a.get("kernel_shape").getIntsList(), "kernel");
        int s = square(n, a.containsKey("strides") ? a.get("strides").getIntsList() : List.of(1L, 1L), "strides");
        String padding = window(n, a, in.shape(), k, s);
        boolean countPad = a.containsKey("count_include_pad") && a.get("count_include_pad").getI() != 0;
        if (!max && countPad && "same".equals(padding)) {
            throw new ImportException(ImportContext.where(n) + " counts padded cells in its averages (count_include_pad); "
                    + "Kiln averages the real cells only. Use count_include_pad=False in the source model.");
        }
        Value out = ctx.addLayer(n, max ? MaxPool2D.ID : AvgPool2D.ID, Map.of("pool", k, "stride", s, "padding", padding),
                List.of(in));
        if (a.containsKey("ceil_mode") && a.get("ceil_mode").getI() != 0) {
            int[] pads = "same".equals(padding) ? Export.onnxPads(in.shape(), k, s, "same") : new int[4];
            long h = ceilDiv(in.shape().height() + pads[0] + pads[2] - k, s) + 1;
            long w = ceilDiv(in.shape().width() + pads[1] + pads[3] - k, s) + 1;
            if (h != out.shape().height() || w != out.shape().width()) {
                throw new ImportException(ImportContext.where(n) + " rounds its output size up (ceil_mode) to " + h + "×" + w
                        + "; Kiln's pooling gives " + out.shape().height() + "×" + out.shape().width() + ". Use ceil_mode=False.");
            }
        }
        ctx.define(n.getOutput(0), out);
    }

    private static long ceilDiv(long a, long b) {
        return -Math.floorDiv(-a, b);
    }

    private static void globalAverage(OnnxMl.NodeProto n, ImportContext ctx, Value in, boolean keepDims) throws ImportException {
        if (!in.isImage()) {
            throw new ImportException(ImportContext.where(n) + " averages " + Arrays.toString(in.dims())
                    + "; Kiln's GlobalAvgPool averages the height and width of an image.");
        }
        Value out = ctx.addLayer(n, GlobalAvgPool.ID, Map.of(), List.of(in));
        long c = in.shape().channels();
        ctx.define(n.getOutput(0), new Value(out.layer(), out.shape(), keepDims ? new long[] {1, c, 1, 1} : new long[] {1, c}));
    }

    /** ReduceMean over height and width (as Kiln's own ONNX export writes GlobalAvgPool). */
    private static void reduceMean(OnnxMl.NodeProto n, ImportContext ctx) throws ImportException {
        var a = ImportContext.attributes(n, Set.of("axes", "keepdims", "noop_with_empty_axes"));
        Value in = ctx.value(n, 0);
        long[] axes = a.containsKey("axes") ? a.get("axes").getIntsList().stream().mapToLong(Long::longValue).toArray()
                : n.getInputCount() > 1 && !n.getInput(1).isEmpty() ? ctx.longs(n, 1) : new long[0];
        long[] sorted = Arrays.stream(axes).map(x -> x < 0 ? x + in.dims().length : x).sorted().toArray();
        if (!Arrays.equals(sorted, new long[] {2, 3}) || !in.isImage()) {
            throw new ImportException(ImportContext.where(n) + " averages over axes " + Arrays.toString(axes) + " of "
                    + Arrays.toString(in.dims()) + "; Kiln averages only over the height and width of an image (axes 2, 3).");
        }
        globalAverage(n, ctx, in, !a.containsKey("keepdims") || a.get("keepdims").getI() != 0);
    }

    private static void batchNorm(OnnxMl.NodeProto n, ImportContext ctx) throws ImportException {
        var a = ImportContext.attributes(n, Set.of("epsilon", "momentum", "training_mode", "spatial"));
        if (a.containsKey("training_mode") && a.get("training_mode").getI() != 0) {
            throw new ImportException(ImportContext.where(n) + " is in training mode; export the model for inference (model.eval()).");
        }
        onlyFirstOutputUsed(n, ctx);
        Value in = ctx.value(n, 0);
        if (!in.isImage() && !in.isVector()) {
            throw new ImportException(ImportContext.where(n) + " normalises " + Arrays.toString(in.dims())
                    + "; Kiln's BatchNorm works on images and vectors.");
        }
        int c = in.shape().lastAxis();
        double eps = a.containsKey("epsilon") ? a.get("epsilon").getF() : 1e-5;
        double momentum = a.containsKey("momentum") ? a.get("momentum").getF() : 0.9;
        Value out = ctx.addLayer(n, BatchNorm.ID, Map.of("epsilon", eps, "momentum", momentum), List.of(in));
        String[] keys = {"weight", "bias", "running_mean", "running_var"};
        for (int i = 0; i < keys.length; i++) {
            float[] v = ctx.floats(n, i + 1);
            if (v.length != c) {
                throw new ImportException(ImportContext.where(n) + ": its " + keys[i] + " has " + v.length
                        + " values for " + c + " channels; the file is inconsistent.");
            }
            ctx.putWeight(out.layer(), keys[i], v);
        }
        ctx.define(n.getOutput(0), new Value(out.layer(), out.shape(), in.dims()));
    }

    private static void flatten(OnnxMl.NodeProto n, ImportContext ctx) throws ImportException {
        var a = ImportContext.attributes(n, Set.of("axis"));
        long axis = a.containsKey("axis") ? a.get("axis").getI() : 1;
        Value in = ctx.value(n, 0);
        if (axis != 1 && axis != 1 - in.dims().length) {
            throw new ImportException(ImportContext.where(n) + " flattens from axis " + axis
                    + "; Kiln's Flatten keeps the batch and flattens the rest (axis 1).");
        }
        toVector(n, ctx, in);
    }

    /** A Reshape to (batch, everything else), which is what Flatten does. */
    private static void reshape(OnnxMl.NodeProto n, ImportContext ctx) throws ImportException {
        ImportContext.attributes(n, Set.of("allowzero"));
        Value in = ctx.value(n, 0);
        long[] shape = ctx.longs(n, 1);
        long count = 1;
        for (long d : in.dims()) count *= d;
        boolean batchKept = shape.length == 2 && (shape[0] == 1 || shape[0] == -1 || shape[0] == 0);
        boolean flat = batchKept && (shape[1] == count || shape[1] == -1);
        if (!flat) {
            throw new ImportException(ImportContext.where(n) + " reshapes " + Arrays.toString(in.dims()) + " to "
                    + Arrays.toString(shape) + "; Kiln reshapes only to a flat vector per sample, (N, " + count + ").");
        }
        toVector(n, ctx, in);
    }

    private static void toVector(OnnxMl.NodeProto n, ImportContext ctx, Value in) throws ImportException {
        if (in.shape().kind() == TensorShape.Kind.VECTOR) {
            ctx.define(n.getOutput(0), new Value(in.layer(), in.shape(), new long[] {1, in.shape().size()}));
            return;
        }
        ctx.define(n.getOutput(0), ctx.addLayer(n, Flatten.ID, Map.of(), List.of(in)));
    }

    private static void concat(OnnxMl.NodeProto n, ImportContext ctx) throws ImportException {
        var a = ImportContext.attributes(n, Set.of("axis"));
        List<Value> ins = new ArrayList<>();
        for (int i = 0; i < n.getInputCount(); i++) ins.add(ctx.value(n, i));
        int rank = ins.get(0).dims().length;
        long axis = a.containsKey("axis") ? a.get("axis").getI() : 1;
        if (axis < 0) axis += rank;
        boolean allImages = ins.stream().allMatch(Value::isImage);
        boolean allVectors = ins.stream().allMatch(Value::isVector);
        if (axis != 1 || !(allImages || allVectors)) {
            throw new ImportException(ImportContext.where(n) + " joins along axis " + axis + "; Kiln's Concat joins images "
                    + "along their channels or vectors along their features (axis 1).");
        }
        if (ins.size() == 1) {
            alias(n, ctx, ins.get(0));
            return;
        }
        ctx.define(n.getOutput(0), ctx.addLayer(n, Concat.ID, Map.of(), ins));
    }
}
