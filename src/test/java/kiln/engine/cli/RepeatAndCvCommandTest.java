package kiln.engine.cli;

import kiln.engine.project.SampleCopies;
import kiln.engine.runs.RunFolder;
import kiln.engine.runs.RunRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static kiln.engine.cli.CliRun.kiln;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** kiln train --repeat and kiln cv on the tabular sample: one run per seed or fold, grouped, and a summary that matches them. */
class RepeatAndCvCommandTest {

    private static final Pattern REPEAT_SUMMARY = Pattern.compile(
            "test accuracy: (\\d\\.\\d{4}) ± (\\d\\.\\d{4}) \\(mean ± sample std over 3 seeds; 95 % interval (-?\\d\\.\\d{4})–(\\d\\.\\d{4})\\)");
    private static final Pattern FOLD_LINE = Pattern.compile(
            "fold (\\d)  (run-\\d+)  (\\d+) training, (\\d+) validation  val_accuracy (\\d\\.\\d{4})  val_loss (\\d+\\.\\d{4})");

    @TempDir
    Path dir;

    private static RunRecord record(Path project, String run) throws Exception {
        return RunFolder.open(project.resolve(RunFolder.RUNS).resolve(run)).readRecord();
    }

    @Test
    void repeatTrainsOneGroupedRunPerSeedAndSummarisesTheirTestAccuracies() throws Exception {
        Path folder = SampleCopies.copy("tabular-binary", dir.resolve("t"));
        CliRun r = kiln("train", folder.toString(), "--repeat", "3", "--epochs", "2", "--seed", "5");
        assertEquals(0, r.code(), r.err() + r.out());
        List<RunRecord> runs = new ArrayList<>();
        for (String id : List.of("run-1", "run-2", "run-3")) runs.add(record(folder, id));
        assertFalse(Files.exists(folder.resolve("runs/run-4")));
        assertEquals(List.of(5L, 6L, 7L), runs.stream().map(x -> x.settings().seed()).toList());
        String group = runs.get(0).group();
        assertNotNull(group);
        assertTrue(group.startsWith("repeat-"), group);
        for (RunRecord run : runs) {
            assertEquals(group, run.group());
            assertEquals("completed", run.status());
            assertTrue(r.out().contains(String.format(Locale.ROOT, "%s  seed %d  best epoch", run.id(), run.settings().seed())), r.out());
        }
        String last = r.out().lines().reduce((a, b) -> b).orElseThrow();
        Matcher m = REPEAT_SUMMARY.matcher(last);
        assertTrue(m.matches(), last);
        double[] acc = runs.stream().mapToDouble(RunRecord::testAccuracy).toArray();
        double mean = (acc[0] + acc[1] + acc[2]) / 3;
        double std = Math.sqrt(((acc[0] - mean) * (acc[0] - mean) + (acc[1] - mean) * (acc[1] - mean)
                + (acc[2] - mean) * (acc[2] - mean)) / 2);
        assertEquals(mean, Double.parseDouble(m.group(1)), 5e-5);
        assertEquals(std, Double.parseDouble(m.group(2)), 5e-5);
        double half = 4.303 * std / Math.sqrt(3);
        assertEquals(mean - half, Double.parseDouble(m.group(3)), 5e-5);
        assertEquals(mean + half, Double.parseDouble(m.group(4)), 5e-5);
        assertTrue(std > 0, "three seeds gave the same accuracy: " + r.out());
        CliRun list = kiln("runs", "list", folder.toString());
        assertEquals(3, list.out().lines().filter(l -> l.endsWith("  group " + group)).count(), list.out());
    }

    @Test
    void cvTrainsOneRunPerFoldOnTheTrainingAndValidationDataAndSummarisesTheFolds() throws Exception {
        Path folder = SampleCopies.copy("tabular-binary", dir.resolve("cv"));
        CliRun r = kiln("cv", folder.toString(), "--folds", "3", "--epochs", "2");
        assertEquals(0, r.code(), r.err() + r.out());
        // The sample's 569 rows: 113 for test, 456 for the folds (its train and validation splits).
        assertTrue(r.out().contains("3 folds of 456 training and validation samples (test split of 113 left out)"), r.out());
        List<Double> accuracies = new ArrayList<>();
        Set<String> groups = new java.util.HashSet<>();
        int validated = 0;
        for (String line : r.out().lines().filter(l -> l.startsWith("fold ")).toList()) {
            Matcher m = FOLD_LINE.matcher(line);
            assertTrue(m.matches(), line);
            int train = Integer.parseInt(m.group(3));
            int validation = Integer.parseInt(m.group(4));
            assertEquals(456, train + validation);
            validated += validation;
            accuracies.add(Double.parseDouble(m.group(5)));
            RunRecord run = record(folder, m.group(2));
            groups.add(run.group());
            assertEquals(2, run.epochsCompleted());
        }
        assertEquals(3, accuracies.size(), r.out());
        assertEquals(456, validated);
        assertEquals(1, groups.size());
        assertTrue(groups.iterator().next().startsWith("cv-"), groups.toString());
        double mean = accuracies.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
        double std = Math.sqrt(accuracies.stream().mapToDouble(a -> (a - mean) * (a - mean)).sum() / 2);
        Matcher m = Pattern.compile("cv accuracy: (\\d\\.\\d{4}) ± (\\d\\.\\d{4})").matcher(
                r.out().lines().filter(l -> l.startsWith("cv accuracy: ")).collect(Collectors.joining()));
        assertTrue(m.matches(), r.out());
        assertEquals(mean, Double.parseDouble(m.group(1)), 1e-4);
        assertEquals(std, Double.parseDouble(m.group(2)), 1e-4);
    }

    @Test
    void badFoldCountsAndRepeatsAreOneLineAndMakeNoRun() throws Exception {
        Path folder = SampleCopies.copy("tabular-binary", dir.resolve("bad"));
        CliRun one = kiln("cv", folder.toString(), "--folds", "1");
        assertEquals("kiln: fold count 1 is too small; use at least 2 folds (5 or 10 are usual).", one.err().strip());
        CliRun many = kiln("cv", folder.toString(), "--folds", "200", "--limit-train", "100");
        assertTrue(many.err().strip().matches("kiln: fold count 200 is larger than the 100 training and validation "
                + "samples; use at most 100 folds\\."), many.err());
        CliRun small = kiln("cv", folder.toString(), "--folds", "60", "--limit-train", "100");
        assertTrue(small.err().strip().matches("kiln: fold count 60 is larger than the \\d+ samples of class '\\w+'; "
                + "use at most \\d+ folds\\."), small.err());
        CliRun repeat = kiln("train", folder.toString(), "--repeat", "0");
        assertEquals("kiln: --repeat is 0; use 1 (one run) or more (5 is usual).", repeat.err().strip());
        assertFalse(Files.exists(folder.resolve("runs/run-1")));
    }

    @Test
    void aRunJsonWrittenBeforeGroupsExistedReadsWithoutAGroup() throws Exception {
        Path run = Files.createDirectories(dir.resolve("old/runs/run-1"));
        Files.writeString(run.resolve("run.json"), """
                {"id": "run-1", "status": "completed", "started": "2026-11-01T00:00:00Z", "seconds": 3.0,
                 "epochsCompleted": 2, "bestEpoch": 2, "bestValidationLoss": 0.2, "testLoss": 0.25,
                 "testAccuracy": 0.9, "limitTrain": 0, "message": null, "settings": null}
                """);
        RunRecord record = RunFolder.open(run).readRecord();
        assertEquals(0.9, record.testAccuracy());
        assertEquals(null, record.group());
    }
}
