package kiln.engine.catalog;

import kiln.engine.catalog.AvgPool2D;
import kiln.engine.catalog.Conv2D;
import kiln.engine.catalog.MaxPool2D;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Every layer type Kiln knows, in palette order. Adding a layer type means adding one entry here. */
public final class LayerCatalog {

    private static final List<LayerType> ALL = List.of(
            new Input(), new Dense(), new Flatten(),
            new Conv2D(), new MaxPool2D(), new AvgPool2D(), new GlobalAvgPool(),
            new BatchNorm(), new Dropout(), new Activation(),
            new Add(), new Concat(),
            new Embedding(), new Lstm(),
            new Output());

    private static final Map<String, LayerType> BY_ID = new LinkedHashMap<>();

    static {
        for (LayerType t : ALL) {
            if (BY_ID.put(t.id(), t) != null) throw new IllegalStateException("duplicate layer id " + t.id());
        }
    }

    private LayerCatalog() { }

    public static List<LayerType> all() {
        return ALL;
    }

    public static Optional<LayerType> find(String id) {
        return Optional.ofNullable(BY_ID.get(id));
    }

    public static LayerType get(String id) {
        return find(id).orElseThrow(() -> new IllegalArgumentException("unknown layer type '" + id
                + "'; known types: " + String.join(", ", BY_ID.keySet())));
    }
}
