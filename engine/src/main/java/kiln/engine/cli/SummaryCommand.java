package kiln.engine.cli;

import kiln.engine.model.GraphAnalysis;
import kiln.engine.model.ModelSummary;
import kiln.engine.model.ShapeInference;
import kiln.engine.project.Project;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.concurrent.Callable;

@Command(name = "summary", mixinStandardHelpOptions = true,
        description = "Print the model summary: each layer's output shape, parameters and inputs, with totals.")
final class SummaryCommand implements Callable<Integer> {

    @Parameters(paramLabel = "PROJECT", description = "Project folder (holding project.json).")
    Path project;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        Path folder = ProjectArgument.folder(project);
        Project p = ProjectArgument.load(folder);
        var out = spec.commandLine().getOut();
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
