package kiln.engine.cli;

import kiln.engine.project.Project;
import kiln.engine.sweep.Sweep;
import kiln.engine.sweep.SweepParam;
import kiln.engine.sweep.SweepPlan;
import kiln.engine.sweep.SweepSpec;
import kiln.engine.sweep.SweepSpecException;
import kiln.engine.sweep.SweepTrial;
import kiln.engine.train.TrainingSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

@Command(name = "sweep", mixinStandardHelpOptions = true,
        description = {"Hyperparameter sweep: train one run per combination of the given values (grid) or per random "
                + "pick (--random N), one after another, and print each trial's values and scores, then the best trial "
                + "(lowest validation loss). The runs join the project's history, grouped by sweep. The plan is kept in "
                + "PROJECT/runs/sweep-ID.json: running the same command again skips the trials already finished."})
final class SweepCommand extends ProjectCommand {

    @Option(names = "--param", paramLabel = "TARGET=VALUES", required = true, description = {
            "A parameter to vary (repeatable): training.SETTING (learningRate, batchSize, optimizer, epochs, l2, "
                    + "schedule, ...) or LAYER.PARAMETER (dense1.units, conv1.filters, dropout1.rate, ...). VALUES is a "
                    + "list (0.0003,0.001,0.003 or adam,sgd), a range of COUNT points FROM:TO:COUNT or FROM:TO:log:COUNT "
                    + "(1e-4:1e-2:log:5), or with --random a range to sample from, FROM:TO or FROM:TO:log."})
    List<String> params = new ArrayList<>();

    @Option(names = "--random", paramLabel = "N", description = "Random search: N trials drawn from the values instead of the whole grid.")
    Integer random;

    @Option(names = "--epochs", paramLabel = "E", description = "Epochs per trial (default: the project's setting).")
    Integer epochs;

    @Option(names = "--limit-train", paramLabel = "N", description = "Use only the first N training samples (0 = all).")
    int limitTrain;

    @Option(names = "--seed", paramLabel = "S", description = {
            "Seed for the random picks and for every trial's weights and shuffling, so trials differ only in their "
                    + "values (default: the project's training seed)."})
    Long seed;

    @Override
    void checkOptions() {
        checkLimitTrain(limitTrain);
        if (random != null && random < 1) throw new KilnCommand.UserError("--random is " + random + "; use 1 or more trials.");
    }

    @Override
    int run(PrintWriter out, Path folder, Project p) throws IOException {
        if (epochs != null) p.setTraining(p.training().withEpochs(epochs));
        if (seed != null) p.setTraining(p.training().withSeed(seed));
        Sweep sweep;
        try {
            List<SweepParam> parsed = new ArrayList<>();
            for (String text : params) {
                try {
                    parsed.add(SweepParam.parse(text, p));
                } catch (SweepSpecException e) {
                    throw new KilnCommand.UserError("--param " + e.getMessage());
                }
            }
            SweepSpec sweepSpec = SweepSpec.of(parsed, random == null ? 0 : random, p.training().seed());
            sweep = Sweep.open(p, folder, sweepSpec, params, limitTrain);
        } catch (SweepSpecException e) {
            throw new KilnCommand.UserError(e.getMessage());
        }
        SweepPlan plan = sweep.plan();
        int total = plan.trials().size();
        out.printf(Locale.ROOT, "Sweep %s: %s of %d trial%s, plan in %s%n", plan.id(),
                random == null ? "grid" : "random search", total, total == 1 ? "" : "s", folder.relativize(sweep.planFile()));
        if (sweep.resumed()) out.printf(Locale.ROOT, "Resuming: %d of %d trials finished earlier%n", plan.finishedCount(), total);
        for (SweepTrial t : plan.trials()) if (t.finished()) out.println(line(t, total) + "  (earlier)");
        out.flush();
        Runtime.getRuntime().addShutdownHook(new Thread(sweep::stop));
        Sweep.Outcome outcome;
        try {
            outcome = sweep.run(event -> {
                if (event instanceof Sweep.Event.TrialEnded ended) {
                    out.println(line(ended.trial(), ended.total()));
                    out.flush();
                }
            });
        } catch (TrainingSession.SetupException | SweepSpecException e) {
            throw new KilnCommand.UserError(e.getMessage().replace("\n", "\n  "));
        }
        plan = sweep.plan();
        if (outcome == Sweep.Outcome.STOPPED) {
            out.printf(Locale.ROOT, "Sweep stopped by request after %d of %d trials; run the same command again to go on.%n",
                    plan.finishedCount(), total);
            out.flush();
            return 1;
        }
        var best = plan.best();
        if (best.isEmpty()) {
            out.println("best: none; every trial failed (see the messages above).");
        } else {
            out.println("best: " + line(best.get(), total) + "  (lowest validation loss)");
        }
        out.flush();
        return best.isPresent() ? 0 : 1;
    }

    private static String line(SweepTrial t, int total) {
        String head = String.format(Locale.ROOT, "trial %d/%d  %s  %s", t.number(), total, t.run(), SweepSpec.describe(t.values()));
        if (!t.done()) return head + "  failed: " + t.message();
        return head + String.format(Locale.ROOT, "  val_loss %.4f  val_accuracy %.4f  test_loss %.4f  test_accuracy %.4f  %.1f s",
                t.validationLoss(), t.validationAccuracy(), t.testLoss(), t.testAccuracy(), t.seconds());
    }
}
