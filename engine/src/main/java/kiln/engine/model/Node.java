package kiln.engine.model;

import kiln.engine.catalog.LayerCatalog;
import kiln.engine.catalog.LayerType;
import kiln.engine.catalog.Params;
import kiln.engine.nn.LayerTraining;

/**
 * One layer on the canvas. Immutable: edits replace the node in its graph.
 * @param name        unique within the graph; also the prefix of its weights' names (conv1.weight) and its name in exports
 * @param training    frozen or not, and its learning-rate multiplier
 * @param weightsFrom the trained model its weights start from ("../mnist-cnn:run-2", relative to the project
 *                    folder), or null for a new layer that starts from random weights
 */
public record Node(String name, String typeId, Params params, double x, double y, LayerTraining training,
                   String weightsFrom) {

    public Node {
        if (training == null) training = LayerTraining.DEFAULT;
        if (weightsFrom != null && weightsFrom.isBlank()) weightsFrom = null;
    }

    /** A new layer that trains normally and starts from random weights. */
    public Node(String name, String typeId, Params params, double x, double y) {
        this(name, typeId, params, x, y, LayerTraining.DEFAULT, null);
    }

    public LayerType type() {
        return LayerCatalog.get(typeId);
    }

    public boolean trainable() {
        return training.trainable();
    }

    public boolean pretrained() {
        return weightsFrom != null;
    }

    public Node withParams(Params newParams) {
        return new Node(name, typeId, newParams, x, y, training, weightsFrom);
    }

    public Node withPosition(double newX, double newY) {
        return new Node(name, typeId, params, newX, newY, training, weightsFrom);
    }

    public Node withName(String newName) {
        return new Node(newName, typeId, params, x, y, training, weightsFrom);
    }

    public Node withTraining(LayerTraining newTraining) {
        return new Node(name, typeId, params, x, y, newTraining, weightsFrom);
    }

    public Node withWeightsFrom(String source) {
        return new Node(name, typeId, params, x, y, training, source);
    }
}
