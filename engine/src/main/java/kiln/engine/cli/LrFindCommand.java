package kiln.engine.cli;

import kiln.engine.project.Project;
import kiln.engine.train.LearningRateFinder;
import kiln.engine.train.TrainingSession;
import kiln.engine.util.Progress;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;

@Command(name = "lr-find", mixinStandardHelpOptions = true,
        description = {"Find a learning rate: train briefly while the rate rises from 1e-7 to 10,",
                "batch by batch, and print the loss at each rate. The loss falls fastest at a",
                "good rate and blows up when it is too large. Uses the project's optimizer,",
                "batch size and seed; no run is recorded and the project is unchanged."})
final class LrFindCommand extends ProjectCommand {

    @Option(names = "--limit-train", paramLabel = "N", description = "Use only the first N training samples (0 = all).")
    int limitTrain;

    @Option(names = "--steps", paramLabel = "N", defaultValue = "" + LearningRateFinder.STEPS,
            description = "Batches to train, each at a higher rate (default: ${DEFAULT-VALUE}).")
    int steps;

    @Override
    int run(PrintWriter out, Path folder, Project p) {
        checkLimitTrain(limitTrain);
        LearningRateFinder.Result result;
        try {
            TrainingSession.PreparedData data = TrainingSession.prepareData(p, folder, limitTrain, Progress.NONE);
            result = LearningRateFinder.run(p, data, steps, Progress.NONE);
        } catch (TrainingSession.SetupException e) {
            throw new KilnCommand.UserError(e.getMessage());
        }
        out.printf(Locale.ROOT, "%s, optimizer %s, batch size %d%n%n", p.name(), p.training().optimizer(), p.training().batchSize());
        out.printf(Locale.ROOT, "%12s %10s %10s%n", "rate", "loss", "smoothed");
        for (LearningRateFinder.Point pt : result.curve()) {
            out.printf(Locale.ROOT, "%12.3e %10.4f %10.4f%n", pt.learningRate(), pt.loss(), pt.smoothedLoss());
        }
        out.println();
        out.println(result.reason());
        if (Double.isNaN(result.suggested())) return 1;
        out.printf(Locale.ROOT, "suggested learning rate: %.2g (the project has %s)%n", result.suggested(), p.training().learningRate());
        return 0;
    }
}
