package kiln.engine.cli;

import kiln.engine.eval.GroupTraining;
import kiln.engine.project.Project;
import kiln.engine.runs.TrainingEvent;
import kiln.engine.train.TrainingSession;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;

/** kiln train --repeat N: the same run with N seeds on the same data, one line each, then the spread of test accuracy. */
final class RepeatedTraining {

    private RepeatedTraining() { }

    static int run(PrintWriter out, Project p, Path folder, TrainingSession.PreparedData data, int limitTrain, int repeat)
            throws TrainingSession.SetupException, IOException {
        GroupTraining runs = GroupTraining.repeat(p, folder, data, limitTrain, repeat);
        out.printf(Locale.ROOT, "Repeating with %d seeds (%d to %d), group %s%n", repeat, runs.seedOf(1),
                runs.seedOf(repeat), runs.group());
        out.flush();
        Runtime.getRuntime().addShutdownHook(new Thread(runs::stop));
        GroupTraining.Outcome outcome = runs.run(new GroupTraining.Listener() {
            @Override
            public void onEvent(TrainingEvent event) { }

            @Override
            public void memberFinished(GroupTraining.Member m) {
                TrainingEvent.Finished f = m.finished();
                out.printf(Locale.ROOT, "%s  seed %d  best epoch %d  test loss %.4f  test accuracy %.4f  %.1f s%n",
                        m.runId(), m.seed(), f.bestEpoch(), f.testLoss(), f.testAccuracy(), f.seconds());
                out.flush();
            }
        });
        if (!outcome.complete()) {
            printStop(out, outcome, runs.seedOf(outcome.finished().size() + 1));
            return 1;
        }
        out.println("test accuracy: " + outcome.summary().describe("seeds"));
        out.flush();
        return 0;
    }

    private static void printStop(PrintWriter out, GroupTraining.Outcome outcome, long seed) {
        String why = outcome.stoppedBy() instanceof TrainingEvent.Failed failed ? "failed: " + failed.message() : "stopped by request";
        out.printf(Locale.ROOT, "%s  seed %d  %s%n", outcome.stoppedRunId(), seed, why);
        out.flush();
    }
}
