package kiln.engine.cli;

import kiln.engine.eval.TrainedModel;
import kiln.engine.project.Project;
import kiln.engine.util.Progress;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/** The options that pick a trained run and its weights, shared by evaluate, predict and export. */
final class RunOptions {

    @Option(names = "--run", paramLabel = "RUN", description = "The run to use, e.g. run-3 (default: the newest trained run).")
    String run;

    @Option(names = "--weights", paramLabel = "WHICH", defaultValue = "best",
            description = "best (the epoch with the lowest validation loss, the default) or last.")
    String weights;

    @Option(names = "--epoch", paramLabel = "N",
            description = "The weights the run had after epoch N (each run keeps every epoch's), instead of --weights.")
    Integer epoch;

    /** The run's weights, or with {@code untrained} the weights a new run would start from. */
    TrainedModel load(Project project, Path folder, boolean untrained) {
        if (!untrained) return load(project, folder);
        if (run != null) throw new KilnCommand.UserError("--untrained and --run exclude each other; give one.");
        if (epoch != null) throw new KilnCommand.UserError("--untrained and --epoch exclude each other; give one.");
        try {
            return TrainedModel.untrained(project, folder, Progress.NONE);
        } catch (TrainedModel.UnavailableException e) {
            throw new KilnCommand.UserError(e.getMessage());
        }
    }

    TrainedModel load(Project project, Path folder) {
        TrainedModel.Weights which = switch (weights) {
            case "best" -> TrainedModel.Weights.BEST;
            case "last" -> TrainedModel.Weights.LAST;
            default -> throw new KilnCommand.UserError("--weights is '" + weights + "'; use best or last.");
        };
        try {
            if (epoch != null) return TrainedModel.loadEpoch(project, folder, run, epoch, Progress.NONE);
            return TrainedModel.load(project, folder, run, which, Progress.NONE);
        } catch (TrainedModel.UnavailableException e) {
            throw new KilnCommand.UserError(e.getMessage().replace("\n", "\n  "));
        }
    }
}
