package kiln.engine.export;

import ai.onnx.proto.OnnxMl;
import org.tribuo.util.onnx.ONNXAttribute;
import org.tribuo.util.onnx.ONNXOperator;
import org.tribuo.util.onnx.ONNXOperators;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** The opset-13 operators the layer catalog needs that Tribuo's {@link ONNXOperators} does not define. */
enum KilnOnnxOperators implements ONNXOperator {
    CONV("Conv", 2, 1, ints("kernel_shape"), ints("strides"), ints("pads"), ints("dilations"), integer("group")),
    MAX_POOL("MaxPool", 1, 0, ints("kernel_shape"), ints("strides"), ints("pads")),
    AVERAGE_POOL("AveragePool", 1, 0, ints("kernel_shape"), ints("strides"), ints("pads"), integer("count_include_pad")),
    FLATTEN("Flatten", 1, 0, integer("axis")),
    BATCH_NORMALIZATION("BatchNormalization", 5, 0, real("epsilon"), real("momentum")),
    RELU("Relu", 1, 0),
    LEAKY_RELU("LeakyRelu", 1, 0, real("alpha")),
    TANH("Tanh", 1, 0);

    static final int OPSET = 13;

    private final String opName;
    private final int inputs;
    private final int optionalInputs;
    private final Map<String, ONNXAttribute> attributes;

    KilnOnnxOperators(String opName, int inputs, int optionalInputs, ONNXAttribute... attributes) {
        this.opName = opName;
        this.inputs = inputs;
        this.optionalInputs = optionalInputs;
        Map<String, ONNXAttribute> m = new LinkedHashMap<>();
        for (ONNXAttribute a : attributes) m.put(a.getName(), a);
        this.attributes = Map.copyOf(m);
    }

    private static ONNXAttribute ints(String name) {
        return new ONNXAttribute(name, OnnxMl.AttributeProto.AttributeType.INTS, false);
    }

    private static ONNXAttribute integer(String name) {
        return new ONNXAttribute(name, OnnxMl.AttributeProto.AttributeType.INT, false);
    }

    private static ONNXAttribute real(String name) {
        return new ONNXAttribute(name, OnnxMl.AttributeProto.AttributeType.FLOAT, false);
    }

    @Override public String getOpName() { return opName; }
    @Override public int getNumInputs() { return inputs; }
    @Override public int getNumOptionalInputs() { return optionalInputs; }
    @Override public int getNumOutputs() { return 1; }
    @Override public Map<String, ONNXAttribute> getAttributes() { return attributes; }
    @Override public Set<String> getMandatoryAttributeNames() { return Set.of(); }
    @Override public int getOpVersion() { return OPSET; }
    @Override public String getOpDomain() { return ""; }

    /** Every operator an exported Kiln network may use, by ONNX op type: Tribuo's own first, then these. */
    static Map<String, ONNXOperator> byName() {
        return Stream.concat(Arrays.stream(ONNXOperators.values()).filter(o -> !"ai.onnx.ml".equals(o.getOpDomain())),
                        Arrays.stream(values()))
                .collect(Collectors.toMap(ONNXOperator::getOpName, o -> o, (a, b) -> a, LinkedHashMap::new));
    }
}
