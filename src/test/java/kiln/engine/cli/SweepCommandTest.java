package kiln.engine.cli;

import kiln.engine.project.SampleCopies;
import kiln.engine.runs.RunFolder;
import kiln.engine.runs.RunRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static kiln.engine.cli.CliRun.kiln;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** kiln sweep on the tabular sample: one grouped run per trial, one line each, and the best trial by validation loss. */
class SweepCommandTest {

    private static final Pattern TRIAL = Pattern.compile("trial (\\d)/4  (run-\\d+)  training\\.learningRate=([0-9.]+) "
            + "dense1\\.units=(\\d+)  val_loss (\\d+\\.\\d{4})  val_accuracy (\\d\\.\\d{4})  test_loss (\\d+\\.\\d{4})  "
            + "test_accuracy (\\d\\.\\d{4})  \\d+\\.\\d s");

    @TempDir
    Path dir;

    @Test
    void aGridSweepTrainsEveryCombinationAndNamesTheTrialWithTheLowestValidationLoss() throws Exception {
        Path folder = SampleCopies.copy("tabular-binary", dir.resolve("t"));
        String[] args = {"sweep", folder.toString(), "--param", "training.learningRate=0.0003,0.01", "--param",
                "dense1.units=4,32", "--epochs", "3", "--limit-train", "120"};
        CliRun r = kiln(args);
        assertEquals(0, r.code(), r.err() + r.out());
        List<String> lines = r.out().lines().toList();
        assertTrue(lines.get(0).matches("Sweep sweep-[0-9a-f]{8}: grid of 4 trials, plan in runs.sweep-[0-9a-f]{8}\\.json"), lines.get(0));
        String group = lines.get(0).substring("Sweep ".length(), lines.get(0).indexOf(':'));
        List<Matcher> trials = new ArrayList<>();
        for (String line : lines) {
            Matcher m = TRIAL.matcher(line);
            if (m.matches()) trials.add(m);
        }
        assertEquals(4, trials.size(), r.out());
        Set<String> combinations = new HashSet<>();
        Matcher lowest = trials.get(0);
        for (Matcher m : trials) {
            combinations.add(m.group(3) + "/" + m.group(4));
            RunRecord run = RunFolder.open(folder.resolve("runs").resolve(m.group(2))).readRecord();
            assertEquals(group, run.group());
            assertEquals(Double.parseDouble(m.group(3)), run.settings().learningRate());
            assertEquals(120, run.limitTrain());
            assertEquals(3, run.epochsCompleted());
            assertEquals(run.testAccuracy(), Double.parseDouble(m.group(8)), 5e-5);
            assertEquals(run.bestValidationLoss(), Double.parseDouble(m.group(5)), 5e-5);
            if (Double.parseDouble(m.group(5)) < Double.parseDouble(lowest.group(5))) lowest = m;
        }
        assertEquals(Set.of("0.0003/4", "0.0003/32", "0.01/4", "0.01/32"), combinations);
        String last = lines.get(lines.size() - 1);
        assertTrue(last.startsWith("best: trial " + lowest.group(1) + "/4  " + lowest.group(2) + "  "), last + "\n" + r.out());
        assertTrue(last.endsWith("(lowest validation loss)"), last);
        // trials differ: a learning rate 30 times larger moves three epochs much further
        assertFalse(trials.stream().map(m -> m.group(5)).distinct().count() == 1, r.out());

        CliRun again = kiln(args);
        assertEquals(0, again.code(), again.err());
        assertTrue(again.out().contains("Resuming: 4 of 4 trials finished earlier"), again.out());
        assertEquals(last, again.out().lines().reduce((a, b) -> b).orElseThrow());
        assertFalse(Files.exists(folder.resolve("runs/run-5")), "a finished sweep trains nothing more");
    }

    @Test
    void aBadSweepIsOneLineNamingThePartAndTrainsNothing() throws Exception {
        Path folder = SampleCopies.copy("tabular-binary", dir.resolve("bad"));
        assertEquals("kiln: --param dense9.units=8: the network has no layer 'dense9'; its layers are input, dense1, "
                + "dense2, output (or use training.SETTING for a training setting).",
                kiln("sweep", folder.toString(), "--param", "dense9.units=8").err().strip());
        assertEquals("kiln: --param training.batchSize=0,32: Batch size is 0; use 1 to 65536 (32–128 is typical).",
                kiln("sweep", folder.toString(), "--param", "training.batchSize=0,32").err().strip());
        assertEquals("kiln: --param dense1.units=: the list of values is empty; give values such as 32,64.",
                kiln("sweep", folder.toString(), "--param", "dense1.units=").err().strip());
        assertEquals("kiln: training.learningRate: a range without a count can only be sampled; add a count "
                + "(e.g. 0.0001:0.01:log:5) for a grid, or ask for random trials.",
                kiln("sweep", folder.toString(), "--param", "training.learningRate=1e-4:1e-2:log").err().strip());
        assertEquals("kiln: --random is 0; use 1 or more trials.",
                kiln("sweep", folder.toString(), "--param", "dense1.units=8", "--random", "0").err().strip());
        // a value every layer accepts alone may still break the network: checked for every trial before any runs
        assertTrue(kiln("sweep", folder.toString(), "--param", "output.units=1,3").err().strip()
                .startsWith("kiln: trial 2 (output.units=3) cannot train: "), "output with 3 units on a yes/no task");
        assertFalse(Files.exists(folder.resolve("runs")), "nothing was written");
    }

    @Test
    void randomSearchRunsTheBudgetOfTrials() throws Exception {
        Path folder = SampleCopies.copy("tabular-binary", dir.resolve("r"));
        CliRun r = kiln("sweep", folder.toString(), "--param", "training.learningRate=1e-4:1e-2:log", "--param",
                "dense1.units=4:32", "--random", "2", "--epochs", "1", "--limit-train", "60", "--seed", "3");
        assertEquals(0, r.code(), r.err() + r.out());
        assertTrue(r.out().startsWith("Sweep sweep-"), r.out());
        assertTrue(r.out().contains(": random search of 2 trials"), r.out());
        assertEquals(2, r.out().lines().filter(l -> l.matches("trial [12]/2  run-[12]  .*test_accuracy.*")).count(), r.out());
        assertEquals(3L, RunFolder.open(folder.resolve("runs/run-1")).readRecord().settings().seed());
        assertFalse(Files.exists(folder.resolve("runs/run-3")));
    }
}
