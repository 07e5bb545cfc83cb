package kiln.engine.cli;

import kiln.engine.eval.TrainedModel;
import kiln.engine.project.Project;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;

/** What activations and explain share: the one input to look at (after the project), and whose weights see it. */
abstract class SampleCommand extends ProjectCommand {

    @Parameters(index = "1", paramLabel = "INPUT", description = InputArgument.DESCRIPTION)
    String input;

    @Option(names = "--untrained", description = "Use the initial weights of a new run instead of a trained run.")
    boolean untrained;

    @Mixin
    RunOptions runOptions = new RunOptions();

    /** The project's model, after checking the input file exists (before anything slow). */
    TrainedModel model(Project p, Path folder) {
        InputArgument.checkExists(input);
        return runOptions.load(p, folder, untrained);
    }
}
