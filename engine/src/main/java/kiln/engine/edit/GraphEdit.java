package kiln.engine.edit;

import kiln.engine.model.ModelGraph;

import java.util.function.Consumer;

/**
 * One undoable change to a model graph. The change is worked out on a copy when the command is built, so a
 * change that cannot be made is refused (IllegalArgumentException with the reason) before anything happens,
 * and execute/undo only swap the graph's contents between the two states. Layers are immutable records, so
 * the copies share them and stay small.
 */
public final class GraphEdit implements Command {

    private final String description;
    private final ModelGraph graph;
    private final ModelGraph before;
    private final ModelGraph after;

    /**
     * @param change applied to a copy of the graph; throws IllegalArgumentException with a message for the user
     *               when the edit is not possible
     */
    public GraphEdit(String description, ModelGraph graph, Consumer<ModelGraph> change) {
        this.description = description;
        this.graph = graph;
        this.before = graph.copy();
        this.after = graph.copy();
        change.accept(after);
    }

    @Override
    public String description() {
        return description;
    }

    @Override
    public void execute() {
        graph.setContents(after);
    }

    @Override
    public void undo() {
        graph.setContents(before);
    }

    @Override
    public boolean isNoOp() {
        return before.sameContents(after);
    }

    /** The graph as it will be after this edit (read-only use: tests and previews). */
    public ModelGraph result() {
        return after.copy();
    }
}
