package kiln.engine.model;

import kiln.engine.catalog.LayerCatalog;
import kiln.engine.catalog.LayerType;
import kiln.engine.catalog.Params;

import java.util.Map;

/** Builds test graphs in a line: chain("input", ...) connects each layer to the previous one. */
public final class Graphs {

    private final ModelGraph graph = new ModelGraph();
    private String last;

    public static Graphs start() {
        return new Graphs();
    }

    /** Adds a layer connected to the previous one (port 0). */
    public Graphs then(String name, String type, Map<String, Object> params) {
        add(name, type, params);
        if (last != null) graph.connect(new Edge(last, name, 0));
        last = name;
        return this;
    }

    /** Adds a layer with no connection. */
    public Graphs add(String name, String type, Map<String, Object> params) {
        LayerType t = LayerCatalog.get(type);
        try {
            graph.add(name, t, Params.of(t, params), 0, 0);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
        return this;
    }

    public Graphs connect(String from, String to, int port) {
        graph.connect(new Edge(from, to, port));
        return this;
    }

    /** Continue the chain from a named layer. */
    public Graphs from(String name) {
        last = name;
        return this;
    }

    public ModelGraph build() {
        return graph;
    }

    /** The Keras MNIST example network. */
    public static ModelGraph kerasMnist() {
        return start().then("input", "input", Map.of())
                .then("conv1", "conv2d", Map.of("filters", 32)).then("pool1", "maxpool2d", Map.of())
                .then("conv2", "conv2d", Map.of("filters", 64)).then("pool2", "maxpool2d", Map.of())
                .then("conv3", "conv2d", Map.of("filters", 64)).then("flatten", "flatten", Map.of())
                .then("dense1", "dense", Map.of("units", 64)).then("output", "output", Map.of("units", 10)).build();
    }
}
