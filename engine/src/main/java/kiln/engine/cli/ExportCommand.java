package kiln.engine.cli;

import kiln.engine.eval.TrainedModel;
import kiln.engine.export.ExportException;
import kiln.engine.export.ExportFormat;
import kiln.engine.project.Project;
import kiln.engine.util.Progress;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.Callable;

@Command(name = "export", mixinStandardHelpOptions = true,
        description = {"Export a trained run to ONNX, PyTorch or Kiln's own format.",
                "onnx: one .onnx file; the preprocessing is folded in, so it takes raw pixels (NCHW);",
                "pytorch (a folder with model.py, weights.npz, evaluate.py and the test data) or",
                "kiln (a project folder with the run, which Kiln opens and can train further)."})
final class ExportCommand implements Callable<Integer> {

    @Parameters(paramLabel = "PROJECT", description = "Project folder (holding project.json).")
    Path project;

    @Option(names = "--format", required = true, paramLabel = "FORMAT", description = "onnx, pytorch or kiln.")
    String format;

    @Option(names = "--out", required = true, paramLabel = "PATH",
            description = "The .onnx file, or the folder for pytorch and kiln (created; an earlier export there is replaced).")
    Path out;

    @CommandLine.Mixin
    RunOptions runOptions = new RunOptions();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter w = spec.commandLine().getOut();
        ExportFormat f = ExportFormat.find(format).orElseThrow(() -> new KilnCommand.UserError("--format is '" + format
                + "'; use one of " + String.join(", ", Arrays.stream(ExportFormat.values()).map(ExportFormat::id).toList()) + "."));
        Path folder = ProjectArgument.folder(project);
        Project p = ProjectArgument.load(folder);
        TrainedModel model = runOptions.load(p, folder);
        try {
            f.export(model, out, Progress.NONE);
        } catch (ExportException e) {
            throw new KilnCommand.UserError(e.getMessage());
        }
        w.println("Exported " + p.name() + " (" + model.describe() + ") as " + f.description() + " to " + out.toAbsolutePath().normalize());
        w.flush();
        return 0;
    }
}
