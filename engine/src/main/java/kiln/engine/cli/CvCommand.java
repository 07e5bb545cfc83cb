package kiln.engine.cli;

import kiln.engine.data.DataSplits;
import kiln.engine.eval.GroupTraining;
import kiln.engine.project.Project;
import kiln.engine.runs.TrainingEvent;
import kiln.engine.train.TrainingSession;
import kiln.engine.util.Progress;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;

@Command(name = "cv", mixinStandardHelpOptions = true,
        description = {"k-fold cross-validation: pool the training and validation splits, deal them into K stratified "
                + "folds and train K runs, each validating on one fold and training on the others. The test split is "
                + "left out. Prints one line per fold and the validation accuracy's mean ± sample standard deviation."})
final class CvCommand extends ProjectCommand {

    @Option(names = "--folds", paramLabel = "K", defaultValue = "5", description = "Number of folds (default 5).")
    int folds;

    @Option(names = "--epochs", paramLabel = "N", description = "Epochs per fold (default: the project's setting).")
    Integer epochs;

    @Option(names = "--seed", paramLabel = "S", description = {
            "Seed for the folds, the weights and the shuffling (default: the project's training seed)."})
    Long seed;

    @Option(names = "--limit-train", paramLabel = "N", description = "Use only the first N of the pooled training and validation samples (0 = all).")
    int limitTrain;

    @Override
    int run(PrintWriter out, Path folder, Project p) throws IOException {
        if (epochs != null) p.setTraining(p.training().withEpochs(epochs));
        if (seed != null) p.setTraining(p.training().withSeed(seed));
        checkLimitTrain(limitTrain);
        try {
            out.println("Loading data for " + p.name() + " ...");
            out.flush();
            DataSplits raw = TrainingSession.loadSplits(p, folder, Progress.NONE);
            GroupTraining runs;
            try {
                runs = GroupTraining.crossValidation(p, folder, raw, folds, limitTrain);
            } catch (IllegalArgumentException e) {
                throw new KilnCommand.UserError(e.getMessage() + ".");
            }
            out.printf(Locale.ROOT, "Cross-validation: %d folds of %d training and validation samples (test split of %d left out), group %s%n",
                    folds, runs.poolSize(), runs.testSize(), runs.group());
            out.flush();
            return runFolds(out, runs);
        } catch (TrainingSession.SetupException e) {
            throw new KilnCommand.UserError(e.getMessage().replace("\n", "\n  "));
        }
    }

    private static int runFolds(PrintWriter out, GroupTraining runs) throws TrainingSession.SetupException, IOException {
        Runtime.getRuntime().addShutdownHook(new Thread(runs::stop));
        GroupTraining.Outcome outcome = runs.run(new GroupTraining.Listener() {
            @Override
            public void onEvent(TrainingEvent event) { }

            @Override
            public void memberFinished(GroupTraining.Member m) {
                out.printf(Locale.ROOT, "fold %d  %s  %d training, %d validation  val_accuracy %.4f  val_loss %.4f%n",
                        m.number(), m.runId(), m.trainSamples(), m.validationSamples(),
                        m.lastEpoch().validationAccuracy(), m.lastEpoch().validationLoss());
                out.flush();
            }
        });
        if (!outcome.complete()) {
            String why = outcome.stoppedBy() instanceof TrainingEvent.Failed failed ? "failed: " + failed.message() : "stopped by request";
            out.printf(Locale.ROOT, "fold %d  %s  %s%n", outcome.finished().size() + 1, outcome.stoppedRunId(), why);
            out.flush();
            return 1;
        }
        out.println("cv accuracy: " + outcome.summary().meanAndStd());
        out.printf(Locale.ROOT, "  (mean ± sample std over %d folds; the folds share their training data, so the spread "
                + "understates the uncertainty)%n", outcome.finished().size());
        out.flush();
        return 0;
    }
}
