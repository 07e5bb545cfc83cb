package kiln.engine.cli;

import kiln.engine.model.GraphAnalysis;
import kiln.engine.model.ModelSummary;
import kiln.engine.model.ShapeInference;
import kiln.engine.project.Project;
import picocli.CommandLine.Command;

import java.io.PrintWriter;
import java.nio.file.Path;

@Command(name = "summary", mixinStandardHelpOptions = true,
        description = "Print the model summary: each layer's output shape, parameters and inputs, with totals.")
final class SummaryCommand extends ProjectCommand {

    @Override
    int run(PrintWriter out, Path folder, Project p) {
        out.println("Model: " + p.name());
        out.print(ModelSummary.of(p.graph()).toText());
        GraphAnalysis a = ShapeInference.analyze(p.graph());
        if (!a.isValid()) {
            out.println();
            out.println("Problems:");
            a.problems().forEach(m -> out.println("  - " + m));
            return 1;
        }
        return 0;
    }
}
