package kiln.app.data;

import kiln.engine.catalog.Params;
import kiln.engine.edit.Command;
import kiln.engine.model.ModelGraph;
import kiln.engine.model.Node;
import kiln.engine.params.ParamSpec;
import kiln.engine.shape.TensorShape;

import java.util.LinkedHashMap;
import java.util.Map;

/** Sets an Input node's declared shape to what the data pipeline gives. */
final class SetInputShape implements Command {

    private final ModelGraph graph;
    private final Node before;
    private final Node after;

    SetInputShape(ModelGraph graph, Node input, TensorShape shape) {
        this.graph = graph;
        this.before = input;
        Map<String, Object> m = new LinkedHashMap<>(input.params().asMap());
        switch (shape.kind()) {
            case IMAGE -> {
                m.put("kind", "image");
                m.put("height", shape.height());
                m.put("width", shape.width());
                m.put("channels", shape.channels());
            }
            case VECTOR -> {
                m.put("kind", "vector");
                m.put("size", shape.size());
            }
            case SEQUENCE -> {
                m.put("kind", "sequence");
                m.put("length", shape.length());
                m.put("features", shape.features());
            }
        }
        try {
            this.after = input.withParams(Params.of(input.type(), m));
        } catch (ParamSpec.InvalidParamException e) {
            throw new IllegalArgumentException("The Input cannot take " + shape + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String description() {
        return "Set " + before.name() + " to the data's shape";
    }

    @Override
    public void execute() {
        graph.replace(after);
    }

    @Override
    public void undo() {
        graph.replace(before);
    }

    @Override
    public boolean isNoOp() {
        return before.equals(after);
    }
}
