package kiln.engine.cli;

import kiln.engine.importer.ImportException;
import kiln.engine.importer.OnnxImporter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

@Command(name = "import", mixinStandardHelpOptions = true,
        description = {"Import an ONNX model (opset 11-18) as a Kiln project, its weights saved as run-1.",
                "Every operator must map to a Kiln layer (see docs/import.md); otherwise nothing is written."})
final class ImportCommand implements Callable<Integer> {

    @Parameters(paramLabel = "MODEL", description = "The .onnx file.")
    Path model;

    @Option(names = "--out", required = true, paramLabel = "FOLDER",
            description = "The new project folder (created; it must not exist or be empty).")
    Path out;

    @Option(names = "--data", paramLabel = "DATA", description = "The project's data: a sample (mnist-cnn), a bundled "
            + "data set (mnist, fashion-mnist, breast-cancer) or a CSV file or image folder. Default: mnist.")
    String data;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter w = spec.commandLine().getOut();
        try {
            OnnxImporter.DataChoice choice = data == null ? OnnxImporter.DataChoice.defaults()
                    : OnnxImporter.DataChoice.named(data);
            OnnxImporter.Imported imported = OnnxImporter.convert(model, choice);
            OnnxImporter.write(imported, out);
            w.println("Imported " + imported.source() + " as the project " + imported.project().name() + " in "
                    + out.toAbsolutePath().normalize() + ": " + imported.project().graph().nodes().size() + " layers, "
                    + String.format(java.util.Locale.ROOT, "%,d", imported.parameterCount()) + " parameters, weights in "
                    + OnnxImporter.RUN + ".");
            imported.notes().forEach(n -> w.println("  " + n));
        } catch (ImportException e) {
            throw new KilnCommand.UserError(e.getMessage());
        }
        w.flush();
        return 0;
    }
}
