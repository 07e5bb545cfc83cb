package kiln.engine.model;

import kiln.engine.catalog.LayerCatalog;
import kiln.engine.catalog.LayerType;
import kiln.engine.catalog.Params;

/**
 * One layer on the canvas. Immutable: edits replace the node in its graph.
 * @param name unique within the graph; also the prefix of its weights' names (conv1.weight) and its name in exports
 */
public record Node(String name, String typeId, Params params, double x, double y) {

    public LayerType type() {
        return LayerCatalog.get(typeId);
    }

    public Node withParams(Params newParams) {
        return new Node(name, typeId, newParams, x, y);
    }

    public Node withPosition(double newX, double newY) {
        return new Node(name, typeId, params, newX, newY);
    }

    public Node withName(String newName) {
        return new Node(newName, typeId, params, x, y);
    }
}
