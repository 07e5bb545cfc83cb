package kiln.engine.cli;

import kiln.engine.model.Node;
import kiln.engine.project.Project;
import kiln.engine.project.TrainingSettings;
import kiln.engine.runs.RunFolder;
import kiln.engine.runs.TrainingEvent;
import kiln.engine.train.Trainer;
import kiln.engine.train.TrainingSession;
import kiln.engine.util.Progress;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

@Command(name = "train", mixinStandardHelpOptions = true,
        description = {"Train the project's network on its data and record the run under PROJECT/runs/.",
                "Prints one line per epoch and finally the accuracy on the test split."})
final class TrainCommand extends ProjectCommand {

    @Option(names = "--epochs", paramLabel = "N", description = "Epochs to train (default: the project's setting).")
    Integer epochs;

    @Option(names = "--limit-train", paramLabel = "N", description = "Use only the first N training samples (0 = all).")
    int limitTrain;

    @Option(names = "--seed", paramLabel = "S", description = "Seed for weights and shuffling (default: the project's).")
    Long seed;

    @Option(names = "--learning-rate", paramLabel = "RATE", description = "Learning rate (default: the project's).")
    Double learningRate;

    @Option(names = "--threads", paramLabel = "T", description = "Native math threads (default: the project's; 0 = automatic).")
    Integer threads;

    @Option(names = "--continue", paramLabel = "RUN", description = "Continue RUN (e.g. run-3) from its last checkpoint for --epochs more epochs.")
    String continueRun;

    @Option(names = "--init-from", paramLabel = "SOURCE", description = {
            "Start from a trained model: a Kiln project or export folder, optionally with :run-N (default: its newest "
                    + "run with weights). Layers whose name and weight shapes match get its weights; the others start "
                    + "fresh. Prints one line per layer, then trains."})
    String initFrom;

    @Option(names = "--head-epochs", paramLabel = "N", description = {
            "Two-phase fine-tuning (default: the project's setting; 0 = off). " + TrainingSettings.HEAD_EPOCHS_HELP})
    Integer headEpochs;

    @Option(names = "--fine-tune-rate-factor", paramLabel = "F", description = {
            "The learning rate's factor after the head epochs, above 0 and at most 1 (default: the project's, 0.1 "
                    + "unless set)."})
    Double fineTuneRateFactor;

    @Option(names = "--set", paramLabel = "LAYER.KEY=VALUE", description = {
            "For this run only, change one layer: a parameter of its type (dense1.loraRank=8), trainable=true|false, "
                    + "learningRateMultiplier=0.1 or weightsFrom=SOURCE (relative to the project folder, as in project.json; empty: start from random weights). LAYER * "
                    + "changes every layer that has the key. Repeatable; project.json is left as it is."})
    java.util.List<String> layerSettings = new java.util.ArrayList<>();

    @Option(names = "--repeat", paramLabel = "N", defaultValue = "1", description = {
            "Train N runs that differ only in their seed (the seed, seed + 1, ...), print one line per run and the test "
                    + "accuracy's mean, sample standard deviation and 95 %% interval. The runs share a group in the run history."})
    int repeat;

