package kiln.engine.cli;

import kiln.engine.eval.TrainedModel;
import kiln.engine.export.ExportException;
import kiln.engine.export.ExportFormat;
import kiln.engine.project.Project;
import kiln.engine.util.Progress;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Arrays;

@Command(name = "export", mixinStandardHelpOptions = true,
        description = {"Export a trained run to ONNX, PyTorch or Kiln's own format, or the training to PyTorch.",
                "onnx: one .onnx file; the preprocessing is folded in, so it takes raw pixels (NCHW);",
                "pytorch (a folder with model.py, weights.safetensors, evaluate.py and the test data);",
                "kiln (a project folder with the run, which Kiln opens and can train further) or",
                "pytorch-train (a folder with train.py, the prepared data and the settings, to train with PyTorch on",
                "one or several processes or GPUs; it starts from a new run's initial weights, or --run's)."})
final class ExportCommand extends ProjectCommand {

    @Option(names = "--format", required = true, paramLabel = "FORMAT", description = "onnx, pytorch, kiln or pytorch-train.")
    String format;

    @Option(names = "--out", required = true, paramLabel = "PATH",
            description = "The .onnx file, or the folder for pytorch and kiln (created; an earlier export there is replaced).")
    Path out;

    @Option(names = "--limit-train", paramLabel = "N", defaultValue = "0",
            description = "pytorch-train: train on the first N training samples only (default: all).")
    int limitTrain;

    @CommandLine.Mixin
    RunOptions runOptions = new RunOptions();

    @Override
    void checkOptions() {
        exportFormat();
    }

    @Override
    int run(PrintWriter w, Path folder, Project p) {
        ExportFormat f = exportFormat();
        checkLimitTrain(limitTrain);
        if (limitTrain > 0 && (f.needsTrainedRun() || runOptions.run != null)) {
            throw new KilnCommand.UserError("--limit-train is for --format pytorch-train; a trained run keeps its own data.");
        }
        TrainedModel model = f.needsTrainedRun() || runOptions.run != null ? runOptions.load(p, folder) : untrained(p, folder);
        try {
            f.export(model, out, Progress.NONE);
        } catch (ExportException e) {
            throw new KilnCommand.UserError(e.getMessage());
        }
        w.println("Exported " + p.name() + " (" + model.describe() + ") as " + f.description() + " to " + out.toAbsolutePath().normalize());
        w.flush();
        return 0;
    }

    private ExportFormat exportFormat() {
        return ExportFormat.find(format).orElseThrow(() -> new KilnCommand.UserError("--format is '" + format
                + "'; use one of " + String.join(", ", Arrays.stream(ExportFormat.values()).map(ExportFormat::id).toList()) + "."));
    }

    private TrainedModel untrained(Project p, Path folder) {
        try {
            return TrainedModel.untrained(p, folder, limitTrain, Progress.NONE);
        } catch (TrainedModel.UnavailableException e) {
            throw new KilnCommand.UserError(e.getMessage());
        }
    }
}
