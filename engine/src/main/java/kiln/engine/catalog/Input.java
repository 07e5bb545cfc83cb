package kiln.engine.catalog;

import kiln.engine.nn.LayerBuilder;
import kiln.engine.nn.Tensor;
import kiln.engine.params.ParamSpec;
import kiln.engine.shape.TensorShape;

import java.util.List;
import java.util.Set;

public final class Input extends LayerType {

    public static final String ID = "input";

    public Input() {
        super(ID, "Input", Category.INPUT, List.of(
                ParamSpec.choice("kind", "Kind", "image", List.of("image", "vector", "sequence"),
                        "What one sample is: an image (height×width×channels), a flat vector of numbers, "
                                + "or a sequence of steps each with some features."),
                ParamSpec.integer("height", "Height", 28, 1, 4096, "Image height in pixels."),
                ParamSpec.integer("width", "Width", 28, 1, 4096, "Image width in pixels."),
                ParamSpec.integer("channels", "Channels", 1, 1, 64, "1 for grey images, 3 for colour (RGB)."),
                ParamSpec.integer("size", "Size", 784, 1, 10_000_000, "Number of values in one vector sample."),
                ParamSpec.integer("length", "Length", 20, 1, 100_000, "Number of time steps in a sequence."),
                ParamSpec.integer("features", "Features", 1, 1, 100_000,
                        "Values per time step (1 for a sequence of token ids feeding an Embedding).")),
                "Where data enters the network. Its shape is the shape of one sample after the data pipeline: "
                        + "28×28×1 for an MNIST digit, 32×32×3 for a CIFAR-10 photo, or the number of columns of a table. "
                        + "Every network starts with one.");
    }

    @Override public int minInputs() { return 0; }
    @Override public int maxInputs() { return 0; }

    @Override
    public boolean isRelevant(String paramName, Params values) {
        return switch (values.getString("kind")) {
            case "image" -> Set.of("kind", "height", "width", "channels").contains(paramName);
            case "vector" -> Set.of("kind", "size").contains(paramName);
            default -> Set.of("kind", "length", "features").contains(paramName);
        };
    }

    public static TensorShape shapeOf(Params p) {
        return switch (p.getString("kind")) {
            case "image" -> TensorShape.image(p.getInt("height"), p.getInt("width"), p.getInt("channels"));
            case "vector" -> TensorShape.vector(p.getInt("size"));
            default -> TensorShape.sequence(p.getInt("length"), p.getInt("features"));
        };
    }

    @Override public String shapeFormula() { return "output = the declared sample shape"; }

    @Override
    public ShapeResult outputShape(List<TensorShape> inputs, Params p) {
        return ShapeResult.ok(shapeOf(p));
    }

    @Override
    public String subtitle(Params p) {
        return shapeOf(p).toString();
    }

    @Override
    public Role role() { return Role.INPUT; }

    @Override
    public Tensor build(LayerBuilder b, List<Tensor> inputs, List<TensorShape> shapes, Params p) {
        return b.networkInput(EngineShapes.of(shapeOf(p)));
    }

    /** The network input arrives as this layer's one input (after preprocessing, when that is folded in). */
    @Override
    public String toOnnx(OnnxGraph g, List<TensorShape> inputs, Params p) {
        return g.inputs().get(0);
    }

    @Override
    public String toPyTorch(TorchModule m, List<TensorShape> inputs, Params p) {
        return m.inputs().get(0);
    }
}
