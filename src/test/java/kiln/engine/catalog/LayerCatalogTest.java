package kiln.engine.catalog;

import com.fasterxml.jackson.databind.ObjectMapper;
import kiln.engine.catalog.Params;
import kiln.engine.params.ParamSpec;
import kiln.engine.shape.TensorShape;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static kiln.engine.shape.TensorShape.image;
import static kiln.engine.shape.TensorShape.sequence;
import static kiln.engine.shape.TensorShape.vector;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** One row per case: type, parameters, input shapes → output shape, parameters and multiply-adds by hand. */
class LayerCatalogTest {

    static Stream<Arguments> rows() {
        return Stream.of(
                row("input", Map.of(), List.of(), image(28, 28, 1), 0, 0),
                row("input", Map.of("kind", "vector", "size", 30), List.of(), vector(30), 0, 0),
                row("input", Map.of("kind", "sequence", "length", 50, "features", 1), List.of(), sequence(50, 1), 0, 0),
                row("dense", Map.of("units", 64), List.of(vector(576)), vector(64), 576 * 64 + 64, 576 * 64),
                row("flatten", Map.of(), List.of(image(3, 3, 64)), vector(576), 0, 0),
                row("flatten", Map.of(), List.of(sequence(10, 8)), vector(80), 0, 0),
                row("conv2d", Map.of("filters", 32), List.of(image(28, 28, 1)), image(26, 26, 32), 3 * 3 * 32 + 32, 26L * 26 * 32 * 9),
                row("conv2d", Map.of("filters", 16, "kernel", 5, "padding", "same"), List.of(image(32, 32, 3)),
                        image(32, 32, 16), 5 * 5 * 3 * 16 + 16, 32L * 32 * 16 * 25 * 3),
                row("conv2d", Map.of("filters", 8, "kernel", 3, "stride", 2), List.of(image(7, 7, 4)),
                        image(3, 3, 8), 3 * 3 * 4 * 8 + 8, 3L * 3 * 8 * 9 * 4),
                row("conv2d", Map.of("filters", 8, "kernel", 3, "stride", 2, "padding", "same"), List.of(image(7, 7, 4)),
                        image(4, 4, 8), 3 * 3 * 4 * 8 + 8, 4L * 4 * 8 * 9 * 4),
                row("maxpool2d", Map.of(), List.of(image(26, 26, 32)), image(13, 13, 32), 0, 0),
                row("maxpool2d", Map.of(), List.of(image(11, 11, 64)), image(5, 5, 64), 0, 0),
                row("maxpool2d", Map.of("padding", "same"), List.of(image(11, 11, 64)), image(6, 6, 64), 0, 0),
                row("avgpool2d", Map.of("pool", 3, "stride", 1), List.of(image(8, 8, 2)), image(6, 6, 2), 0, 0),
                row("global_avg_pool", Map.of(), List.of(image(8, 8, 64)), vector(64), 0, 0),
                row("global_avg_pool", Map.of(), List.of(sequence(20, 32)), vector(32), 0, 0),
                row("batch_norm", Map.of(), List.of(image(8, 8, 16)), image(8, 8, 16), 4 * 16, 8 * 8 * 16),
                row("batch_norm", Map.of(), List.of(vector(100)), vector(100), 400, 100),
                row("dropout", Map.of("rate", 0.25), List.of(vector(128)), vector(128), 0, 0),
                row("activation", Map.of("function", "tanh"), List.of(image(4, 4, 2)), image(4, 4, 2), 0, 0),
                row("add", Map.of(), List.of(image(8, 8, 16), image(8, 8, 16)), image(8, 8, 16), 0, 8 * 8 * 16),
                row("concat", Map.of(), List.of(image(8, 8, 16), image(8, 8, 32)), image(8, 8, 48), 0, 0),
                row("concat", Map.of(), List.of(vector(10), vector(5), vector(1)), vector(16), 0, 0),
                row("embedding", Map.of("vocabulary", 1000, "dimensions", 32), List.of(sequence(50, 1)),
                        sequence(50, 32), 1000 * 32, 0),
                row("lstm", Map.of("units", 64), List.of(sequence(50, 32)), vector(64), 4 * 64 * (32 + 64 + 1),
                        50L * 4 * 64 * (32 + 64)),
                row("lstm", Map.of("units", 16, "returnSequences", true), List.of(sequence(10, 8)), sequence(10, 16),
                        4 * 16 * (8 + 16 + 1), 10L * 4 * 16 * (8 + 16)),
                row("output", Map.of("units", 10), List.of(vector(64)), vector(10), 64 * 10 + 10, 640),
                row("output", Map.of("units", 1, "loss", "sigmoid_binary_cross_entropy"), List.of(vector(30)),
                        vector(1), 31, 30));
    }

