package kiln.engine.train;

import kiln.engine.catalog.LayerCatalog;
import kiln.engine.catalog.LayerType;
import kiln.engine.catalog.Params;
import kiln.engine.model.Edge;
import kiln.engine.model.ModelGraph;
import kiln.engine.params.ParamSpec;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The three networks of the PyTorch throughput reference (docs/performance.md), layer for layer, so that
 * Kiln's throughput is compared with PyTorch's on the same work.
 */
public final class BenchmarkNetworks {

    public static final List<String> NAMES = List.of("lenet", "keras", "mlp");

    private BenchmarkNetworks() { }

    public static Optional<ModelGraph> get(String name) {
        return Optional.ofNullable(switch (name) {
            case "lenet" -> chain(
                    layer("input", "input", Map.of()),
                    layer("conv1", "conv2d", Map.of("filters", 6, "kernel", 5)),
                    layer("pool1", "maxpool2d", Map.of()),
                    layer("conv2", "conv2d", Map.of("filters", 16, "kernel", 5)),
                    layer("pool2", "maxpool2d", Map.of()),
                    layer("flatten", "flatten", Map.of()),
                    layer("dense1", "dense", Map.of("units", 120)),
                    layer("dense2", "dense", Map.of("units", 84)),
                    layer("output", "output", Map.of("units", 10)));
            case "keras" -> chain(
                    layer("input", "input", Map.of()),
                    layer("conv1", "conv2d", Map.of("filters", 32)),
                    layer("pool1", "maxpool2d", Map.of()),
                    layer("conv2", "conv2d", Map.of("filters", 64)),
                    layer("pool2", "maxpool2d", Map.of()),
                    layer("conv3", "conv2d", Map.of("filters", 64)),
                    layer("flatten", "flatten", Map.of()),
                    layer("dense1", "dense", Map.of("units", 64)),
                    layer("output", "output", Map.of("units", 10)));
            // The reference reshapes images to 784 before timing; here Flatten does it (a reshape, no arithmetic).
            case "mlp" -> chain(
                    layer("input", "input", Map.of()),
                    layer("flatten", "flatten", Map.of()),
                    layer("dense1", "dense", Map.of("units", 256)),
                    layer("dense2", "dense", Map.of("units", 128)),
                    layer("output", "output", Map.of("units", 10)));
            default -> null;
        });
    }

    private record Layer(String name, String type, Map<String, Object> params) { }

    private static Layer layer(String name, String type, Map<String, Object> params) {
        return new Layer(name, type, params);
    }

    private static ModelGraph chain(Layer... layers) {
        ModelGraph g = new ModelGraph();
        String previous = null;
        double x = 40;
        for (Layer l : layers) {
            LayerType type = LayerCatalog.get(l.type());
            try {
                g.add(l.name(), type, Params.of(type, l.params()), x, 0);
            } catch (ParamSpec.InvalidParamException e) {
                throw new IllegalStateException(e);
            }
            if (previous != null) g.connect(new Edge(previous, l.name(), 0));
            previous = l.name();
            x += 220;
        }
        return g;
    }
}
