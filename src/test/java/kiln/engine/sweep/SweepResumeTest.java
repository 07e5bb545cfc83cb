package kiln.engine.sweep;

import kiln.engine.project.Project;
import kiln.engine.project.ProjectIO;
import kiln.engine.project.SampleCopies;
import kiln.engine.runs.RunFolder;
import kiln.engine.runs.RunRecord;
import kiln.engine.runs.TrainingEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A sweep stopped or killed part-way resumes: the finished trials are skipped, only the one in progress is lost. */
class SweepResumeTest {

    private static final List<String> PARAMS = List.of("training.learningRate=0.001,0.003,0.01");

    @TempDir
    Path dir;

    private static Sweep open(Path folder, int epochs) throws Exception {
        Project p = ProjectIO.load(folder);
        p.setTraining(p.training().withEpochs(epochs));
        List<SweepParam> params = new ArrayList<>();
        for (String text : PARAMS) params.add(SweepParam.parse(text, p));
        return Sweep.open(p, folder, SweepSpec.of(params, 0, p.training().seed()), PARAMS, 100);
    }

    private static RunRecord record(Path folder, String run) throws Exception {
        return RunFolder.open(folder.resolve(RunFolder.RUNS).resolve(run)).readRecord();
    }

    @Test
    void aStopDuringATrialKeepsTheFinishedTrialsAndTheResumedSweepRunsOnlyTheRest() throws Exception {
        Path folder = SampleCopies.copy("tabular-binary", dir.resolve("t"));
        Sweep first = open(folder, 2);
        assertFalse(first.resumed());
        List<Integer> started = new ArrayList<>();
        Sweep.Outcome outcome = first.run(event -> {
            if (event instanceof Sweep.Event.TrialStarted s) started.add(s.trial().number());
            // stop in the middle of the second trial, after its first epoch
            if (event instanceof Sweep.Event.Training t && t.trial().number() == 2
                    && t.event() instanceof TrainingEvent.EpochFinished) first.stop();
        });
        assertEquals(Sweep.Outcome.STOPPED, outcome);
        assertEquals(List.of(1, 2), started);
        assertEquals(1, first.plan().finishedCount());
        assertEquals("cancelled", record(folder, "run-2").status());

        Sweep again = open(folder, 2);
        assertTrue(again.resumed());
        assertEquals(first.plan().id(), again.plan().id());
        SweepTrial done = again.plan().trials().get(0);
        assertEquals("run-1", done.run());
        assertTrue(done.done());
        started.clear();
        assertEquals(Sweep.Outcome.COMPLETED, again.run(event -> {
            if (event instanceof Sweep.Event.TrialStarted s) started.add(s.trial().number());
        }));
        assertEquals(List.of(2, 3), started);
        SweepPlan plan = again.plan();
        assertEquals(List.of("run-1", "run-3", "run-4"), plan.trials().stream().map(SweepTrial::run).toList());
        for (SweepTrial t : plan.trials()) {
            RunRecord r = record(folder, t.run());
            assertEquals(plan.id(), r.group());
            assertEquals("completed", r.status());
            assertEquals(t.label(), r.name());
            assertEquals(t.values().get("training.learningRate"), r.settings().learningRate());
            assertEquals(r.testAccuracy(), t.testAccuracy());
        }
        assertEquals(plan, SweepPlan.load(again.planFile()), "the plan on disk is the one in memory");
        // everything finished: running it once more trains nothing
        Sweep third = open(folder, 2);
        assertEquals(Sweep.Outcome.COMPLETED, third.run(event -> started.add(-1)));
        assertFalse(started.contains(-1));
        assertFalse(Files.exists(folder.resolve("runs/run-5")));
    }

    @Test
    void aSweepWhoseProcessIsKilledResumesAfterTheLastFinishedTrial() throws Exception {
        Path folder = SampleCopies.copy("tabular-binary", dir.resolve("k"));
        Path plan = SweepPlan.file(folder, open(folder, 60).plan().id());
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "-cp", System.getProperty("java.class.path"), "kiln.app.Launcher", "sweep", folder.toString(),
                "--epochs", "60", "--limit-train", "100"));
        PARAMS.forEach(p -> command.addAll(List.of("--param", p)));
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve("sweep.out").toFile()).start();
        try {
            // kill -9 once the first trial is in the plan and the second has a run folder
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
            while (!(Files.exists(plan) && SweepPlan.load(plan).finishedCount() == 1
                    && Files.exists(folder.resolve("runs/run-2/metrics.csv")))) {
                assertTrue(process.isAlive(), () -> "the sweep ended early: " + read(dir.resolve("sweep.out")));
                assertTrue(System.nanoTime() < deadline, "the first trial did not finish in 3 minutes");
                Thread.sleep(50);
            }
        } finally {
            process.destroyForcibly().waitFor();
        }
        assertEquals(137, process.exitValue(), "killed by SIGKILL");
        Sweep resumed = open(folder, 60);
        assertTrue(resumed.resumed());
        // the kill came during trial 2 (or, on a slow machine, a later one): the trials before it are kept
        int finished = (int) resumed.plan().finishedCount();
        assertTrue(finished >= 1 && finished < 3, "finished before the kill: " + finished);
        assertEquals("run-1", resumed.plan().trials().get(0).run());
        String killedRun = "run-" + (finished + 1);
        List<Integer> started = new ArrayList<>();
        assertEquals(Sweep.Outcome.COMPLETED, resumed.run(event -> {
            if (event instanceof Sweep.Event.TrialStarted s) started.add(s.trial().number());
        }));
        assertEquals(finished == 1 ? List.of(2, 3) : List.of(3), started);
        assertEquals(3, resumed.plan().finishedCount());
        assertEquals("running", record(folder, killedRun).status(), "the killed trial's run stays in the history, unfinished");
        assertEquals("run-" + (finished + 2), resumed.plan().trials().get(finished).run(), "the killed trial ran again");
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (java.io.IOException e) {
            return "(" + e.getMessage() + ")";
        }
    }
}