    private static Arguments row(String type, Map<String, Object> params, List<TensorShape> in, TensorShape out,
                                 long paramCount, long macs) {
        return Arguments.of(type, params, in, out, paramCount, macs);
    }

    @ParameterizedTest(name = "{0} {1} {2} → {3}")
    @MethodSource("rows")
    void shapeParametersAndMultiplyAdds(String typeId, Map<String, Object> raw, List<TensorShape> in,
                                        TensorShape expected, long params, long macs) throws Exception {
        LayerType type = LayerCatalog.get(typeId);
        Params p = Params.of(type, raw);

        ShapeResult r = type.outputShape(in, p);

        assertEquals(new ShapeResult.Ok(expected), r);
        assertEquals(params, type.paramCount(in, p), "parameter count");
        assertEquals(macs, type.multiplyAdds(in, p, expected), "multiply-adds");
    }

    @Test
    void everyCatalogEntryHasARow() {
        Set<String> covered = new HashSet<>();
        rows().forEach(a -> covered.add((String) a.get()[0]));
        for (LayerType t : LayerCatalog.all()) assertTrue(covered.contains(t.id()), "no table row for " + t.id());
        assertEquals(15, LayerCatalog.all().size());
    }

    @Test
    void everyEntryIsDescribedForStudents() throws Exception {
        Set<String> ids = new HashSet<>();
        for (LayerType t : LayerCatalog.all()) {
            assertTrue(ids.add(t.id()), "duplicate id " + t.id());
            long sentences = t.explanation().split("(?<=[.!?])\\s+").length;
            assertTrue(sentences >= 2 && sentences <= 4, t.id() + " explanation has " + sentences + " sentences");
            assertFalse(t.shapeFormula().isBlank(), t.id());
            assertFalse(t.paramCountFormula().isBlank(), t.id());
            for (ParamSpec s : t.params()) {
                assertFalse(s.help().isBlank(), t.id() + "." + s.name() + " has no help");
                assertEquals(s.defaultValue(), s.coerce(s.defaultValue()), t.id() + "." + s.name() + " default is allowed");
            }
        }
    }

    @Test
    void parametersSurviveAJsonRoundTrip() throws Exception {
        ObjectMapper json = new ObjectMapper();
        for (LayerType t : LayerCatalog.all()) {
            Params p = Params.defaults(t);
            @SuppressWarnings("unchecked")
            Map<String, Object> back = json.readValue(json.writeValueAsString(p.asMap()), Map.class);
            assertEquals(p, Params.of(t, back), t.id());
        }
    }

    @Test
    void outOfRangeAndUnknownParametersAreRefusedWithTheReason() {
        LayerType conv = LayerCatalog.get("conv2d");
        var e = org.junit.jupiter.api.Assertions.assertThrows(ParamSpec.InvalidParamException.class,
                () -> Params.of(conv, Map.of("kernel", 0)));
        assertEquals("Kernel size is 0; use a whole number from 1 to 15", e.getMessage());
        e = org.junit.jupiter.api.Assertions.assertThrows(ParamSpec.InvalidParamException.class,
                () -> Params.of(conv, Map.of("padding", "full")));
        assertEquals("Padding is 'full'; use one of valid, same", e.getMessage());
        e = org.junit.jupiter.api.Assertions.assertThrows(ParamSpec.InvalidParamException.class,
                () -> Params.of(conv, Map.of("kernal", 3)));
        assertTrue(e.getMessage().startsWith("Conv2D has no parameter 'kernal'"), e.getMessage());
        try {
            Params.of(LayerCatalog.get("dropout"), Map.of("rate", 1.5));
            fail("rate 1.5 accepted");
        } catch (ParamSpec.InvalidParamException ok) {
            assertEquals("Rate is 1.5; use a number from 0 to 0.95", ok.getMessage());
        }
    }
}
