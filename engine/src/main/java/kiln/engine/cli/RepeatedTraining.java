package kiln.engine.cli;

import kiln.engine.eval.SeedSummary;
import kiln.engine.project.Project;
import kiln.engine.runs.TrainingEvent;
import kiln.engine.train.Trainer;
import kiln.engine.train.TrainingSession;

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

/** kiln train --repeat N: the same run with N seeds on the same data, one line each, then the spread of test accuracy. */
final class RepeatedTraining {

    private static final DateTimeFormatter GROUP_TIME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

    private RepeatedTraining() { }

    static int run(PrintWriter out, Project p, Path folder, TrainingSession.PreparedData data, int limitTrain, int repeat)
            throws TrainingSession.SetupException, IOException {
        String group = "repeat-" + GROUP_TIME.format(Instant.now());
        long firstSeed = p.training().seed();
        out.printf(Locale.ROOT, "Repeating with %d seeds (%d to %d), group %s%n", repeat, firstSeed, firstSeed + repeat - 1, group);
        out.flush();
        AtomicReference<Trainer> current = new AtomicReference<>();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            Trainer t = current.get();
            if (t != null) t.stop();
        }));
        List<Double> accuracies = new ArrayList<>();
        for (int i = 0; i < repeat; i++) {
            long seed = firstSeed + i;
            p.setTraining(p.training().withSeed(seed));
            AtomicReference<String> runId = new AtomicReference<>();
            Trainer trainer = TrainingSession.newRun(p, folder, data, limitTrain, group, event -> {
                if (event instanceof TrainingEvent.Started s) runId.set(s.runId());
            });
            current.set(trainer);
            TrainingEvent end = trainer.run();
            if (end instanceof TrainingEvent.Finished f) {
                accuracies.add(f.testAccuracy());
                out.printf(Locale.ROOT, "%s  seed %d  best epoch %d  test loss %.4f  test %s %.4f  %.1f s%n",
                        runId.get(), seed, f.bestEpoch(), f.testLoss(), data.encoding().scoreName(), f.testAccuracy(), f.seconds());
                out.flush();
            } else {
                String why = end instanceof TrainingEvent.Failed failed ? "failed: " + failed.message() : "stopped by request";
                out.printf(Locale.ROOT, "%s  seed %d  %s%n", runId.get(), seed, why);
                out.flush();
                return 1;
            }
        }
        out.println("test " + data.encoding().scoreName() + ": " + SeedSummary.of(accuracies).describe("seeds"));
        out.flush();
        return 0;
    }
}