    @Override
    int run(PrintWriter out, Path folder, Project p) throws IOException {
        if (epochs != null) p.setTraining(p.training().withEpochs(epochs));
        if (seed != null) p.setTraining(p.training().withSeed(seed));
        if (threads != null) p.setTraining(p.training().withThreads(threads));
        if (learningRate != null) p.setTraining(p.training().withLearningRate(learningRate));
        if (headEpochs != null || fineTuneRateFactor != null) {
            p.setTraining(p.training().withHeadFirst(headEpochs != null ? headEpochs : p.training().headEpochs(),
                    fineTuneRateFactor != null ? fineTuneRateFactor : p.training().fineTuneRateFactor()));
        }
        for (String setting : layerSettings) LayerSetting.apply(p.graph(), setting);
        checkLimitTrain(limitTrain);
        if (repeat < 1) throw new KilnCommand.UserError("--repeat is " + repeat + "; use 1 (one run) or more (5 is usual).");
        if (repeat > 1 && continueRun != null) {
            throw new KilnCommand.UserError("--repeat starts new runs and --continue goes on with an old one; use one of them.");
        }
        if (initFrom != null && continueRun != null) {
            throw new KilnCommand.UserError("--init-from starts a new run and --continue goes on with an old one; use one of them.");
        }
        if (initFrom != null) {
            // For this run only: every layer starts from the source where it matches; project.json is left as it is.
            for (Node n : p.graph().nodes()) p.graph().replace(n.withWeightsFrom(folder.relativize(
                    Path.of(stripRun(initFrom)).toAbsolutePath().normalize()) + runSuffix(initFrom)));
        }
        try {
            RunFolder continued = null;
            int limit = limitTrain;
            if (continueRun != null) {
                continued = RunFolder.open(folder.resolve(RunFolder.RUNS).resolve(continueRun));
                if (!Files.isDirectory(continued.dir())) {
                    throw new KilnCommand.UserError("there is no run '" + continueRun + "' in " + folder.resolve(RunFolder.RUNS));
                }
                // A continued run goes on with the data it started with.
                int recorded = continued.readRecord().limitTrain();
                if (limitTrain > 0 && limitTrain != recorded) {
                    throw new KilnCommand.UserError(continueRun + " was trained on " + (recorded == 0 ? "all" : "the first " + recorded)
                            + " training samples; leave out --limit-train to continue it on the same data");
                }
                limit = recorded;
            }
            out.println("Loading data for " + p.name() + " ...");
            out.flush();
            java.util.List<String> leftOut = new java.util.ArrayList<>();
            TrainingSession.PreparedData data;
            try {
                data = TrainingSession.prepareData(p, folder, limit, Progress.NONE, leftOut);
            } finally {
                DataCommand.printLeftOut(out, leftOut); // also when the data cannot train: it may say why
            }
            out.printf(Locale.ROOT, "Data: %d training, %d validation, %d test samples of %s, %s%n",
                    data.splits().train().size(), data.splits().validation().size(), data.splits().test().size(),
                    data.splits().train().sampleShape(), describeTarget(data));
            String score = data.encoding().scoreName();
            if (repeat > 1) return RepeatedTraining.run(out, p, folder, data, limitTrain, repeat);
            Trainer trainer = continued != null
                    ? TrainingSession.continueRun(p, continued, data, p.training().epochs(), event -> print(out, score, event))
                    : TrainingSession.newRun(p, folder, data, limitTrain, event -> print(out, score, event));
            if (!trainer.transfer().isEmpty()) {
                out.println("Weights, layer by layer:");
                trainer.transfer().forEach(r -> out.println("  " + r.line()));
                out.flush();
            }
            Runtime.getRuntime().addShutdownHook(new Thread(trainer::stop));
            TrainingEvent end = trainer.run();
            return end instanceof TrainingEvent.Finished ? 0 : 1;
        } catch (TrainingSession.SetupException e) {
            throw new KilnCommand.UserError(e.getMessage().replace("\n", "\n  "));
        }
    }

    /** The folder part of "folder:run-N", which the command line names from the current directory. */
    private static String stripRun(String source) {
        return source.replaceFirst(":run-\\d+$", "");
    }

    private static String runSuffix(String source) {
        return source.substring(stripRun(source).length());
    }

    /** "10 classes", or the number to predict with the training split's mean and spread. */
    private static String describeTarget(TrainingSession.PreparedData data) {
        var train = data.splits().train();
        var scale = data.encoding().targetScale();
        if (scale == null) return train.classCount() + " classes";
        return String.format(Locale.ROOT, "predicting %s (training mean %.4g, std %.4g; the network learns it standardised)",
                train.targetName(), scale.mean(), scale.std());
    }

    /** @param score "accuracy", or "r2" for numeric targets */
    private static void print(PrintWriter out, String score, TrainingEvent event) {
        if (event instanceof TrainingEvent.Started s) {
            out.printf(Locale.ROOT, "Run %s: epochs %d to %d, %d batches per epoch, %d native thread%s%n",
                    s.runId(), s.firstEpoch(), s.lastEpoch(), s.batchesPerEpoch(), s.threads(), s.threads() == 1 ? "" : "s");
        } else if (event instanceof TrainingEvent.EpochFinished e) {
            out.printf(Locale.ROOT, "epoch %d  loss %.4f  %s %.4f  val_loss %.4f  val_%s %.4f  %.1f s%s%n",
                    e.epoch(), e.trainLoss(), score, e.trainAccuracy(), e.validationLoss(), score, e.validationAccuracy(),
                    e.seconds(), e.best() ? "  (best so far)" : "");
        } else if (event instanceof TrainingEvent.Finished f) {
            if (f.ending() == TrainingEvent.Ending.EARLY_STOPPED) {
                out.println("Stopped early: validation loss did not improve; using the weights of epoch " + f.bestEpoch() + ".");
            }
            out.printf(Locale.ROOT, "test loss: %.4f%n", f.testLoss());
            out.printf(Locale.ROOT, "test %s: %.4f%n", score, f.testAccuracy());
        } else if (event instanceof TrainingEvent.PhaseChanged ph) {
            out.println(ph.message());
        } else if (event instanceof TrainingEvent.Failed f) {
            out.println("Training failed: " + f.message());
        } else if (event instanceof TrainingEvent.Cancelled c) {
            out.println("Training stopped by request after " + c.epochsCompleted() + " complete epoch(s); continue it with --continue.");
        }
        out.flush();
    }
}
