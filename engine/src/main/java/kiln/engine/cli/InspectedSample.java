package kiln.engine.cli;

import kiln.engine.eval.TrainedModel;
import kiln.engine.project.Project;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;

/** What activations and explain share: the project, the one input to look at, and whose weights see it. */
final class InspectedSample {

    @Parameters(index = "0", paramLabel = "PROJECT", description = "Project folder (holding project.json).")
    Path project;

    @Parameters(index = "1", paramLabel = "INPUT", description = InputArgument.DESCRIPTION)
    String input;

    @Option(names = "--untrained", description = "Use the initial weights of a new run instead of a trained run.")
    boolean untrained;

    @Mixin
    RunOptions runOptions = new RunOptions();

    /** The loaded project and model, after checking the input file exists (before anything slow). */
    record Loaded(Project project, TrainedModel model) { }

    Loaded load() {
        Path folder = ProjectArgument.folder(project);
        Project p = ProjectArgument.load(folder);
        InputArgument.checkExists(input);
        return new Loaded(p, runOptions.load(p, folder, untrained));
    }
}
