package kiln.engine.cli;

import kiln.engine.data.DataSplits;
import kiln.engine.data.Dataset;
import kiln.engine.data.Folds;
import kiln.engine.eval.SeedSummary;
import kiln.engine.project.Project;
import kiln.engine.runs.TrainingEvent;
import kiln.engine.train.Trainer;
import kiln.engine.train.TrainingSession;
import kiln.engine.util.Progress;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicReference;

@Command(name = "cv", mixinStandardHelpOptions = true,
        description = {"k-fold cross-validation: pool the training and validation splits, deal them into K stratified "
                + "folds and train K runs, each validating on one fold and training on the others. The test split is "
                + "left out. Prints one line per fold and the validation accuracy's mean ± sample standard deviation."})
final class CvCommand extends ProjectCommand {

    private static final DateTimeFormatter GROUP_TIME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

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
            Dataset pool = Folds.pool(raw);
            if (limitTrain > 0) {
                pool = pool.head(limitTrain);
                raw = new DataSplits(pool, raw.validation().head(0), raw.test());
            }
            String problem = Folds.check(pool, folds, true);
            if (problem != null) throw new KilnCommand.UserError(problem + ".");
            List<DataSplits> foldSplits = Folds.splits(raw, folds, p.training().seed(), true);
            String group = "cv-" + GROUP_TIME.format(Instant.now());
            out.printf(Locale.ROOT, "Cross-validation: %d folds of %d training and validation samples (test split of %d left out), group %s%n",
                    folds, pool.size(), raw.test().size(), group);
            out.flush();
            return runFolds(out, p, folder, foldSplits, group);
        } catch (TrainingSession.SetupException e) {
            throw new KilnCommand.UserError(e.getMessage().replace("\n", "\n  "));
        }
    }

    private int runFolds(PrintWriter out, Project p, Path folder, List<DataSplits> foldSplits, String group)
            throws TrainingSession.SetupException, IOException {
        AtomicReference<Trainer> current = new AtomicReference<>();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            Trainer t = current.get();
            if (t != null) t.stop();
        }));
        List<Double> accuracies = new ArrayList<>();
        for (int f = 0; f < foldSplits.size(); f++) {
            TrainingSession.PreparedData data = TrainingSession.prepareSplits(p, foldSplits.get(f), Progress.NONE);
            AtomicReference<String> runId = new AtomicReference<>();
            AtomicReference<TrainingEvent.EpochFinished> last = new AtomicReference<>();
            Trainer trainer = TrainingSession.newRun(p, folder, data, 0, group, event -> {
                if (event instanceof TrainingEvent.Started s) runId.set(s.runId());
                if (event instanceof TrainingEvent.EpochFinished e) last.set(e);
            });
            current.set(trainer);
            TrainingEvent end = trainer.run();
            TrainingEvent.EpochFinished e = last.get();
            if (!(end instanceof TrainingEvent.Finished) || e == null) {
                String why = end instanceof TrainingEvent.Failed failed ? "failed: " + failed.message() : "stopped by request";
                out.printf(Locale.ROOT, "fold %d  %s  %s%n", f + 1, runId.get(), why);
                out.flush();
                return 1;
            }
            // The last epoch's scores: choosing the best epoch on the fold it is scored on would flatter it.
            accuracies.add(e.validationAccuracy());
            out.printf(Locale.ROOT, "fold %d  %s  %d training, %d validation  val_accuracy %.4f  val_loss %.4f%n",
                    f + 1, runId.get(), data.splits().train().size(), data.splits().validation().size(),
                    e.validationAccuracy(), e.validationLoss());
            out.flush();
        }
        out.println("cv accuracy: " + SeedSummary.of(accuracies).meanAndStd());
        out.printf(Locale.ROOT, "  (mean ± sample std over %d folds; the folds share their training data, so the spread "
                + "understates the uncertainty)%n", accuracies.size());
        out.flush();
        return 0;
    }
}
