package kiln.engine.catalog;

import kiln.engine.catalog.Params;
import kiln.engine.shape.TensorShape;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Layers that an export format cannot express say so, naming the layer type and what to do instead. */
class ExportMappingTest {

    @Test
    void lstmAndEmbeddingRefuseBothFormatsWithAReason() {
        for (String id : List.of("lstm", "embedding")) {
            LayerType t = LayerCatalog.get(id);
            TensorShape in = TensorShape.sequence(20, id.equals("lstm") ? 8 : 1);
            UnsupportedExportException onnx = assertThrows(UnsupportedExportException.class,
                    () -> t.toOnnx(null, List.of(in), Params.defaults(t)));
            assertTrue(onnx.getMessage().startsWith(t.displayName() + " cannot be exported to ONNX yet"), onnx.getMessage());
            UnsupportedExportException torch = assertThrows(UnsupportedExportException.class,
                    () -> t.toPyTorch(null, List.of(in), Params.defaults(t)));
            assertTrue(torch.getMessage().startsWith(t.displayName() + " cannot be exported to PyTorch yet"), torch.getMessage());
        }
    }
}
