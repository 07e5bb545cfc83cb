package kiln.engine.catalog;

import kiln.engine.nn.LayerBuilder;
import kiln.engine.nn.LossKind;
import kiln.engine.nn.Tensor;
import kiln.engine.params.ParamSpec;
import kiln.engine.shape.TensorShape;

import java.util.List;

/**
 * The single description of one kind of layer. Everything else (palette, inspector, canvas subtitles,
 * model summary, training, export, documentation) reads layer facts from here.
 */
public abstract class LayerType {

    private final String id;
    private final String displayName;
    private final Category category;
    private final String explanation;
    private final List<ParamSpec> params;

    protected LayerType(String id, String displayName, Category category, List<ParamSpec> params, String explanation) {
        this.id = id;
        this.displayName = displayName;
        this.category = category;
        this.explanation = explanation;
        this.params = List.copyOf(params);
    }

    /** Stable id written to project files, e.g. "conv2d". */
    public final String id() { return id; }

    public final String displayName() { return displayName; }

    public final Category category() { return category; }

    public final List<ParamSpec> params() { return params; }

    public final ParamSpec param(String name) {
        return params.stream().filter(p -> p.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException(displayName + " has no parameter " + name));
    }

    /** Fewest inputs this layer needs (0 for Input). */
    public int minInputs() { return 1; }

    /** Most inputs this layer takes (Integer.MAX_VALUE for merges). */
    public int maxInputs() { return 1; }

    /** Whether a parameter matters for the current values (e.g. "alpha" only for leaky ReLU). */
    public boolean isRelevant(String paramName, Params values) { return true; }

    /** Two to four sentences for a student: what the layer does and when to use it. */
    public final String explanation() { return explanation; }

    /** The output-shape rule in words and symbols, for the inspector and the layer reference. */
    public abstract String shapeFormula();

    /** How the parameter count is computed, for the inspector and the layer reference; "0" as {@link #paramCount}. */
    public String paramCountFormula() { return "0"; }

    /**
     * The pure output-shape rule. Called only with the right number of inputs, each with a known shape.
     */
    public abstract ShapeResult outputShape(List<TensorShape> inputs, Params p);

    /** Number of weights (trainable and running statistics), given valid inputs. */
    public long paramCount(List<TensorShape> inputs, Params p) { return 0; }

    /** The part of {@link #paramCount} that is not learned by gradient descent (BatchNorm's running statistics). */
    public long nonTrainableParamCount(List<TensorShape> inputs, Params p) { return 0; }

    /** Whether the layer keeps running statistics that training updates apart from gradients (BatchNorm). */
    public boolean keepsRunningStatistics() { return false; }

    /** Multiply-add operations for one sample's forward pass, given valid inputs and the output. */
    public long multiplyAdds(List<TensorShape> inputs, Params p, TensorShape output) { return 0; }

    /** Short non-default summary for the canvas subtitle, e.g. "32 filters, 3×3"; none for layers without settings. */
    public String subtitle(Params p) { return ""; }

    /**
     * Builds this layer from the engine's primitives, given valid inputs, and returns its output. Parameters are
     * named as the PyTorch export's state_dict names them ("weight", "bias", "running_mean", ...).
     */
    public abstract Tensor build(LayerBuilder b, List<Tensor> inputs, List<TensorShape> shapes, Params p);

    /** What this layer is to a network: where data enters, a hidden layer, or the output that is scored. */
    public enum Role { INPUT, HIDDEN, OUTPUT }

    public Role role() { return Role.HIDDEN; }

    /** Whether other layers can take this layer's output: not the Output's, which ends the network. */
    public final boolean hasOutputPort() { return role() != Role.OUTPUT; }

    /** How an output layer's predictions are scored (only for {@link Role#OUTPUT}). */
    public LossKind lossKind(Params p) {
        throw new UnsupportedOperationException(displayName + " is not an output layer");
    }

    /**
     * Adds this layer's ONNX operators (opset 13, inference form) and returns its output tensor's name.
     * @throws UnsupportedExportException when ONNX cannot express the layer, saying why and what to use instead
     */
    public abstract String toOnnx(OnnxGraph g, List<TensorShape> inputs, Params p) throws UnsupportedExportException;

    /**
     * Declares this layer in a PyTorch nn.Module and returns the Python expression of its output in forward().
     * @throws UnsupportedExportException when the layer cannot be written as PyTorch code
     */
    public abstract String toPyTorch(TorchModule m, List<TensorShape> inputs, Params p) throws UnsupportedExportException;

    @Override
    public String toString() {
        return id;
    }
}
