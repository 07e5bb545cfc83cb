package kiln.engine.catalog;

import kiln.engine.params.ParamSpec;
import kiln.engine.shape.TensorShape;

import java.util.List;

/** Embedding and LSTM, the layers of sequences: no export writes them yet, each for its own reason. */
abstract class SequenceLayer extends LayerType {

    private final String whyNotExported;
    private final String exportFix;

    SequenceLayer(String id, String displayName, List<ParamSpec> params, String whyNotExported, String exportFix,
                  String explanation) {
        super(id, displayName, Category.RECURRENT, params, explanation);
        this.whyNotExported = whyNotExported;
        this.exportFix = exportFix;
    }

    @Override
    public final String toOnnx(OnnxGraph g, List<TensorShape> inputs, Params p) throws UnsupportedExportException {
        throw notExportable("ONNX");
    }

    @Override
    public final String toPyTorch(TorchModule m, List<TensorShape> inputs, Params p) throws UnsupportedExportException {
        throw notExportable("PyTorch");
    }

    private UnsupportedExportException notExportable(String format) {
        return new UnsupportedExportException(displayName() + " cannot be exported to " + format + " yet ("
                + whyNotExported + "); " + exportFix);
    }
}
