package kiln.engine.export;

import kiln.engine.eval.TrainedModel;
import kiln.engine.util.Progress;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/** The formats a trained network exports to, as offered by File → Export and the command line. */
public enum ExportFormat {
    ONNX("onnx", "ONNX model (.onnx)", "model.onnx", false),
    PYTORCH("pytorch", "PyTorch code and weights (folder)", "pytorch-model", true),
    KILN("kiln", "Kiln project with the trained run (folder)", "kiln-export", true),
    PYTORCH_TRAIN("pytorch-train", "PyTorch training folder (train.py, data, settings)", "pytorch-training", true);

    private final String id;
    private final String description;
    private final String defaultName;
    private final boolean folder;

    ExportFormat(String id, String description, String defaultName, boolean folder) {
        this.id = id;
        this.description = description;
        this.defaultName = defaultName;
        this.folder = folder;
    }

    public String id() { return id; }
    public String description() { return description; }
    /** A file or folder name to suggest. */
    public String defaultName() { return defaultName; }
    /** Whether the export is a folder rather than one file. */
    public boolean isFolder() { return folder; }
    /** Whether it exports a trained run; a training folder starts from a new run's initial weights instead. */
    public boolean needsTrainedRun() { return this != PYTORCH_TRAIN; }

    public static Optional<ExportFormat> find(String id) {
        for (ExportFormat f : values()) if (f.id.equals(id.toLowerCase(Locale.ROOT))) return Optional.of(f);
        return Optional.empty();
    }

    /** Writes the export; nothing is left at {@code target} when it fails. */
    public void export(TrainedModel model, Path target, Progress progress) throws ExportException {
        switch (this) {
            case ONNX -> OnnxExporter.export(model, target, progress);
            case PYTORCH -> PyTorchExporter.export(model, target, progress);
            case KILN -> KilnExporter.export(model, target, progress);
            case PYTORCH_TRAIN -> PyTorchTrainExporter.export(model, target, progress);
        }
    }

    @Override
    public String toString() {
        return description;
    }
}
